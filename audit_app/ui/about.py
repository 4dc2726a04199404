"""The About dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from audit_app import APP_NAME, __version__


def about_text() -> str:
    return (f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Scrutiny panel reviews of closed domestic abuse case files: import a population, "
            "draw a reproducible sample, score it against a versioned framework, moderate, and "
            "report compliance with confidence intervals.</p>"
            "<p><b>No network, no telemetry; data stays on this computer.</b></p>")


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, f"About {APP_NAME}", about_text())
