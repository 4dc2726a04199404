"""The review screens' calm palette, focus ring and scaled fonts.

Font sizes are always derived from the system font (never pixel sizes) so text follows
the user's accessibility settings; colours come from one table so states read the same
everywhere.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

from audit_app.core.answers import Answer, ReviewStatus

INK = "#1f2a37"
MUTED = "#5b6776"
LINE = "#d8dee6"
SURFACE = "#f6f8fa"
CARD = "#ffffff"
ACCENT = "#2563c9"  # white on it, and it on the page, 4.5:1 and more (WCAG AA)
ACCENT_SOFT = "#e8f0fc"
URGENT = "#b3261e"

# (text colour, background) per answer: strong enough to scan, soft enough to sit with.
ANSWER_COLOURS: dict[Answer, tuple[str, str]] = {
    Answer.MET: ("#1e6b4a", "#dff1e7"),
    Answer.PARTLY_MET: ("#8a5a00", "#fbefd5"),
    Answer.NOT_MET: ("#a1332c", "#f9e1df"),
    Answer.NOT_APPLICABLE: ("#4f5b66", "#e9edf1"),
    Answer.NOT_EVIDENCED: ("#5d3f96", "#ebe5f6"),
    Answer.NOT_IN_FILE: ("#3f5f7a", "#e3edf5"),
}

STATUS_COLOURS: dict[ReviewStatus, str] = {
    ReviewStatus.NOT_STARTED: "#687380",  # white text on each: 4.5:1 or more
    ReviewStatus.IN_PROGRESS: "#946500",
    ReviewStatus.COMPLETE: "#247a52",
}

STATUS_SYMBOLS: dict[ReviewStatus, str] = {
    ReviewStatus.NOT_STARTED: "○",
    ReviewStatus.IN_PROGRESS: "◐",
    ReviewStatus.COMPLETE: "●",
}


def answer_button_style(answer: Answer) -> str:
    ink, background = ANSWER_COLOURS[answer]
    return (
        f"QPushButton {{ border: 1px solid {LINE}; border-radius: 6px; padding: 4px 10px;"
        f" background: {CARD}; color: {INK}; }}"
        f" QPushButton:hover {{ border-color: {ink}; }}"
        f" QPushButton:checked {{ background: {background}; color: {ink};"
        f" border: 1px solid {ink}; }}"
        f" QPushButton:focus {{ border: 2px solid {ACCENT}; }}"
        f" QPushButton:disabled {{ color: #a3acb6; background: {SURFACE}; }}"
        # A closed audit's answers are final but still read at a glance, in their colours.
        f" QPushButton[final=\"true\"]:checked:disabled {{ background: {background};"
        f" color: {ink}; border: 1px solid {ink}; }}"
    )


PAGE_STYLE = f"""
QWidget#reviewPage {{ background: {SURFACE}; color: {INK}; }}
QFrame#card {{ background: {CARD}; border: 1px solid {LINE}; border-radius: 8px; }}
QFrame#criterionRow {{ background: {CARD}; border: 1px solid {LINE}; border-radius: 8px; }}
QFrame#criterionRow[current="true"] {{ border: 2px solid {ACCENT}; background: {ACCENT_SOFT}; }}
QFrame#criterionRow[automatic="true"] {{ background: {SURFACE}; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#guidance {{ color: {INK}; background: {SURFACE}; border-left: 3px solid {ACCENT};
    padding: 6px 10px; }}
QLabel#sectionTitle {{ color: {INK}; padding-top: 6px; }}
QLabel#urgentBanner {{ color: white; background: {URGENT}; border-radius: 6px; padding: 4px 10px; }}
QLabel#chip {{ border-radius: 10px; padding: 2px 10px; background: {ACCENT_SOFT}; color: {INK}; }}
QLineEdit, QPlainTextEdit, QComboBox {{
    border: 1px solid {LINE}; border-radius: 6px; padding: 4px 6px; background: {CARD}; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QListView:focus, QTableWidget:focus,
QCheckBox:focus, QToolButton:focus {{ border: 2px solid {ACCENT}; }}
QToolButton:disabled {{ color: #9aa5ae; }}  /* greyed: Undo with nothing to undo */
QLineEdit[missing="true"] {{ border: 1px solid #a1332c; background: #fdf3f2; }}
QListView {{ border: 1px solid {LINE}; border-radius: 8px; background: {CARD}; padding: 4px; }}
QListView::item {{ padding: 6px 4px; border-radius: 6px; }}
QListView::item:selected {{ background: {ACCENT_SOFT}; color: {INK}; }}
QPushButton#primary {{ background: {ACCENT}; color: white; border: none; border-radius: 6px;
    padding: 6px 14px; font-weight: 600; }}
QPushButton#primary:focus {{ border: 2px solid {INK}; }}
QPushButton#primary:disabled {{ background: #9db8e6; }}
QTabWidget::pane {{ border: none; }}
QToolButton#guidanceToggle {{ border: none; color: {ACCENT}; padding: 0; }}
QToolButton#guidanceToggle:focus {{ border: 1px solid {ACCENT}; border-radius: 4px; }}
"""


def scaled_font(widget: QWidget, factor: float = 1.0, *, bold: bool = False) -> QFont:
    """The widget's own (system-derived) font, scaled, so headings follow the user's size."""
    font = QFont(widget.font())
    size = font.pointSizeF()
    if size > 0:
        font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font
