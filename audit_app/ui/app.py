"""Starting the desktop app: the QApplication, stylesheet, error handling and main window.

The stylesheet's colours give way to the platform's under a dark or high-contrast palette
(`ui/theme.py`; docs/accessibility.md).

The window's first paint is light and comes first (`MainWindow(first_paint=True)`), with
the audit list read with the standard library's sqlite3 (a SQLite file only:
`services.audit_list_peek`) in it, disabled. Then, before the event loop reads a key: the
excepthook, the menus' commands and shortcuts and the pages' tabs (`MainWindow.complete`),
the dialog fitting and the colour scheme (`finish_application`); then the database and
the modules behind it (SQLAlchemy, the services) are imported and opened, the list
reloaded from them, and the last audit reopened when the event loop is first idle.
Nothing here imports SQLAlchemy at module level (docs/performance.md, "Start-up").
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from audit_app import APP_NAME, __version__
from audit_app.core.errors import UserError
from audit_app.io.private_files import clean_stale_partials, restrict_umask
from audit_app.paths import resources_dir
from audit_app.ui import settings
from audit_app.ui.main_window import MainWindow
from audit_app.ui.screen_fit import install_dialog_fitting
from audit_app.ui.theme import (
    high_contrast,
    light_palette,
    scheme_overrides,
    set_high_contrast,
    themed,
    wants_high_contrast,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QPalette

    from audit_app.services.database import Database

STYLESHEET = "app.qss"


def load_stylesheet() -> str:
    path = resources_dir() / "styles" / STYLESHEET
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""  # the app works unstyled; a missing file is not worth stopping for


def make_application(argv: list[str] | None = None, *,
                     first_paint: bool = False) -> QApplication:
    """The QApplication, named so QSettings land under the product's own key.

    With `first_paint` two things wait for `finish_application`, once the window is
    painted: the dialog fitting, whose filter sees every event and so makes PySide build
    the Python side of every class it meets (a list's scroll bars, its model), and asking
    the platform's colour scheme (`theme.wants_high_contrast`)."""
    QCoreApplication.setOrganizationName(settings.ORGANISATION)
    QCoreApplication.setApplicationName(settings.APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
        # Restyling repolishes every live widget; do it only when something changes, so a
        # second call (tests make many windows in one application) never walks widgets
        # being torn down.
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
    else:  # styled as it is made: asking its style for a name costs PySide's QStyle classes
        app = QApplication([*(argv or sys.argv[:1]), "-style", "Fusion"])
    app.setApplicationDisplayName(APP_NAME)
    apply_contrast(app, ask_scheme=not first_paint)
    _apply_stylesheet(app)
    if not first_paint:
        install_dialog_fitting(app)  # every dialog opens within the screen
    return app


def finish_application(app: QApplication) -> None:
    """What `make_application(first_paint=True)` left until the window was painted."""
    if scheme_overrides():  # a dark colour scheme with a light palette (rare)
        set_high_contrast(True)
        if _platform_palette:
            app.setPalette(_platform_palette[0])  # left alone under high contrast
        _apply_stylesheet(app)
    install_dialog_fitting(app)  # no dialog can open before this: keys wait in the queue


def _apply_stylesheet(app: QApplication) -> None:
    stylesheet = themed(load_stylesheet())
    if app.styleSheet() != stylesheet:
        app.setStyleSheet(stylesheet)


# The application's palette as the platform gave it, before `light_palette` adjusted it.
_platform_palette: list[QPalette] = []


def apply_contrast(app: QApplication, *, ask_scheme: bool = True) -> None:
    """High contrast when the platform asks for it (its palette is then left alone); else
    the light palette, with placeholder and selection colours dark enough to read."""
    palette = app.palette()
    set_high_contrast(wants_high_contrast(palette, ask_scheme=ask_scheme))
    if not high_contrast():
        _platform_palette[:] = [palette]
        adjusted = light_palette(palette)
        if adjusted != palette:
            app.setPalette(adjusted)


def open_main_window(database_target: str | None, *,
                     argv: list[str] | None = None) -> MainWindow | None:
    """Everything `run_gui` does before the event loop; None if the database cannot open."""
    restrict_umask()  # every file this run makes is the user's alone
    app = make_application(argv, first_paint=True)
    window = MainWindow(first_paint=True)  # the frame alone: shown while the database opens
    _show_peeked_audits(window, database_target)  # before the first paint: one paint, not two
    window.show()
    _paint_now(window)
    from audit_app.ui.errors import install_excepthook  # after the paint: 5 ms of imports

    install_excepthook()  # a bug from here on is logged, and a calm dialog shown
    window.complete()  # the menus and their shortcuts, before the first key press is read
    finish_application(app)
    clean_stale_partials()  # what a killed run left half-written
    from audit_app.services.database import open_database  # SQLAlchemy: after the list

    try:
        db: Database = open_database(database_target)
    except UserError as error:
        from PySide6.QtWidgets import QMessageBox

        window.hide()  # not close(): nothing of this failed start is remembered
        window.deleteLater()
        QMessageBox.warning(None, "Cannot open the database", error.message)
        return None
    window.attach_database(db, reopen_last_audit=False)
    QTimer.singleShot(0, window.reopen_last_audit)  # after the list is painted
    return window


def _show_peeked_audits(window: MainWindow, database_target: str | None) -> None:
    """The audit list before SQLAlchemy loads (more than half the wait), if it can be read."""
    from audit_app.services.audit_list_peek import peek_audit_list

    audits = peek_audit_list(database_target)
    if audits is not None:
        window.show_peeked_audits(audits)


def _paint_now(window: MainWindow) -> None:
    """Let the window appear before the slow part; keys and clicks wait in the queue."""
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    handle = window.windowHandle()
    if handle is not None and handle.isExposed():
        window.repaint()


def run_gui(database_target: str | None, *, argv: list[str] | None = None) -> int:
    """Open the database and show the main window; returns the exit code."""
    window = open_main_window(database_target, argv=argv)
    if window is None:
        return 2
    from audit_app.ui.operations import wait_for_writes  # loaded by now: the window uses it

    try:
        return QApplication.instance().exec()  # type: ignore[union-attr]
    finally:
        wait_for_writes(30_000)  # key presses still on their way to the database
        QThreadPool.globalInstance().waitForDone(30_000)  # operations still using the database
        window.db.close()
