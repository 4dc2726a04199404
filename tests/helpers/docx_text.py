"""Reading a Word document back as plain text: paragraphs, table cells, header and footer."""

from __future__ import annotations

from pathlib import Path

from docx import Document


def docx_parts(path: Path) -> dict[str, list[str]]:
    """The document's text by part: "body" paragraphs, "tables" cells, "header", "headings"."""
    document = Document(str(path))
    body = [paragraph.text for paragraph in document.paragraphs]
    headings = [paragraph.text for paragraph in document.paragraphs
                if paragraph.style is not None and paragraph.style.name is not None
                and paragraph.style.name.startswith(("Heading", "Title"))]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    header = [p.text for section in document.sections for p in section.header.paragraphs]
    footer = [p.text for section in document.sections for p in section.footer.paragraphs]
    return {"body": body, "headings": headings, "tables": cells, "header": header,
            "footer": footer}


def docx_text(path: Path) -> str:
    """Every piece of text in the document, one per line."""
    parts = docx_parts(path)
    return "\n".join(line for lines in parts.values() for line in lines)
