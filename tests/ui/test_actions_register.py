"""The Actions tab shows and edits the register: agency, theme, the agency's response and
its date, overdue actions flagged, open actions of earlier audits brought forward."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from audit_app.services.actions import add_action, list_actions
from audit_app.services.audits import create_audit
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from tests.helpers.findings_page import shown_page
from tests.helpers.visible_text import internal_names, visible_texts


def test_the_register_shows_and_edits_agency_theme_and_response(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    earlier = create_audit(scored_db, name="Last quarter", framework="da-nfa-review")
    add_action(scored_db, audit_id=earlier.id, description="Brief supervisors",
               agency="Police", due_date=dt.date(2020, 1, 31))
    later = create_audit(scored_db, name="This quarter", framework="da-nfa-review")
    page = shown_page(qtbot, scored_db, later.id)
    panel = page.actions_panel
    assert panel.model.rowCount() == 1
    carried = panel.model.row_at(0)
    assert carried.brought_forward_from == "Last quarter"
    headers = [panel.model.headerData(i, Qt.Orientation.Horizontal)
               for i in range(panel.model.columnCount())]
    status = panel.model.index(0, headers.index("Status"))
    assert panel.model.data(status) == "Open (overdue)"
    assert panel.model.data(status, Qt.ItemDataRole.BackgroundRole) is not None
    assert panel.model.data(panel.model.index(0, headers.index("Brought forward from"))) \
        == "Last quarter"

    panel.table.selectRow(0)
    dialog = panel.edit_selected()
    assert dialog is not None
    assert "Brought forward from Last quarter" in [t.text for t in visible_texts(dialog)]
    assert internal_names(visible_texts(dialog)) == []
    dialog.theme.setCurrentIndex(dialog.theme.findData("supervision-of-nfa"))
    dialog.response.setPlainText("Briefings held in every team")
    assert dialog.has_response_date.isChecked(), "a response written in is dated"
    dialog.response_date.setDate(dialog.response_date.date().addDays(-1))
    dialog.status.setCurrentIndex(dialog.status.findData("done"))
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)  # closed: no longer brought forward
    [saved] = list_actions(scored_db, audit_id=earlier.id)
    assert (saved.status, saved.theme_key, saved.response) == (
        "done", "supervision-of-nfa", "Briefings held in every team")
    assert saved.response_date == dt.date.today() - dt.timedelta(days=1)

    dialog = panel.add()
    assert dialog is not None
    dialog.description.setPlainText("Write to the CPS area lead")
    dialog.agency.setText("CPS")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.model.row_at(0).agency == "CPS"


def test_a_new_actions_due_date_follows_the_audits_period(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    """"Due by" is offered the audit's follow-up period on, and follows a change to it."""
    today = dt.date.today()
    page = shown_page(qtbot, scored_db, scored_audit)
    panel = page.actions_panel
    dialog = panel.add()
    assert dialog is not None and dialog.due.date().toPython() == today + dt.timedelta(days=28)
    dialog.reject()

    escalations = page.escalations_panel
    page.sections.setCurrentWidget(escalations)
    qtbot.waitUntil(lambda: escalations.shown is not None, timeout=10_000)
    periods = escalations.edit_periods()
    assert periods is not None
    periods.action_days.setValue(10)
    periods.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: panel.action_days == 10, timeout=20_000)  # read with the findings
    dialog = panel.add()
    assert dialog is not None and dialog.due.date().toPython() == today + dt.timedelta(days=10)
    dialog.description.setPlainText("Audit NFA endorsements again")
    dialog.has_due.setChecked(True)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=20_000)
    [saved] = list_actions(scored_db, audit_id=scored_audit.id)
    assert saved.due_date == today + dt.timedelta(days=10)
