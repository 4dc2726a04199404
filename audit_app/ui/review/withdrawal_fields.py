"""When and why the victim stopped supporting action: two pick-lists in the conclusion.

The codes are the ones criterion 4.1 of the domestic abuse framework names (S1 to S4, R1 to
R8); the findings count them over the sample. "Not coded" leaves the case out of the count.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel

from audit_app.core.audit_rows import ReviewView
from audit_app.core.withdrawal import WithdrawalReason, WithdrawalStage

NOT_CODED = "Not coded"


def withdrawal_pair(view: ReviewView) -> tuple[str | None, str | None]:
    """The review's (stage, reason) codes as plain strings (None where not coded)."""
    return (view.withdrawal_stage.value if view.withdrawal_stage else None,
            view.withdrawal_reason.value if view.withdrawal_reason else None)


class WithdrawalFields(QObject):
    """Adds its rows to a form; emits (stage, reason) codes whenever either list changes."""

    changed = Signal(object, object)

    def __init__(self, form: QFormLayout) -> None:
        super().__init__(form)
        hint = QLabel("If the victim did not support, or withdrew support: when, and why.")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        form.addRow(hint)
        self.stage = self._pick_list("Withdrawal stage",
                                     [(s.value, s.label) for s in WithdrawalStage])
        self.reason = self._pick_list("Withdrawal reason",
                                      [(r.value, r.label) for r in WithdrawalReason])
        form.addRow("Withdrawal &stage", self.stage)
        form.addRow("Withdrawal &reason", self.reason)
        self._showing = False

    def _pick_list(self, name: str, choices: list[tuple[str, str]]) -> QComboBox:
        box = QComboBox()
        box.addItem(NOT_CODED, None)
        for code, label in choices:
            box.addItem(f"{code} · {label}", code)
        box.setAccessibleName(name)
        box.setToolTip(f"{name}, as a code the findings count")
        box.currentIndexChanged.connect(self._changed)
        return box

    def show_codes(self, stage: str | None, reason: str | None) -> None:
        self._showing = True
        try:
            for box, code in ((self.stage, stage), (self.reason, reason)):
                box.setCurrentIndex(max(box.findData(code), 0) if code else 0)
        finally:
            self._showing = False

    def codes(self) -> tuple[str | None, str | None]:
        return self.stage.currentData(), self.reason.currentData()

    def set_enabled(self, enabled: bool) -> None:
        self.stage.setEnabled(enabled)
        self.reason.setEnabled(enabled)

    def _changed(self, _index: int) -> None:
        if not self._showing:
            self.changed.emit(*self.codes())
