"""The framework's criteria for one case, grouped by section, in one scrolling column.

Rows are built once per framework and reused for every case (only their applicability
and answers change), so moving between cases and answering never rebuilds the panel.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QVBoxLayout, QWidget

from audit_app.core.answers import Answer
from audit_app.core.audit_rows import AnswerEntry
from audit_app.core.framework import Framework
from audit_app.ui.review.criterion_row import CriterionRow
from audit_app.ui.review.style import scaled_font


class CriteriaPanel(QScrollArea):
    """Holds a CriterionRow per criterion; knows which one is current and what comes next."""

    answer_chosen = Signal(str, object)   # criterion code, Answer or None
    note_committed = Signal(str, str)     # criterion code, note
    reached_end = Signal()                # moved on past the last criterion

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setAccessibleName("Criteria")
        self.rows: dict[str, CriterionRow] = {}
        self.framework: Framework | None = None
        self.current_code: str | None = None
        self.read_only = False
        self._body = QWidget()
        self._body.setObjectName("reviewPage")
        self._layout = QVBoxLayout(self._body)
        self._layout.setContentsMargins(4, 4, 12, 12)
        self._layout.setSpacing(8)
        self._tail: QWidget | None = None
        self.setWidget(self._body)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def set_framework(self, framework: Framework, tail: QWidget | None = None) -> None:
        """Build the rows (once per framework); `tail` (the conclusion) goes after them."""
        if framework == self.framework:
            return
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None and widget is not self._tail:
                widget.deleteLater()
        self.rows.clear()
        self.framework = framework
        for section in framework.sections:
            title = QLabel(f"{section.code}. {section.title}")
            title.setObjectName("sectionTitle")
            title.setFont(scaled_font(self, 1.2, bold=True))
            title.setAccessibleName(f"Section {section.code}: {section.title}")
            self._layout.addWidget(title)
            if section.description:
                description = QLabel(section.description)
                description.setObjectName("muted")
                description.setWordWrap(True)
                self._layout.addWidget(description)
            for criterion in section.criteria:
                row = CriterionRow(criterion, framework.scale)
                row.set_read_only(self.read_only)
                row.answer_chosen.connect(self._row_answered)
                row.note_committed.connect(self.note_committed)
                row.move_requested.connect(self.move_from)
                self.rows[criterion.code] = row
                self._layout.addWidget(row)
        self._tail = tail or self._tail
        if self._tail is not None:
            self._layout.addWidget(self._tail)
        self._layout.addStretch(1)

    def set_read_only(self, read_only: bool) -> None:
        """A closed audit: every answer and note stays readable, none can change."""
        self.read_only = read_only
        for row in self.rows.values():
            row.set_read_only(read_only)

    def show_case(self, case_fields: dict[str, Any], answers: dict[str, AnswerEntry]) -> None:
        for code, row in self.rows.items():
            row.configure(applicable=row.criterion.applies_to(case_fields))
            given = answers.get(code)
            row.show_answer(given.value if given else None, given.note if given else "")
        self.verticalScrollBar().setValue(0)

    def show_answer(self, code: str, answer: Answer | None, note: str) -> None:
        """Update one row only (after a save, an undo or a redo)."""
        self.rows[code].show_answer(answer, note)

    def applicable_codes(self) -> list[str]:
        return [code for code, row in self.rows.items() if row.applicable]

    def first_open_code(self) -> str | None:
        """The first applicable criterion without an answer, else the first applicable one."""
        codes = self.applicable_codes()
        for code in codes:
            if self.rows[code].answer is None:
                return code
        return codes[0] if codes else None

    def focus_row(self, code: str | None) -> None:
        if code is None or code not in self.rows:
            return
        row = self.rows[code]
        row.setFocus(Qt.FocusReason.OtherFocusReason)
        self._make_current(code)

    def move_from(self, code: str, step: int) -> None:
        codes = self.applicable_codes()
        if code not in codes:
            self.focus_row(self.first_open_code())
            return
        index = codes.index(code) + step
        if index >= len(codes):
            self.reached_end.emit()
        elif index >= 0:
            self.focus_row(codes[index])

    def _row_answered(self, code: str, answer: Answer | None) -> None:
        self.answer_chosen.emit(code, answer)
        row = self.rows[code]
        if answer is None:
            return
        if row.note_missing:
            row.note.setFocus(Qt.FocusReason.OtherFocusReason)  # a required note comes first
        else:
            self.move_from(code, 1)

    def _make_current(self, code: str) -> None:
        if self.current_code == code:
            return
        if self.current_code in self.rows:
            self.rows[self.current_code].set_current(False)
        self.current_code = code
        self.rows[code].set_current(True)
        self.scroll_to_row(code)

    def scroll_to_row(self, code: str, margin: int = 40) -> None:
        """Bring a row into view, never past its top (ensureWidgetVisible shows the bottom of
        a row taller than the view), and the first row with its section title above it."""
        self._layout.activate()  # rows shown or hidden for this case must have their places
        row = self.rows[code]
        bar = self.verticalScrollBar()
        top = row.mapTo(self._body, QPoint(0, 0)).y()
        bottom, view = top + row.height(), self.viewport().height()
        if code == next(iter(self.applicable_codes()), None) and top < view:
            bar.setValue(0)
            return
        if top - margin < bar.value():
            bar.setValue(max(0, top - margin))
        elif bottom + margin > bar.value() + view:
            bar.setValue(min(top - margin, bottom + margin - view))

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        widget = new
        while widget is not None and widget is not self:
            if isinstance(widget, CriterionRow) and widget.criterion.code in self.rows:
                self._make_current(widget.criterion.code)
                return
            widget = widget.parentWidget()
