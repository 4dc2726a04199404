"""The findings workbook reads and prints well: one font, headers never cut, unique column
names, filters and frozen panes on every table, a print set-up on every sheet, and a
chart drawn the same in Excel and LibreOffice. An internal and a partner copy of the demo
audit are written for real and read back with openpyxl."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from audit_app.io.workbook_layout import (
    FONT_NAME,
    WIDEST,
    header_width,
    text_width,
    wrapped_lines,
)
from audit_app.io.workbook_tables import (
    WRAPPED_ROWS,
    Column,
    TableSheet,
    WorkbookProperties,
    write_tables,
)
from audit_app.services.database import open_database
from audit_app.services.demo import create_demo
from audit_app.services.export import export_workbook
from tests.helpers.audits import partner_export

CHART = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# Sheets whose first columns say which row is which: they stay in view when scrolling.
FROZEN = {"Summary": "A2", "Criteria": "D2", "Breakdown": "C2", "By outcome": "B2",
          "Cases": "C2", "Checks": "B2", "Answers": "B2", "Learning": "B2", "Actions": "B2",
          "Agreement": "B2", "Population": "A2", "Method": "A2"}


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """An internal and a partner copy of the demo audit (written once for the module)."""
    folder = tmp_path_factory.mktemp("layout")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUDIT_APP_DATA_DIR", str(folder / "data"))
        db = open_database(folder / "demo.sqlite3")
        try:
            audit = create_demo(db, population=300, sample_size=30)
            paths = {"internal": folder / "internal.xlsx", "partner": folder / "partner.xlsx"}
            export_workbook(db, audit_id=audit.id, path=paths["internal"])
            partner_export(db, audit.id, paths["partner"], pseudonymise=True)
        finally:
            db.close()
    yield paths


@pytest.fixture(scope="module", params=["internal", "partner"])
def book(request: pytest.FixtureRequest, copies: dict[str, Path]) -> Workbook:
    return load_workbook(copies[request.param])


def _header(sheet: Worksheet) -> list[str]:
    return [str(cell.value) for cell in sheet[1]]


def test_every_table_has_unique_column_names(book: Workbook) -> None:
    for sheet in book:
        header = _header(sheet)
        assert len(header) == len({name.casefold() for name in header}), sheet.title
        table = next(iter(sheet.tables.values()))
        assert [column.name for column in table.tableColumns] == header


def test_intervals_say_what_they_bound(book: Workbook) -> None:
    assert "Compliance 95% interval low" in _header(book["Criteria"])
    assert "Compliance 95% interval high" in _header(book["By outcome"])
    agreement = _header(book["Agreement"])
    assert {"Agreement 95% interval low", "Kappa 95% interval low",
            "AC1 95% interval high"} <= set(agreement)
    assert "Rate 95% interval low" in _header(book["Population"])
    for sheet in book:
        assert not [name for name in _header(sheet) if "CI" in name.split()], sheet.title


def test_one_font_for_the_whole_workbook(book: Workbook) -> None:
    assert {font.name for font in book._fonts} == {FONT_NAME}
    for sheet in book:
        header = sheet[1][0]
        body = sheet.cell(row=2, column=1)
        assert header.font.name == body.font.name == FONT_NAME, sheet.title
        assert header.font.b and header.alignment.wrap_text


def test_no_header_word_is_cut_and_the_header_row_fits_its_lines(book: Workbook) -> None:
    for sheet in book:
        height = sheet.row_dimensions[1].height
        for number, title in enumerate(_header(sheet), start=1):
            width = sheet.column_dimensions[get_column_letter(number)].width
            for word in title.split():
                # Room for the word and the filter button beside it.
                assert width >= text_width(word, bold=True) + 2, (sheet.title, title, word)
            lines = wrapped_lines(title, width, bold=True)
            assert height is not None and height >= 12 * lines, (sheet.title, title)


def test_wrapped_text_gets_rows_tall_enough(book: Workbook) -> None:
    criteria = book["Criteria"]
    question = _header(criteria).index("Question") + 1
    width = criteria.column_dimensions[get_column_letter(question)].width
    tall = 0
    for row in range(2, criteria.max_row + 1):
        cell = criteria.cell(row=row, column=question)
        lines = wrapped_lines(str(cell.value), width)
        if lines > 1:  # wrapped, the row tall enough, and its other cells read from the top
            tall += 1
            height = criteria.row_dimensions[row].height
            assert cell.alignment.wrap_text and height is not None and height >= 12 * lines
            assert criteria.cell(row=row, column=1).alignment.vertical == "top"
    assert tall


def test_every_table_filters_and_freezes_below_its_header(book: Workbook) -> None:
    for sheet in book:
        assert sheet.freeze_panes == FROZEN[sheet.title], sheet.title
        (table,) = sheet.tables.values()
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref


def test_every_sheet_prints_landscape_with_titles_and_a_footer(book: Workbook) -> None:
    for sheet in book:
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert sheet.print_title_rows == "$1:$1"
        footer = sheet.oddFooter
        assert footer.left.text == "&A" and footer.right.text == "Page &P of &N"
        assert sheet.page_margins.left == pytest.approx(0.5)
        if sheet.sheet_properties.pageSetUpPr.fitToPage:
            assert setup.fitToWidth == 1
            assert setup.fitToHeight == (1 if sheet.title == "Summary" else 0), sheet.title
        else:  # too wide to read on one page: column groups, the key columns repeated
            assert sheet.title in {"Criteria", "Breakdown", "Cases", "Agreement"}
            assert sheet.print_title_cols and sheet.col_breaks.brk


def test_the_summary_prints_on_one_page(book: Workbook) -> None:
    summary = book["Summary"]
    assert summary.sheet_properties.pageSetUpPr.fitToPage
    assert (summary.page_setup.fitToWidth, summary.page_setup.fitToHeight) == (1, 1)


def test_numbers_keep_to_the_right_even_beside_wrapped_text(book: Workbook) -> None:
    # The Summary's values column wraps its long texts; a count in a two-line row must
    # not jump to the left of the column while its neighbours sit on the right.
    for sheet in book:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                    assert cell.alignment.horizontal != "left", (sheet.title, cell.coordinate)


def test_cases_print_in_readable_column_groups(book: Workbook) -> None:
    cases = book["Cases"]
    assert cases.print_title_cols == "$A:$B"  # sample position and reference on every page
    assert int(cases.page_setup.scale) >= 70
    header = _header(cases)
    ends = [brk.id for brk in cases.col_breaks.brk]
    assert ends == sorted(ends) and ends[-1] < len(header)
    widths = [cases.column_dimensions[get_column_letter(n)].width for n in
              range(1, len(header) + 1)]
    starts = [0, *ends]
    for first, last in zip(starts, [*ends, len(header)], strict=True):
        printed = widths[:2] + widths[first:last] if first else widths[first:last]
        # 10.7 inches at the scale, in Excel's width units (7 pixels and a little padding).
        room = 10.69 * 96 * 100 / int(cases.page_setup.scale)
        assert sum(w * 7 + 5 for w in printed) <= room


def test_partner_copy_keeps_its_case_columns(copies: dict[str, Path]) -> None:
    """Layout only: the partner copy's Cases sheet holds no field the default-deny rules
    leave out, and its references are the pseudonyms."""
    cases = load_workbook(copies["partner"])["Cases"]
    header = _header(cases)
    assert "Victim name" not in header and "Officer in case" not in header
    references = [row[1] for row in cases.iter_rows(min_row=2, values_only=True)]
    assert references and all(str(ref).startswith("CASE-") for ref in references)


def _chart(path: Path) -> ElementTree.Element:
    with zipfile.ZipFile(path) as archive:
        (name,) = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        return ElementTree.fromstring(archive.read(name))


def test_the_chart_has_solid_bars_and_a_fixed_percent_axis(copies: dict[str, Path]) -> None:
    for path in copies.values():
        chart = _chart(path)
        bar = chart.find(f".//{CHART}barChart")
        assert bar is not None
        assert bar.find(f"{CHART}varyColors").get("val") == "0"  # type: ignore[union-attr]
        assert int(bar.find(f"{CHART}gapWidth").get("val")) <= 60  # type: ignore[union-attr,arg-type]
        fill = bar.find(f"{CHART}ser/{CHART}spPr/{DRAWING}solidFill/{DRAWING}srgbClr")
        assert fill is not None and fill.get("val")
        values = bar.find(f"{CHART}ser/{CHART}val/{CHART}numRef/{CHART}f")
        assert values is not None and values.text is not None
        assert values.text.startswith("'Criteria'!$K$")  # the rates: numbers, not text
        axis = chart.find(f".//{CHART}valAx")
        assert axis is not None
        scaling = axis.find(f"{CHART}scaling")
        assert scaling is not None
        assert scaling.find(f"{CHART}min").get("val") == "0"  # type: ignore[union-attr]
        assert scaling.find(f"{CHART}max").get("val") == "1"  # type: ignore[union-attr]
        assert axis.find(f"{CHART}delete").get("val") == "0"  # type: ignore[union-attr]
        assert axis.find(f"{CHART}numFmt").get("formatCode") == "0%"  # type: ignore[union-attr]


@given(st.text(alphabet=st.sampled_from("abcdefghij KLMNOP%()'-"), min_size=1, max_size=60),
       st.integers(min_value=6, max_value=40))
def test_a_header_is_never_narrower_than_its_longest_word(title: str, width: int) -> None:
    widened = header_width(title, width)
    assert widened >= width
    for word in title.split():
        assert widened >= text_width(word, bold=True)
    assert wrapped_lines(title, widened, bold=True) <= max(4, len(title.split()))


def test_a_header_of_one_enormous_word_stops_at_the_widest_column() -> None:
    assert header_width("x" * 400, 12) == WIDEST
    assert header_width("Unanswered", 10) > 10  # "Unanswer" was all that showed


def test_long_text_wraps_on_a_short_sheet_and_streams_plain_on_a_very_long_one(
        tmp_path: Path) -> None:
    note = "A note long enough to need three lines in a narrow column of its own."
    for count, wraps in ((3, True), (WRAPPED_ROWS + 1, False)):
        path = tmp_path / f"{count}.xlsx"
        rows = [(f"R{n}", note) for n in range(count)]
        write_tables(path, [TableSheet("Notes", (Column("Reference", 12),
                                                 Column("Note", 20, wrap=True)), rows, count)],
                     WorkbookProperties(title="Notes"))
        sheet = load_workbook(path, read_only=False)["Notes"]
        assert bool(sheet["B2"].alignment.wrap_text) is wraps
        assert (sheet.row_dimensions[2].height is not None) is wraps
        assert sheet["B2"].font.name == FONT_NAME
