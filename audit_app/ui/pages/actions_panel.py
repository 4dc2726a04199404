"""The Actions tab: the panel's actions register (agency, owner, due date, status, the
agency's response and its date, theme), open actions of earlier audits brought forward,
overdue ones flagged; add and edit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.audit_rows import ActionRow
from audit_app.core.errors import UserError
from audit_app.core.panel_record import DEFAULT_ACTION_DAYS
from audit_app.core.statuses import ActionStatus
from audit_app.services.actions import add_action, update_action
from audit_app.services.database import Database
from audit_app.services.themes import list_themes
from audit_app.ui.errors import report_error, show_user_error
from audit_app.ui.models.row_table import ROW_ROLE
from audit_app.ui.operations import ChangeOp, Changes, TaskControl
from audit_app.ui.pages.action_columns import register_columns
from audit_app.ui.pages.tables import sortable_table


class ActionDialog(QDialog):
    """Add a new action (action=None) or edit an existing one. A new action's "due by"
    starts `action_days` on (the audit's follow-up period), as one without a date falls due."""

    def __init__(self, db: Database, audit_id: int, action: ActionRow | None = None,
                 parent: QWidget | None = None, *,
                 action_days: int = DEFAULT_ACTION_DAYS) -> None:
        super().__init__(parent)
        self._db = db
        self._audit_id = audit_id
        self._action = action
        self.setWindowTitle("Edit action" if action else "Add action")
        self.setMinimumWidth(460)
        self.description = QPlainTextEdit(action.description if action else "")
        self.description.setTabChangesFocus(True)  # Tab moves on, as in every other box
        self.description.setAccessibleName("What is to be done")
        self.description.setFixedHeight(70)
        self.case_reference = QLineEdit(action.case_reference if action else "")
        self.case_reference.setAccessibleName("Case reference")
        self.case_reference.setPlaceholderText("Optional")
        self.case_reference.setEnabled(action is None)
        self.owner = QLineEdit(action.owner if action else "")
        self.owner.setAccessibleName("Owner")
        self.agency = QLineEdit(action.agency if action else "")
        self.agency.setAccessibleName("Agency")
        self.agency.setPlaceholderText("Police, CPS, a partner agency…")
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        self.theme.addItem("No theme", "")
        for theme in list_themes():
            self.theme.addItem(theme.name, theme.key)
        self.theme.setCurrentIndex(max(0, self.theme.findData(action.theme_key if action
                                                              else "")))
        self.has_due = QCheckBox("Due by")
        self.due = QDateEdit()
        self.due.setAccessibleName("Due date")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("dd/MM/yyyy")
        # Offered when "Due by" is ticked: the date the panel's period gives it already.
        due = ((action.due_date or action.follow_up_by) if action else None) or (
            dt.date.today() + dt.timedelta(days=action_days))
        self.due.setDate(QDate(due.year, due.month, due.day))
        self.has_due.setChecked(bool(action and action.due_date))
        self.due.setEnabled(self.has_due.isChecked())
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        for status in ActionStatus:
            self.status.addItem(status.label, status.value)
        current = action.status if action else ActionStatus.OPEN
        self.status.setCurrentIndex(max(0, self.status.findData(str(current))))
        self.response = QPlainTextEdit(action.response if action else "")
        self.response.setTabChangesFocus(True)  # Tab moves on, as in every other box
        self.response.setAccessibleName("Response")
        self.response.setFixedHeight(60)
        self.has_response_date = QCheckBox("Responded on")
        self.response_date = QDateEdit()
        self.response_date.setAccessibleName("Date of the response")
        self.response_date.setCalendarPopup(True)
        self.response_date.setDisplayFormat("dd/MM/yyyy")
        answered = action.response_date if action and action.response_date else dt.date.today()
        self.response_date.setDate(QDate(answered.year, answered.month, answered.day))
        self.has_response_date.setChecked(bool(action and action.response_date))
        self.response_date.setEnabled(self.has_response_date.isChecked())
        self.has_response_date.toggled.connect(self.response_date.setEnabled)
        self.response.textChanged.connect(self._response_typed)
        response_row = QHBoxLayout()
        response_row.addWidget(self.has_response_date)
        response_row.addWidget(self.response_date, 1)
        form = QFormLayout()
        form.addRow("&Action:", self.description)
        form.addRow("&Case:", self.case_reference)
        form.addRow("A&gency:", self.agency)
        form.addRow("&Owner:", self.owner)
        form.addRow("", due_row)
        form.addRow("&Status:", self.status)
        form.addRow("&Theme:", self.theme)
        form.addRow("&Response:", self.response)
        form.addRow("", response_row)
        if action is not None and action.brought_forward_from:
            form.addRow("", QLabel(f"Brought forward from {action.brought_forward_from}"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _response_typed(self) -> None:
        """A response written in dates itself today, unless a date is already set."""
        if self.response.toPlainText().strip() and not self.has_response_date.isChecked():
            self.has_response_date.setChecked(True)

    def _response_on(self) -> dt.date | None:
        if not self.has_response_date.isChecked():
            return None
        return self.response_date.date().toPython()  # type: ignore[return-value]

    def _due_date(self) -> dt.date | None:
        return self.due.date().toPython() if self.has_due.isChecked() else None  # type: ignore[return-value]

    def accept(self) -> None:
        """Saved in the background; the dialog closes once saved, or stays open to correct."""
        db, audit_id, action = self._db, self._audit_id, self._action
        description, owner = self.description.toPlainText(), self.owner.text()
        due, status = self._due_date(), str(self.status.currentData())
        reference, response = self.case_reference.text(), self.response.toPlainText()
        agency, theme = self.agency.text(), str(self.theme.currentData() or "")
        answered = self._response_on()

        def save(_control: TaskControl) -> None:
            if action is None:
                add_action(db, audit_id=audit_id, description=description, owner=owner,
                           due_date=due, status=status, case_reference=reference,
                           agency=agency, theme_key=theme, response=response,
                           response_date=answered)
            else:
                update_action(db, action_id=action.action_id, description=description,
                              owner=owner, due_date=due, status=status, response=response,
                              agency=agency, theme_key=theme, response_date=answered)

        self.save_button.setEnabled(False)  # one save at a time
        ChangeOp(self, save, Changes(audit_id=audit_id, actions=True)).success(
            lambda _none: self._saved()).failure(self._not_saved).run()

    def _saved(self) -> None:
        self.save_button.setEnabled(True)
        super().accept()

    def _not_saved(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, UserError):
            show_user_error(self, error)
        else:
            report_error(self, error)


EMPTY_HINT = "No actions yet. Add what the panel agrees should change."
KEPT_HINT = "The actions as kept when the case data was deleted. They can no longer be changed."
NONE_KEPT_HINT = "No actions had been recorded when the case data was deleted."


class ActionsPanel(QWidget):
    """The audit's actions; a save announces `Changes(actions=True)` and the page redraws."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._audit_id: int | None = None
        self._editable = True
        # The audit's period for an action without a due date: read with the findings.
        self.action_days = DEFAULT_ACTION_DAYS
        # Refreshed in place with each register shown: a theme the panel adds is named too.
        self._theme_names = {theme.key: theme.name for theme in list_themes()}
        columns = register_columns(self._theme_names)
        self.model, self.proxy, self.table = sortable_table(columns, "Actions", self)
        # The register is wide: the action keeps a readable width, the rest fit their text
        # and the table scrolls sideways rather than squeeze the action to a few letters.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 260)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.add_button = QPushButton("Add action…")
        self.add_button.setAccessibleName("Add action")
        self.add_button.clicked.connect(self.add)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setAccessibleName("Edit the selected action")
        self.edit_button.clicked.connect(self.edit_selected)
        self.empty_hint = QLabel(EMPTY_HINT)
        self.empty_hint.setObjectName("hint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty_hint, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(buttons)  # above the table: its "no actions yet" is seen first
        layout.addWidget(self.table, 1)

    def set_actions(self, audit_id: int | None, actions: Sequence[ActionRow], *,
                    editable: bool = True) -> None:
        """`editable=False` for a purged audit: its actions are the ones kept at the purge."""
        self._audit_id = audit_id
        self._editable = editable
        self._theme_names.update({theme.key: theme.name for theme in list_themes()})
        self.model.set_rows(actions)
        self.empty_hint.setText(EMPTY_HINT if editable else KEPT_HINT if actions
                                else NONE_KEPT_HINT)
        self.empty_hint.setVisible(not actions or not editable)
        self.add_button.setVisible(editable)
        self.edit_button.setVisible(editable)
        self.edit_button.setEnabled(bool(actions))

    def selected(self) -> ActionRow | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row: ActionRow = self.proxy.data(index, ROW_ROLE)
        return row

    def _open(self, action: ActionRow | None) -> ActionDialog | None:
        if self._audit_id is None or not self._editable:
            return None
        dialog = ActionDialog(self._db, self._audit_id, action, self,
                              action_days=self.action_days)
        dialog.open()
        return dialog

    def add(self) -> ActionDialog | None:
        return self._open(None)

    def edit_selected(self) -> ActionDialog | None:
        action = self.selected()
        return self._open(action) if action is not None else None
