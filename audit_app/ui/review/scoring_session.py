"""Saving a reviewer's scoring as it happens, through undoable commands.

Every answer, note and case detail goes to the database the moment it is entered (one
short transaction through `services.scoring`), wrapped in a QUndoCommand so Ctrl+Z and
Ctrl+Shift+Z change the database too.

The screen changes at once (`answer_shown`, `detail_shown`); the write itself goes to the
app's one serial writer (`ChangeOp.in_order()`, ui/operations.py), so key presses commit
strictly in the order they were made, each as soon as those before it have, and the GUI
thread never waits for a commit (a median of 34-44 ms, p95 about 64 ms, nearly all of it
the fsync, measured with benchmarks/scoring_bench.py on a shared 2-core machine). Once a
write lands, `changed` goes out for the other pages. If one fails, `failed` says why and
the undo history is dropped, since it no longer matches what is stored: the page reads the
case back. Reads started after a key press wait for its write (ui/operations.py), and
`wait_for_saves` drains the writer before another audit opens or the window closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from audit_app.core.answers import Answer
from audit_app.core.errors import UserError
from audit_app.services import scoring
from audit_app.services.database import Database
from audit_app.ui.errors import report_error
from audit_app.ui.operations import ChangeOp, Changes, TaskControl, write_queue

ANSWER_COMMAND_ID = 1
NOTE_COMMAND_ID = 2
DETAIL_COMMAND_ID = 3
NOT_SAVED = "That change could not be saved; the case now shows what is stored."


class ScoringSession(QObject):
    """Who is scoring which audit; applies edits at once and saves them in order."""

    answer_shown = Signal(int, str, object, str)   # case id, criterion code, Answer|None, note
    detail_shown = Signal(int, str, object)        # case id, field, new value
    details_stored = Signal(int, object)           # case id, ReviewView as saved
    failed = Signal(int, str)                      # case id, plain-English problem

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id: int | None = None
        self.reviewer = ""
        self.read_only = False
        self.undo_stack = QUndoStack(self)
        self._pending: dict[int, int] = {}  # case id -> its writes not yet landed

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

    # --- pending writes -------------------------------------------------------------------

    @property
    def saved(self) -> bool:
        """True when every edit made here has landed (or failed and been reported)."""
        return not self._pending

    def pending_for(self, case_id: int) -> int:
        return self._pending.get(case_id, 0)

    @staticmethod
    def wait_for_saves() -> None:
        """Drain the serial writer (before a synchronous read, another audit, a close)."""
        write_queue().drain()

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
        """Shown now, saved in order: False (nothing done) without an audit or a reviewer."""
        if self.audit_id is None or not self.reviewer:
            return False
        audit_id, reviewer = self.audit_id, self.reviewer
        # Queued first, then shown: a read the screen starts now waits for this write.
        self._save(case_id, lambda _control: self.record_answer(
            audit_id=audit_id, case_id=case_id, reviewer=reviewer, criterion_code=code,
            value=answer, note=note), Changes(audit_id=audit_id, answers=True))
        self.answer_shown.emit(case_id, code, answer, note)
        return True

    def apply_detail(self, case_id: int, field: str, value: Any) -> bool:
        if self.audit_id is None or not self.reviewer:
            return False
        if field == "verdict":
            arguments: dict[str, Any] = ({"verdict": value} if value is not None
                                         else {"clear_verdict": True})
        else:
            arguments = {field: value}
        audit_id, reviewer = self.audit_id, self.reviewer
        self._save(case_id, lambda _control: self.set_case_details(
            audit_id=audit_id, case_id=case_id, reviewer=reviewer, **arguments),
            Changes(audit_id=audit_id, verdicts=True), details=True)
        self.detail_shown.emit(case_id, field, value)
        return True

    # --- the service calls, made on the serial writer's thread, never on the GUI thread ----

    def record_answer(self, **arguments: Any) -> object:
        return scoring.record_answer(self.db, **arguments)

    def set_case_details(self, **arguments: Any) -> object:
        return scoring.set_case_details(self.db, **arguments)

    def _save(self, case_id: int, write: Callable[[TaskControl], object], changes: Changes,
              *, details: bool = False) -> None:
        self._pending[case_id] = self._pending.get(case_id, 0) + 1
        ChangeOp(self, write, changes).in_order().success(
            lambda stored: self._landed(case_id, stored if details else None)).failure(
            lambda error: self._not_saved(case_id, error)).run()

    def _settle(self, case_id: int) -> None:
        left = self._pending.get(case_id, 0) - 1
        if left > 0:
            self._pending[case_id] = left
        else:
            self._pending.pop(case_id, None)

    def _landed(self, case_id: int, view: object) -> None:
        self._settle(case_id)
        if view is not None:
            self.details_stored.emit(case_id, view)

    def _not_saved(self, case_id: int, error: BaseException) -> None:
        """Nothing is lost silently: say so, forget undo steps that no longer match what is
        stored, and let the page read the case back."""
        self._settle(case_id)
        self.undo_stack.clear()
        if isinstance(error, UserError):
            self.failed.emit(case_id, str(error))
            return
        page = self.parent()
        report_error(page if isinstance(page, QWidget) else None, error)
        self.failed.emit(case_id, NOT_SAVED)


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
