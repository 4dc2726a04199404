"""The finishing touches of the partner workbook: the compliance chart and traffic lights.

The export service decides what goes on each sheet; this module adds what Excel draws
itself: a bar chart of compliance per criterion on the Summary sheet, with the 95%
interval as whiskers (custom error bars read from helper columns), and conditional
formatting: rates and their Status words filled by the panel's thresholds, and amber
where a figure rests on few cases. Conditional-format rules are Excel's own; no cell
holds a formula.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.data_source import NumDataSource, NumRef
from openpyxl.chart.error_bar import ErrorBars
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.line import LineProperties
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

AMBER = PatternFill("solid", fgColor="FFE699")
BAR_COLOUR = "2E75B6"
BAR_GAP = 40  # percent of a bar's thickness between bars: solid bars, easy to read
# Status fills (Excel's own good / neutral / bad colours); the Status word sits beside them.
STATUS_FILLS = {"Green": PatternFill("solid", fgColor="C6EFCE"),
                "Amber": PatternFill("solid", fgColor="FFEB9C"),
                "Red": PatternFill("solid", fgColor="FFC7CE")}
RED_AMBER_GREEN = {"start_type": "num", "start_value": 0, "start_color": "F8696B",
                   "mid_type": "num", "mid_value": 0.5, "mid_color": "FFEB84",
                   "end_type": "num", "end_value": 1, "end_color": "63BE7B"}


def add_compliance_chart(sheet: WriteOnlyWorksheet, *, source_sheet: str, code_column: int,
                         rate_column: int, first_row: int, last_row: int, anchor: str,
                         whisker_columns: tuple[int, int] | None = None) -> None:
    """A bar per criterion (fully met %), drawn from the Criteria sheet's own cells.

    `whisker_columns` (below, above): columns holding the distance from each rate down to
    its interval's low end and up to its high end; they draw the 95% interval as whiskers.
    """
    if last_row < first_row:
        return
    chart = BarChart()
    chart.type = "bar"  # horizontal: criterion codes read down the side
    chart.grouping = "clustered"
    # Everything explicit, nothing left to a chart style: LibreOffice draws a style's
    # bars as hair-thin outlines, Excel fills them.
    chart.varyColors = False
    chart.gapWidth = BAR_GAP
    chart.overlap = 0
    chart.title = "Compliance per criterion (fully met)"
    chart.y_axis.title = "Fully met"
    chart.y_axis.number_format = "0%"
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 1
    chart.y_axis.majorUnit = 0.1
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
    bars = chart.series[0]
    bars.graphicalProperties = GraphicalProperties(solidFill=BAR_COLOUR)
    bars.graphicalProperties.line = LineProperties(solidFill=BAR_COLOUR)
    bars.invertIfNegative = False
    if whisker_columns is not None:
        below, above = (f"{title}!${get_column_letter(c)}${first_row}:"
                        f"${get_column_letter(c)}${last_row}" for c in whisker_columns)
        chart.series[0].errBars = ErrorBars(
            errBarType="both", errValType="cust", noEndCap=False,
            minus=NumDataSource(numRef=NumRef(f=below)), plus=NumDataSource(numRef=NumRef(f=above)),
            spPr=GraphicalProperties(ln=LineProperties(solidFill="1D2B36", w=12700)))
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


def format_by_thresholds(sheet: WriteOnlyWorksheet, *, rate_column: int, status_column: int,
                         green_from: int, amber_from: int, last_row: int,
                         skip_column: int | None = None) -> None:
    """Fill rates and their Status words by the panel's thresholds (whole percentages).

    Empty rates stay unfilled; where `skip_column` holds text (a small-cell mark) the row
    is left uncoloured too, so a rate on a handful of cases is never painted red or green.
    """
    if last_row < 2:
        return
    rate = f"{get_column_letter(rate_column)}2"
    shown = f"ROUND({rate}*100,0)"  # the whole percent the cell shows, as the status word
    skip = f',{get_column_letter(skip_column)}2=""' if skip_column is not None else ""
    rules = (("Green", f"{shown}>={green_from}"),
             ("Amber", f"AND({shown}>={amber_from},{shown}<{green_from})"),
             ("Red", f"{shown}<{amber_from}"))
    cells = f"{get_column_letter(rate_column)}2:{get_column_letter(rate_column)}{last_row}"
    words = f"{get_column_letter(status_column)}2:{get_column_letter(status_column)}{last_row}"
    for status, test in rules:
        formula = f"AND(ISNUMBER({rate}){skip},{test})"
        sheet.conditional_formatting.add(cells, FormulaRule(formula=[formula],
                                                            fill=STATUS_FILLS[status]))
        sheet.conditional_formatting.add(words, CellIsRule(
            operator="equal", formula=[f'"{status}"'], fill=STATUS_FILLS[status]))
