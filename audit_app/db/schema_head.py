"""The newest schema revision, read from the migration files without Alembic or SQLAlchemy.

Alembic costs about 0.3 s to import and SQLAlchemy more: the start-up peek at the audit
list (`db.audit_list_peek`) and the upgrade check both read the head from here (a test
checks it against Alembic's own).
"""

from __future__ import annotations

import re
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


def head_revision() -> str:
    """The newest migration: the one no other migration builds on."""
    revisions: set[str] = set()
    built_on: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found:
            revisions.add(found.group(1))
        below = _DOWN_REVISION.search(source)
        if below:
            built_on.add(below.group(1))
    heads = revisions - built_on
    assert len(heads) == 1, f"the migrations must form one line, not {sorted(heads)}"
    return heads.pop()
