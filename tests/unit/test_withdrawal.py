"""When and why victims withdrew, coded on a review and counted in the findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.answers import ReviewKind
from audit_app.core.errors import ValidationError
from audit_app.core.findings import Findings
from audit_app.core.withdrawal import (
    WithdrawalReason,
    WithdrawalStage,
    parse_reason,
    parse_stage,
    sample_withdrawals,
    withdrawal_codes,
)
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.scoring import get_review, set_case_details
from tests.helpers.audits import REVIEWERS, build_audit
from tests.helpers.cli import run_cli, run_json


def test_codes_and_labels_both_parse() -> None:
    assert parse_stage(" s2 ") is WithdrawalStage.BEFORE_STATEMENT
    assert parse_stage("after CHARGE") is WithdrawalStage.AFTER_CHARGE
    assert parse_reason("R6") is WithdrawalReason.DELAY
    assert withdrawal_codes("", "Children or family") == (None, "R4")
    with pytest.raises(ValueError, match="not a withdrawal stage; choose one of: S1 At the"):
        parse_stage("later")


def test_agreed_codes_win_and_members_who_differ_are_counted_apart() -> None:
    picture = sample_withdrawals([
        (1, False, "S1", "R1"), (1, False, "S2", "R1"), (1, True, "S2", "R1"),  # agreed
        (2, False, "S2", "R1"), (2, False, "S2", "R1"),                        # members agree
        (3, False, "S1", None), (3, False, "S4", None),                        # members differ
        (4, False, None, None)])                                               # not coded
    assert picture.cases_coded == 2 and picture.cases_not_agreed == 1
    ((only),) = [picture.counts]
    assert [(c.stage, c.reason, c.cases) for c in only] == [
        (WithdrawalStage.BEFORE_STATEMENT, WithdrawalReason.FEAR, 2)]
    assert only[0].stage_label == "Before giving a statement"


coded = st.tuples(st.integers(1, 12), st.booleans(),
                  st.sampled_from([None, *(s.value for s in WithdrawalStage)]),
                  st.sampled_from([None, *(r.value for r in WithdrawalReason)]))


@given(st.lists(coded, max_size=60))
def test_each_case_counts_at_most_once(reviews: list[tuple[int, bool, str | None, str | None]]
                                       ) -> None:
    picture = sample_withdrawals(reviews)
    cases = {case for case, _, stage, reason in reviews if (stage, reason) != (None, None)}
    assert sum(c.cases for c in picture.counts) == picture.cases_coded
    assert picture.cases_coded + picture.cases_not_agreed == len(cases)
    counts = [c.cases for c in picture.counts]
    assert counts == sorted(counts, reverse=True)


def test_codes_are_stored_logged_and_counted(db: Database) -> None:
    built = build_audit(db, cases=4)
    member, other = REVIEWERS[0], REVIEWERS[1]
    for reviewer in (member, other):
        set_case_details(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                         reviewer=reviewer, withdrawal=("S1", "R2"))
    set_case_details(db, audit_id=built.audit_id, case_id=built.case_ids[1], reviewer=member,
                     withdrawal=("S3", None))
    set_case_details(db, audit_id=built.audit_id, case_id=built.case_ids[1], reviewer=other,
                     withdrawal=("S4", None))
    view = get_review(db, audit_id=built.audit_id, case_id=built.case_ids[0], reviewer=member)
    assert view.withdrawal_stage is WithdrawalStage.AT_SCENE
    assert view.withdrawal_reason is WithdrawalReason.PRESSURE
    logged = {(c.field, c.new_value) for c in list_changes(db, audit_id=built.audit_id)}
    assert ("withdrawal_stage", "S1") in logged
    findings = compute_findings(db, audit_id=built.audit_id)
    assert findings.withdrawals is not None
    assert findings.withdrawals.cases_coded == 1 and findings.withdrawals.cases_not_agreed == 1
    set_case_details(db, audit_id=built.audit_id, case_id=built.case_ids[1], reviewer="Chair",
                     kind=ReviewKind.CONSENSUS, withdrawal=("S3", "R6"))
    again = compute_findings(db, audit_id=built.audit_id).withdrawals
    assert again is not None and (again.cases_coded, again.cases_not_agreed) == (2, 0)
    kept = Findings.from_dict(compute_findings(db, audit_id=built.audit_id).to_dict())
    assert kept.withdrawals == again


def test_a_code_off_the_list_is_refused_and_changes_nothing(db: Database) -> None:
    built = build_audit(db, cases=2)
    with pytest.raises(ValidationError, match="not a withdrawal reason"):
        set_case_details(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                         reviewer=REVIEWERS[0], withdrawal=("S1", "bored"))
    view = get_review(db, audit_id=built.audit_id, case_id=built.case_ids[0],
                      reviewer=REVIEWERS[0])
    assert view.withdrawal_stage is None


def test_stats_prints_the_coded_withdrawals(sqlite_db: Database,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    built = build_audit(sqlite_db, cases=3)
    set_case_details(sqlite_db, audit_id=built.audit_id, case_id=built.case_ids[0],
                     reviewer=REVIEWERS[0], withdrawal=("S2", "R5"))
    code, out, _ = run_cli(capsys, "--db", str(sqlite_db.url), "stats", "--audit",
                           str(built.audit_id))
    assert code == 0
    assert "When and why the victim withdrew, coded on 1 case:" in out
    assert "  Before giving a statement; No confidence in the process: 1" in out
    stats = run_json(capsys, "--db", str(sqlite_db.url), "stats", "--audit", str(built.audit_id))
    assert stats["withdrawals"]["counts"] == [
        {"stage": "S2", "stage_label": "Before giving a statement", "reason": "R5",
         "reason_label": "No confidence in the process", "cases": 1}]


def test_the_workbook_summary_counts_them_in_both_copies(sqlite_db: Database,
                                                         tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from audit_app.services.export import export_workbook
    from tests.helpers.audits import partner_export

    built = build_audit(sqlite_db, cases=3)
    for reviewer in REVIEWERS[:2]:
        set_case_details(sqlite_db, audit_id=built.audit_id, case_id=built.case_ids[0],
                         reviewer=reviewer, withdrawal=("S2", "R1"))
    partner = partner_export(sqlite_db, built.audit_id, tmp_path / "partner.xlsx",
                             pseudonymise=True)
    internal = export_workbook(sqlite_db, audit_id=built.audit_id, path=tmp_path / "in.xlsx")
    for result in (internal, partner):
        summary = load_workbook(result.path)["Summary"]
        rows = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row[0]}
        assert rows["Cases coded with when and why the victim withdrew"] == 1
        assert rows["Withdrew: Before giving a statement; Fear of the suspect"] == 1
