"""Read-only history of every change made to the selected case.

A member who has not finished a case sees only their own scoring in it: the log must not
become a way round blind scoring. The history and whether the viewer still scores blind
are read together in the background (tens of ms on a busy case: too slow for the GUI
thread, see benchmarks/gui_thread_reads.py).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from audit_app.core.answers import REVIEW_DETAIL_LABELS, stored_value_label
from audit_app.services.change_log import ChangeRow, list_changes
from audit_app.services.database import Database
from audit_app.services.moderation import blinding_state
from audit_app.ui.errors import report_error
from audit_app.ui.operations import CoalescingQuery, TaskControl

COLUMNS = ("When", "Who", "What", "Field", "From", "To", "Detail")
WRAPPED_COLUMNS = ("From", "To")
SHRINKING_COLUMNS = ("When", "Who", "Detail")  # narrowed first: they wrap at their spaces
WRAPPED_SHARE = 0.2  # of the width, at the least, for each of From and To
ENTITY_LABELS = {"answer": "Answer", "answer_note": "Note", "review": "Review",
                 "consensus": "Consensus", "sample_draw": "Sample"}
DETAIL_LABELS = {"member": "Member's score", "consensus": "Panel consensus"}
SCORING_ENTITIES = frozenset({"answer", "answer_note", "review", "consensus"})
FIELD_LABELS = REVIEW_DETAIL_LABELS


def readable(value: str | None) -> str:
    """Stored codes ('partly_met', 'in_progress') as the labels people know."""
    return "" if value is None else stored_value_label(value)


def visible_changes(changes: list[ChangeRow], *, viewer: str, see_all: bool) -> list[ChangeRow]:
    """Everything once the viewer may see others' scores; before that, only their own."""
    if see_all:
        return changes
    return [c for c in changes if c.entity not in SCORING_ENTITIES or c.actor == viewer]


def read_visible_changes(db: Database, audit_id: int, case_id: int,
                         viewer: str) -> list[ChangeRow]:
    """The case's history as this viewer may see it (read off the GUI thread)."""
    changes = list_changes(db, audit_id=audit_id, case_id=case_id)
    see_all = blinding_state(db, audit_id=audit_id, case_id=case_id,
                             viewer=viewer or "-").can_see_others
    return visible_changes(changes, viewer=viewer, see_all=see_all)


class ChangeLogView(QTableWidget):
    """Newest first; nothing in it can be edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move in the table
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        # From and To share the spare width and wrap onto more lines rather than end in "…"
        # (a note or an answer such as "Does not meet the standard" is longer than the rest).
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setAccessibleName("Change log for this case")
        self._shown_case: int | None = None
        self._reads: CoalescingQuery[tuple[int, list[ChangeRow]]] = CoalescingQuery(
            self, self._arrived, lambda error: report_error(self, error))

    @property
    def loading(self) -> bool:
        return self._reads.running

    def show_case(self, db: Database, audit_id: int, case_id: int, viewer: str) -> None:
        """Read the case's history in the background; shown when it arrives (a case left
        meanwhile is never shown)."""
        if case_id != self._shown_case:
            self.show_changes([])  # nothing of the last case while this one's is read
        self._shown_case = case_id

        def read(_control: TaskControl) -> tuple[int, list[ChangeRow]]:
            return case_id, read_visible_changes(db, audit_id, case_id, viewer)

        self._reads.request(read)

    def forget(self) -> None:
        """No case: show nothing, and drop any history still being read."""
        self._shown_case = None
        self._reads.discard()
        self.show_changes([])

    def _arrived(self, found: tuple[int, list[ChangeRow]]) -> None:
        case_id, changes = found
        if case_id == self._shown_case:
            self.show_changes(changes)

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
        self.fit_columns()

    def fit_columns(self) -> None:
        """What and Field as wide as their text; When, Who and Detail too when there is room,
        narrower (wrapping at their spaces) when not, so From and To always keep a readable
        share; rows as tall as they wrap."""
        header = self.horizontalHeader()
        width = self.viewport().width()
        wanted = [max(self.sizeHintForColumn(c), header.sectionSizeHint(c))
                  for c in range(len(COLUMNS))]
        wrapped = [c for c, name in enumerate(COLUMNS) if name in WRAPPED_COLUMNS]
        shrunk = [c for c, name in enumerate(COLUMNS) if name in SHRINKING_COLUMNS]
        whole = [c for c in range(len(COLUMNS)) if c not in wrapped and c not in shrunk]
        room = (width - int(width * WRAPPED_SHARE) * len(wrapped)
                - sum(wanted[c] for c in whole))
        scale = min(1.0, max(0.0, room / max(1, sum(wanted[c] for c in shrunk))))
        for column in whole:
            header.resizeSection(column, wanted[column])
        for column in shrunk:
            header.resizeSection(column, max(self._longest_word(column), int(wanted[column] * scale)))
        spare = width - sum(header.sectionSize(c) for c in whole + shrunk)
        for column in wrapped:
            header.resizeSection(column, max(40, spare // len(wrapped)))
        self.resizeRowsToContents()

    def _longest_word(self, column: int) -> int:
        """The width of the column's longest word: narrower would cut "Member's" to "Memb…"."""
        metrics = self.fontMetrics()
        words = {word for row in range(self.rowCount()) if (item := self.item(row, column))
                 for word in item.text().split()}
        padding = 2 * self.style().pixelMetric(self.style().PixelMetric.PM_FocusFrameHMargin) + 8
        return max((metrics.horizontalAdvance(word) for word in words), default=0) + padding

    def viewportEvent(self, event: QEvent) -> bool:
        # The viewport, not the table: a scroll bar coming or going changes its width too.
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return handled
