"""The minutes of a panel meeting, as a Word document (`core.panel_documents.MinutesContent`).

In the order a meeting runs: who attended and their declarations, the population picture,
the headline with its interval, each case's verdict and rationale (with any dissent), the
urgent escalations, the themes, new and outstanding actions, and good practice to share.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocxDocument

from audit_app.core.panel_documents import (
    EMPTY,
    ActionItem,
    CaseMinute,
    HeadlineContent,
    MinutesContent,
)
from audit_app.io.docx_common import (
    bullets,
    date_text,
    heading,
    new_document,
    para,
    save_document,
    short_date,
    table,
    title_block,
)

PSEUDONYM_NOTE = ("Case references are pseudonyms and personal details in free text are "
                  "replaced, so these minutes can be circulated to the panel.")
INTERNAL_NOTE = ("This is the panel's internal copy: it shows real case references. Do not "
                 "circulate it beyond the panel.")


def write_minutes(content: MinutesContent, path: Path) -> Path:
    document = new_document(f"Minutes: {content.audit_name}")
    title_block(document, "Minutes of the scrutiny panel meeting", [
        content.panel_name, f"Audit: {content.audit_name} ({content.framework_title})",
        f"Meeting date: {date_text(content.meeting_date)}"])
    para(document, PSEUDONYM_NOTE if content.pseudonymised else INTERNAL_NOTE, italic=True,
         muted=True)
    _attendance(document, content)
    heading(document, "2. The population picture")
    if content.population:
        table(document, ("Figure", "Count or rate"),
              [(line.item, line.figure) for line in content.population], (105, 65))
    else:
        para(document, EMPTY["population"])
    heading(document, "3. Headline")
    headline_paragraphs(document, content.headline)
    if content.case_data_deleted:
        heading(document, "4. Cases discussed")
        para(document, content.case_data_deleted)
    else:
        _cases(document, content.cases, content.cases_awaiting)
    _escalations(document, content)
    heading(document, "6. Learning themes")
    if content.themes:
        table(document, ("Theme", "Cases"),
              [(theme.theme, str(theme.count)) for theme in content.themes], (130, 40))
    else:
        para(document, EMPTY["themes"])
    heading(document, "7. Actions")
    heading(document, "New actions agreed at this meeting", 2)
    action_table(document, content.new_actions, EMPTY["new_actions"])
    heading(document, "Outstanding actions from earlier audits", 2)
    action_table(document, content.outstanding_actions, EMPTY["outstanding_actions"],
                 with_source=True)
    heading(document, "8. Good practice to share")
    if content.good_practice:
        bullets(document, [f"{item.case_reference}: {item.text}"
                           for item in content.good_practice])
    else:
        para(document, EMPTY["good_practice"])
    return save_document(document, path)


def _attendance(document: DocxDocument, content: MinutesContent) -> None:
    heading(document, "1. Attendance and declarations of interest")
    if content.attendance:
        table(document, ("Name", "Role", "Agency", "Attendance"),
              [(row.name, row.role, row.agency, "Present" if row.present else "Apologies")
               for row in content.attendance], (50, 40, 50, 30))
    else:
        para(document, EMPTY["attendance"])
    heading(document, "Declarations of interest", 2)
    if content.declarations:
        table(document, ("Member", "Case", "Reason"),
              [(row.member, row.case_reference, row.reason) for row in content.declarations],
              (45, 35, 90))
        para(document, "A member who declared an interest in a case did not score it.",
             muted=True)
    else:
        para(document, EMPTY["declarations"])


def headline_paragraphs(document: DocxDocument, headline: HeadlineContent) -> None:
    para(document, headline.verdicts, bold_lead="Verdicts: ")
    if headline.criteria:
        para(document, headline.criteria, bold_lead="Criteria: ")
    for note in headline.notes:
        para(document, note, muted=True)


def _cases(document: DocxDocument, cases: Sequence[CaseMinute], unscored: int) -> None:
    heading(document, "4. Cases discussed")
    waiting = (f"{unscored} further sampled case{'s are' if unscored != 1 else ' is'} still "
               "being scored and will come to a later meeting.") if unscored else ""
    if not cases:
        para(document, EMPTY["cases"] + (f" {waiting}" if waiting else ""))
        return
    if waiting:
        para(document, waiting)
    table(document, ("Case", "Verdict", "Standing"),
          [(case.reference + (" (urgent)" if case.urgent else ""), case.verdict,
            case.verdict_status) for case in cases], (50, 62, 58))
    for case in cases:
        if not (case.rationale or case.dissent or case.learning or case.good_practice):
            continue
        heading(document, f"{case.reference}: {case.verdict}", 3)
        if case.rationale:
            para(document, case.rationale, bold_lead="Rationale: ")
        for dissent in case.dissent:
            para(document, f"{dissent.member} took the view {dissent.view}: {dissent.reason}",
                 bold_lead="Dissent: ")
        if case.learning:
            para(document, case.learning, bold_lead="Learning: ")
        if case.good_practice:
            para(document, case.good_practice, bold_lead="Good practice: ")


def _escalations(document: DocxDocument, content: MinutesContent) -> None:
    heading(document, "5. Urgent safeguarding escalations")
    if content.escalations:
        table(document, ("Case", "Reason", "Escalated to", "When", "Response", "Status"),
              [(row.case_reference, row.reason, row.to_whom, short_date(row.when),
                row.response or "Awaited", row.status) for row in content.escalations],
              (24, 36, 30, 22, 36, 22))
    else:
        para(document, EMPTY["escalations"])
    flagged = [case.reference for case in content.cases if case.urgent]
    if flagged and not content.escalations:
        para(document, "Cases the panel flagged for urgent safeguarding: " + ", ".join(flagged)
             + ". The escalation itself (to whom, when, the response) is not yet recorded.")


def action_table(document: DocxDocument, actions: Sequence[ActionItem], empty: str, *,
                 with_source: bool = False, landscape: bool = False) -> None:
    """Actions with owner, agency, due date and status; overdue ones say so."""
    if not actions:
        para(document, empty)
        return
    headers = ["Action", "Agency", "Owner", "Due", "Status", "Response"]
    widths: list[float] = [46, 20, 28, 22, 24, 30]
    if with_source:
        headers.insert(1, "From")
        widths = [38, 24, 18, 24, 20, 22, 24]
    if landscape:  # 257 mm of line rather than 170: the action and response take it
        widths = [width * 257 / 170 for width in widths]
    rows = []
    for action in actions:
        status = f"{action.status} (overdue)" if action.overdue else action.status
        row = [action.description, action.agency or "–", action.owner or "–",
               short_date(action.due), status, action.response or "–"]
        if with_source:
            row.insert(1, action.source)
        rows.append(row)
    table(document, headers, rows, widths)
