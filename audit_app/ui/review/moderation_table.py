"""The moderation tab's parts: the members' answers side by side, disagreements first, and
a rationale box with room to write in.

A disagreement is shown three ways, so it never rests on colour alone: "≠" before the
criterion's code, a warm background, and "To agree" in the Agreed column until the chair
records an agreed answer. The full question wraps in its column.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from audit_app.core.answers import Answer
from audit_app.services.moderation import CaseComparison, CriterionComparison
from audit_app.ui.review.style import ACCENT_SOFT, ANSWER_COLOURS, INK

DISAGREE_BACKGROUND = "#fdf1d8"
CODE_ROLE = Qt.ItemDataRole.UserRole
TO_AGREE = "To agree"
MUTED_INK = "#5b6670"


def moderation_order(criteria: tuple[CriterionComparison, ...]) -> list[CriterionComparison]:
    """Disagreements still to agree first, then those the panel agreed, then the rest; the
    framework's order within each (a stable sort)."""
    def rank(criterion: CriterionComparison) -> int:
        if criterion.awaiting_moderation:
            return 0
        return 1 if criterion.disagree else 2

    return sorted(criteria, key=rank)


class ModerationTable(QTableWidget):
    """One row per criterion in `moderation_order`; `rows` holds them in that order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 0, parent)
        self.rows: list[CriterionComparison] = []
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(True)  # the whole question, over as many lines as it needs
        self.setAccessibleName("Members' answers side by side, disagreements first")
        # No border on the selected item: with one, Qt sized the row for a single line and
        # cut the wrapped question short.
        self.setStyleSheet(
            f"QTableWidget::item:selected {{ background: {ACCENT_SOFT}; color: {INK}; }}")
        self.horizontalHeader().sectionResized.connect(
            lambda index, _old, _new: self.resizeRowsToContents() if index == 1 else None)

    def clear_rows(self) -> None:
        self.rows = []
        self.setRowCount(0)
        self.setColumnCount(0)

    def fill(self, current: CaseComparison) -> None:
        """Show the comparison, keeping the selected criterion selected."""
        selected = self.current_code()
        self.rows = moderation_order(current.criteria)
        headers = ["", "Criterion", *current.members, "Agreed"]
        self.setColumnCount(len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.setRowCount(len(self.rows))
        for row, criterion in enumerate(self.rows):
            self._fill_row(row, criterion, current.members)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.resizeRowsToContents()
        codes = [criterion.code for criterion in self.rows]
        if selected in codes:
            self.setCurrentCell(codes.index(selected), 0)

    def _fill_row(self, row: int, criterion: CriterionComparison, members: tuple[str, ...]) -> None:
        marker = "≠" if criterion.disagree else ""
        code = QTableWidgetItem(f"{marker} {criterion.code}".strip())
        code.setData(CODE_ROLE, criterion.code)
        code.setToolTip("Members' answers differ" if criterion.disagree else "Members agree")
        question = QTableWidgetItem(criterion.question)
        question.setToolTip(f"{criterion.section_title}\n{criterion.question}")
        cells = [code, question]
        given = {a.reviewer: a for a in criterion.answers}
        for member in members:
            answer = given.get(member)
            cell = QTableWidgetItem(answer.value.label if answer else "–")
            if answer is not None:
                cell.setToolTip(answer.note or "No note")
                colour(cell, answer.value)
            cells.append(cell)
        cells.append(self._agreed_cell(criterion))
        for column, cell in enumerate(cells):
            if criterion.disagree and column < 2:
                cell.setBackground(QBrush(QColor(DISAGREE_BACKGROUND)))
            if criterion.awaiting_moderation and column < 2:
                font = QFont(cell.font())
                font.setBold(True)
                cell.setFont(font)
            self.setItem(row, column, cell)

    @staticmethod
    def _agreed_cell(criterion: CriterionComparison) -> QTableWidgetItem:
        if criterion.consensus is not None:
            agreed = QTableWidgetItem(criterion.consensus.label)
            agreed.setToolTip(criterion.consensus_rationale)
            colour(agreed, criterion.consensus)
            return agreed
        if not criterion.awaiting_moderation:
            return QTableWidgetItem("")
        waiting = QTableWidgetItem(TO_AGREE)
        waiting.setToolTip("Members differ: the chair records an agreed answer below")
        waiting.setForeground(QBrush(QColor(MUTED_INK)))
        waiting.setBackground(QBrush(QColor(DISAGREE_BACKGROUND)))
        font = QFont(waiting.font())
        font.setItalic(True)
        waiting.setFont(font)
        return waiting

    def current_code(self) -> str | None:
        item = self.item(self.currentRow(), 0)
        return str(item.data(CODE_ROLE)) if item is not None else None


def colour(cell: QTableWidgetItem, answer: Answer) -> None:
    ink, background = ANSWER_COLOURS[answer]
    cell.setForeground(QBrush(QColor(ink)))
    cell.setBackground(QBrush(QColor(background)))


class RationaleEdit(QPlainTextEdit):
    """A few lines to write a rationale in: Enter records it (`returnPressed`), Shift+Enter
    starts a new line."""

    returnPressed = Signal()

    def __init__(self, placeholder: str, accessible_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(accessible_name)
        self.setTabChangesFocus(True)
        lines = self.fontMetrics().lineSpacing()
        self.setMinimumHeight(lines * 2 + 12)
        self.setMaximumHeight(lines * 4 + 12)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.returnPressed.emit()
            return
        super().keyPressEvent(event)
