"""The spread of members' answers per criterion, disagreements first, for the projector.

It reads as the moderation table does: "≠" before a disagreement's code, a warm
background, and "To agree" until the chair records the agreed answer. The chair presses
1, 2, 3… (as on the review screen) on a row to record the agreed answer, Delete to clear it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from audit_app.core.answers import Answer
from audit_app.core.meeting import CriterionSpread
from audit_app.ui.review.moderation_table import (
    DISAGREE_BACKGROUND,
    MUTED_INK,
    TO_AGREE,
    colour,
)
from audit_app.ui.theme import high_contrast

CODE_ROLE = Qt.ItemDataRole.UserRole


class SpreadTable(QTableWidget):
    """One row per criterion; `answerKeyed(code, answer or None)` when the chair keys one."""

    answerKeyed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.rows: list[CriterionSpread] = []
        self.setHorizontalHeaderLabels(["", "Criterion", "Members' answers", "Agreed"])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setVisible(False)
        self.setWordWrap(True)
        self.setAccessibleName("The spread of members' answers per criterion, "
                               "disagreements first")
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(
            lambda index, _old, _new: self.resizeRowsToContents() if index == 1 else None)

    def fill(self, rows: tuple[CriterionSpread, ...]) -> None:
        selected = self.current_code()
        self.rows = list(rows)
        self.setRowCount(len(self.rows))
        for row, spread in enumerate(self.rows):
            self._fill_row(row, spread)
        self.resizeRowsToContents()
        codes = [spread.code for spread in self.rows]
        self.setCurrentCell(codes.index(selected) if selected in codes else 0, 0)

    def _fill_row(self, row: int, spread: CriterionSpread) -> None:
        code = QTableWidgetItem(f"{'≠' if spread.disagree else ''} {spread.code}".strip())
        code.setData(CODE_ROLE, spread.code)
        code.setToolTip("Members' answers differ" if spread.disagree else "Members agree")
        question = QTableWidgetItem(spread.question)
        given = QTableWidgetItem(spread.wording())
        given.setToolTip("\n".join(f"{name}: {answer.label}" for name, answer in spread.by_member)
                         or "Nobody present who may score answered this")
        cells = [code, question, given, self._agreed(spread)]
        for column, cell in enumerate(cells):
            if spread.disagree and column < 3 and not high_contrast():
                cell.setBackground(QBrush(QColor(DISAGREE_BACKGROUND)))
            if spread.awaiting_agreement and column < 2:
                font = QFont(cell.font())
                font.setBold(True)
                cell.setFont(font)
            self.setItem(row, column, cell)

    @staticmethod
    def _agreed(spread: CriterionSpread) -> QTableWidgetItem:
        if spread.agreed is not None:
            cell = QTableWidgetItem(spread.agreed.label)
            if not high_contrast():
                colour(cell, spread.agreed)
            return cell
        if not spread.awaiting_agreement:
            return QTableWidgetItem("")
        cell = QTableWidgetItem(TO_AGREE)
        cell.setToolTip("Members differ: select the row and press the answer's number")
        if not high_contrast():  # the user's own colours win there
            cell.setForeground(QBrush(QColor(MUTED_INK)))
            cell.setBackground(QBrush(QColor(DISAGREE_BACKGROUND)))
        return cell

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # Once the stretched question column has its new width, rows fit their wrapped text.
        QTimer.singleShot(0, self.resizeRowsToContents)

    def current_code(self) -> str | None:
        item = self.item(self.currentRow(), 0)
        return str(item.data(CODE_ROLE)) if item is not None else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        code = self.current_code()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if code is not None and plain:
            for answer in Answer:
                if event.text() == answer.shortcut:
                    self.answerKeyed.emit(code, answer)
                    return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.answerKeyed.emit(code, None)
                return
        super().keyPressEvent(event)
