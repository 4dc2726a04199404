"""Read-only history of every change made to the selected case."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from audit_app.services.change_log import ChangeRow

COLUMNS = ("When", "Who", "What", "Field", "From", "To", "Detail")
ENTITY_LABELS = {"answer": "Answer", "answer_note": "Note", "review": "Review",
                 "consensus": "Consensus", "sample_draw": "Sample"}


class ChangeLogView(QTableWidget):
    """Newest first; nothing in it can be edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.setAccessibleName("Change log for this case")

    def show_changes(self, changes: list[ChangeRow]) -> None:
        self.setRowCount(len(changes))
        for row, change in enumerate(changes):
            values = (change.at.strftime("%d/%m/%Y %H:%M:%S"), change.actor,
                      ENTITY_LABELS.get(change.entity, change.entity.replace("_", " ").title()),
                      change.field, change.old_value or "", change.new_value or "", change.detail)
            for column, value in enumerate(values):
                self.setItem(row, column, QTableWidgetItem(value))
