"""The panel's record in the review's conclusion: when "urgent safeguarding" is ticked, an
escalation form (reason, who it went to, when) and the case's escalations, open first;
when the verdict is "More information needed", the question and who will answer it; and a
theme picker beside the learning points and the good practice.

Each save runs in the background and names the record, never the case's details.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import Verdict
from audit_app.core.dates import long_date
from audit_app.core.panel_record import EscalationRow, TagKind
from audit_app.core.wording import plural
from audit_app.services.database import Database
from audit_app.services.escalations import add_escalation, close_escalation
from audit_app.services.information_requests import add_request
from audit_app.services.panel_record import CaseRecord, case_record
from audit_app.services.themes import list_themes, set_review_tags
from audit_app.ui.errors import report_error
from audit_app.ui.operations import ChangeOp, Changes, QueryOp, TaskControl
from audit_app.ui.pages.escalation_dialogs import RespondDialog
from audit_app.ui.review.theme_picker import ThemePicker

SHOWN_ESCALATIONS = 3  # rows the list is tall enough for; more scroll


def escalation_line(row: EscalationRow, today: dt.date) -> str:
    """"Overdue · sent 03/03/2026 · Duty inspector, Police": where it stands and when come
    first, so a narrow panel cuts only the end of whom it went to."""
    sent = f"sent {row.sent_on:%d/%m/%Y}" if row.sent_on else "date not recorded"
    return f"{row.standing(today)} · {sent} · {row.sent_to or 'no one named'}"


class EscalationList(QTableWidget):
    """The case's escalations, a line each, open first (overdue at the top, in bold): where
    it stands, when it was sent, to whom. A line too long for the panel is cut with "…"
    (its tooltip has it whole, with the reason and the response)."""

    def __init__(self) -> None:
        super().__init__(0, 1)
        self.setAccessibleName("The case's escalations")
        self.horizontalHeader().hide()
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab moves on; the arrows choose

    def show_rows(self, rows: tuple[EscalationRow, ...], today: dt.date,
                  keep: int | None) -> None:
        """The one chosen before (`keep`) stays chosen while open, else the first open."""
        self.blockSignals(True)
        self.setRowCount(len(rows))
        for index, row in enumerate(rows):
            line = escalation_line(row, today)
            item = QTableWidgetItem(line)
            item.setData(Qt.ItemDataRole.UserRole, row)
            item.setToolTip(f"{line}\nReason: {row.reason}"
                            + (f"\nResponse: {row.response}" if row.response else ""))
            if row.is_overdue(today):
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.setItem(index, 0, item)
        chosen = next((i for i, row in enumerate(rows)
                       if row.escalation_id == keep and row.is_open), None)
        if chosen is None:
            chosen = next((i for i, row in enumerate(rows) if row.is_open), -1)
        self.setCurrentCell(chosen, 0)
        if chosen < 0:
            self.clearSelection()
        self.blockSignals(False)
        shown = min(len(rows), SHOWN_ESCALATIONS) or 1
        self.setFixedHeight(shown * self.verticalHeader().defaultSectionSize()
                            + 2 * self.frameWidth())

    def chosen(self) -> EscalationRow | None:
        item = self.currentItem()
        row = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return row if isinstance(row, EscalationRow) else None

    def lines(self) -> list[str]:
        items = (self.item(index, 0) for index in range(self.rowCount()))
        return [item.text() if item is not None else "" for item in items]


def _row_of(form: QFormLayout, widget: QWidget) -> int:
    position: Any = form.getWidgetPosition(widget)  # (row, role)
    return int(position[0])


def _line(name: str, hint: str = "") -> QLineEdit:
    box = QLineEdit()
    box.setAccessibleName(name)
    box.setPlaceholderText(hint)
    return box


def _text(name: str, hint: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setPlaceholderText(hint)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * 2 + 16)
    return box


class CaseRecordFields(QObject):
    """Adds its rows to the conclusion's form; `show_case` reads the case's record."""

    def __init__(self, form: QFormLayout, urgent: QCheckBox, verdict: QComboBox,
                 texts: dict[str, QPlainTextEdit]) -> None:
        super().__init__(form)
        self._form, self._urgent, self._verdict = form, urgent, verdict
        self._db: Database | None = None
        self._audit_id = 0
        self._reference = ""
        self._review_id: int | None = None
        self._record = CaseRecord((), (), {})
        self.loading = False  # the case's record is being read
        self._enabled = True
        themes = list_themes()
        self.pickers = {TagKind.LEARNING: ThemePicker("learning points", themes),
                        TagKind.GOOD_PRACTICE: ThemePicker("good practice", themes)}
        for kind, field in ((TagKind.LEARNING, "learning_points"),
                            (TagKind.GOOD_PRACTICE, "good_practice")):
            form.insertRow(_row_of(form, texts[field]) + 1, "", self.pickers[kind])
            self.pickers[kind].chosen.connect(lambda keys, k=kind: self._tag(k, keys))
        self.escalation = self._escalation_box()
        form.insertRow(_row_of(form, urgent) + 1, self.escalation)
        self.request = self._request_box()
        form.insertRow(_row_of(form, verdict) + 1, self.request)
        urgent.toggled.connect(lambda _checked: self._show_boxes())
        verdict.currentIndexChanged.connect(lambda _index: self._show_boxes())
        self._show_boxes()

    def _escalation_box(self) -> QGroupBox:
        box = QGroupBox("Urgent safeguarding escalation")
        self.escalations_shown = QLabel("Not yet escalated.")
        self.escalations_shown.setWordWrap(True)
        # The case's escalations, open first: Respond… and Close act on the one chosen.
        self.escalation_list = EscalationList()
        self.escalation_list.currentCellChanged.connect(lambda *_: self._enable_follow_up())
        self.escalation_list.cellDoubleClicked.connect(lambda *_: self.respond_selected())
        self.reason = _text("Reason for the escalation", "Why the victim may still be at risk")
        self.sent_role = _line("Escalated to (role)", "Role, e.g. duty inspector")
        self.sent_agency = _line("Escalated to (agency)", "Agency, e.g. police, children's services")
        self.sent_on = QDateEdit()
        self.sent_on.setAccessibleName("Date the escalation was sent")
        self.sent_on.setCalendarPopup(True)
        self.sent_on.setDisplayFormat("dd/MM/yyyy")
        self.escalate = QPushButton("Record escalation")
        self.escalate.setAccessibleName("Record the escalation")
        self.escalate.clicked.connect(self.record_escalation)
        form = QFormLayout()
        form.addRow("Reason", self.reason)
        form.addRow("Sent to", self.sent_role)
        form.addRow("Agency", self.sent_agency)
        form.addRow("Sent on", self.sent_on)
        # The follow-up of the escalation chosen in the list, without leaving the case.
        self.respond = QPushButton("Respond…")
        self.respond.setAccessibleName("Record the response to the chosen escalation")
        self.respond.clicked.connect(self.respond_selected)
        self.close_open = QPushButton("Close escalation")
        self.close_open.setAccessibleName("Close the chosen escalation")
        self.close_open.clicked.connect(self.close_selected)
        follow_up = QHBoxLayout()
        follow_up.addWidget(self.respond)
        follow_up.addWidget(self.close_open)
        follow_up.addStretch(1)
        layout = QVBoxLayout(box)
        layout.addWidget(self.escalations_shown)
        layout.addWidget(self.escalation_list)
        layout.addLayout(follow_up)
        layout.addLayout(form)
        layout.addWidget(self.escalate)
        return box

    def _request_box(self) -> QGroupBox:
        box = QGroupBox("More information needed")
        self.requests_shown = QLabel("No question recorded yet.")
        self.requests_shown.setWordWrap(True)
        self.question = _text("Question asked", "What the panel needs to know")
        self.answer_role = _line("Who will answer (role)", "Role, e.g. officer in the case")
        self.answer_agency = _line("Who will answer (agency)", "Agency")
        self.answer_name = _line("Who will answer (name)", "Name, if known")
        self.ask = QPushButton("Record question")
        self.ask.setAccessibleName("Record the question")
        self.ask.clicked.connect(self.record_request)
        form = QFormLayout()
        form.addRow("Question", self.question)
        form.addRow("Answered by", self.answer_role)
        form.addRow("Agency", self.answer_agency)
        form.addRow("Name", self.answer_name)
        layout = QVBoxLayout(box)
        layout.addWidget(self.requests_shown)
        layout.addLayout(form)
        layout.addWidget(self.ask)
        return box

    def _show_boxes(self) -> None:
        more = self._verdict.currentData() == Verdict.MORE_INFORMATION.value
        self.escalation.setVisible(self._urgent.isChecked() or bool(self._record.escalations))
        self.request.setVisible(more or bool(self._record.requests))
        has_open = any(row.is_open for row in self._record.escalations)
        self.escalation_list.setVisible(bool(self._record.escalations))
        self.respond.setVisible(has_open)
        self.close_open.setVisible(has_open)
        self._enable_follow_up()

    def _enable_follow_up(self) -> None:
        """Respond… and Close act on the escalation chosen, so only on an open one."""
        chosen = self.selected_escalation()
        for button in (self.respond, self.close_open):
            button.setEnabled(self._enabled and chosen is not None and chosen.is_open)

    def set_enabled(self, enabled: bool) -> None:
        self._enabled = enabled
        for widget in (self.escalate, self.ask, *self.pickers.values()):
            widget.setEnabled(enabled)
        self._enable_follow_up()

    def show_case(self, db: Database, audit_id: int, case_reference: str,
                  review_id: int | None) -> None:
        """Read the case's escalations, questions and the review's themes in the background."""
        self._db, self._audit_id = db, audit_id
        self._reference, self._review_id = case_reference, review_id
        self.loading = True
        today = dt.date.today()
        self.sent_on.setDate(QDate(today.year, today.month, today.day))
        themes = list_themes()  # the panel may have added one since the last case
        for picker in self.pickers.values():
            picker.set_themes(themes)
            picker.button.setEnabled(review_id is not None)
            picker.button.setToolTip("Themes can be chosen once the case has been scored"
                                     if review_id is None else picker.button.toolTip())
        QueryOp(self._parent(), lambda _control: case_record(
            db, audit_id=audit_id, case_reference=case_reference, review_id=review_id),
            lambda record: self._shown(case_reference, record)).run()

    def _parent(self) -> QWidget | None:
        return self._form.parentWidget()

    def _shown(self, reference: str, record: CaseRecord) -> None:
        if reference != self._reference:
            return  # another case was opened while this one was read
        self._record = record
        self.loading = False
        self._list_escalations(record.escalations)
        self.requests_shown.setText("\n".join(
            f"{'Settled' if row.is_settled else 'Open'}: {row.question}"
            + (f" ({row.answerer})" if row.answerer else "")
            for row in record.requests) or "No question recorded yet.")
        for kind, picker in self.pickers.items():
            picker.show_keys(record.tags.get(kind.value, ()))
        self._show_boxes()

    def _save(self, work: Callable[[TaskControl], None], done: Callable[[], None]) -> None:
        if self._db is None:
            return
        ChangeOp(self._parent(), work, Changes(audit_id=self._audit_id)).success(
            lambda _none: done()).failure(self._not_saved).run()

    def _not_saved(self, error: BaseException) -> None:
        report_error(self._parent(), error)  # plain words for a UserError

    def _reread(self) -> None:
        if self._db is not None:
            self.show_case(self._db, self._audit_id, self._reference, self._review_id)

    def record_escalation(self) -> None:
        db, audit_id, reference = self._db, self._audit_id, self._reference
        reason, role = self.reason.toPlainText(), self.sent_role.text()
        agency, sent = self.sent_agency.text(), self.sent_on.date().toPython()

        def work(_control: TaskControl) -> None:
            assert db is not None
            add_escalation(db, audit_id=audit_id, case_reference=reference, reason=reason,
                           sent_to_role=role, sent_to_agency=agency,
                           sent_on=sent)  # type: ignore[arg-type]

        def done() -> None:
            for box in (self.reason, self.sent_role, self.sent_agency):
                box.clear()
            self._reread()
        self._save(work, done)

    def _list_escalations(self, rows: tuple[EscalationRow, ...]) -> None:
        kept = self.selected_escalation()
        self.escalation_list.show_rows(rows, dt.date.today(),
                                       kept.escalation_id if kept is not None else None)
        open_count = sum(1 for row in rows if row.is_open)
        self.escalations_shown.setText(
            "Not yet escalated." if not rows else
            f"{plural(len(rows), 'escalation')}, {open_count} open. Choose one to record "
            "its response or close it." if open_count else
            f"{plural(len(rows), 'escalation')}, all closed.")

    def selected_escalation(self) -> EscalationRow | None:
        return self.escalation_list.chosen()

    def respond_selected(self) -> RespondDialog | None:
        row = self.selected_escalation()
        if row is None or not row.is_open or self._db is None:
            return None
        dialog = RespondDialog(self._db, self._audit_id, row.escalation_id,
                               f"Sent to {row.sent_to or 'no one named'}"
                               + (f" on {long_date(row.sent_on)}" if row.sent_on else "")
                               + f". Reason: {row.reason}", row.response, self._parent())
        dialog.accepted.connect(self._reread)
        dialog.open()
        return dialog

    def close_selected(self) -> None:
        row, db = self.selected_escalation(), self._db
        if row is None or not row.is_open or db is None:
            return

        def work(_control: TaskControl) -> None:
            assert db is not None
            close_escalation(db, escalation_id=row.escalation_id)
        self._save(work, self._reread)

    def record_request(self) -> None:
        db, audit_id, reference = self._db, self._audit_id, self._reference
        question, role = self.question.toPlainText(), self.answer_role.text()
        agency, name = self.answer_agency.text(), self.answer_name.text()

        def work(_control: TaskControl) -> None:
            assert db is not None
            add_request(db, audit_id=audit_id, case_reference=reference, question=question,
                        answerer_role=role, answerer_agency=agency, answerer_name=name)

        def done() -> None:
            for box in (self.question, self.answer_role, self.answer_agency, self.answer_name):
                box.clear()
            self._reread()
        self._save(work, done)

    def _tag(self, kind: TagKind, keys: list[str]) -> None:
        db, review_id = self._db, self._review_id
        if db is None or review_id is None:
            return

        def work(_control: TaskControl) -> None:
            set_review_tags(db, review_id=review_id, kind=kind, theme_keys=keys)
        self._save(work, lambda: None)
