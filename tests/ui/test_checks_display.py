"""Consistency checks on screen: the Findings page's Checks tab and the review screen's line."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Verdict
from audit_app.core.audit_rows import CaseDataDeleted
from audit_app.core.consistency import ConsistencyFlag
from audit_app.core.findings import Findings
from audit_app.services import scoring
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.moderation import reveal_case
from audit_app.ui.pages.findings_page import FindingsPage
from audit_app.ui.review.review_page import ReviewPage
from tests.helpers.audits import REVIEWERS
from tests.helpers.findings_page import wait_for_findings
from tests.helpers.flagged_audits import CHAIR, flagged_audit
from tests.helpers.review_page import wait_for_case


def _tab_titles(page: FindingsPage) -> list[str]:
    return [page.sections.tabText(i) for i in range(page.sections.count())]


def test_findings_page_lists_the_checks(qtbot: QtBot, sqlite_db: Database) -> None:
    audit = flagged_audit(sqlite_db)
    page = FindingsPage(sqlite_db)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.set_audit(audit.built.audit_id)
    wait_for_findings(qtbot, page)
    section = page.checks_section
    findings = compute_findings(sqlite_db, audit_id=audit.built.audit_id)
    assert "Checks (4)" in _tab_titles(page)
    assert section.rows() == list(findings.checks)
    assert section.status.text() == "4 checks on 4 cases."
    model = section.table.model()
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == [
        audit.key_case, audit.outcome_16_case, audit.provisional_case, audit.outcome_15_case]
    assert model.index(0, 2).data() == "Agreed Appropriate, but key criterion 5.2 was found not met."

    # The panel changes its mind: the check goes at the next visit.
    scoring.set_case_details(sqlite_db, audit_id=audit.built.audit_id,
                             case_id=audit.built.case_ids[0], reviewer=CHAIR, kind="consensus",
                             verdict=Verdict.INAPPROPRIATE)
    page.reload()
    wait_for_findings(qtbot, page)
    assert "Checks (3)" in _tab_titles(page) and section.status.text() == "3 checks on 3 cases."

    kept = replace(Findings.from_dict(json.loads(json.dumps(findings.to_dict()))),
                   case_data_deleted=CaseDataDeleted(dt.date(2026, 1, 5), dt.date(2025, 12, 31)))
    page.show_findings(kept)
    assert page.sections.tabText(page.sections.indexOf(section)) == "Checks"
    assert not section.table.isVisibleTo(page)
    assert section.status.text() == ("The checks named cases, so they were deleted with the "
                                     "case data.")


def test_findings_page_with_no_checks_says_so(qtbot: QtBot, sqlite_db: Database) -> None:
    from tests.helpers.audits import build_audit

    built = build_audit(sqlite_db, cases=4)
    page = FindingsPage(sqlite_db)
    qtbot.addWidget(page)
    page.show()
    page.set_audit(built.audit_id)
    wait_for_findings(qtbot, page)
    assert page.checks_section.status.text().startswith("No checks:")
    assert "Checks" in _tab_titles(page)


def _reveal(db: Database, audit_id: int, case_id: int) -> None:
    """The chair reveals the members' scores of one case (as moderation does)."""
    scoring.add_reviewer(db, name="Panel Chair", is_chair=True)
    reveal_case(db, audit_id=audit_id, case_id=case_id, chair="Panel Chair")


def _review_page(qtbot: QtBot, db: Database, audit_id: int, reviewer: str) -> ReviewPage:
    page = ReviewPage(db)
    qtbot.addWidget(page)
    page.set_reviewer(reviewer)
    page.set_audit(audit_id)
    wait_for_case(qtbot, page)
    page.resize(1366, 768)
    page.show()
    qtbot.waitUntil(lambda: page.checks_line.ready)  # the audit's checks, read in the background
    return page


def test_review_screen_shows_the_cases_checks(qtbot: QtBot, sqlite_db: Database) -> None:
    audit = flagged_audit(sqlite_db)
    built = audit.built
    page = _review_page(qtbot, sqlite_db, built.audit_id, REVIEWERS[0])
    line = page.checks_line
    # An outcome check comes from the extract: shown even to a member scoring blind.
    page.select_case(built.case_ids[5])
    wait_for_case(qtbot, page)
    qtbot.waitUntil(lambda: page.checks_line.ready)
    assert line.isVisible()
    assert line.text() == ("Check: outcome 15 (victim supports) but the extract records the "
                           "victim as withdrawn.")
    # The key-criterion check shows what the panel decided: not while the member is blind.
    page.select_case(built.case_ids[0])
    wait_for_case(qtbot, page)
    qtbot.waitUntil(lambda: page.checks_line.ready)
    assert not line.isVisible() and line.text() == ""
    _reveal(sqlite_db, built.audit_id, built.case_ids[0])
    page.select_case(built.case_ids[1])
    wait_for_case(qtbot, page)
    qtbot.waitUntil(lambda: page.checks_line.ready)
    page.select_case(built.case_ids[0])
    wait_for_case(qtbot, page)
    qtbot.waitUntil(lambda: page.checks_line.ready)
    assert line.isVisible()
    assert line.text() == "Check: agreed Appropriate, but key criterion 5.2 was found not met."
    assert line.accessibleName() == "Checks for moderation"
    page.select_case(built.case_ids[2])
    wait_for_case(qtbot, page)
    qtbot.waitUntil(lambda: page.checks_line.ready)
    assert not line.isVisible()


def test_review_screen_line_follows_the_verdict(qtbot: QtBot, sqlite_db: Database) -> None:
    audit = flagged_audit(sqlite_db)
    built = audit.built
    page = _review_page(qtbot, sqlite_db, built.audit_id, REVIEWERS[0])
    _reveal(sqlite_db, built.audit_id, built.case_ids[3])
    page.select_case(built.case_ids[3])
    wait_for_case(qtbot, page)
    qtbot.waitUntil(lambda: page.checks_line.ready)
    assert page.checks_line.text().startswith(
        "Check: provisionally Appropriate with observations (members' verdicts")
    # This member now says inappropriate: the members differ, so there is nothing to check.
    page.session.set_detail(built.case_ids[3], "verdict", Verdict.APPROPRIATE_WITH_OBSERVATIONS,
                            Verdict.INAPPROPRIATE)
    qtbot.waitUntil(lambda: not page.checks_line.isVisible())


def test_the_checks_are_read_once_per_change_not_per_case_opened(
        qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from audit_app.services import consistency_checks
    from audit_app.ui.review import checks_line

    reads: list[int] = []

    def counted(db: Database, *, audit_id: int) -> dict[int, tuple[ConsistencyFlag, ...]]:
        reads.append(audit_id)
        return consistency_checks.checks_by_case(db, audit_id=audit_id)

    monkeypatch.setattr(checks_line, "checks_by_case", counted)
    audit = flagged_audit(sqlite_db)
    built = audit.built
    page = _review_page(qtbot, sqlite_db, built.audit_id, REVIEWERS[0])
    before = len(reads)
    for case_id in built.case_ids[:4]:
        page.select_case(case_id)
        wait_for_case(qtbot, page)
        qtbot.waitUntil(lambda: page.checks_line.ready)
    assert len(reads) == before  # opening cases reads no checks
    page.session.set_detail(built.case_ids[3], "verdict", Verdict.APPROPRIATE_WITH_OBSERVATIONS,
                            Verdict.INAPPROPRIATE)
    qtbot.waitUntil(lambda: len(reads) == before + 1 and page.checks_line.ready)
