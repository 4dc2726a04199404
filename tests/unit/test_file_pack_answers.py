"""'Not in the file pack': out of the compliance denominator, reported as data availability."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import insert

from audit_app.core.answers import CLASSIC_SCALE, Answer
from audit_app.core.findings_rates import file_pack_text
from audit_app.core.statistics import Compliance, tally
from audit_app.db.models import CaseRecord
from audit_app.services import audits, sampling, scoring
from audit_app.services.database import Database
from audit_app.services.export import export_workbook
from audit_app.services.findings import compute_findings
from audit_app.services.frameworks import previous_framework_files, read_framework_file
from tests.helpers.cli import run_cli, run_json
from tests.helpers.scales import shipped_answers


def test_a_hand_worked_denominator() -> None:
    # 2 met, 1 not met, 1 not evidenced: 4 scored; N/A and 2 "not in the file pack" leave it.
    compliance = tally([Answer.MET, Answer.MET, Answer.NOT_MET, Answer.NOT_EVIDENCED,
                        Answer.NOT_APPLICABLE, Answer.NOT_IN_FILE, Answer.NOT_IN_FILE])
    assert compliance.denominator == 4 and compliance.rate == 0.5
    assert compliance.not_in_file == 2 and compliance.file_pack_needed == 6
    assert file_pack_text(compliance) == "answered from the file pack: 4 of 6"
    assert Compliance.from_dict(compliance.to_dict()) == compliance


def test_figures_kept_before_the_answer_existed_still_read() -> None:
    kept = Compliance(met=3, not_met=1).to_dict()
    del kept["not_in_file"]
    assert Compliance.from_dict(kept) == Compliance(met=3, not_met=1)


@given(st.lists(st.sampled_from(list(Answer))))
def test_the_file_pack_answer_never_moves_the_rate(answers: list[Answer]) -> None:
    with_gaps = tally([*answers, Answer.NOT_IN_FILE])
    assert with_gaps.rate == tally(answers).rate
    assert with_gaps.denominator == sum(a.counts_in_denominator for a in answers)


def test_the_answer_reads_plainly_and_older_scales_lack_it() -> None:
    assert Answer.parse("Not in the file pack") is Answer.NOT_IN_FILE
    assert Answer.NOT_IN_FILE.label == "Not in the file pack"
    assert Answer.NOT_IN_FILE not in CLASSIC_SCALE
    for path in previous_framework_files():
        framework = read_framework_file(path)
        offers = [Answer.NOT_IN_FILE in c.answers(framework.scale) for c in framework.criteria]
        # Versions 1 and 2 of the first two frameworks came before the answer; the versions
        # frozen since (evidence-led 3, rape 1) were shipped with it and keep it.
        older = framework.key != "rape-nfa-review" and framework.version <= 2
        assert (not any(offers)) if older else all(offers), path.name


@pytest.mark.parametrize("key", ["da-nfa-review", "evidence-led-review", "rape-nfa-review"])
def test_every_shipped_criterion_naming_a_file_pack_offers_it(key: str) -> None:
    assert all(Answer.NOT_IN_FILE in answers for answers in shipped_answers(key).values())


def test_findings_stats_and_the_criteria_sheet_report_availability(
        sqlite_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = sqlite_db
    audit = audits.create_audit(db, name="DA NFA Q4", framework="da-nfa-review")
    with db.transaction() as session:
        session.execute(insert(CaseRecord), [
            {"audit_id": audit.id, "reference": f"CR/{i:03d}", "outcome_code": 16,
             "victim_supports": "withdrawn", "risk_level": "high", "area": "North",
             "extra": {}} for i in range(4)])
    sampling.draw_sample(db, audit_id=audit.id, size=4, method="random", seed=5)
    cases = [row.case.id for row in sampling.get_sample(db, audit_id=audit.id)]
    for case_id, value in zip(cases, ("met", "not_met", "not_in_file", "not_in_file"),
                              strict=True):
        scoring.record_answer(db, audit_id=audit.id, case_id=case_id, reviewer="Ann Police",
                              criterion_code="1.1", value=value, note="seen")
    findings = compute_findings(db, audit_id=audit.id)
    first = next(c for c in findings.criteria if c.code == "1.1")
    assert (first.compliance.denominator, first.compliance.rate) == (2, 0.5)
    assert file_pack_text(first.compliance) == "answered from the file pack: 2 of 4"
    assert findings.headline.overall.not_in_file == 2

    code, out, _err = run_cli(capsys, "--db", db.url, "stats", "--audit", str(audit.id))
    assert code == 0
    assert "Data availability: answered from the file pack: 2 of 4." in out
    assert "1.1: answered from the file pack: 2 of 4" in out
    assert run_json(capsys, "--db", db.url, "stats", "--audit", str(audit.id))[
        "headline"]["overall"]["not_in_file"] == 2

    path = export_workbook(db, audit_id=audit.id, path=tmp_path / "findings.xlsx").path
    sheet = load_workbook(path)["Criteria"]
    header = [cell.value for cell in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == "1.1")
    assert row[header.index("Not in the file pack")] == 2
    assert row[header.index("Answered from the file pack")] == "2 of 4"
