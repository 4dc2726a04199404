"""The one error log that the app and the command line both append bugs to: a private
file (tracebacks can hold case data) in the user's data folder, with secrets taken out
before anything is written."""

from __future__ import annotations

import datetime as dt
import re
import traceback
from pathlib import Path

from audit_app.io.private_files import open_private_append
from audit_app.paths import user_data_dir

ERROR_LOG_NAME = "case-file-audit-errors.log"

# postgresql://user:secret@host, and password=..., passphrase: ... in a message or repr.
_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")
_NAMED_SECRET = re.compile(r"(?i)\b((?:password|passphrase|passwd|pwd|secret)\s*[=:]\s*)"
                           r"(['\"]?)[^\s'\",)]+\2")


def error_log_path() -> Path:
    return user_data_dir() / ERROR_LOG_NAME


def without_secrets(text: str) -> str:
    """The text with every password or passphrase it names replaced by ***."""
    return _NAMED_SECRET.sub(r"\1\2***\2", _URL_PASSWORD.sub(r"\1***@", text))


def append_to_error_log(error: BaseException, *, heading: str) -> Path | None:
    """Append the traceback under a heading line; the log's path, or None if even that
    failed (a full disk, say): the caller still shows its own message."""
    path = error_log_path()
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    text = "".join(traceback.format_exception(error))
    try:
        with open_private_append(path) as log:
            log.write(without_secrets(f"--- {stamp} {heading}\n{text}\n"))
    except OSError:
        return None
    return path
