"""The framework editor's "Key criterion" tick (kept apart: the editor is long enough).

A key criterion is one an appropriate decision should not have not met; findings flag an
appropriate verdict beside a key criterion not met for moderation. Scoring is unchanged.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox

LABEL = "Key criterion: flag an appropriate verdict where this is not met"


def key_criterion_box() -> QCheckBox:
    box = QCheckBox(LABEL)
    box.setAccessibleName("Key criterion")
    box.setToolTip("Findings list an appropriate verdict beside this criterion found not met, "
                   "for the panel to look at in moderation. Scores are not changed.")
    return box


def load_key(box: QCheckBox, data: dict[str, Any]) -> None:
    box.blockSignals(True)
    box.setChecked(data.get("key") is True)
    box.blockSignals(False)


def store_key(box: QCheckBox, data: dict[str, Any]) -> None:
    # Left out when not ticked, as in the shipped files.
    if box.isChecked():
        data["key"] = True
    else:
        data.pop("key", None)
