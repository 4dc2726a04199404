"""Turning errors into calm dialogs: plain English for user errors, a log file for bugs."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from audit_app import __version__
from audit_app.core.errors import Cancelled, UserError, ValidationError
from audit_app.io.error_log import append_to_error_log, error_log_path

log = logging.getLogger("audit_app.ui")

_MAX_PROBLEMS_SHOWN = 12


def show_user_error(parent: QWidget | None, error: UserError, *, title: str = "Cannot do that") -> None:
    """A plain-English message; row-level problems go in the details, never a traceback."""
    if isinstance(error, Cancelled):
        QMessageBox.information(parent, "Cancelled", error.message)
        return
    box = QMessageBox(QMessageBox.Icon.Warning, title, error.message, QMessageBox.StandardButton.Ok,
                      parent)
    box.setObjectName("userErrorBox")
    if isinstance(error, ValidationError) and error.problems:
        lines = [str(p) for p in error.problems[:_MAX_PROBLEMS_SHOWN]]
        if len(error.problems) > _MAX_PROBLEMS_SHOWN:
            lines.append(f"…and {len(error.problems) - _MAX_PROBLEMS_SHOWN} more")
        box.setDetailedText("\n".join(lines))
    box.exec()


def log_unexpected(exc_type: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> Path:
    """Append the traceback to the error log the command line also writes."""
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    logged = append_to_error_log(exc, heading=f"Case File Audit {__version__}")
    if logged is None:
        log.error("could not write the error log")
    return error_log_path()


def show_unexpected(parent: QWidget | None, log_path: Path) -> None:
    QMessageBox.critical(
        parent, "Something went wrong",
        "Something went wrong and that action did not finish. Your saved work is safe.\n\n"
        f"Details were written to:\n{log_path}\n\nPlease send that file to your support contact.")


def handle_exception(exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None) -> None:
    """The global excepthook: user errors as a message, anything else logged then a calm dialog."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    parent = QApplication.activeWindow()
    if isinstance(exc, UserError):
        show_user_error(parent, exc)
        return
    show_unexpected(parent, log_unexpected(exc_type, exc, tb))


def install_excepthook() -> None:
    sys.excepthook = handle_exception


def report_error(parent: QWidget | None, error: BaseException) -> None:
    """What a page does with an error from a service call or a background task."""
    if isinstance(error, UserError):
        show_user_error(parent, error)
    else:
        show_unexpected(parent, log_unexpected(type(error), error, error.__traceback__))
