"""The panel's first question: agreed verdicts with a Wilson interval, provisional apart."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select
from statsmodels.stats.proportion import proportion_confint

from audit_app.core.answers import Verdict
from audit_app.core.findings import Findings
from audit_app.core.findings_compute import findings_from_data
from audit_app.core.verdicts import AgreedVerdicts, CaseVerdicts, agreed_verdicts, verdict_subject
from audit_app.db.models import ReviewRecord
from audit_app.io.findings_sheets import summary_rows
from audit_app.services import retention
from audit_app.services.database import Database
from audit_app.services.demo import create_demo
from audit_app.services.export import check_partner_release, export_workbook
from audit_app.services.export_privacy import privacy_rules
from audit_app.services.findings import compute_findings, load_audit_data
from audit_app.services.release import ReleaseApproval
from tests.helpers.cli import run_cli, run_json
from tests.helpers.verdict_audits import agreed_audit

# --- the pure rules ------------------------------------------------------------------------

def test_subject_follows_the_framework_title() -> None:
    assert verdict_subject("Domestic abuse NFA decision review") == "NFA decisions"
    assert verdict_subject("Evidence-led prosecution review") == "Cases"
    assert verdict_subject("Financial review") == "Cases"  # "NFA" only as a word


verdict_lists = st.lists(st.tuples(st.one_of(st.none(), st.sampled_from(list(Verdict))),
                                   st.lists(st.sampled_from(list(Verdict)), max_size=3)),
                         max_size=40)


@settings(deadline=None, max_examples=150)
@given(verdict_lists)
def test_every_case_is_counted_once_and_the_interval_is_wilson(
        rows: list[tuple[Verdict | None, list[Verdict]]]) -> None:
    cases = [CaseVerdicts(f"R{i}", agreed, tuple(members))
             for i, (agreed, members) in enumerate(rows)]
    result = agreed_verdicts(cases)
    judged = [c for c in cases if c.agreed in (Verdict.APPROPRIATE, Verdict.INAPPROPRIATE,
                                                Verdict.APPROPRIATE_WITH_OBSERVATIONS)]
    assert result.cases == len(judged)
    assert result.appropriate == sum(1 for c in judged if c.agreed is not Verdict.INAPPROPRIATE)
    assert result.provisional_cases == sum(1 for c in cases if c.agreed is None and c.members)
    assert result.provisional_other >= 0
    assert list(result.more_information) == [c.reference for c in cases
                                             if c.agreed is Verdict.MORE_INFORMATION]
    assert list(result.unable_to_agree) == [c.reference for c in cases
                                            if c.agreed is Verdict.UNABLE_TO_AGREE]
    if result.cases:
        low, high = proportion_confint(result.appropriate, result.cases, method="wilson")
        assert result.interval == pytest.approx((low, high), abs=1e-9)
    else:
        assert result.rate is None and result.interval is None
    assert AgreedVerdicts.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_published_wilson_example() -> None:
    """Newcombe (1998), Statistics in Medicine 17:857, example 81/263: 0.2553 to 0.3662."""
    result = agreed_verdicts([CaseVerdicts(str(i), Verdict.APPROPRIATE if i < 81
                                           else Verdict.INAPPROPRIATE) for i in range(263)])
    low, high = result.interval or (0, 0)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)


# --- real audits ---------------------------------------------------------------------------

def test_demo_has_no_agreed_verdicts_and_counts_the_provisional_ones(db: Database) -> None:
    audit = create_demo(db)
    findings = compute_findings(db, audit_id=audit.id)
    agreed = findings.agreed_verdicts
    assert agreed is not None
    assert (agreed.cases, agreed.appropriate, agreed.rate) == (0, 0, None)
    assert agreed.headline() == ("NFA decisions judged appropriate (including with "
                                 "observations): no verdicts agreed by the panel yet.")
    # Independently: every sampled case with a member's verdict and no panel verdict.
    sampled = {case.case_id for case in findings.cases}
    member_verdicts: dict[int, set[str]] = {}
    with db.reading() as session:
        reviews = session.execute(select(ReviewRecord.case_id, ReviewRecord.kind,
                                         ReviewRecord.verdict).where(
            ReviewRecord.audit_id == audit.id)).all()
    for case_id, kind, verdict in reviews:
        assert kind != "consensus" or not verdict
        if verdict and case_id in sampled:
            member_verdicts.setdefault(case_id, set()).add(str(verdict))
    assert agreed.provisional_cases == len(member_verdicts) > 0
    assert agreed.provisional_appropriate == sum(
        1 for given in member_verdicts.values()
        if given <= {"appropriate", "appropriate_with_observations"})
    assert agreed.provisional().startswith(
        f"Provisional (not yet agreed by the panel): {len(member_verdicts)} cases, "
        f"{agreed.provisional_appropriate} appropriate")


def test_agreed_verdicts_on_a_hand_made_audit(db: Database) -> None:
    built = agreed_audit(db)
    agreed = compute_findings(db, audit_id=built.audit_id).agreed_verdicts
    assert agreed is not None
    assert (agreed.appropriate, agreed.cases) == (4, 5)
    assert agreed.rate == pytest.approx(0.8)
    low, high = proportion_confint(4, 5, alpha=0.05, method="wilson")
    assert agreed.interval == pytest.approx((low, high), abs=1e-12)
    assert agreed.headline() == (
        "NFA decisions judged appropriate (including with observations): 4 of 5 panel-agreed "
        f"cases = 80% (95% interval {low:.0%}–{high:.0%}).")
    # Case 1: one member; case 8: both say appropriate; case 9: they differ.
    assert (agreed.provisional_cases, agreed.provisional_appropriate,
            agreed.provisional_inappropriate, agreed.provisional_other) == (3, 1, 1, 1)
    assert agreed.more_information == (built.references[6],)
    assert agreed.unable_to_agree == (built.references[7],)
    assert agreed.unresolved() == [
        f"More information needed (not counted): {built.references[6]}",
        f"Panel unable to agree (not counted): {built.references[7]}"]


def test_stats_text_and_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    demo_db = str(tmp_path / "demo.sqlite3")
    run_json(capsys, "--db", demo_db, "demo")
    values = run_json(capsys, "--db", demo_db, "stats", "--audit", "1")["agreed_verdicts"]
    assert (values["appropriate"], values["cases"], values["rate"], values["ci_low"]) == (
        0, 0, None, None)
    assert values["provisional"]["cases"] > 0 and values["more_information"] == []
    code, text, _ = run_cli(capsys, "--db", demo_db, "stats", "--audit", "1")
    assert code == 0
    assert "no verdicts agreed by the panel yet" in text
    assert f"Provisional (not yet agreed by the panel): {values['provisional']['cases']} " \
        "cases" in text
    assert "Verdicts: " not in text  # the old mixed counts are gone


def test_summary_sheet_reads_back(db: Database, tmp_path: Path) -> None:
    built = agreed_audit(db)
    path = tmp_path / "findings.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=path)
    summary = dict(load_workbook(path)["Summary"].iter_rows(min_row=2, values_only=True))
    low, high = proportion_confint(4, 5, method="wilson")
    assert summary["NFA decisions judged appropriate (including with observations)"] == 4
    assert summary["Panel-agreed cases (appropriate or inappropriate)"] == 5
    assert summary["Judged appropriate, share of panel-agreed cases"] == pytest.approx(0.8)
    assert summary["95% interval, low (Wilson)"] == pytest.approx(low)
    assert summary["95% interval, high (Wilson)"] == pytest.approx(high)
    assert summary["Provisional verdicts (not yet agreed by the panel)"] == 3
    assert summary["More information needed (not counted)"] == f"1: {built.references[6]}"
    assert not any(str(label).startswith("Verdict:") for label in summary)


def test_a_pseudonymised_summary_lists_pseudonyms(db: Database, tmp_path: Path) -> None:
    built = agreed_audit(db)
    path = tmp_path / "pseudonymised.xlsx"
    export_workbook(db, audit_id=built.audit_id, path=path, pseudonymise=True)
    workbook = load_workbook(path)
    summary = dict(workbook["Summary"].iter_rows(min_row=2, values_only=True))
    listed = str(summary["More information needed (not counted)"])
    assert listed.startswith("1: ") and built.references[6] not in listed
    shown = {row[1] for row in workbook["Cases"].iter_rows(min_row=2, values_only=True)}
    assert listed.removeprefix("1: ") in shown


def test_findings_kept_before_agreed_verdicts_still_load(db: Database) -> None:
    findings = compute_findings(db, audit_id=agreed_audit(db).audit_id)
    old = findings.to_dict()
    del old["agreed_verdicts"]
    kept = Findings.from_dict(json.loads(json.dumps(old)))
    assert kept.agreed_verdicts is None and kept.verdicts == findings.verdicts
    from audit_app.cli.stats_findings import verdict_lines
    assert verdict_lines(kept)[0].startswith("Verdicts (agreed and provisional together): ")
    fresh = Findings.from_dict(json.loads(json.dumps(findings.to_dict())))
    assert fresh.agreed_verdicts == findings.agreed_verdicts


def test_a_partner_copy_counts_unresolved_cases_without_references(db: Database,
                                                                   tmp_path: Path) -> None:
    built = agreed_audit(db)
    # A real partner copy of an audit with agreed verdicts: approved, written, read back.
    check = check_partner_release(db, audit_id=built.audit_id)
    written = export_workbook(db, audit_id=built.audit_id, path=tmp_path / "partner.xlsx",
                              for_partner=True, pseudonymise=True,
                              approval=ReleaseApproval.of(check, "Dana Chair"))
    sheet = load_workbook(written.path, read_only=True)["Summary"]
    on_sheet = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert on_sheet["More information needed (not counted)"] == 1
    # The rows themselves, with stand-in pseudonyms, never list the unresolved cases.
    data = load_audit_data(db, audit_id=built.audit_id)
    rules = privacy_rules(data, for_partner=True, pseudonymise=True, keep_officer_names=False)
    pseudonyms = {reference: f"Case {i}" for i, reference in enumerate(built.references)}
    summary = dict(summary_rows(data, findings_from_data(data), rules,
                                lambda _place, text: text, pseudonyms))
    assert summary["More information needed (not counted)"] == 1
    assert summary["Panel unable to agree (not counted)"] == 1
    assert summary["Panel-agreed cases (appropriate or inappropriate)"] == 5
    assert not any(reference in str(value) for reference in [*built.references, *pseudonyms.values()]
                   for label, value in summary.items() if "not counted" in str(label))


def test_a_purge_keeps_the_agreed_counts_but_not_the_references(db: Database) -> None:
    built = agreed_audit(db)
    before = compute_findings(db, audit_id=built.audit_id).agreed_verdicts
    retention.close_audit(db, audit_id=built.audit_id)
    retention.set_retention(db, audit_id=built.audit_id, retain_until=dt.date(2020, 1, 31))
    retention.purge_audit(db, audit_id=built.audit_id)
    after = compute_findings(db, audit_id=built.audit_id).agreed_verdicts
    assert before is not None and after is not None
    assert (after.appropriate, after.cases, after.interval) == (4, 5, before.interval)
    assert after.provisional() == before.provisional()
    assert (after.more_information, after.unable_to_agree) == ((), ())
    assert (after.more_information_cases, after.unable_to_agree_cases) == (1, 1)
    snapshot = json.dumps(retention.findings_snapshot(db, audit_id=built.audit_id))
    assert built.references[6] not in snapshot and built.references[7] not in snapshot
    assert after.unresolved() == [
        "More information needed (not counted): 1 case(s); the references went with the "
        "case data.",
        "Panel unable to agree (not counted): 1 case(s); the references went with the "
        "case data."]
