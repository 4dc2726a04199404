"""The review package file: one zip holding a manifest and a payload, checksummed.

    manifest.json  {"format": "case-file-audit-review-package", "format_version": 1,
                    "package_id", "created_at", "audit_uid", "audit_name", "reviewer",
                    "payload_sha256"}
    payload.json   framework, fields, cases, answers, case details and the base they
                   were made from

The checksum is over the payload bytes, so a damaged or edited package is refused
before anything is read from it.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit_app.core.errors import InvalidFileError

FORMAT = "case-file-audit-review-package"
FORMAT_VERSION = 1
SUFFIX = ".cfapkg"
_MAX_PAYLOAD = 200 * 1024 * 1024


@dataclass(frozen=True)
class PackageFile:
    manifest: dict[str, Any]
    payload: dict[str, Any]
    checksum: str


def write_package(path: Path, manifest: dict[str, Any], payload: dict[str, Any]) -> str:
    """Write atomically (temp file then rename); returns the payload checksum."""
    body = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    checksum = hashlib.sha256(body).hexdigest()
    head = {**manifest, "format": FORMAT, "format_version": FORMAT_VERSION,
            "payload_sha256": checksum}
    partial = path.with_name(path.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.json", json.dumps(head, indent=2, default=str))
            archive.writestr("payload.json", body)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvalidFileError(f"Cannot write the package to {path}: {exc.strerror or exc}") from exc
    return checksum


def read_package(path: Path) -> PackageFile:
    """Read and check a package; anything damaged, foreign or too new is refused."""
    if not path.is_file():
        raise InvalidFileError(f"No such file: {path}")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if not {"manifest.json", "payload.json"} <= names:
                raise InvalidFileError(f"{path.name} is not a review package")
            manifest = json.loads(archive.read("manifest.json"))
            if archive.getinfo("payload.json").file_size > _MAX_PAYLOAD:
                raise InvalidFileError(f"{path.name} is too large to be a review package")
            body = archive.read("payload.json")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise InvalidFileError(f"{path.name} is not a review package, or it is damaged") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidFileError(f"{path.name} is damaged: its manifest cannot be read") from exc
    except OSError as exc:
        raise InvalidFileError(f"Cannot read {path.name}: {exc.strerror or exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidFileError(f"{path.name} is not a Case File Audit review package")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise InvalidFileError(
            f"{path.name} was made by a newer version of Case File Audit (package format "
            f"{version}); update the app to open it")
    if version < FORMAT_VERSION:
        raise InvalidFileError(f"{path.name} uses an old package format ({version}); ask for "
                               "a new package")
    checksum = hashlib.sha256(body).hexdigest()
    if checksum != manifest.get("payload_sha256"):
        raise InvalidFileError(f"{path.name} is damaged or has been edited (checksum mismatch); "
                               "nothing was imported")
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidFileError(f"{path.name} is damaged: its contents cannot be read") from exc
    if not isinstance(payload, dict):
        raise InvalidFileError(f"{path.name} is damaged: unexpected contents")
    return PackageFile(manifest, payload, checksum)
