"""A word-wrapped label that is never given fewer lines than its text needs.

Layouts (a QFormLayout in a group box in a scroll area above all) size a wrapped label's
height for some other width than the one it ends up with, and then cut its last line off
(seen on the Sample record under a high-contrast theme at 150%). This label asks for the
height its text needs at the width it was actually given, so the layout grows instead
(and a scroll area around it scrolls).
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class WrappingLabel(QLabel):
    """Word-wrapped; as tall as its text at its present width, at the least."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        # Measured from the text (heightForWidth counts the minimum height set here).
        margins = self.contentsMargins()
        width = self.width() - margins.left() - margins.right() - 2 * self.margin()
        if width <= 0:
            return
        lines = self.fontMetrics().boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), self.text())
        needed = lines.height() + margins.top() + margins.bottom() + 2 * self.margin()
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)
