"""Meeting mode's look on a projector: large type, pages that scroll, the keys line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QScrollArea, QWidget

# Large type for a projector: the app's font this many times over. A screen already
# scaled up (1280x720 at 150% leaves 853x480) gets less, or nothing would fit.
TYPE_SCALE = 1.6
SMALL_SCREEN_TYPE_SCALE = 1.15
SMALL_SCREEN_WIDTH = 1000  # logical pixels
NOTICE_STYLE = "QLabel { background: #eef4f7; color: #1f2a33; padding: 6px; }"
KEYS_LINE = ("Page Down / Page Up: next or previous case · Ctrl+1…9: go to a case · "
             "1, 2, 3…: the agreed answer")


def large_type(font: QFont, scale: float) -> str:
    if font.pointSizeF() > 0:
        return f"QWidget {{ font-size: {font.pointSizeF() * scale:.1f}pt; }}"
    return f"QWidget {{ font-size: {round(font.pixelSize() * scale)}px; }}"


def scrolled(page: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    # Text wraps; only on the smallest screens may a row of buttons need a sideways scroll.
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setAccessibleName(name)
    return area
