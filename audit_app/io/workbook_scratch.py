"""Where openpyxl puts a streamed sheet while a workbook is written: a private folder.

openpyxl's write-only mode streams each sheet to a file made by
`openpyxl.worksheet._writer.create_temporary_file`, in the shared system temp folder,
and a killed process leaves it there with case data in it. Importing this module replaces
that function, and `workbook_scratch()` names the folder for the duration of a write: a
private scratch folder (see `private_files.private_scratch`) removed afterwards, and noted
so that the next start removes it if the process is killed. The folder is per thread: two
exports on two threads each use their own. Outside a write, the files go to a private
folder in the user's data folder, never the shared temp folder.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from zipfile import ZIP_DEFLATED, ZipFile

import openpyxl.worksheet._writer as openpyxl_writer
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from audit_app.io.private_files import FILE_MODE, private_dir, private_scratch, write_failure

if TYPE_CHECKING:
    from sys import UnraisableHookArgs

FALLBACK_DIR_NAME = "scratch"
_current = threading.local()


def _scratch_folder() -> Path:
    folder = getattr(_current, "folder", None)
    if isinstance(folder, Path):
        return folder
    # A write that did not set a folder still stays out of the shared temp folder.
    from audit_app.paths import user_data_dir

    return private_dir(user_data_dir() / FALLBACK_DIR_NAME)


def create_private_temporary_file(suffix: str = "") -> str:
    """openpyxl's `create_temporary_file`, made 0600 in the current scratch folder."""
    path = _scratch_folder() / f"openpyxl.{uuid.uuid4().hex}{suffix}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    os.close(os.open(path, flags, FILE_MODE))
    openpyxl_writer.ALL_TEMP_FILES.append(str(path))  # openpyxl's own clean-up at exit
    return str(path)


def install() -> None:
    """Route every openpyxl scratch file through `create_private_temporary_file`."""
    openpyxl_writer.create_temporary_file = create_private_temporary_file


@contextmanager
def workbook_scratch() -> Iterator[Path]:
    """While the block runs, this thread's openpyxl scratch files go in a private folder."""
    install()
    previous = getattr(_current, "folder", None)
    with private_scratch() as folder:
        _current.folder = folder
        try:
            yield folder
        finally:
            _current.folder = previous


def save_workbook(workbook: Workbook, path: Path) -> None:
    """`workbook.save(path)`, reporting a failed write once.

    openpyxl leaves its zip archive and its sheet writers open when a write fails (a full
    disk), and each then fails again, as "Exception ignored" noise on stderr, when it is
    collected. The archive is closed here, and the writers are collected with that
    second, expected failure kept quiet; the first failure is raised as it was."""
    if workbook.write_only and not workbook.worksheets:
        workbook.create_sheet()
    failure: OSError | None = None
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_about_write_failures(previous_hook)
    try:
        try:
            with ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True) as archive:
                workbook.properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
                ExcelWriter(workbook, archive).write_data()
        except Exception as exc:  # an OSError, or lxml's word for one
            written = write_failure(exc)
            if written is None:
                raise
            failure = OSError(written.errno, written.strerror)  # without the frames holding writers
        if failure is not None:
            gc.collect()  # a full collection takes a while: only after a failed write
    finally:
        sys.unraisablehook = previous_hook
    if failure is not None:
        raise failure


def _quiet_about_write_failures(
        previous: Callable[[UnraisableHookArgs], object]) -> Callable[[UnraisableHookArgs], object]:
    def hook(unraisable: UnraisableHookArgs) -> object:
        if unraisable.exc_value is not None and write_failure(unraisable.exc_value) is not None:
            return None
        return previous(unraisable)

    return hook

install()
