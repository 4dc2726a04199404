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
    qtbot.waitUntil(lambda: "Awaiting response" in record.escalations_shown.text())
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
    dialog = record.respond_open()
    assert dialog is not None
    dialog.text.setPlainText("Referral made")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Response: Referral made" in record.escalations_shown.text())
    record.close_open.click()
    qtbot.waitUntil(lambda: record.escalations_shown.text().startswith("Closed"))
    assert not record.respond.isVisibleTo(page)
    [row] = escalations.list_escalations(db, audit_id=built.audit_id)
    assert (row.escalation_id, row.response, row.closed_on) == (
        number, "Referral made", dt.date.today())
