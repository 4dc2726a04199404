"""Case File Audit: scrutiny panel case reviews, offline on a laptop."""

from __future__ import annotations

import os
import sys

# numpy's matrix products here are small (a bootstrap's 2,000 resamples by a few columns):
# OpenBLAS's worker threads gain nothing on them, then spin, and a partner export took a
# tenth more CPU than wall time. One thread, unless whoever runs the app chose otherwise;
# set before anything imports numpy, which reads it once.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

DISTRIBUTION = "case_file_audit"  # "case-file-audit", as its .dist-info folder spells it
FALLBACK_VERSION = "0.1.0"  # a frozen build without metadata, or an uninstalled checkout


def _installed_version() -> str | None:
    """The Version line of the installed distribution's METADATA, found on sys.path as
    importlib.metadata finds it; importing that module would cost more than the rest of
    `audit-app --version`."""
    prefix = DISTRIBUTION + "-"
    for entry in sys.path:
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:  # a zip file or a missing folder
            continue
        for name in names:
            if name.startswith(prefix) and name.endswith(".dist-info"):
                try:
                    with open(os.path.join(entry, name, "METADATA"), encoding="utf-8") as metadata:
                        for line in metadata:
                            if line.startswith("Version:"):
                                return line.partition(":")[2].strip()
                            if not line.strip():  # the headers have ended
                                break
                except OSError:
                    continue
    return None


def _version() -> str:
    found = _installed_version()
    if found is not None:
        return found
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("case-file-audit")
    except PackageNotFoundError:
        return FALLBACK_VERSION


__version__ = _version()

APP_NAME = "Case File Audit"
