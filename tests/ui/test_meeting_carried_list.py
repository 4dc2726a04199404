"""Meeting mode's start page lists the cases carried from earlier audits, with the question
and who answers it, above the agenda; Settle… answers one and it leaves the list."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from audit_app.services import information_requests, meetings
from audit_app.services.database import Database
from audit_app.ui.meeting.window import MeetingWindow
from tests.helpers.accessibility import naming_problems
from tests.helpers.audits import build_audit
from tests.helpers.visible_text import internal_names, visible_texts


def test_carried_cases_are_listed_and_settled_from_the_start_page(
        qtbot: QtBot, db: Database) -> None:
    earlier = build_audit(db, cases=3)
    request = information_requests.add_request(
        db, audit_id=earlier.audit_id, case_reference=earlier.references[1],
        question="Was the MARAC referral made?", answerer_role="MARAC coordinator",
        answerer_agency="Police")
    later = build_audit(db, cases=3)
    meetings.create_meeting(db, audit_id=later.audit_id, chair="Chair")
    window = MeetingWindow(db, audit_id=later.audit_id, acting="Chair")
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitUntil(lambda: window.detail is not None, timeout=10_000)
    start = window.start
    assert start.carried_box.isVisible() and len(start.carried_rows) == 1
    assert start.carried_rows[0][1].text() == (
        f"Case {earlier.references[1]}, carried from DA NFA review Q3: Was the MARAC "
        "referral made? (answers: MARAC coordinator, Police)")
    assert naming_problems(start, "Meeting start page") == []
    assert internal_names(visible_texts(start)) == []

    dialog = start.settle(0)
    assert dialog is not None
    dialog.text.setPlainText("Yes, on 3 March")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: window.detail is not None and window.detail.carried == (),
                    timeout=10_000)
    assert not start.carried_box.isVisible()
    [settled] = information_requests.list_requests(db, audit_id=earlier.audit_id)
    assert (settled.request_id, settled.answer) == (request, "Yes, on 3 March")
