"""How the findings workbook looks and prints: one font, widths that fit the headers,
wrapped text with row heights to match, and a print set-up on every sheet.

Nothing here measures a real font (the export runs without a screen): widths come from
Arial's own character widths, which Liberation Sans, LibreOffice's stand-in, shares
exactly, so a header that fits here fits in Excel and in LibreOffice's PDF.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from copy import copy
from functools import lru_cache

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break

FONT_NAME = "Arial"  # everywhere: body, headers, bold labels (Liberation Sans elsewhere)
FONT_SIZE = 10
BODY_FONT = Font(name=FONT_NAME, size=FONT_SIZE, family=2)
BOLD_FONT = Font(name=FONT_NAME, size=FONT_SIZE, family=2, bold=True)
HEADER_FONT = Font(name=FONT_NAME, size=FONT_SIZE, family=2, bold=True, color="FFFFFF")

# Advance widths of " " to "~" in thousandths of an em (Arial = Liberation Sans).
_REGULAR = (
    "278 278 355 556 556 889 667 191 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 278 278 584 584 584 556 1015 667 667 722 722 667 611 778 722 278 500 667 "
    "556 833 722 778 667 778 722 667 611 722 667 944 667 667 611 278 278 278 469 556 333 556 "
    "556 500 556 556 278 556 556 222 222 500 222 833 556 556 556 556 333 500 278 556 500 722 "
    "500 500 500 334 260 334 584")
_BOLD = (
    "278 333 474 556 556 889 722 238 333 333 389 584 278 333 278 278 556 556 556 556 556 556 "
    "556 556 556 556 333 333 584 584 584 611 975 722 722 722 722 667 611 778 722 278 556 722 "
    "611 833 722 778 667 778 722 667 611 722 667 944 667 667 611 333 278 333 584 556 333 556 "
    "611 556 611 556 333 611 611 278 278 556 278 889 611 611 611 611 389 556 333 611 556 778 "
    "556 556 500 389 280 389 584")
_OTHER = 0.611  # accented letters, dashes and the like: about a wide lower-case letter
_WIDTHS = {bold: defaultdict(lambda: _OTHER, {chr(32 + i): int(w) / 1000
                                              for i, w in enumerate(table.split())})
           for bold, table in ((False, _REGULAR), (True, _BOLD))}

PIXELS_PER_EM = FONT_SIZE * 96 / 72  # at 96 dots per inch
DIGIT_PIXELS = 7  # Excel's width unit: the widest digit, 7 pixels in Arial 10
CELL_PADDING = 6  # pixels Excel and LibreOffice keep clear inside a cell, both sides
FILTER_BUTTON = 2.5  # width units the header's filter button covers
SAFETY = 1.05  # renderers round differently: leave a little room
LINE_HEIGHT = 12.75  # points per line of Arial 10
MAX_HEADER_LINES = 4
WIDEST = 80  # an extract's column named in one very long word is cut rather than huge

# A4 landscape less the side margins below (10.69 inches), in pixels at 96 per inch, with
# a little kept back: renderers lay columns out slightly differently.
PAPER_A4 = 9
MARGINS = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
PRINTABLE_PIXELS = 10.69 * 96 * 0.96
SMALLEST_FIT = 0.6  # narrower than this when fitted to width: print in column groups
GROUP_SCALE = 75  # percent, for a table printed in column groups


def text_width(text: str, *, bold: bool = False) -> float:
    """The width of one line of `text` in Excel's column width units."""
    return (_ems(text, bold) * PIXELS_PER_EM * SAFETY + CELL_PADDING) / DIGIT_PIXELS


def _ems(text: str, bold: bool) -> float:
    return sum(map(_WIDTHS[bold].__getitem__, text))


@lru_cache(maxsize=4096)  # labels, codes and stock notes repeat row after row
def wrapped_lines(text: str, width: float, *, bold: bool = False) -> int:
    """How many lines `text` takes wrapped in a column `width` units wide (word by word,
    as Excel wraps; a word wider than the column takes a line of its own)."""
    # In ems; no safety margin here: a wrong guess costs a line of space, not a cut word.
    room = (width * DIGIT_PIXELS - CELL_PADDING) / PIXELS_PER_EM
    if "\n" not in text and _ems(text, bold) <= room:
        return 1
    space = _ems(" ", bold)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = -space
        for word in paragraph.split(" "):
            word_ems = _ems(word, bold)
            if used > 0 and used + space + word_ems > room:
                lines += 1
                used = word_ems
            else:
                used += space + word_ems
    return lines


def header_width(title: str, width_asked: float) -> float:
    """`width_asked`, widened so no word of the header is cut (its filter button beside
    it) and the header takes at most `MAX_HEADER_LINES` lines; never past `WIDEST`."""
    words = title.split()
    needed = max((text_width(word, bold=True) for word in words), default=0) + FILTER_BUTTON
    width = max(width_asked, math.ceil(needed))
    while wrapped_lines(title, width, bold=True) > MAX_HEADER_LINES and width < WIDEST:
        width += 1
    return min(width, max(WIDEST, width_asked))


def header_height(titles: Sequence[str], widths: Sequence[float]) -> float:
    lines = max((wrapped_lines(title, width, bold=True)
                 for title, width in zip(titles, widths, strict=True)), default=1)
    return row_height(lines)


def row_height(lines: int) -> float:
    return round(LINE_HEIGHT * max(1, lines) + 2.25, 2)


def _pixels(widths: Sequence[float]) -> float:
    """The printed width of columns at 100%, in pixels (each keeps a little padding)."""
    return sum(width * DIGIT_PIXELS + 5 for width in widths)


def column_groups(widths: Sequence[float], key_columns: tuple[int, int] | None) -> list[int]:
    """Last column (1-based) of each printed page but the last, packing columns into pages
    at `GROUP_SCALE`; the key columns repeat on every page after the first."""
    room = PRINTABLE_PIXELS * 100 / GROUP_SCALE
    key = _pixels(widths[key_columns[0] - 1:key_columns[1]]) if key_columns else 0.0
    ends: list[int] = []
    used = 0.0
    for number, column in enumerate(widths, start=1):
        width = _pixels([column])
        if used and used + width > room:
            ends.append(number - 1)
            used = key
        used += width
    return ends


def set_up_printing(sheet: WriteOnlyWorksheet, widths: Sequence[float], *,
                    one_page: bool = False, key_columns: tuple[int, int] | None = None,
                    landscape: bool = True) -> None:
    """A4, landscape unless asked otherwise, the header row repeated on every page, and a
    footer with the sheet's name and "Page n of m".

    Fitted to the page width, unless that would shrink the text below `SMALLEST_FIT`:
    then in column groups with the key columns repeated. `one_page` fits the whole sheet
    on one page (the Summary)."""
    setup = sheet.page_setup
    setup.orientation = "landscape" if landscape else "portrait"
    setup.paperSize = PAPER_A4
    sheet.page_margins = copy(MARGINS)
    sheet.print_title_rows = "1:1"
    footer = sheet.HeaderFooter.oddFooter
    footer.left.text, footer.left.font, footer.left.size = "&A", FONT_NAME, 9
    footer.right.text, footer.right.font, footer.right.size = "Page &P of &N", FONT_NAME, 9
    fitted_scale = PRINTABLE_PIXELS / max(_pixels(widths), 1.0)
    if one_page or fitted_scale >= SMALLEST_FIT or key_columns is None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        setup.fitToWidth = 1
        setup.fitToHeight = 1 if one_page else 0
        return
    # Excel ignores page breaks on a sheet fitted to the page: a fixed scale instead.
    sheet.sheet_properties.pageSetUpPr.fitToPage = False
    setup.scale = GROUP_SCALE
    first, last = key_columns
    sheet.print_title_cols = f"{get_column_letter(first)}:{get_column_letter(last)}"
    for end in column_groups(widths, key_columns):
        sheet.col_breaks.append(Break(id=end, min=0, max=1048575, man=True))
