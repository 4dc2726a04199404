"""The app's error log (tracebacks can hold case data) is the user's alone (POSIX)."""

from __future__ import annotations

import os
import stat

import pytest

from audit_app.cli import ERROR_LOG_NAME
from audit_app.paths import user_data_dir
from audit_app.ui.errors import error_log_path, log_unexpected

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def test_the_apps_error_log_is_private_and_shared_with_the_command_line() -> None:
    previous = os.umask(0o022)
    try:
        error = ValueError("a bug")
        logged = log_unexpected(ValueError, error, None)
        assert logged == error_log_path() == user_data_dir() / ERROR_LOG_NAME
        assert stat.S_IMODE(logged.stat().st_mode) == 0o600
        os.chmod(logged, 0o644)
        log_unexpected(ValueError, error, None)
        assert stat.S_IMODE(logged.stat().st_mode) == 0o600
        assert logged.read_text(encoding="utf-8").count("--- ") == 2
    finally:
        os.umask(previous)
