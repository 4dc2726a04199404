"""One error log for the app and the command line, and no secret reaches it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.cli import ERROR_LOG_NAME, _write_bug_log
from audit_app.io.error_log import append_to_error_log, error_log_path, without_secrets


@pytest.mark.parametrize(("text", "kept"), [
    ("could not connect to postgresql://panel:Hunter2!@db.example/audit",
     "postgresql://panel:***@db.example/audit"),
    ("OperationalError: password=Hunter2! host=db", "password=*** host=db"),
    ("unlock(passphrase='Hunter2!', path=x)", "passphrase='***', path=x"),
    ('{"Secret": "Hunter2!"}', '{"Secret": "Hunter2!"}'),  # a JSON key is not key=value
])
def test_secrets_are_replaced(text: str, kept: str) -> None:
    cleaned = without_secrets(text)
    assert kept in cleaned
    if "***" in kept:
        assert "Hunter2" not in cleaned


@given(st.text(alphabet=st.characters(blacklist_characters="@'\",)", blacklist_categories=(
    "Cs", "Zs", "Cc")), min_size=1, max_size=30))
def test_no_url_password_survives(password: str) -> None:
    assert password not in without_secrets(f"postgresql://user:{password}@host/db").replace(
        "postgresql://user:***@host/db", "")


def test_the_app_and_the_command_line_append_to_one_log() -> None:
    try:
        raise RuntimeError("opening postgresql://chair:Hunter2@db/audit failed")
    except RuntimeError as raised:
        error = raised
        path = append_to_error_log(error, heading="Case File Audit test")
    assert path == error_log_path() and path.name == ERROR_LOG_NAME
    # A command that fails on a bug writes to the same file, its arguments cleaned too.
    assert _write_bug_log(error, ["--db", "postgresql://chair:Hunter2@db/audit", "stats"]) == path
    text = path.read_text(encoding="utf-8")
    assert "Hunter2" not in text
    assert text.count("--- ") == 2 and "Case File Audit test" in text and "audit-app" in text
