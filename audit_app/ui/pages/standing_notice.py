"""The calm notice at the top of a page when the open audit is closed or its case data deleted.

It looks like the Findings page's kept-findings notice (both styled in app.qss) and says
what `services.audits.AuditStanding.notice` says, so every page words it the same way.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from audit_app.services.audits import AuditStanding


class StandingNotice(QLabel):
    """Hidden while the audit is open; otherwise one or two plain sentences."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("standingNotice")
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName("Where this audit stands")
        # As tall as its text, however empty the page below it is.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.hide()

    def show_standing(self, standing: AuditStanding | None) -> None:
        text = standing.notice if standing is not None else ""
        self.setText(text)
        self.setVisible(bool(text))
