"""Small dialogs for the panel's follow-up: record the response to an escalation, settle a
request for more information (the answer and when it came), and the panel's follow-up
periods. Each saves in the background and stays open to correct a refused value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.panel_record import MAX_PERIOD_DAYS, FollowUpPeriods
from audit_app.services.database import Database
from audit_app.services.escalations import respond_escalation
from audit_app.services.follow_up import set_follow_up_periods
from audit_app.services.information_requests import settle_request
from audit_app.ui.errors import report_error
from audit_app.ui.operations import ChangeOp, Changes, TaskControl


def _date_edit(name: str, day: dt.date) -> QDateEdit:
    edit = QDateEdit()
    edit.setAccessibleName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


class _SavingDialog(QDialog):
    """Save and Cancel; `save` runs as a ChangeOp and the dialog closes once it has landed."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def _save(self, work: Callable[[], object], changes: Changes) -> None:
        def save(_control: TaskControl) -> None:
            work()

        self.save_button.setEnabled(False)  # one save at a time
        ChangeOp(self, save, changes).success(lambda _none: self._saved()).failure(
            self._not_saved).run()

    def _saved(self) -> None:
        self.save_button.setEnabled(True)
        super().accept()

    def _not_saved(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        report_error(self, error)  # plain words for a UserError


class TextAndDateDialog(_SavingDialog):
    """A text (the response, the answer) and the day it came."""

    def __init__(self, title: str, intro: str, text_label: str, date_label: str,
                 text: str = "", day: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.text = QPlainTextEdit(text)
        self.text.setTabChangesFocus(True)  # Tab moves on, as in every other box
        self.text.setAccessibleName(text_label.rstrip(":").replace("&", ""))
        self.text.setFixedHeight(90)
        self.day = _date_edit(date_label.rstrip(":").replace("&", ""), day or dt.date.today())
        self.form.addRow(self.intro)
        self.form.addRow(text_label, self.text)
        self.form.addRow(date_label, self.day)

    def entered(self) -> tuple[str, dt.date]:
        return self.text.toPlainText(), self.day.date().toPython()  # type: ignore[return-value]


class RespondDialog(TextAndDateDialog):
    def __init__(self, db: Database, audit_id: int, escalation_id: int, intro: str,
                 response: str = "", parent: QWidget | None = None) -> None:
        super().__init__("Record the response", intro, "&Response:", "Received &on:",
                         response, None, parent)
        self._db, self._audit_id, self._escalation_id = db, audit_id, escalation_id

    def accept(self) -> None:
        db, escalation_id = self._db, self._escalation_id
        text, day = self.entered()
        self._save(lambda: respond_escalation(db, escalation_id=escalation_id, response=text,
                                              response_on=day),
                   Changes(audit_id=self._audit_id))


class SettleDialog(TextAndDateDialog):
    def __init__(self, db: Database, audit_id: int, request_id: int, intro: str,
                 parent: QWidget | None = None) -> None:
        super().__init__("Settle the request", intro, "&Answer received:", "Settled &on:",
                         "", None, parent)
        self._db, self._audit_id, self._request_id = db, audit_id, request_id

    def accept(self) -> None:
        db, request_id = self._db, self._request_id
        text, day = self.entered()
        # Settling may move another audit's agenda too (a carried case): any audit.
        self._save(lambda: settle_request(db, request_id=request_id, answer=text,
                                          settled_on=day), Changes())


class PeriodsDialog(_SavingDialog):
    """The panel's periods for this audit, in days."""

    def __init__(self, db: Database, audit_id: int, periods: FollowUpPeriods,
                 parent: QWidget | None = None) -> None:
        super().__init__("Follow-up periods", parent)
        self._db, self._audit_id = db, audit_id
        intro = QLabel("An escalation with no response is overdue this many days after it "
                       "was sent. An action agreed without a due date falls due this many "
                       "days after it was agreed.")
        intro.setWordWrap(True)
        self.escalation_days = QSpinBox()
        self.action_days = QSpinBox()
        for box, name, value in (
                (self.escalation_days, "Days allowed for a response to an escalation",
                 periods.escalation_days),
                (self.action_days, "Days until an action without a due date falls due",
                 periods.action_days)):
            box.setRange(1, MAX_PERIOD_DAYS)
            box.setSuffix(" days")
            box.setValue(value)
            box.setAccessibleName(name)
        self.form.addRow(intro)
        self.form.addRow("&Escalation response within:", self.escalation_days)
        self.form.addRow("&Action without a due date due in:", self.action_days)

    def accept(self) -> None:
        db, audit_id = self._db, self._audit_id
        escalation, action = self.escalation_days.value(), self.action_days.value()
        self._save(lambda: set_follow_up_periods(db, audit_id=audit_id, escalation_days=escalation,
                                                 action_days=action),
                   Changes(audit_id=audit_id, actions=True))  # actions' due dates move too
