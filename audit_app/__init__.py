"""Case File Audit: scrutiny panel case reviews, offline on a laptop."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("case-file-audit")
except PackageNotFoundError:  # running from a frozen build or an uninstalled checkout
    __version__ = "0.1.0"

APP_NAME = "Case File Audit"
