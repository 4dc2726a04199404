"""Files that hold case data: private to the user, written whole or not at all.

Every file the app writes with case data in it (database, backups, workbooks, packages,
scoresheets, reports, logs) goes through here, so that on POSIX it is created mode 0600
in a folder of mode 0700, whatever the user's umask.

An output is written to a private temporary file beside its destination and renamed over
it only once complete (`private_output`). While it is being written, a note in the
user's data folder names the temporary file, so if the process is killed part way the
next start deletes what was left (`clean_stale_partials`). Scratch space that a library
needs (openpyxl streams sheets to temporary files) is a private folder made the same
way, never the shared system temp folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from audit_app.core.errors import UserError

FILE_MODE = 0o600
DIR_MODE = 0o700
PARTIAL_MARK = ".cfa-partial-"
PENDING_DIR_NAME = "pending"
POSIX = os.name == "posix"


class DiskFullError(UserError):
    """No room on the drive: nothing was written."""


def private_dir(path: Path) -> Path:
    """Create `path` (and missing parents) as private folders; returns it.

    Folders that already exist keep their mode (see `make_private_dir` for the app's own)."""
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    path.mkdir(parents=True, exist_ok=True)
    if POSIX:
        for folder in missing:
            with contextlib.suppress(OSError):
                os.chmod(folder, DIR_MODE)
    return path


def make_private_dir(path: Path) -> Path:
    """Create the app's own folder private, and tighten it if an older version left it open."""
    private_dir(path)
    if POSIX:
        with contextlib.suppress(OSError):
            status = os.stat(path)
            if status.st_uid == os.getuid() and status.st_mode & 0o077:
                os.chmod(path, DIR_MODE)
    return path


def make_private(path: Path) -> None:
    """Make an existing file readable and writable by its owner alone (POSIX).

    A file we may not change the mode of (someone else's) is left as it is."""
    if POSIX:
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if os.stat(path).st_mode & 0o077:
                os.chmod(path, FILE_MODE)


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if it does not exist (before a library opens it)."""
    if path.exists():
        make_private(path)
        return
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0)
    os.close(os.open(path, flags, FILE_MODE))
    make_private(path)


def open_private_append(path: Path) -> TextIO:
    """Open a text file for appending, created 0600 (logs)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    make_private(path)
    return os.fdopen(fd, "a", encoding="utf-8")


def write_failure(exc: BaseException) -> OSError | None:
    """The OSError behind a failed write, or None when `exc` is not one.

    openpyxl writes through lxml when it is installed, and lxml reports a failed write as
    `SerialisationError("IO_EFBIG")` rather than an OSError: read the errno from its name."""
    if isinstance(exc, OSError):
        return exc
    if type(exc).__module__ == "lxml.etree" and type(exc).__name__ == "SerialisationError":
        code = getattr(errno, str(exc).removeprefix("IO_"), None)
        if isinstance(code, int):
            return OSError(code, os.strerror(code))
        return OSError(errno.EIO, "the write failed")
    return None


def disk_problem(exc: OSError, path: Path | str) -> UserError:
    """One plain line for a failed write; never the file's contents."""
    name = Path(path).name
    # EFBIG: the file-size limit (a quota or ulimit) is, to the user, a full disk.
    if exc.errno in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", -1)):
        return DiskFullError(f"The disk is full, so {name} was not written. Nothing was "
                             "changed; free some space and try again.")
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return UserError(f"Cannot write {name}: permission denied (is it open in another "
                         "program, or is the folder read-only?). Nothing was written.")
    return UserError(f"Cannot write {name}: {exc.strerror or 'the write failed'}. "
                     "Nothing was written.")


# --- partial files, noted so a killed run's leftovers are found at the next start -----

def _pending_dir() -> Path:
    from audit_app.paths import user_data_dir

    return private_dir(user_data_dir() / PENDING_DIR_NAME)


@contextlib.contextmanager
def _noted(partial: Path) -> Iterator[None]:
    """While the block runs, a note in the data folder names `partial` for clean-up."""
    import uuid  # here: it brings `platform`, which the app's start-up does not need

    note = _pending_dir() / f"{os.getpid()}-{uuid.uuid4().hex}"
    with open(note, "w", encoding="utf-8", opener=_private_opener) as handle:
        handle.write(str(partial.resolve()))
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            note.unlink()


def _private_opener(path: str, flags: int) -> int:
    return os.open(path, flags, FILE_MODE)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if not POSIX:
        return False  # Windows: a stale note from this user is cleaned; see docstring
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_partials() -> int:
    """Delete what killed runs left half-written; returns how many were removed.

    Only partial files named in a note whose process is gone are touched."""
    from audit_app.paths import user_data_dir

    removed = 0
    pending = user_data_dir() / PENDING_DIR_NAME
    try:  # cheap when nothing is pending: no folder is made just to look in it
        notes = list(pending.iterdir()) if pending.is_dir() else []
    except OSError:
        return 0
    for note in notes:
        pid_text = note.name.split("-", 1)[0]
        if pid_text.isdigit() and _alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError, UnicodeDecodeError):
            target = Path(note.read_text(encoding="utf-8").strip())
            if target.name.startswith(PARTIAL_MARK) and target.exists():
                _remove(target)
                removed += 1
        with contextlib.suppress(OSError):
            note.unlink()
    return removed


@contextlib.contextmanager
def private_output(path: Path) -> Iterator[Path]:
    """Yield a private temporary path beside `path`; rename it over `path` on success.

    On any error, or a cancel, the temporary file is deleted and `path` is untouched. An
    OSError while writing (full disk, no permission) becomes one plain UserError."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path.name} is a folder: choose a file name")
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist")
    import uuid

    partial = path.with_name(f"{PARTIAL_MARK}{uuid.uuid4().hex[:12]}-{path.name}")
    try:
        with _noted(partial):
            try:
                create_private_file(partial)
                yield partial
                make_private(partial)
                os.replace(partial, path)
            except Exception as exc:
                failure = write_failure(exc)
                if failure is None:
                    raise
                raise disk_problem(failure, path) from None
            finally:
                if partial.exists():
                    _remove(partial)
    except OSError as exc:  # the note itself could not be written
        raise disk_problem(exc, path) from None


@contextlib.contextmanager
def private_scratch(near: Path | None = None) -> Iterator[Path]:
    """A private scratch folder (0700) for a library's temporary files, removed after.

    It sits in the user's data folder, or beside `near`, never in the shared temp folder."""
    if near is None:
        from audit_app.paths import user_data_dir

        base = user_data_dir()
    else:
        base = Path(near)
    import uuid

    folder = base / f"{PARTIAL_MARK}{uuid.uuid4().hex[:12]}-scratch"
    try:
        with _noted(folder):
            private_dir(folder)
            try:
                yield folder
            finally:
                _remove(folder)
    except OSError as exc:
        raise disk_problem(exc, folder) from None


def write_private_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` privately and atomically."""
    with private_output(path) as partial, open(partial, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_private_text(path: Path, text: str) -> None:
    write_private_bytes(path, text.encode("utf-8"))


def restrict_umask() -> None:
    """Files this process creates by any route default to owner-only (POSIX)."""
    if POSIX and sys.platform != "emscripten":
        os.umask(0o077)
