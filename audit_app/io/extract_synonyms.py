"""Reading the header synonym table: the shipped one and the user's own file over it.

The shipped table is `resources/mapping/header-synonyms.yaml`; a user teaches the app
their force's headings with a `header-synonyms.yaml` of the same shape in the data
folder. Both are read again only when the user's file changes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from audit_app.core.errors import InvalidFileError
from audit_app.core.header_synonyms import HeaderSynonyms, build_synonyms, read_synonyms

SYNONYMS_FILE = "header-synonyms.yaml"


def shipped_synonyms_path() -> Path:
    from audit_app.paths import resources_dir  # paths sits beside the layers; read lazily

    return resources_dir() / "mapping" / SYNONYMS_FILE


def user_synonyms_path() -> Path:
    """Where a user's own headings go: the data folder (the file need not exist)."""
    from audit_app.paths import user_data_dir

    return user_data_dir() / SYNONYMS_FILE


def _read(path: Path, source: str) -> dict[str, list[str]]:
    try:
        return read_synonyms(yaml.safe_load(path.read_text(encoding="utf-8")), source)
    except yaml.YAMLError as exc:
        raise InvalidFileError(f"{source} is not readable as YAML ({exc.__class__.__name__}): "
                               "check its indentation against the shipped table.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidFileError(f"{source} cannot be read: {exc}.") from exc


@cache
def _shipped() -> dict[str, list[str]]:
    return _read(shipped_synonyms_path(), "The app's header synonym table")


@cache
def _combined(user_file: Path | None, _stamp: float) -> HeaderSynonyms:
    if user_file is None:
        return build_synonyms(_shipped())
    return build_synonyms(_shipped(), _read(user_file, f"Your header synonyms file ({user_file})"))


def header_synonyms(user_file: Path | None = None) -> HeaderSynonyms:
    """The shipped table with the user's file (default: the data folder's) laid over it."""
    path = user_file if user_file is not None else user_synonyms_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return _combined(None, 0)
    return _combined(path, float(stamp))
