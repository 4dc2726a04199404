"""The Escalations tab on the Findings page: every escalation of the audit, open first and
overdue flagged; respond, close and reopen; the panel's periods; requests for more
information (carried ones marked with their audit) settled from the same tab. Each change
is read back from the database."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from audit_app.services import escalations, information_requests
from audit_app.services.database import Database
from audit_app.services.follow_up import get_follow_up_periods
from audit_app.ui.pages.escalations_panel import EscalationsPanel
from audit_app.ui.pages.findings_page import FindingsPage
from tests.helpers.accessibility import naming_problems
from tests.helpers.audits import build_audit
from tests.helpers.findings_page import shown_page
from tests.helpers.visible_text import internal_names, visible_texts

TODAY = dt.date.today()


def _column(panel: EscalationsPanel, title: str, requests: bool = False) -> list[str]:
    model = panel.request_model if requests else panel.escalation_model
    proxy = panel.request_proxy if requests else panel.escalation_proxy
    titles = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    column = titles.index(title)
    return [proxy.data(proxy.index(row, column)) for row in range(proxy.rowCount())]


def _tab(qtbot: QtBot, page: FindingsPage) -> EscalationsPanel:
    panel = page.escalations_panel
    page.sections.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.shown is not None, timeout=10_000)
    return panel


def _save(qtbot: QtBot, dialog: QDialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)


def _select(panel: EscalationsPanel, case: str) -> None:
    panel.escalation_table.setCurrentIndex(
        panel.escalation_proxy.index(_column(panel, "Case").index(case), 0))


def test_respond_close_reopen_and_periods_from_the_tab(qtbot: QtBot, db: Database) -> None:
    built = build_audit(db, cases=4)
    late, recent, done = built.references[1], built.references[2], built.references[3]
    closed = escalations.add_escalation(db, audit_id=built.audit_id, case_reference=done,
                                        reason="Children present", sent_on=TODAY)
    escalations.close_escalation(db, escalation_id=closed)
    escalations.add_escalation(db, audit_id=built.audit_id, case_reference=recent,
                               reason="Risk not reassessed", sent_on=TODAY)
    overdue = escalations.add_escalation(
        db, audit_id=built.audit_id, case_reference=late, reason="No safeguarding referral",
        sent_to_role="Duty inspector", sent_to_agency="Police",
        sent_on=TODAY - dt.timedelta(days=30))
    page = shown_page(qtbot, db, built.audit_id)
    panel = _tab(qtbot, page)
    assert _column(panel, "Case") == [late, recent, done], "open first, overdue at the top"
    assert _column(panel, "Standing") == ["Overdue", "Awaiting response", "Closed"]
    assert panel.escalation_proxy.data(panel.escalation_proxy.index(0, 1),
                                       Qt.ItemDataRole.BackgroundRole) is not None
    assert naming_problems(panel, "Escalations tab") == []
    assert internal_names(visible_texts(panel)) == []

    dialog = panel.edit_periods()
    assert dialog is not None and naming_problems(dialog, "Follow-up periods") == []
    dialog.escalation_days.setValue(45)
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: _column(panel, "Standing")[0] == "Awaiting response",
                    timeout=10_000)
    assert get_follow_up_periods(db, audit_id=built.audit_id).escalation_days == 45

    _select(panel, late)
    respond = panel.respond_selected()
    assert respond is not None and naming_problems(respond, "Respond") == []
    assert internal_names(visible_texts(respond)) == []
    respond.text.setPlainText("Referral made the same day")
    _save(qtbot, respond)
    qtbot.waitUntil(lambda: "Referral made the same day" in _column(panel, "Response"),
                    timeout=10_000)
    _select(panel, late)
    panel.close_selected()
    qtbot.waitUntil(lambda: _column(panel, "Case") == [recent, late, done], timeout=10_000)
    assert _column(panel, "Standing") == ["Awaiting response", "Closed", "Closed"], \
        "the open one first, then the latest closed"
    [row] = [r for r in escalations.list_escalations(db, audit_id=built.audit_id)
             if r.escalation_id == overdue]
    assert (row.response, row.response_on, row.closed_on) == (
        "Referral made the same day", TODAY, TODAY)

    _select(panel, late)
    assert panel.reopen_button.isEnabled() and not panel.respond_button.isEnabled()
    panel.reopen_selected()
    qtbot.waitUntil(lambda: _column(panel, "Closed")[_column(panel, "Case").index(late)] == "—",
                    timeout=10_000)
    assert all(r.is_open for r in escalations.list_escalations(db, audit_id=built.audit_id)
               if r.escalation_id == overdue)


def test_requests_carried_from_earlier_audits_are_marked_and_settled(
        qtbot: QtBot, db: Database) -> None:
    earlier = build_audit(db, cases=3)
    carried = information_requests.add_request(
        db, audit_id=earlier.audit_id, case_reference=earlier.references[0],
        question="Was the MARAC referral made?", answerer_role="MARAC coordinator")
    later = build_audit(db, cases=3)
    information_requests.add_request(db, audit_id=later.audit_id,
                                     case_reference=later.references[2],
                                     question="Did the officer speak to the neighbour?")
    page = shown_page(qtbot, db, later.audit_id)
    panel = _tab(qtbot, page)
    assert _column(panel, "From", requests=True) == [
        "Carried from DA NFA review Q3", "This audit"]
    assert _column(panel, "Standing", requests=True) == ["Awaiting answer"] * 2
    panel.request_table.setCurrentIndex(panel.request_proxy.index(0, 0))
    dialog = panel.settle_selected()
    assert dialog is not None and naming_problems(dialog, "Settle") == []
    assert "Was the MARAC referral made?" in dialog.intro.text()
    dialog.text.setPlainText("Yes, on 3 March")
    _save(qtbot, dialog)
    qtbot.waitUntil(lambda: _column(panel, "From", requests=True) == ["This audit"],
                    timeout=10_000)
    assert information_requests.carried_cases(db, audit_id=later.audit_id) == ()
    [settled] = information_requests.list_requests(db, audit_id=earlier.audit_id)
    assert (settled.request_id, settled.answer, settled.settled_on) == (
        carried, "Yes, on 3 March", TODAY)
