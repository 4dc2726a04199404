"""Reading the learning themes: the shipped taxonomy and the panel's own file over it.

The shipped taxonomy is `resources/themes/themes.yaml`; a panel adds its own themes (or
renames a shipped one) with a `themes.yaml` of the same shape in the data folder. Both are
read again only when the panel's file changes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from audit_app.core.errors import InvalidFileError
from audit_app.core.themes import Theme, combine_themes, read_themes, theme_entry

THEMES_FILE = "themes.yaml"


def shipped_themes_path() -> Path:
    from audit_app.paths import resources_dir  # paths sits beside the layers; read lazily

    return resources_dir() / "themes" / THEMES_FILE


def user_themes_path() -> Path:
    """Where a panel's own themes go: the data folder (the file need not exist)."""
    from audit_app.paths import user_data_dir

    return user_data_dir() / THEMES_FILE


def _read(path: Path, source: str, *, shipped: bool) -> tuple[Theme, ...]:
    try:
        return read_themes(yaml.safe_load(path.read_text(encoding="utf-8")), source,
                           shipped=shipped)
    except yaml.YAMLError as exc:
        raise InvalidFileError(f"{source} is not readable as YAML ({exc.__class__.__name__}): "
                               "check its indentation against the shipped themes.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidFileError(f"{source} cannot be read: {exc}.") from exc


@cache
def _shipped() -> tuple[Theme, ...]:
    return _read(shipped_themes_path(), "The app's theme list", shipped=True)


@cache
def _combined(user_file: Path | None, _stamp: float) -> tuple[Theme, ...]:
    if user_file is None:
        return _shipped()
    return combine_themes(_shipped(), _read(user_file, f"Your themes file ({user_file})",
                                            shipped=False))


def learning_themes(user_file: Path | None = None) -> tuple[Theme, ...]:
    """The shipped themes with the panel's file (default: the data folder's) laid over them."""
    path = user_file if user_file is not None else user_themes_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return _combined(None, 0)
    return _combined(path, float(stamp))


def own_themes(user_file: Path | None = None) -> tuple[Theme, ...]:
    """The panel's own themes alone (none if it has no file yet)."""
    path = user_file if user_file is not None else user_themes_path()
    if not path.exists():
        return ()
    return _read(path, f"Your themes file ({path})", shipped=False)


def write_own_themes(themes: tuple[Theme, ...], user_file: Path | None = None) -> Path:
    """Replace the panel's own theme file with `themes`, privately and at once."""
    from audit_app.io.private_files import write_private_text

    path = user_file if user_file is not None else user_themes_path()
    header = ("# Your panel's own learning themes, laid over the ones the app ships.\n"
              "# Added with 'audit-app theme add'; you may edit it in the same shape.\n")
    body = yaml.safe_dump({"themes": [theme_entry(t) for t in themes]}, sort_keys=False,
                          allow_unicode=True, width=88)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private_text(path, header + body)
    return path
