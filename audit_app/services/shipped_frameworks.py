"""What the shipped framework files hold, remembered under a digest of their bytes.

Parsing the shipped YAML is most of what installing them costs at each start. The key and
version each file holds are written to a small index in the user's data folder, under a
SHA-256 of every shipped file's name and bytes; while the files are unchanged, start-up
asks the database one question (are these versions there?) and parses nothing. Any change
to a shipped file changes the digest, and the files are read and installed again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

from audit_app.core.errors import UserError
from audit_app.io.private_files import write_private_text
from audit_app.paths import user_data_dir

INDEX_NAME = "shipped-frameworks.json"

KeyVersion = tuple[str, int]


def shipped_digest(paths: list[Path]) -> str:
    """One SHA-256 over each file's name and bytes, in the order given."""
    digest = hashlib.sha256()
    for path in paths:
        data = path.read_bytes()
        digest.update(f"{path.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _index_path() -> Path:
    return user_data_dir() / INDEX_NAME


def remembered_versions(digest: str) -> set[KeyVersion] | None:
    """The (key, version) pairs the files with this digest hold; None if not known."""
    try:
        index = json.loads(_index_path().read_text(encoding="utf-8"))
        if index.get("digest") != digest:
            return None
        return {(str(key), int(version)) for key, version in index["versions"]}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # missing or damaged: read the files, as a first start does


def remember_versions(digest: str, versions: set[KeyVersion]) -> None:
    """Best effort: a folder that cannot be written only means the next start parses again."""
    text = json.dumps({"digest": digest, "versions": sorted(versions)})
    with contextlib.suppress(OSError, UserError):
        write_private_text(_index_path(), text)
