"""Starting the desktop app: the QApplication, stylesheet, error handling and main window."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox

from audit_app import APP_NAME, __version__
from audit_app.core.errors import UserError
from audit_app.io.private_files import clean_stale_partials, restrict_umask
from audit_app.paths import resources_dir
from audit_app.services.database import Database, open_database
from audit_app.ui import settings
from audit_app.ui.errors import install_excepthook

if TYPE_CHECKING:
    from audit_app.ui.main_window import MainWindow

STYLESHEET = "app.qss"


def load_stylesheet() -> str:
    path = resources_dir() / "styles" / STYLESHEET
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""  # the app works unstyled; a missing file is not worth stopping for


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, named so QSettings land under the product's own key."""
    QCoreApplication.setOrganizationName(settings.ORGANISATION)
    QCoreApplication.setApplicationName(settings.APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationDisplayName(APP_NAME)
    app.setStyle("Fusion")
    app.setStyleSheet(load_stylesheet())
    return app


def open_main_window(database_target: str | None, *,
                     argv: list[str] | None = None) -> MainWindow | None:
    """Everything `run_gui` does before the event loop; None if the database cannot open."""
    restrict_umask()  # every file this run makes is the user's alone
    make_application(argv)
    install_excepthook()
    clean_stale_partials()  # what a killed run left half-written
    try:
        db: Database = open_database(database_target)
    except UserError as error:
        QMessageBox.warning(None, "Cannot open the database", error.message)
        return None
    from audit_app.ui.main_window import MainWindow

    window = MainWindow(db)
    window.show()
    return window


def run_gui(database_target: str | None, *, argv: list[str] | None = None) -> int:
    """Open the database and show the main window; returns the exit code."""
    window = open_main_window(database_target, argv=argv)
    if window is None:
        return 2
    try:
        return QApplication.instance().exec()  # type: ignore[union-attr]
    finally:
        QThreadPool.globalInstance().waitForDone(30_000)  # operations still using the database
        window.db.close()
