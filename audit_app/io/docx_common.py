"""The house style of the panel's Word documents (python-docx), and their private writing.

A4 with 2 cm margins, Calibri for the text and Arial for headings, the protective marking
in every page's header and "Page X of Y" in its footer; tables have a shaded header row
that repeats on each page. A document is written like the workbook: to a private (0600)
file beside its destination, renamed over it only once complete (`io.private_files`).
python-docx writes the zip straight to that file, so no scratch copy is left anywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from audit_app.core.copy_rules import PRODUCT_NAME
from audit_app.core.dates import long_date
from audit_app.core.panel_documents import PROTECTIVE_MARKING
from audit_app.io.private_files import private_output

BODY_FONT = "Calibri"
HEADING_FONT = "Arial"
HEADER_FILL = "D9E2F3"  # a pale blue that prints well in black and white too
MUTED = RGBColor(0x59, 0x59, 0x59)


def new_document(title: str, *, landscape: bool = False) -> DocxDocument:
    """An empty A4 document in the house style, titled `title` (its properties too)."""
    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    section.header_distance = section.footer_distance = Mm(10)
    _styles(document)
    _header_and_footer(document)
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = PRODUCT_NAME  # never a login name
    properties.comments = ""
    properties.keywords = PROTECTIVE_MARKING
    properties.created = properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return document


def _set_font(style: object, name: str, size: float, *, bold: bool | None = None,
              colour: RGBColor | None = None) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name = name
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if colour is not None:
        font.color.rgb = colour
    # Word reads the East Asian font slot too; without it some fonts fall back.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    fonts.set(qn("w:eastAsia"), name)


def _styles(document: DocxDocument) -> None:
    styles = document.styles
    _set_font(styles["Normal"], BODY_FONT, 11)
    normal = styles["Normal"].paragraph_format
    normal.space_after = Pt(4)
    normal.line_spacing = 1.1
    dark = RGBColor(0x1F, 0x38, 0x64)
    for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        _set_font(styles[name], HEADING_FONT, size, bold=True, colour=dark)
        styles[name].paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        styles[name].paragraph_format.space_after = Pt(4)
        styles[name].paragraph_format.keep_with_next = True
    title = styles["Title"].element
    border = title.find(qn("w:pPr"))
    if border is not None:  # the default template underlines the title: keep it plain
        for child in border.findall(qn("w:pBdr")):
            border.remove(child)
    _set_font(styles["List Bullet"], BODY_FONT, 11)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in when they lay out."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    shown = OxmlElement("w:t")
    shown.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, separate, shown, end):
        run._r.append(element)


def _header_and_footer(document: DocxDocument) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    marking = header.add_run(PROTECTIVE_MARKING)
    marking.bold = True
    marking.font.size = Pt(9)
    marking.font.name = HEADING_FONT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in ("Page ", "PAGE", " of ", "NUMPAGES"):
        if piece.isupper():
            _field(footer, piece)
        else:
            footer.add_run(piece)
    for run in footer.runs:
        run.font.size = Pt(9)
    footer.add_run(f"    {PROTECTIVE_MARKING}").font.size = Pt(9)


def title_block(document: DocxDocument, title: str, lines: Sequence[str]) -> None:
    """The document's title and, under it, a few muted lines (panel, audit, date)."""
    document.add_paragraph(title, style="Title")
    for line in lines:
        if line:
            run = document.add_paragraph().add_run(line)
            run.font.color.rgb = MUTED


def heading(document: DocxDocument, text: str, level: int = 1) -> Paragraph:
    return document.add_heading(text, level=level)


def para(document: DocxDocument, text: str, *, bold_lead: str = "", muted: bool = False,
         italic: bool = False) -> Paragraph:
    """A paragraph; `bold_lead` ("Rationale: ") goes first, in bold."""
    paragraph = document.add_paragraph()
    if bold_lead:
        paragraph.add_run(bold_lead).bold = True
    run = paragraph.add_run(text)
    run.italic = italic
    if muted:
        run.font.color.rgb = MUTED
    return paragraph


def bullets(document: DocxDocument, items: Sequence[str]) -> None:
    for item in items:
        document.add_paragraph(item, style="List Bullet")


def table(document: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[str]],
          widths_mm: Sequence[float] | None = None, *, spacer: bool = True) -> Table:
    """A bordered table whose shaded header row repeats at the top of every page; a small
    gap after it unless `spacer` is False (the last thing on a one-page sheet)."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    header_row = grid.rows[0]
    _repeat_header(header_row._tr)
    for cell, text in zip(header_row.cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.size = Pt(10)
        _shade(cell._tc, HEADER_FILL)
    for values in rows:
        row = grid.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays whole
        cells = row.cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(str(value)).font.size = Pt(10)
    if widths_mm:
        # Word reads each cell's width, LibreOffice the table grid's: set both.
        grid.autofit = False
        for column, width in zip(grid.columns, widths_mm, strict=True):
            column.width = Mm(width)
        for row in grid.rows:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)
    if spacer:
        gap = document.add_paragraph().paragraph_format
        gap.space_after = Pt(0)
        gap.line_spacing = Pt(6)
    return grid


def _repeat_header(row: object) -> None:
    properties = row.get_or_add_trPr()  # type: ignore[attr-defined]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    keep = OxmlElement("w:cantSplit")
    properties.append(keep)


def _shade(cell: object, fill: str) -> None:
    properties = cell.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def date_text(day: dt.date | None, missing: str = "not set") -> str:
    return long_date(day) if day else missing


def short_date(day: dt.date | None) -> str:
    """"31 Jan 2026", for a table's narrow column; a dash when there is none."""
    return f"{day.day} {day:%b %Y}" if day else "–"


def save_document(document: DocxDocument, path: Path) -> Path:
    """Write `document` to `path` privately (0600) and atomically; returns the path."""
    path = Path(path)
    with private_output(path) as partial:
        document.save(str(partial))
    return path
