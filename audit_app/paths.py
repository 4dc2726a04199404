"""Where the app keeps its files: the user's data folder and the shipped resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DATA_DIR_ENV = "AUDIT_APP_DATA_DIR"
DB_ENV = "AUDIT_APP_DB"


def user_data_dir() -> Path:
    """The per-user folder for the database and its backups (created on demand, 0700)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        base = Path(override)
    elif sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "CaseFileAudit"
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "CaseFileAudit"
    else:
        xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        base = Path(xdg) / "case-file-audit"
    from audit_app.io.private_files import make_private_dir

    return make_private_dir(base)


def default_db_path() -> Path:
    return user_data_dir() / "audit.sqlite3"


def resources_dir() -> Path:
    """`resources/` beside the package, or inside a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
