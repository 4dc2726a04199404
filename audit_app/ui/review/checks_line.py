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
from audit_app.core.framework import Framework
from audit_app.services.consistency_checks import case_checks
from audit_app.services.database import Database
from audit_app.services.moderation import blinding_state

TEXT, BACKGROUND = "#6b4e00", "#fbf3dc"  # amber on cream: noticeable, not alarming


def check_sentence(flag: ConsistencyFlag) -> str:
    return f"Check: {flag.detail[:1].lower()}{flag.detail[1:]}"


class ChecksLine(QLabel):
    """Hidden when the case has no checks; one line per check otherwise."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._case: tuple[int, int, str] | None = None
        self.key_codes: frozenset[str] = frozenset()
        self.flags: tuple[ConsistencyFlag, ...] = ()
        self.setObjectName("checksLine")
        self.setWordWrap(True)
        self.setAccessibleName("Checks for moderation")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(f"QLabel#checksLine {{ color: {TEXT}; background: {BACKGROUND}; "
                           "border-radius: 4px; padding: 3px 8px; }")
        self.setVisible(False)

    def set_framework(self, framework: Framework) -> None:
        self.key_codes = frozenset(c.code for c in framework.criteria if c.key)

    def show_case(self, audit_id: int, case_id: int, viewer: str) -> None:
        self._case = (audit_id, case_id, viewer)
        see_panel = blinding_state(self._db, audit_id=audit_id, case_id=case_id,
                                   viewer=viewer or "-").can_see_others
        self.flags = case_checks(self._db, audit_id=audit_id, case_id=case_id,
                                 see_panel=see_panel)
        self.setText("\n".join(check_sentence(flag) for flag in self.flags))
        self.setVisible(bool(self.flags))

    def answer_saved(self, code: str) -> None:
        """Only a key criterion's answer can change a check: others cost nothing."""
        if self._case is not None and code in self.key_codes:
            self.show_case(*self._case)

    def verdict_saved(self) -> None:
        if self._case is not None:
            self.show_case(*self._case)

    def clear(self) -> None:
        self._case = None
        self.flags = ()
        self.setText("")
        self.setVisible(False)
