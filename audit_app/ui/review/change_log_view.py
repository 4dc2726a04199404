"""Read-only history of every change made to the selected case.

A member who has not finished a case sees only their own scoring in it: the log must not
become a way round blind scoring.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from audit_app.core.answers import Answer, ReviewStatus, Verdict
from audit_app.services.change_log import ChangeRow

COLUMNS = ("When", "Who", "What", "Field", "From", "To", "Detail")
ENTITY_LABELS = {"answer": "Answer", "answer_note": "Note", "review": "Review",
                 "consensus": "Consensus", "sample_draw": "Sample"}
DETAIL_LABELS = {"member": "Member's score", "consensus": "Panel consensus"}
SCORING_ENTITIES = frozenset({"answer", "answer_note", "review", "consensus"})
FIELD_LABELS = {"learning_points": "Learning points", "good_practice": "Good practice",
                "feedback": "Feedback", "urgent_safeguarding": "Urgent safeguarding",
                "verdict": "Verdict", "status": "Status", "rationale": "Rationale"}


def readable(value: str | None) -> str:
    """Stored codes ('partly_met', 'in_progress') as the labels people know."""
    if value is None:
        return ""
    for kind in (Answer, Verdict, ReviewStatus):
        try:
            return str(kind(value).label)
        except ValueError:
            continue
    return {"True": "Yes", "False": "No"}.get(value, value)


def visible_changes(changes: list[ChangeRow], *, viewer: str, see_all: bool) -> list[ChangeRow]:
    """Everything once the viewer may see others' scores; before that, only their own."""
    if see_all:
        return changes
    return [c for c in changes if c.entity not in SCORING_ENTITIES or c.actor == viewer]


class ChangeLogView(QTableWidget):
    """Newest first; nothing in it can be edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move in the table
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        for column in range(len(COLUMNS)):
            mode = (QHeaderView.ResizeMode.Stretch if COLUMNS[column] in ("From", "To")
                    else QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(column, mode)
        self.setAccessibleName("Change log for this case")

    def show_changes(self, changes: list[ChangeRow]) -> None:
        self.setRowCount(len(changes))
        for row, change in enumerate(changes):
            values = (change.at.strftime("%d/%m/%Y %H:%M:%S"), change.actor,
                      ENTITY_LABELS.get(change.entity, change.entity.replace("_", " ").title()),
                      FIELD_LABELS.get(change.field, change.field), readable(change.old_value),
                      readable(change.new_value), DETAIL_LABELS.get(change.detail, change.detail))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.setItem(row, column, item)
