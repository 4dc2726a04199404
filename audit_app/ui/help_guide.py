"""Help > User guide (F1): the offline guide shipped in resources/help, in a QTextBrowser.

Also the one helper that gives each page its "what is this page for" line.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, QUrl
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from audit_app.paths import resources_dir
from audit_app.ui.screen_fit import fit_to_screen

GUIDE_FILE = "guide.html"
GUIDE_SECTIONS = ("What the app is for", "The quarterly workflow, step by step",
                  "Keyboard shortcuts", "Privacy and partner copies", "Backups")


def guide_path() -> str:
    return str(resources_dir() / "help" / GUIDE_FILE)


class GuideDialog(QDialog):
    """Non-modal, so the guide can stay open beside the window while the panel works."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowTitle("User guide")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(False)  # offline: the guide links only to itself
        self.browser.setOpenLinks(True)
        self.browser.setSource(QUrl.fromLocalFile(guide_path()))
        if not self.browser.toPlainText().strip():
            self.browser.setPlainText("The user guide could not be found with the app's files. "
                                      "Reinstalling the app puts it back.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)
        fit_to_screen(self, QSize(720, 560))

    def show_section(self, anchor: str) -> None:
        self.browser.scrollToAnchor(anchor)


def page_purpose_label(text: str) -> QLabel:
    """The one plain sentence under a page's title saying what the page is for."""
    label = QLabel(text)
    label.setObjectName("pageSubtitle")  # styled as the other page subtitles
    label.setWordWrap(True)
    label.setAccessibleName("What this page is for")
    label.setContentsMargins(16, 4, 16, 2)
    return label
