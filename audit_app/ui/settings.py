"""Every UI preference the app keeps in QSettings, declared once with its default.

Case data never goes here: it lives in the database. These are window and
convenience preferences only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

ORGANISATION = "Case File Audit"
APPLICATION = "Case File Audit"
MAX_RECENT_FILES = 8


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One QSettings key with its default; reading coerces to the default's type."""

    key: str
    default: T

    def read(self, store: QSettings | None = None) -> T:
        store = store or QSettings()
        raw = store.value(self.key, self.default)
        return cast(T, _coerce(raw, self.default))

    def write(self, value: T, store: QSettings | None = None) -> None:
        (store or QSettings()).setValue(self.key, value)


def _coerce(raw: object, default: object) -> object:
    # QSettings' INI backend hands back strings; turn them back into the declared type.
    if raw is None:
        return default
    if isinstance(default, bool):
        return raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1", "yes")
    if isinstance(default, int):
        try:
            return int(str(raw))
        except ValueError:
            return default
    if isinstance(default, list):
        if isinstance(raw, str):
            return [raw] if raw else []
        return [str(item) for item in raw] if isinstance(raw, list | tuple) else default
    if isinstance(default, QByteArray):
        return raw if isinstance(raw, QByteArray) else default
    return str(raw)


WINDOW_GEOMETRY: Setting[QByteArray] = Setting("window/geometry", QByteArray())
WINDOW_STATE: Setting[QByteArray] = Setting("window/state", QByteArray())
SPLITTER_STATE: Setting[QByteArray] = Setting("window/splitter", QByteArray())
LAST_AUDIT_ID: Setting[int] = Setting("session/last_audit_id", 0)
LAST_PAGE: Setting[int] = Setting("session/last_page", 0)
REVIEWER_NAME: Setting[str] = Setting("session/reviewer_name", "")
RECENT_FILES: Setting[list[str]] = Setting("files/recent", [])
LAST_FOLDER: Setting[str] = Setting("files/last_folder", "")
BACKUP_ON_OPEN: Setting[bool] = Setting("backups/on_open", True)
BACKUPS_KEPT: Setting[int] = Setting("backups/kept", 10)


def remember_file(path: str, store: QSettings | None = None) -> list[str]:
    """Put `path` first in the recent-files list (no duplicates, capped)."""
    recent = [p for p in RECENT_FILES.read(store) if p != path]
    recent.insert(0, path)
    recent = recent[:MAX_RECENT_FILES]
    RECENT_FILES.write(recent, store)
    return recent
