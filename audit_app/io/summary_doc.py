"""The one-page summary sheet for the panel pack: the headline, key rates, themes, counts."""

from __future__ import annotations

from pathlib import Path

from docx.shared import Pt

from audit_app.core.panel_documents import EMPTY, SummarySheet
from audit_app.io.docx_common import (
    date_text,
    heading,
    new_document,
    para,
    save_document,
    table,
    title_block,
)
from audit_app.io.minutes_doc import headline_paragraphs

KEY_CRITERIA = 6  # the lowest-rated criteria: what fits on one page with the rest
KEY_THEMES = 5


def write_summary(sheet: SummarySheet, path: Path) -> Path:
    document = new_document(f"Summary: {sheet.audit_name}")
    document.styles["Normal"].font.size = Pt(10)
    title_block(document, "Panel summary", [
        f"{sheet.panel_name} · {sheet.audit_name} · "
        f"meeting {date_text(sheet.meeting_date)}"])
    para(document, f"{sheet.cases_reviewed} of {sheet.cases_sampled} sampled cases reviewed.")
    heading(document, "Headline")
    headline_paragraphs(document, sheet.headline)
    heading(document, "Criteria met least often")
    if sheet.criteria:
        table(document, ("Criterion", "Fully met (95% interval)"),
              [(f"{row.code} {row.question}", row.rate.text())
               for row in sheet.criteria[:KEY_CRITERIA]], (100, 70))
    else:
        para(document, EMPTY["criteria"])
    heading(document, "Top learning themes")
    if sheet.themes:
        table(document, ("Theme", "Cases"),
              [(theme.theme, str(theme.count)) for theme in sheet.themes[:KEY_THEMES]],
              (130, 40))
    else:
        para(document, EMPTY["themes"])
    heading(document, "Open items")
    para(document, f"{sheet.open_actions} open ({sheet.overdue_actions} overdue).",
         bold_lead="Actions: ")
    flagged = "1 case" if sheet.urgent_cases == 1 else f"{sheet.urgent_cases} cases"
    para(document, f"{flagged} flagged; {sheet.open_escalations} escalation"
                   f"{'' if sheet.open_escalations == 1 else 's'} open.",
         bold_lead="Urgent safeguarding: ")
    return save_document(document, path)
