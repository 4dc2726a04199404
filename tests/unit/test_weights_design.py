"""Inverse inclusion-probability weights where an always-include rule was used, checked
against a known three-strata design worked by hand, for sections and groups as well as
overall; the draw's record of rule-picked cases; and properties every design must keep."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select

from audit_app.cli import main
from audit_app.cli.stats_findings import findings_text
from audit_app.core.clustered import CaseCounts, pool
from audit_app.core.findings import Findings
from audit_app.core.findings_weights import ALWAYS_INCLUDED_NOTE, case_weights
from audit_app.core.weighted import WeightedCase, inclusion_weights, weighted_pool
from audit_app.db.models import CaseRecord, PopulationImportRecord, SampleDrawRecord
from audit_app.services.audits import create_audit
from audit_app.services.database import Database
from audit_app.services.export import export_workbook
from audit_app.services.findings import compute_findings, load_audit_data
from audit_app.services.sampling import draw_sample, get_sample, replace_case
from tests.helpers.weighted_audits import three_strata


def _parameters(db: Database, audit_id: int) -> dict[str, object]:
    with db.reading() as session:
        return dict(session.scalar(select(SampleDrawRecord.parameters).where(
            SampleDrawRecord.audit_id == audit_id)) or {})


def test_the_draw_records_how_many_cases_the_rule_picked_not_which(sqlite_db: Database) -> None:
    audit_id = three_strata(sqlite_db, score=False)
    parameters = _parameters(sqlite_db, audit_id)
    assert parameters["always_included"] == {"C": 2}
    assert parameters["method"] == "stratified"
    assert "T/040" not in json.dumps(parameters)  # counts only, never references
    rows = get_sample(sqlite_db, audit_id=audit_id)
    assert {row.case.reference for row in rows if row.position <= 2} == {"T/040", "T/050"}
    per_stratum: dict[str, int] = defaultdict(int)
    for row in rows:
        per_stratum[row.stratum] += 1
    assert per_stratum == {"A": 3, "B": 3, "C": 5}


def test_three_strata_with_equal_allocation_and_an_always_include_rule_by_hand(
        sqlite_db: Database) -> None:
    # Weights: A (10 - 0) / 3, B (20 - 0) / 3, C (30 - 2) / 3 = 28/3; the two picked: 1.
    # Met (of 2): A 2, 2, 1; B 1, 0, 1; C 0, 0, 1; picked 2, 2.
    # Weighted met = 10/3 * 5 + 20/3 * 2 + 28/3 * 1 + 4 = 130/3; scored = 20 + 40 + 56 + 4
    # = 120; rate = 13/36 = 36.1%. The sample's own rate is 12/22 = 54.5%.
    # z = w (met - 2r): within each stratum the met counts deviate by 1/3, 1/3, -2/3
    # (squares 2/3), so sum (z - mean)^2 = w^2 * 2/3; with n/(n-1) = 3/2 and 1 - n/N:
    # A 0.7 * 1.5 * (100/9) * 2/3 = 210/27; B 0.85 * 1.5 * (400/9) * 2/3 = 1020/27;
    # C 25/28 * 1.5 * (784/9) * 2/3 = 2100/27; the picked cases add nothing.
    # se = sqrt(3330/27) / 120 = 0.0925463.
    findings = compute_findings(sqlite_db, audit_id=three_strata(sqlite_db))
    head = findings.headline
    assert head.pooled.rate == pytest.approx(12 / 22)
    assert head.population is not None
    assert head.population.rate == pytest.approx(13 / 36)
    assert head.population.standard_error == pytest.approx(math.sqrt(3330 / 27) / 120)
    assert head.population.interval is not None
    assert head.weighting.startswith("Weighted: with equal allocation")
    assert "always-include rule put 2 cases in for certain" in head.weighting

    rows = {(b.dimension, b.group): b for b in findings.breakdowns}
    section = next(b for b in findings.breakdowns if b.dimension == "Section")
    assert section.population is not None and section.population.rate == pytest.approx(13 / 36)
    # Area A alone: all weights equal, rate 5/6; its variance is stratum A's alone,
    # 210/27, over A's weighted scored 10/3 * 6 = 20: se = sqrt(210/27) / 20.
    area_a = rows[("Area", "A")].population
    assert area_a is not None and area_a.rate == pytest.approx(5 / 6)
    assert area_a.standard_error == pytest.approx(math.sqrt(210 / 27) / 20)
    # Area C mixes picked (weight 1) and drawn (28/3) cases: (28/3 + 4) / (28/3 * 6 + 4).
    area_c = rows[("Area", "C")].population
    assert area_c is not None and area_c.rate == pytest.approx((28 / 3 + 4) / 60)
    # The high-risk group is the two picked cases: known exactly, no interval.
    high = rows[("Risk level", "high")].population
    assert high is not None and high.rate == 1.0 and high.standard_error == 0.0
    assert high.interval is None

    again = Findings.from_dict(json.loads(json.dumps(findings.to_dict())))
    assert [b.population for b in again.breakdowns] == [b.population for b in findings.breakdowns]
    text = "\n".join(findings_text(findings))
    assert "Overall compliance (fully met), sample (unweighted): 55%" in text
    assert "Population estimate (weighted): 36% (95% interval" in text
    assert "Population estimate (weighted)" in text.split("By section and group")[1]


def test_a_draw_without_strata_is_one_stratum(sqlite_db: Database) -> None:
    # A random draw of 11: the 2 picked weigh 1, the 9 drawn at random (60 - 2) / 9.
    audit_id = three_strata(sqlite_db, method="random", score=False)
    assert _parameters(sqlite_db, audit_id)["always_included"] == {"": 2}  # no strata
    data = load_audit_data(sqlite_db, audit_id=audit_id)
    weights = case_weights(data.draw_design, data.cases)
    assert weights is not None
    by_position = {case.position: weights.by_case[case.case_id][1] for case in data.cases}
    assert by_position[1] == by_position[2] == 1.0
    assert all(by_position[p] == pytest.approx(58 / 9) for p in range(3, 12))
    assert sum(by_position.values()) == pytest.approx(60)  # weights add up to the population


def test_a_replacement_for_a_picked_case_counts_as_drawn_at_random(sqlite_db: Database) -> None:
    audit_id = three_strata(sqlite_db, score=False)
    picked = next(row for row in get_sample(sqlite_db, audit_id=audit_id) if row.position == 1)
    replacement = replace_case(sqlite_db, audit_id=audit_id, reference=picked.case.reference,
                               reason="file sealed")
    assert replacement is not None and replacement.position == 12
    data = load_audit_data(sqlite_db, audit_id=audit_id)
    weights = case_weights(data.draw_design, data.cases)
    assert weights is not None
    shown = {case.position: weights.by_case[case.case_id] for case in data.cases}
    assert 1 not in shown and shown[2] == ("C", 1.0)
    assert shown[12] == ("C", pytest.approx(28 / 4))  # C: 4 drawn at random for 28 cases
    # The replaced picked case stood only for itself; nobody stands for it now.
    assert sum(weight for _, weight in shown.values()) == pytest.approx(59)


def test_an_old_draw_that_did_not_record_the_rule_stays_unweighted(sqlite_db: Database) -> None:
    audit_id = three_strata(sqlite_db)
    with sqlite_db.transaction() as session:
        record = session.scalars(select(SampleDrawRecord)).one()
        record.parameters = {key: value for key, value in record.parameters.items()
                             if key not in ("always_included", "method")}
    findings = compute_findings(sqlite_db, audit_id=audit_id)
    assert findings.headline.population is None
    assert findings.headline.weighting == ALWAYS_INCLUDED_NOTE
    assert all(b.population is None for b in findings.breakdowns)


def test_the_workbook_and_stats_json_carry_weighted_rates_beside_the_sample_rates(
        sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    audit_id = three_strata(sqlite_db)
    findings = compute_findings(sqlite_db, audit_id=audit_id)
    path = tmp_path / "weighted.xlsx"
    export_workbook(sqlite_db, audit_id=audit_id, path=path)
    workbook = load_workbook(path)
    breakdown = list(workbook["Breakdown"].iter_rows(values_only=True))
    header = list(breakdown[0])
    sample = header.index("Compliance (fully met), sample rate (unweighted)")
    estimate = header.index("Population estimate (weighted)")
    assert header[estimate + 1:estimate + 3] == ["Population estimate, 95% low",
                                                 "Population estimate, 95% high"]
    for row, finding in zip(breakdown[1:], findings.breakdowns, strict=True):
        assert row[sample] == pytest.approx(finding.compliance.rate) \
            if finding.compliance.rate is not None else row[sample] is None
        expected = finding.population.rate if finding.population else None
        assert row[estimate] == (pytest.approx(expected) if expected is not None else None)
    summary = dict(workbook["Summary"].iter_rows(min_row=2, values_only=True))
    assert "Overall compliance (fully met), sample rate (unweighted)" in summary
    assert summary["Population estimate (weighted)"] == pytest.approx(13 / 36)
    method = {row[0]: row[1] for row in workbook["Method"].iter_rows(values_only=True)}
    assert "always-include" in method["Weights"] and "each group" in method["Weights"]
    assert "Wilson interval over those panel-agreed cases" in method["Headline verdict rate"]

    assert main(["--db", str(sqlite_db.file_path), "stats", "--audit", str(audit_id),
                 "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    area_a = next(b for b in stats["breakdowns"] if (b["dimension"], b["group"]) == ("Area", "A"))
    assert area_a["population_estimate"]["compliance"] == pytest.approx(5 / 6)
    assert area_a["compliance"] == pytest.approx(5 / 6)  # the sample's: same weights in A


def test_proportional_audit_workbook_has_no_weighted_columns(sqlite_db: Database,
                                                             tmp_path: Path) -> None:
    audit = create_audit(sqlite_db, name="Plain", framework="da-nfa-review")
    with sqlite_db.transaction() as session:
        extract = PopulationImportRecord(audit_id=audit.id, file_name="extract.xlsx")
        session.add(extract)
        session.flush()
        for index in range(20):
            session.add(CaseRecord(audit_id=audit.id, import_id=extract.id,
                                   source_row=index + 2, reference=f"P/{index:03d}",
                                   area="North" if index % 2 else "South"))
    draw_sample(sqlite_db, audit_id=audit.id, size=6, method="stratified",
                strata_fields=["area"], seed=3, include_always="area == 'Nowhere'")
    findings = compute_findings(sqlite_db, audit_id=audit.id)
    assert findings.headline.weighting.startswith("Not weighted: every case had the same")
    path = tmp_path / "plain.xlsx"
    export_workbook(sqlite_db, audit_id=audit.id, path=path)
    header = next(load_workbook(path)["Breakdown"].iter_rows(max_row=1, values_only=True))
    assert "Compliance (fully met)" in header
    assert not any("Population estimate" in str(title) for title in header)


strata_designs = st.lists(
    st.tuples(st.integers(1, 40), st.integers(0, 5), st.integers(1, 40)),
    min_size=1, max_size=5)


@settings(deadline=None, max_examples=80)
@given(strata_designs)
def test_weights_add_up_to_the_population(design: list[tuple[int, int, int]]) -> None:
    in_population, drawn, always = {}, {}, {}
    for index, (left, picked, take) in enumerate(design):
        name = f"S{index}"
        in_population[name] = left + picked
        always[name] = picked
        drawn[name] = min(take, left)
    weights = inclusion_weights(in_population, drawn, always)
    total = sum(weights[name] * drawn[name] + always[name] for name in in_population)
    assert total == pytest.approx(sum(in_population.values()))


@settings(deadline=None, max_examples=60)
@given(st.lists(st.lists(st.tuples(st.integers(0, 6), st.integers(1, 6)), min_size=1,
                         max_size=6), min_size=1, max_size=4),
       st.integers(2, 6))
def test_proportional_allocation_without_a_rule_weights_to_the_sample_rate(
        strata: list[list[tuple[int, int]]], fraction: int) -> None:
    # Every stratum sampled at 1 in `fraction`: equal weights, so the weighted rate is
    # the plain case-level rate.
    drawn = {f"S{i}": len(cases) for i, cases in enumerate(strata)}
    weights = inclusion_weights({name: n * fraction for name, n in drawn.items()}, drawn, {})
    per_case = [WeightedCase(min(met, scored), scored, f"S{i}", weights[f"S{i}"])
                for i, cases in enumerate(strata) for met, scored in cases]
    plain = pool(CaseCounts(case.met, case.scored) for case in per_case)
    assert weighted_pool(per_case).rate == pytest.approx(plain.rate)
