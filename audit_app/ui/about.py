"""Help > About: the app, its version and licence, where its data lives, and the guide."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from audit_app import APP_NAME, __version__
from audit_app.paths import user_data_dir

LICENCE = "Proprietary: licensed to the scrutiny panels that use it; not for redistribution."


def about_text() -> str:
    return (f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Scrutiny panel reviews of closed domestic abuse case files: import a population, "
            "draw a sample anyone can re-check, score it against a published framework, agree "
            "the answers as a panel, and report compliance with confidence intervals.</p>"
            "<p><b>No network, no telemetry; data stays on this computer.</b></p>")


class AboutDialog(QDialog):
    """`open_guide` shows the user guide (Help > User guide)."""

    def __init__(self, open_guide: Callable[[], object] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        self.setMinimumWidth(480)
        self.data_folder = user_data_dir()
        text = QLabel(about_text())
        text.setWordWrap(True)
        folder = QLabel(str(self.data_folder))
        folder.setWordWrap(True)
        folder.setAccessibleName("Data folder")
        folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        licence = QLabel(LICENCE)
        licence.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Version:", QLabel(__version__))
        form.addRow("Licence:", licence)
        form.addRow("Data folder:", folder)
        self.open_folder_button = QPushButton("&Open data folder")
        self.open_folder_button.setAccessibleName("Open the data folder")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.guide_button = QPushButton("User &guide (F1)")
        self.guide_button.setAccessibleName("Open the user guide")
        self.guide_button.setEnabled(open_guide is not None)
        if open_guide is not None:
            self.guide_button.clicked.connect(lambda: open_guide())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.guide_button, QDialogButtonBox.ButtonRole.HelpRole)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setDefault(True)

    def open_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_folder)))


def show_about(parent: QWidget | None, open_guide: Callable[[], object] | None = None
               ) -> AboutDialog:
    dialog = AboutDialog(open_guide, parent)
    dialog.open()
    return dialog
