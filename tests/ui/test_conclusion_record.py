"""The conclusion's record fields: an escalation form once "urgent safeguarding" is ticked,
the question for "More information needed", and theme pickers beside the learning."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer, Verdict
from audit_app.core.panel_record import TagKind
from audit_app.services import cases, escalations, information_requests, scoring, themes
from audit_app.services.database import Database
from audit_app.ui.review.escalation_fields import CaseRecordFields
from tests.helpers.accessibility import naming_problems
from tests.helpers.review_audits import ReviewAudit, build_review_audit
from tests.helpers.review_page import REVIEWER, shown_review_page
from tests.helpers.visible_text import internal_names, visible_texts


@pytest.fixture
def built(db: Database) -> ReviewAudit:
    return build_review_audit(db)


def test_escalation_question_and_themes_from_the_conclusion(qtbot: QtBot, db: Database,
                                                            built: ReviewAudit) -> None:
    for case_id in built.case_ids:  # scored, so each case has a review to tag
        scoring.record_answer(db, audit_id=built.audit_id, case_id=case_id, reviewer=REVIEWER,
                              criterion_code="A1", value=Answer.MET)
    page = shown_review_page(qtbot, db, built.audit_id)
    record = page.conclusion.record
    qtbot.waitUntil(lambda: not record.loading)
    case_id = page.case_id
    assert case_id is not None
    assert not record.escalation.isVisibleTo(page) and not record.request.isVisibleTo(page)

    page.conclusion.urgent.setChecked(True)
    assert record.escalation.isVisibleTo(page)
    record.reason.setPlainText("Children at the address not referred")
    record.sent_role.setText("Duty inspector")
    record.sent_agency.setText("Police")
    record.escalate.click()
    qtbot.waitUntil(lambda: _lines(record) == [
        f"Awaiting response · sent {dt.date.today():%d/%m/%Y} · Duty inspector, Police"])
    [row] = escalations.list_escalations(db, audit_id=built.audit_id)
    reference = cases.get_case(db, audit_id=built.audit_id, case_id=case_id).reference
    assert (row.case_reference, row.sent_to, row.sent_on) == (
        reference, "Duty inspector, Police", dt.date.today())

    page.conclusion.verdict.setCurrentIndex(
        page.conclusion.verdict.findData(Verdict.MORE_INFORMATION))
    assert record.request.isVisibleTo(page)
    record.question.setPlainText("Was a MARAC referral made?")
    record.answer_role.setText("MARAC coordinator")
    record.ask.click()
    qtbot.waitUntil(lambda: "Was a MARAC referral made?" in record.requests_shown.text())
    [request] = information_requests.list_requests(db, audit_id=built.audit_id)
    assert request.answerer == "MARAC coordinator" and not request.is_settled

    picker = record.pickers[TagKind.LEARNING]
    assert picker.button.isEnabled()
    picker.set_key("risk-assessment", True)
    review_id = scoring.get_review(db, audit_id=built.audit_id, case_id=case_id,
                                   reviewer=REVIEWER).review_id
    assert review_id is not None
    qtbot.waitUntil(lambda: themes.tags_of_review(db, review_id=review_id)[TagKind.LEARNING]
                    == ("risk-assessment",))
    assert picker.shown.text() == "Risk assessment"
    assert internal_names(visible_texts(page.conclusion)) == []


def _lines(record: CaseRecordFields) -> list[str]:
    return record.escalation_list.lines()


def test_the_case_escalation_is_answered_and_closed_from_the_conclusion(
        qtbot: QtBot, db: Database, built: ReviewAudit) -> None:
    page = shown_review_page(qtbot, db, built.audit_id)
    record = page.conclusion.record
    qtbot.waitUntil(lambda: not record.loading)
    case_id = page.case_id
    assert case_id is not None
    reference = cases.get_case(db, audit_id=built.audit_id, case_id=case_id).reference
    number = escalations.add_escalation(db, audit_id=built.audit_id, case_reference=reference,
                                        reason="Children not referred", sent_to_role="DI")
    record.show_case(db, built.audit_id, reference, None)
    qtbot.waitUntil(lambda: not record.loading)
    assert record.escalation.isVisibleTo(page) and record.respond.isVisibleTo(page)
    assert record.respond.isEnabled(), "the one open escalation is chosen already"
    dialog = record.respond_selected()
    assert dialog is not None
    dialog.text.setPlainText("Referral made")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: _lines(record)[0].startswith("Response received · "))
    assert "Response: Referral made" in record.escalation_list.item(0, 0).toolTip()
    record.close_open.click()
    qtbot.waitUntil(lambda: _lines(record)[0].startswith("Closed"))
    assert not record.respond.isVisibleTo(page)
    assert record.escalations_shown.text() == "1 escalation, all closed."
    [row] = escalations.list_escalations(db, audit_id=built.audit_id)
    assert (row.escalation_id, row.response, row.closed_on) == (
        number, "Referral made", dt.date.today())


def test_respond_and_close_act_on_the_escalation_chosen(
        qtbot: QtBot, db: Database, built: ReviewAudit) -> None:
    """A case escalated twice (and once before, closed): the list shows all three, open
    first and the overdue one at the top in bold; Respond… and Close act on the one chosen,
    and wait when a closed one is chosen."""
    page = shown_review_page(qtbot, db, built.audit_id)
    record = page.conclusion.record
    qtbot.waitUntil(lambda: not record.loading)
    assert page.case_id is not None
    reference = cases.get_case(db, audit_id=built.audit_id, case_id=page.case_id).reference
    today = dt.date.today()
    closed = escalations.add_escalation(db, audit_id=built.audit_id, case_reference=reference,
                                        reason="Earlier concern", sent_to_role="Sergeant",
                                        sent_on=today - dt.timedelta(days=40))
    escalations.close_escalation(db, escalation_id=closed)
    late = escalations.add_escalation(
        db, audit_id=built.audit_id, case_reference=reference, reason="No referral",
        sent_to_role="Duty inspector", sent_to_agency="Police",
        sent_on=today - dt.timedelta(days=30))
    recent = escalations.add_escalation(
        db, audit_id=built.audit_id, case_reference=reference, reason="Child at the address",
        sent_to_role="Team manager", sent_to_agency="Children's services", sent_on=today)
    record.show_case(db, built.audit_id, reference, None)
    qtbot.waitUntil(lambda: not record.loading)
    def day(days_ago: int) -> str:
        return f"{today - dt.timedelta(days=days_ago):%d/%m/%Y}"

    assert _lines(record) == [
        f"Overdue · sent {day(30)} · Duty inspector, Police",
        f"Awaiting response · sent {day(0)} · Team manager, Children's services",
        f"Closed · sent {day(40)} · Sergeant"]
    assert record.escalation_list.item(0, 0).font().bold()
    assert not record.escalation_list.item(1, 0).font().bold()
    assert record.escalation_list.currentRow() == 0, "the first open one is chosen"
    assert record.escalation_list.isVisibleTo(page)
    assert record.escalations_shown.text().startswith("3 escalations, 2 open.")

    record.escalation_list.setCurrentCell(2, 0)  # the closed one: nothing to respond to
    assert not record.respond.isEnabled() and not record.close_open.isEnabled()
    assert record.respond_selected() is None
    record.escalation_list.setCurrentCell(1, 0)
    assert record.respond.isEnabled() and record.close_open.isEnabled()
    dialog = record.respond_selected()
    assert dialog is not None and "Team manager, Children's services" in dialog.intro.text()
    dialog.text.setPlainText("Visit made the next day")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: _lines(record)[1].startswith("Response received · "))
    assert record.escalation_list.currentRow() == 1, "the chosen one stays chosen"
    responded = {row.escalation_id: row.response
                 for row in escalations.list_escalations(db, audit_id=built.audit_id)}
    assert responded == {late: "", recent: "Visit made the next day", closed: ""}

    record.close_open.click()  # closes the one chosen, not the overdue one above it
    qtbot.waitUntil(lambda: sum(line.startswith("Closed") for line in _lines(record)) == 2)
    still_open = [row.escalation_id for row in
                  escalations.list_escalations(db, audit_id=built.audit_id) if row.is_open]
    assert still_open == [late]
    assert record.escalation_list.currentRow() == 0 and record.respond.isEnabled()
    assert naming_problems(record.escalation, "Escalation box") == []
    assert internal_names(visible_texts(record.escalation)) == []
