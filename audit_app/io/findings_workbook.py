"""The finishing touches of the partner workbook: the compliance chart and traffic lights.

The export service decides what goes on each sheet; this module adds what Excel draws
itself: a bar chart of compliance per criterion on the Summary sheet, and conditional
formatting on the Criteria sheet (a red-amber-green scale on rates, amber where a figure
rests on few cases). Conditional-format rules are Excel's own; no cell holds a formula.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

AMBER = PatternFill("solid", fgColor="FFE699")
RED_AMBER_GREEN = {"start_type": "num", "start_value": 0, "start_color": "F8696B",
                   "mid_type": "num", "mid_value": 0.5, "mid_color": "FFEB84",
                   "end_type": "num", "end_value": 1, "end_color": "63BE7B"}


def add_compliance_chart(sheet: WriteOnlyWorksheet, *, source_sheet: str, code_column: int,
                         rate_column: int, first_row: int, last_row: int, anchor: str) -> None:
    """A bar per criterion (fully met %), drawn from the Criteria sheet's own cells."""
    if last_row < first_row:
        return
    chart = BarChart()
    chart.type = "bar"  # horizontal: criterion codes read down the side
    chart.style = 10
    chart.title = "Compliance per criterion (fully met)"
    chart.y_axis.title = "Fully met"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # first criterion at the top
    chart.legend = None
    title = quote_sheetname(source_sheet)
    codes = get_column_letter(code_column)
    rates = get_column_letter(rate_column)
    chart.add_data(Reference(range_string=f"{title}!${rates}${first_row}:${rates}${last_row}"),
                   titles_from_data=False)
    chart.set_categories(Reference(
        range_string=f"{title}!${codes}${first_row}:${codes}${last_row}"))
    chart.height = max(7.5, 0.55 * (last_row - first_row + 1))
    chart.width = 18
    sheet.add_chart(chart, anchor)


def format_rates(sheet: WriteOnlyWorksheet, *, rate_columns: tuple[int, ...],
                 warning_column: int | None, last_row: int) -> None:
    """Traffic-light rates, and amber where the row warns of a small sample."""
    if last_row < 2:
        return
    for column in rate_columns:
        letter = get_column_letter(column)
        sheet.conditional_formatting.add(f"{letter}2:{letter}{last_row}",
                                         ColorScaleRule(**RED_AMBER_GREEN))
    if warning_column is not None:
        letter = get_column_letter(warning_column)
        sheet.conditional_formatting.add(
            f"{letter}2:{letter}{last_row}",
            CellIsRule(operator="notEqual", formula=['""'], fill=AMBER, font=Font(bold=True)))
