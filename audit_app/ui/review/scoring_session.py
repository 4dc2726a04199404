"""Saving a reviewer's scoring as it happens, through undoable commands.

Every answer, note and case detail goes to the database the moment it is entered (one
short transaction through `services.scoring`), wrapped in a QUndoCommand so Ctrl+Z and
Ctrl+Shift+Z change the database too. Widgets listen to the signals to update the one
row or field that changed; other pages hear `changed` (ui/operations.py).

These saves stay on the GUI thread, on purpose: a key press's save must be committed, in
order, before the undo stack takes the command, and nothing typed may be lost if the app
is closed at once. That is a write, not one of the reads the 16 ms rule allows, so it was
measured (benchmarks/scoring_bench.py, 200 cases x 35 criteria x 4 reviewers, SQLite with
synchronous=FULL, on a shared 2-core machine): one committed `record_answer` takes a
median of 34-44 ms, p95 about 64 ms, nearly all of it the fsync. Moving it to a serial
worker is the next step if that shows on slower disks.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from audit_app.core.answers import Answer
from audit_app.core.errors import UserError
from audit_app.services import scoring
from audit_app.services.database import Database
from audit_app.ui.operations import Changes, announce

ANSWER_COMMAND_ID = 1
NOTE_COMMAND_ID = 2
DETAIL_COMMAND_ID = 3


class ScoringSession(QObject):
    """Who is scoring which audit; applies edits and reports what was saved."""

    answer_saved = Signal(int, str, object, str)   # case id, criterion code, Answer|None, note
    details_saved = Signal(int, object)            # case id, ReviewView
    failed = Signal(str)                           # plain-English problem

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id: int | None = None
        self.reviewer = ""
        self.read_only = False
        self.undo_stack = QUndoStack(self)

    def start(self, *, audit_id: int | None, reviewer: str) -> None:
        """A different audit or reviewer: undo history belongs to the previous one."""
        if (audit_id, reviewer) != (self.audit_id, self.reviewer):
            self.undo_stack.clear()
        self.audit_id, self.reviewer = audit_id, reviewer

    def set_read_only(self, read_only: bool) -> None:
        """A closed audit: nothing to redo or undo, since every edit would be refused."""
        if read_only:
            self.undo_stack.clear()
        self.read_only = read_only

    # --- what the screen asks for --------------------------------------------------------

    def set_answer(self, case_id: int, code: str, old: tuple[Answer | None, str],
                   new: tuple[Answer | None, str]) -> None:
        if old != new and not self.read_only:
            self.undo_stack.push(AnswerCommand(self, case_id, code, old, new))

    def set_note(self, case_id: int, code: str, answer: Answer, old_note: str,
                 new_note: str) -> None:
        if old_note != new_note and not self.read_only:
            self.undo_stack.push(NoteCommand(self, case_id, code, answer, old_note, new_note))

    def set_detail(self, case_id: int, field: str, old: Any, new: Any) -> None:
        if old != new and not self.read_only:
            self.undo_stack.push(DetailCommand(self, case_id, field, old, new))

    # --- what the commands do ------------------------------------------------------------

    def apply_answer(self, case_id: int, code: str, answer: Answer | None, note: str) -> bool:
        if self.audit_id is None or not self.reviewer:
            return False
        try:
            saved = scoring.record_answer(
                self.db, audit_id=self.audit_id, case_id=case_id, reviewer=self.reviewer,
                criterion_code=code, value=answer, note=note)
        except UserError as exc:
            self.failed.emit(str(exc))
            return False
        self.answer_saved.emit(case_id, code, saved.value if saved else None,
                               saved.note if saved else note)
        announce(Changes(audit_id=self.audit_id, answers=True), self)
        return True

    def apply_detail(self, case_id: int, field: str, value: Any) -> bool:
        if self.audit_id is None or not self.reviewer:
            return False
        if field == "verdict":
            arguments: dict[str, Any] = ({"verdict": value} if value is not None
                                         else {"clear_verdict": True})
        else:
            arguments = {field: value}
        try:
            view = scoring.set_case_details(self.db, audit_id=self.audit_id, case_id=case_id,
                                            reviewer=self.reviewer, **arguments)
        except UserError as exc:
            self.failed.emit(str(exc))
            return False
        self.details_saved.emit(case_id, view)
        announce(Changes(audit_id=self.audit_id, verdicts=True), self)
        return True


class AnswerCommand(QUndoCommand):
    def __init__(self, session: ScoringSession, case_id: int, code: str,
                 old: tuple[Answer | None, str], new: tuple[Answer | None, str]) -> None:
        label = new[0].label if new[0] else "cleared"
        super().__init__(f"Answer {code}: {label}")
        self.session, self.case_id, self.code, self.old, self.new = session, case_id, code, old, new

    def redo(self) -> None:
        if not self.session.apply_answer(self.case_id, self.code, *self.new):
            self.setObsolete(True)

    def undo(self) -> None:
        self.session.apply_answer(self.case_id, self.code, *self.old)


class NoteCommand(QUndoCommand):
    """Consecutive edits to one note merge, so one Ctrl+Z undoes one note, not one pause."""

    def __init__(self, session: ScoringSession, case_id: int, code: str, answer: Answer,
                 old_note: str, new_note: str) -> None:
        super().__init__(f"Note on {code}")
        self.session, self.case_id, self.code, self.answer = session, case_id, code, answer
        self.old_note, self.new_note = old_note, new_note

    def id(self) -> int:
        return NOTE_COMMAND_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, NoteCommand) or (other.case_id, other.code) != (
                self.case_id, self.code) or other.answer is not self.answer:
            return False
        self.new_note = other.new_note
        return True

    def redo(self) -> None:
        if not self.session.apply_answer(self.case_id, self.code, self.answer, self.new_note):
            self.setObsolete(True)

    def undo(self) -> None:
        self.session.apply_answer(self.case_id, self.code, self.answer, self.old_note)


class DetailCommand(QUndoCommand):
    def __init__(self, session: ScoringSession, case_id: int, field: str, old: Any,
                 new: Any) -> None:
        super().__init__(f"Change {field.replace('_', ' ')}")
        self.session, self.case_id, self.field, self.old, self.new = (
            session, case_id, field, old, new)

    def id(self) -> int:
        return DETAIL_COMMAND_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        # typing pauses in one text box merge; verdict and flag changes stay separate steps
        if (not isinstance(other, DetailCommand) or (other.case_id, other.field) != (
                self.case_id, self.field) or not isinstance(self.new, str)
                or self.field == "verdict"):
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        if not self.session.apply_detail(self.case_id, self.field, self.new):
            self.setObsolete(True)

    def undo(self) -> None:
        self.session.apply_detail(self.case_id, self.field, self.old)
