"""A calm line under the case header: the consistency checks on this case, if any.

"Check: agreed Appropriate, but key criterion 5.2 was found not met." It is a prompt for
moderation, not an error: the panel decides. A member still scoring blind sees only the
checks drawn from the extract (an outcome code at odds with the victim's support), since
the others would show what the rest of the panel decided.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from audit_app.core.consistency import ConsistencyFlag
from audit_app.core.errors import UserError
from audit_app.core.framework import Framework
from audit_app.services.consistency_checks import blind_view, checks_by_case
from audit_app.services.database import Database
from audit_app.services.moderation import blinding_state
from audit_app.ui.errors import log_unexpected
from audit_app.ui.operations import Changes, CoalescingQuery, QueryOp, operation_signals

TEXT, BACKGROUND = "#6b4e00", "#fbf3dc"  # amber on cream: noticeable, not alarming
Flags = dict[int, tuple[ConsistencyFlag, ...]]


def check_sentence(flag: ConsistencyFlag) -> str:
    return f"Check: {flag.detail[:1].lower()}{flag.detail[1:]}"


class ChecksLine(QLabel):
    """Hidden when the case has no checks; one line per check otherwise.

    The checks of every case are worked out in the background once per change to the
    audit (a key criterion's answer, a verdict, or `changed` from elsewhere), not once per
    case opened; opening a case only asks whether its viewer still scores blind.
    """

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._audit_id: int | None = None
        self._case: tuple[int, str] | None = None  # case id, viewer
        self._see_panel = False  # shown only once the case's blinding has been read
        self._blinding_pending = 0
        self._by_case: Flags | None = None  # None until the first read for this audit arrives
        self._checks: CoalescingQuery[tuple[int, Flags]] = CoalescingQuery(
            self, self._arrived, self._failed_quietly)
        self.own_initiator: object | None = None  # its page's saves, already told directly
        self.key_codes: frozenset[str] = frozenset()
        self.flags: tuple[ConsistencyFlag, ...] = ()
        self.setObjectName("checksLine")
        self.setWordWrap(True)
        self.setAccessibleName("Checks for moderation")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(f"QLabel#checksLine {{ color: {TEXT}; background: {BACKGROUND}; "
                           "border-radius: 4px; padding: 3px 8px; }")
        self.setVisible(False)
        operation_signals().changed.connect(self._changed)

    @property
    def ready(self) -> bool:
        """True once the checks of the audit as it is now, and the case's blinding, have
        arrived."""
        return (self._by_case is not None and not self._checks.running
                and self._blinding_pending == 0)

    def set_framework(self, framework: Framework) -> None:
        self.key_codes = frozenset(c.code for c in framework.criteria if c.key)

    def set_audit(self, audit_id: int) -> None:
        if audit_id != self._audit_id:
            self._audit_id = audit_id
            self._by_case = None
            self.clear()
        self.recompute()

    def show_case(self, audit_id: int, case_id: int, viewer: str) -> None:
        """Whether this viewer still scores blind is asked afresh at each case opened (the
        reveal may come from another laptop), in the background: ~15 ms median, 28 ms p95
        measured on the demo audit, too slow for the GUI thread."""
        if audit_id != self._audit_id:
            self.set_audit(audit_id)
        self._case = (case_id, viewer)
        self._blinding_pending += 1
        self.clear_text()
        db = self._db
        QueryOp(self, lambda _control: blinding_state(db, audit_id=audit_id, case_id=case_id,
                                                      viewer=viewer or "-").can_see_others,
                lambda see: self._blinding_arrived(case_id, see)).failure(
            self._blinding_failed).run()

    def _blinding_arrived(self, case_id: int, see_panel: bool) -> None:
        self._blinding_pending -= 1
        if self._case is not None and self._case[0] == case_id:
            self._see_panel = see_panel
            self._render()

    def _blinding_failed(self, error: BaseException) -> None:
        self._blinding_pending -= 1
        self._failed_quietly(error)

    def answer_saved(self, code: str) -> None:
        """Only a key criterion's answer can change a check: others cost nothing."""
        if self._case is not None and code in self.key_codes:
            self.recompute()

    def verdict_saved(self) -> None:
        if self._case is not None:
            self.recompute()

    def _changed(self, changes: Changes, initiator: object) -> None:
        if (initiator is not self.own_initiator and changes.concerns(self._audit_id)
                and (changes.answers or changes.verdicts or changes.cases or changes.audits)):
            self.recompute()

    def recompute(self) -> None:
        """Read every case's checks in the background; the line follows when they arrive."""
        if self._audit_id is None:
            return
        db, audit_id = self._db, self._audit_id
        self._checks.request(lambda _control: (audit_id, checks_by_case(db, audit_id=audit_id)))

    def _arrived(self, found: tuple[int, Flags]) -> None:
        audit_id, by_case = found
        if audit_id == self._audit_id:
            self._by_case = by_case
            self._render()

    @staticmethod
    def _failed_quietly(error: BaseException) -> None:
        # No dialog over the scoring: the checks are a prompt, and the next change retries.
        if not isinstance(error, UserError):
            log_unexpected(type(error), error, error.__traceback__)

    def _render(self) -> None:
        if self._case is None or self._by_case is None or self._blinding_pending:
            return
        flags = self._by_case.get(self._case[0], ())
        self.flags = flags if self._see_panel else blind_view(flags)
        self.setText("\n".join(check_sentence(flag) for flag in self.flags))
        self.setVisible(bool(self.flags))

    def clear(self) -> None:
        self._case = None
        self.clear_text()

    def clear_text(self) -> None:
        self.flags = ()
        self.setText("")
        self.setVisible(False)
