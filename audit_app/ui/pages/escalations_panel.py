"""The Escalations tab: every urgent safeguarding escalation of the audit (open first,
overdue flagged) with Respond…, Close and Reopen, and the requests for more information,
this audit's and those carried from earlier audits, with Settle…. The panel's follow-up
periods are set from here too.

Reads run in the background (a CoalescingQuery); it reads again whenever a change concerns
its audit and the tab is shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.panel_record import CarriedRequest, EscalationRow, FollowUpPeriods
from audit_app.services.database import Database
from audit_app.services.escalations import close_escalation, list_escalations, reopen_escalation
from audit_app.services.follow_up import get_follow_up_periods
from audit_app.services.information_requests import carried_cases, list_requests
from audit_app.ui.models.row_table import ROW_ROLE, Column
from audit_app.ui.operations import ChangeOp, Changes, TaskControl
from audit_app.ui.pages.audit_reads import AuditReads
from audit_app.ui.pages.escalation_dialogs import PeriodsDialog, RespondDialog, SettleDialog
from audit_app.ui.pages.findings_columns import URGENT_COLOUR
from audit_app.ui.pages.tables import sortable_table

NONE = "—"
TAB_TITLE = "Escalations"


@dataclass(frozen=True)
class FollowUp:
    """What the tab shows: read in one go in the background."""

    audit_id: int
    escalations: tuple[EscalationRow, ...]
    requests: tuple[CarriedRequest, ...]  # carried ones first, then this audit's
    periods: FollowUpPeriods
    today: dt.date


def read_follow_up(db: Database, audit_id: int) -> FollowUp:
    today = dt.date.today()
    return FollowUp(audit_id, list_escalations(db, audit_id=audit_id, today=today),
                    carried_cases(db, audit_id=audit_id) + list_requests(db, audit_id=audit_id),
                    get_follow_up_periods(db, audit_id=audit_id), today)


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else NONE


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def escalation_columns(today: Callable[[], dt.date]) -> list[Column[EscalationRow]]:
    def overdue(row: EscalationRow) -> str | None:
        return URGENT_COLOUR if row.is_overdue(today()) else None

    return [
        Column("Case", lambda r: r.case_reference or NONE),
        Column("Standing", lambda r: r.standing(today()), highlight=overdue),
        Column("Reason", lambda r: r.reason),
        Column("Sent to", lambda r: r.sent_to or NONE),
        Column("Sent", lambda r: _day(r.sent_on), lambda r: _iso(r.sent_on)),
        Column("Response due", lambda r: _day(r.respond_by), lambda r: _iso(r.respond_by)),
        Column("Response", lambda r: r.response or NONE),
        Column("Responded", lambda r: _day(r.response_on), lambda r: _iso(r.response_on)),
        Column("Closed", lambda r: _day(r.closed_on), lambda r: _iso(r.closed_on)),
    ]


def request_columns(audit_id: Callable[[], int | None]) -> list[Column[CarriedRequest]]:
    def source(row: CarriedRequest) -> str:
        return "This audit" if row.audit_id == audit_id() else f"Carried from {row.audit_name}"

    return [
        Column("Case", lambda r: r.case_reference or NONE),
        Column("From", source),
        Column("Question", lambda r: r.question),
        Column("Who answers", lambda r: r.answerer or NONE),
        Column("Asked", lambda r: _day(r.asked_on), lambda r: _iso(r.asked_on)),
        Column("Standing", lambda r: "Settled" if r.is_settled else "Awaiting answer"),
        Column("Answer", lambda r: r.answer or NONE),
        Column("Settled", lambda r: _day(r.settled_on), lambda r: _iso(r.settled_on)),
    ]


def _button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.clicked.connect(lambda: slot())
    return button


class EscalationsPanel(QWidget):
    """`audit_id()` says which audit the Findings page shows."""

    def __init__(self, db: Database, audit_id: Callable[[], int | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._audit_id = audit_id
        self.shown: FollowUp | None = None
        self._reads: AuditReads[FollowUp] = AuditReads(
            self, audit_id, lambda chosen: read_follow_up(db, chosen), self._arrived)
        self.escalation_model, self.escalation_proxy, self.escalation_table = sortable_table(
            escalation_columns(self._today), "Urgent safeguarding escalations", self)
        self.request_model, self.request_proxy, self.request_table = sortable_table(
            request_columns(self._audit_id), "Requests for more information", self)
        for table in (self.escalation_table, self.request_table):
            header = table.horizontalHeader()  # long text keeps a readable width, then elides
            header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(2, 240)
        self.escalation_table.selectionModel().currentChanged.connect(
            lambda *_: self._enable())
        self.request_table.selectionModel().currentChanged.connect(lambda *_: self._enable())
        self.escalation_table.doubleClicked.connect(lambda _index: self.respond_selected())
        self.request_table.doubleClicked.connect(lambda _index: self.settle_selected())
        self.summary = QLabel("")
        self.summary.setObjectName("pageSubtitle")
        self.summary.setWordWrap(True)
        self.respond_button = _button("&Respond…", "Record the response to the selected "
                                      "escalation", self.respond_selected)
        self.close_button = _button("C&lose", "Close the selected escalation",
                                    self.close_selected)
        self.reopen_button = _button("Re&open", "Reopen the selected escalation",
                                     self.reopen_selected)
        self.periods_button = _button("Follow-up &periods…", "Follow-up periods",
                                      self.edit_periods)
        self.settle_button = _button("&Settle…", "Settle the selected request",
                                     self.settle_selected)
        escalation_buttons = QHBoxLayout()
        escalation_buttons.addWidget(self.summary, 1)
        for button in (self.respond_button, self.close_button, self.reopen_button,
                       self.periods_button):
            escalation_buttons.addWidget(button)
        escalations_box = QGroupBox("Urgent safeguarding escalations")
        escalations_layout = QVBoxLayout(escalations_box)
        escalations_layout.addLayout(escalation_buttons)
        escalations_layout.addWidget(self.escalation_table, 1)
        self.request_hint = QLabel("")
        self.request_hint.setObjectName("muted")
        self.request_hint.setWordWrap(True)
        request_buttons = QHBoxLayout()
        request_buttons.addWidget(self.request_hint, 1)
        request_buttons.addWidget(self.settle_button)
        requests_box = QGroupBox("Requests for more information")
        requests_layout = QVBoxLayout(requests_box)
        requests_layout.addLayout(request_buttons)
        requests_layout.addWidget(self.request_table, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(escalations_box, 3)
        layout.addWidget(requests_box, 2)
        self._enable()

    # --- reading ---------------------------------------------------------------------
    def _today(self) -> dt.date:
        return self.shown.today if self.shown else dt.date.today()

    def showEvent(self, event: object) -> None:
        self._reads.shown(self.shown.audit_id if self.shown else None)
        super().showEvent(event)  # type: ignore[arg-type]

    def reload(self) -> None:
        self._reads.reload()

    def _arrived(self, follow_up: FollowUp) -> None:
        if follow_up.audit_id != self._audit_id():
            return
        self.shown = follow_up
        self.escalation_model.set_rows(follow_up.escalations)
        self.request_model.set_rows(follow_up.requests)
        self.summary.setText(self._summary(follow_up))
        carried = sum(1 for r in follow_up.requests if r.audit_id != follow_up.audit_id)
        self.request_hint.setText(
            "No requests for more information." if not follow_up.requests else
             f"{carried} carried from earlier audits until settled." if carried else
             "A case stays on later audits' agendas until its request is settled.")
        self._enable()

    @staticmethod
    def _summary(follow_up: FollowUp) -> str:
        rows = follow_up.escalations
        if not rows:
            return (f"No escalations. A response is due within "
                    f"{follow_up.periods.escalation_days} days of one being sent.")
        still_open = sum(1 for r in rows if r.is_open)
        overdue = sum(1 for r in rows if r.is_overdue(follow_up.today))
        return (f"{still_open} open, {overdue} overdue, {len(rows) - still_open} closed. "
                f"A response is due within {follow_up.periods.escalation_days} days.")

    # --- acting ----------------------------------------------------------------------
    def selected_escalation(self) -> EscalationRow | None:
        index = self.escalation_table.currentIndex()
        return self.escalation_proxy.data(index, ROW_ROLE) if index.isValid() else None

    def selected_request(self) -> CarriedRequest | None:
        index = self.request_table.currentIndex()
        return self.request_proxy.data(index, ROW_ROLE) if index.isValid() else None

    def _enable(self) -> None:
        escalation, request = self.selected_escalation(), self.selected_request()
        self.respond_button.setEnabled(escalation is not None and escalation.is_open)
        self.close_button.setEnabled(escalation is not None and escalation.is_open)
        self.reopen_button.setEnabled(escalation is not None and not escalation.is_open)
        self.settle_button.setEnabled(request is not None and not request.is_settled)
        self.periods_button.setEnabled(self.shown is not None)

    def respond_selected(self) -> RespondDialog | None:
        row = self.selected_escalation()
        if row is None or not row.is_open or self.shown is None:
            return None
        intro = f"Case {row.case_reference or NONE}, sent to {row.sent_to or 'not recorded'}."
        dialog = RespondDialog(self._db, self.shown.audit_id, row.escalation_id, intro,
                               row.response, self)
        dialog.open()
        return dialog

    def _change(self, work: Callable[[], None]) -> None:
        if self.shown is None:
            return

        def change(_control: TaskControl) -> None:
            work()

        ChangeOp(self, change, Changes(audit_id=self.shown.audit_id)).run()

    def close_selected(self) -> None:
        row, db = self.selected_escalation(), self._db
        if row is not None and row.is_open:
            self._change(lambda: close_escalation(db, escalation_id=row.escalation_id))

    def reopen_selected(self) -> None:
        row, db = self.selected_escalation(), self._db
        if row is not None and not row.is_open:
            self._change(lambda: reopen_escalation(db, escalation_id=row.escalation_id))

    def settle_selected(self) -> SettleDialog | None:
        row = self.selected_request()
        if row is None or row.is_settled or self.shown is None:
            return None
        intro = (f"Case {row.case_reference or NONE}: {row.question}\n"
                 f"Who answers: {row.answerer or 'not recorded'}.")
        dialog = SettleDialog(self._db, self.shown.audit_id, row.request_id, intro, self)
        dialog.open()
        return dialog

    def edit_periods(self) -> PeriodsDialog | None:
        if self.shown is None:
            return None
        dialog = PeriodsDialog(self._db, self.shown.audit_id, self.shown.periods, self)
        dialog.open()
        return dialog
