"""Opening real extract files: formats, sheets, header rows and every kind of bad file."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from audit_app.core.errors import InvalidFileError
from audit_app.io.extract_reader import MAX_COLUMNS, list_sheets, open_extract
from tests.helpers.extract_files import write_csv, write_ods, write_xlsx

HEADER = ["Crime Ref", "Date Recorded", "HO Outcome", "Risk Grading", "Victim Name"]
DATA = [["AB/1/24", dt.date(2024, 3, 5), 16, "High", "Ann Example"],
        ["AB/2/24", dt.date(2024, 3, 6), 10, "Standard", "Bo Example"]]


def _read(path: Path, sheet: str | None = None) -> tuple[int, list[str], list[tuple[int, list[object]]]]:
    table = open_extract(path, sheet=sheet)
    return table.header_row, table.headers, list(table.rows)


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_workbook_with_title_rows_and_blank_lines(tmp_path: Path, suffix: str) -> None:
    rows = [["Domestic abuse crimes, Q1"], [], [None, None], HEADER, DATA[0], [], [None, ""], DATA[1]]
    header_row, headers, data = _read(write_xlsx(tmp_path / f"extract{suffix}", rows))
    assert header_row == 4
    assert headers == HEADER
    assert [number for number, _ in data] == [5, 8]  # the rows the user sees in Excel
    assert data[0][1][0] == "AB/1/24"
    assert data[1][1][2] == 10


def test_ods_is_read(tmp_path: Path) -> None:
    header_row, headers, data = _read(write_ods(tmp_path / "extract.ods", [["Title"], HEADER, *DATA]))
    assert (header_row, headers) == (2, HEADER)
    assert [cells[0] for _, cells in data] == ["AB/1/24", "AB/2/24"]
    assert data[0][1][2] == 16


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ","), ("utf-8", ";"), ("utf-8-sig", "\t")])
def test_csv_encodings_and_delimiters(tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [HEADER, ["AB/1/24", "05/03/2024", "16", "High", "Zoë Brontë – £5"]]
    path = write_csv(tmp_path / "extract.csv", rows, encoding=encoding, delimiter=delimiter)
    _, headers, data = _read(path)
    assert headers == HEADER  # no BOM left on the first header
    assert data == [(2, rows[1])]


def test_semicolon_csv_with_commas_in_text(tmp_path: Path) -> None:
    rows = [["Crimes, Q1 2026"], HEADER, ["AB/1/24", "05/03/2024", "16", "High", "Smith, Ann"],
            ["AB/2/24", "06/03/2024", "10", "Medium", "Jones, Bo"]]
    _, headers, data = _read(write_csv(tmp_path / "semi.csv", rows, delimiter=";"))
    assert headers == HEADER
    assert [cells[4] for _, cells in data] == ["Smith, Ann", "Jones, Bo"]


def test_the_first_sheet_with_data_is_chosen_unless_named(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "extract.xlsx", [], sheet="Cover",
                      more_sheets={"Crimes": [HEADER, *DATA], "Other": [["Ref"], ["X/1"]]})
    assert list_sheets(path) == ["Cover", "Crimes", "Other"]
    assert open_extract(path).sheet == "Crimes"
    other = open_extract(path, sheet="Other")
    assert (other.sheet, other.headers, list(other.rows)) == ("Other", ["Ref"], [(2, ["X/1"])])


def test_short_rows_are_padded_and_blank_overhang_cut(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "short.csv", [HEADER, ["AB/1/24"], [*DATA[1][:1], "", "", "", "", "", " "]])
    assert _read(path)[2] == [(2, ["AB/1/24", "", "", "", ""]), (3, ["AB/2/24", "", "", "", ""])]


def _refused(path: Path, *words: str, sheet: str | None = None) -> str:
    with pytest.raises(InvalidFileError) as raised:
        table = open_extract(path, sheet=sheet)
        list(table.rows)
    message = str(raised.value)
    for word in words:
        assert word in message
    return message


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "empty.csv").write_bytes(b"")
    _refused(tmp_path / "empty.xlsx", "empty")
    _refused(tmp_path / "empty.csv", "empty")


def test_sheet_with_no_rows(tmp_path: Path) -> None:
    _refused(write_xlsx(tmp_path / "blank.xlsx", []), "empty", "no rows")
    _refused(write_csv(tmp_path / "blank.csv", [[], ["", ""]]), "empty")


def test_no_header_row(tmp_path: Path) -> None:
    _refused(write_xlsx(tmp_path / "data.xlsx", DATA), "No header row")
    text_rows = [[str(cell) for cell in row] for row in DATA]
    _refused(write_csv(tmp_path / "data.csv", text_rows), "No header row")


def test_wrong_sheet_name_lists_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "extract.xlsx", [HEADER, *DATA], more_sheets={"Notes": [["x"]]})
    _refused(path, "no sheet named 'Crime'", "Crimes, Notes", sheet="Crime")


def test_password_protected_workbook(tmp_path: Path) -> None:
    # Excel saves an encrypted .xlsx as an OLE2 container holding an "EncryptedPackage" stream.
    body = bytearray(4096)
    body[:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    marker = "EncryptedPackage".encode("utf-16-le")
    body[1024:1024 + len(marker)] = marker
    (tmp_path / "locked.xlsx").write_bytes(bytes(body))
    _refused(tmp_path / "locked.xlsx", "password-protected")


def test_legacy_xls(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4088))
    (tmp_path / "renamed.xls").write_bytes(b"Crime Ref,Outcome\nA,1\n")
    _refused(tmp_path / "old.xls", "Excel 97-2003", "save it as .xlsx")
    _refused(tmp_path / "renamed.xls", ".xls", "save it as .xlsx")


def test_corrupt_zip(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [HEADER, *DATA]).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(good[: len(good) // 2])
    _refused(tmp_path / "cut.xlsx", "cut.xlsx", "damaged")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "archive.xlsx", "w") as archive:
        archive.writestr("readme.txt", "hello")
    _refused(tmp_path / "archive.xlsx", "cannot be read as a spreadsheet")


def test_files_that_are_not_spreadsheets(tmp_path: Path) -> None:
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "photo.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "text.xlsx").write_text("Crime Ref,Outcome\n")
    _refused(tmp_path / "report.pdf", "not a spreadsheet", ".xlsx, .xlsm, .ods or .csv")
    _refused(tmp_path / "photo.csv", "not a CSV text file")
    _refused(tmp_path / "text.xlsx", "not a real .xlsx workbook")
    _refused(tmp_path / "missing.xlsx", "There is no file")


def test_fifty_megabyte_cell_in_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Crime Ref,Notes\nA/1,short\nA/2,")
        handle.write("x" * 50_000_000)
        handle.write("\n")
    _refused(path, "Row 3", "32,767")


def test_cell_beyond_the_spreadsheet_limit_in_a_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "wide_header.csv", [["Crime Ref", "y" * 40_000], ["A/1", "x"]])
    _refused(path, "Row 1", "32,767")


def test_thousand_columns(tmp_path: Path) -> None:
    header = ["Crime Ref", *(f"Column {n}" for n in range(999))]
    _refused(write_xlsx(tmp_path / "wide.xlsx", [header, ["A/1"] * 1000]), "1,000 columns",
             str(MAX_COLUMNS))
    _refused(write_csv(tmp_path / "wide.csv", [header, ["A/1"] * 1000]), "1,000 columns")


def test_data_under_no_heading_is_refused_not_lost(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "stray.xlsx", [HEADER, [*DATA[0], None, "stray"]])
    _refused(path, "Row 2", "column G", "no heading")


def test_a_table_that_starts_in_column_c(tmp_path: Path) -> None:
    rows = [[None, None, *HEADER], [None, None, *DATA[0]], [None, None, *DATA[1], None, "stray"]]
    path = write_xlsx(tmp_path / "offset.xlsx", rows)
    table = open_extract(path)
    assert table.headers == HEADER
    assert next(table.rows) == (2, ["AB/1/24", dt.date(2024, 3, 5), 16.0, "High", "Ann Example"])
    with pytest.raises(InvalidFileError, match="Row 3 has a value in column I"):
        list(table.rows)

