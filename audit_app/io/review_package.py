"""The review package file: a manifest and a payload, encrypted and authenticated.

Format 2 (this version) is a sealed blob (see `package_crypto`): a small clear header,
then, encrypted under a key derived from the audit's package passphrase, zlib-compressed
JSON holding

    manifest   package_id, created_at, audit_uid, audit_name, reviewer, direction,
               source_package_id
    payload    framework, fields, cases, answers, case details, the base they were
               made from, and the audit's passphrase check

Without the passphrase nothing in it can be read, and a change to any byte is refused
before anything is read from it. Format 1 (a plain zip with a SHA-256 checksum, which
anyone could edit and re-checksum) is refused: the sender makes a new package.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit_app.core.errors import InvalidFileError
from audit_app.io import package_crypto
from audit_app.io.package_crypto import FORMAT, FORMAT_VERSION, SealBrokenError
from audit_app.io.private_files import write_private_bytes

SUFFIX = ".cfapkg"
_MAX_FILE = 200 * 1024 * 1024
_MAX_PLAIN = 400 * 1024 * 1024


@dataclass(frozen=True)
class PackageFile:
    manifest: dict[str, Any]
    payload: dict[str, Any]
    checksum: str  # SHA-256 of the whole file, as authenticated


def write_package(path: Path, manifest: dict[str, Any], payload: dict[str, Any],
                  passphrase: str) -> str:
    """Seal and write privately and atomically; returns the file's SHA-256."""
    plain = json.dumps({"manifest": manifest, "payload": payload}, ensure_ascii=False,
                       sort_keys=True, default=str).encode("utf-8")
    blob = package_crypto.seal(zlib.compress(plain, 6), passphrase)
    write_private_bytes(path, blob)
    return hashlib.sha256(blob).hexdigest()


def read_package(path: Path, passphrase: str, *, doing: str = "imported") -> PackageFile:
    """Read, authenticate and decrypt a package; anything else is refused in one line.

    `doing` ends the refusals: "...; nothing was imported" (or "opened")."""
    name = path.name
    blob = _read_bytes(path)
    try:
        header, _, _ = package_crypto.read_header(blob)
    except package_crypto.NotSealedError as error:
        if _is_format_1(blob):
            raise InvalidFileError(
                f"{name} is an old, unencrypted review package (format 1), which this "
                f"version no longer accepts; ask for a new package. Nothing was {doing}"
            ) from None
        if error.message.startswith("damaged"):
            raise InvalidFileError(f"{name} is {error.message}; nothing was {doing}") from None
        raise InvalidFileError(f"{name} is not a Case File Audit review package; nothing was "
                               f"{doing}") from None
    version = header.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InvalidFileError(f"{name} is damaged: its header cannot be read; nothing was "
                               f"{doing}")
    if version > FORMAT_VERSION:
        raise InvalidFileError(
            f"{name} was made by a newer version of Case File Audit (package format "
            f"{version}); update the app to open it. Nothing was {doing}")
    if version < FORMAT_VERSION:
        raise InvalidFileError(f"{name} uses an old package format ({version}); ask for a "
                               f"new package. Nothing was {doing}")
    try:
        compressed = package_crypto.unseal(blob, passphrase)
    except SealBrokenError:
        raise InvalidFileError("The passphrase is wrong, or the package has been changed "
                               f"since it was made; nothing was {doing}") from None
    return PackageFile(*_contents(compressed, name, doing), hashlib.sha256(blob).hexdigest())


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise InvalidFileError(f"No such file: {path}")
    try:
        if path.stat().st_size > _MAX_FILE:
            raise InvalidFileError(f"{path.name} is too large to be a review package")
        return path.read_bytes()
    except OSError as exc:
        raise InvalidFileError(f"Cannot read {path.name}: {exc.strerror or exc}") from None


def _contents(compressed: bytes, name: str,
              doing: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Authenticated bytes that still do not parse were made by someone holding the
    passphrase with other software: refuse them as damaged."""
    damaged = InvalidFileError(f"{name} is damaged: its contents cannot be read; nothing "
                               f"was {doing}")
    try:
        inflater = zlib.decompressobj()
        plain = inflater.decompress(compressed, _MAX_PLAIN)
        if inflater.unconsumed_tail:
            raise InvalidFileError(f"{name} is too large to be a review package")
        contents = json.loads(plain)
    except (zlib.error, json.JSONDecodeError, UnicodeDecodeError):
        raise damaged from None
    if not isinstance(contents, dict):
        raise damaged
    manifest, payload = contents.get("manifest"), contents.get("payload")
    if not isinstance(manifest, dict) or not isinstance(payload, dict):
        raise damaged
    return manifest, payload


def _is_format_1(blob: bytes) -> bool:
    """A format-1 package: a zip whose manifest names our format."""
    if not blob.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as archive:
            if "manifest.json" not in archive.namelist():
                return False
            if archive.getinfo("manifest.json").file_size > 64 * 1024:
                return False
            manifest = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError,
            UnicodeDecodeError, RuntimeError, NotImplementedError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == FORMAT
