"""Telling what kind of file an extract is before trying to read it.

The suffix says what the user believes; the first bytes say what the file is. A
password-protected .xlsx is really an OLE2 container holding an encrypted package,
and legacy .xls is OLE2 too, so both get their own message instead of "damaged".
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from audit_app.core.errors import InvalidFileError

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
SUPPORTED = ".xlsx, .xlsm, .ods or .csv"

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_SNIFF_BYTES = 1 << 20


def check_file_type(path: Path) -> Literal["workbook", "csv"]:
    """'workbook' or 'csv', or an `InvalidFileError` saying plainly why the file will not do."""
    if not path.exists():
        raise InvalidFileError(f"There is no file at {path}.")
    if path.is_dir():
        raise InvalidFileError(f"{path} is a folder, not a file.")
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise InvalidFileError(f"{path.name} cannot be opened: {exc.strerror or exc}.") from exc
    if not head:
        raise InvalidFileError(f"{path.name} is empty (0 bytes). Export the extract again.")
    if head.startswith(OLE2_MAGIC):
        if ENCRYPTED_MARK in head:
            raise InvalidFileError(f"{path.name} is password-protected. Open it in Excel, remove the "
                                   "password (File > Info > Protect Workbook), save and import again.")
        raise InvalidFileError(f"{path.name} is an old-style Excel 97-2003 workbook (.xls), which "
                               "is not supported. Open it in Excel and save it as .xlsx.")
    if suffix == ".xls":
        raise InvalidFileError(f"{path.name} has the old .xls ending, which is not supported. Open "
                               "it in Excel and save it as .xlsx.")
    if suffix in WORKBOOK_SUFFIXES:
        if not head.startswith(ZIP_MAGIC):
            raise InvalidFileError(f"{path.name} is not a real {suffix} workbook: the file is "
                                   "damaged or is a different kind of file renamed. Export it again.")
        return "workbook"
    if suffix in TEXT_SUFFIXES:
        if b"\x00" in head or head.startswith(ZIP_MAGIC):
            raise InvalidFileError(f"{path.name} is not a CSV text file (it holds binary data). "
                                   f"Choose a {SUPPORTED} file.")
        return "csv"
    raise InvalidFileError(f"{path.name} is not a spreadsheet Case File Audit can read. "
                           f"Choose a {SUPPORTED} file.")
