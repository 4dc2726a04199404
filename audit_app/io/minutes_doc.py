"""The minutes of a panel meeting, as a Word document (`core.panel_documents.MinutesContent`).

In the order a meeting runs: who attended and their declarations, the population picture,
the headline with its interval, each case's verdict and rationale (with any dissent), the
requests for more information and cases carried on, the urgent escalations, the themes
(this audit's, and across audits), new and outstanding actions, and good practice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocxDocument

from audit_app.core.panel_documents import (
    EMPTY,
    ActionItem,
    AttendanceRow,
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
        *([content.meeting_title] if content.meeting_title else []),
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
    _requests(document, content)
    _escalations(document, content)
    _themes(document, content)
    heading(document, "7. Actions")
    heading(document, "New actions agreed at this meeting", 2)
    action_table(document, content.new_actions, EMPTY["new_actions"])
    heading(document, "Outstanding actions from earlier audits", 2)
    action_table(document, content.outstanding_actions, EMPTY["outstanding_actions"],
                 with_source=True)
    heading(document, "8. Good practice to share")
    if content.good_practice:
        bullets(document, [f"{item.case_reference}: {item.text}"
                           + (f" (Themes: {', '.join(item.themes)})" if item.themes else "")
                           for item in content.good_practice])
    else:
        para(document, EMPTY["good_practice"])
    return save_document(document, path)


def _attendance(document: DocxDocument, content: MinutesContent) -> None:
    heading(document, "1. Attendance and declarations of interest")
    if content.attendance:
        table(document, ("Name", "Role", "Agency", "Attendance"),
              [(row.name, row.role or "–", row.agency or "–", _presence(row))
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


def _presence(row: AttendanceRow) -> str:
    if not row.present:
        return "Apologies"
    return "Present (guest)" if row.guest else "Present"


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
    pending = [case.reference for case in cases if not case.agreed]
    if pending:
        para(document, f"{EMPTY['not_agreed']} {', '.join(pending)}.", muted=True)
    for case in cases:
        if not (case.rationale or case.dissent or case.learning or case.good_practice):
            continue
        heading(document, f"{case.reference}: {case.verdict}", 3)
        if case.rationale:
            para(document, case.rationale, bold_lead="Rationale: ")
        for dissent in case.dissent:
            para(document, f"{dissent.member} did not agree: {dissent.reason}",
                 bold_lead="Dissent: ")
        if case.learning:
            para(document, case.learning, bold_lead="Learning: ")
        if case.good_practice:
            para(document, case.good_practice, bold_lead="Good practice: ")


def _requests(document: DocxDocument, content: MinutesContent) -> None:
    heading(document, "More information asked for", 2)
    if content.requests:
        table(document, ("Case", "Question", "Who answers", "Standing"),
              [(row.case_reference + (f" ({row.source})" if row.source else ""), row.question,
                row.answerer, row.standing) for row in content.requests], (34, 66, 36, 34))
    else:
        para(document, EMPTY["requests"])
    heading(document, "Carried to the next meeting", 2)
    if content.carried:
        table(document, ("Case", "Why"),
              [(row.case_reference, row.reason) for row in content.carried], (40, 130))
    else:
        para(document, EMPTY["carried"])


def _escalations(document: DocxDocument, content: MinutesContent) -> None:
    heading(document, "5. Urgent safeguarding escalations")
    if content.escalations:
        para(document, "Open escalations come first; an overdue one has had no response "
                       "within the panel's period.", muted=True)
        table(document, ("Case", "Reason", "Escalated to", "When", "Response", "Status"),
              [(row.case_reference, row.reason, row.to_whom, short_date(row.when),
                _dated(row.response, row.response_on, "Awaited"), row.status)
               for row in content.escalations], (31, 33, 29, 19, 36, 22))
    else:
        para(document, EMPTY["escalations"])
    escalated = {row.case_reference for row in content.escalations}
    flagged = [case.reference for case in content.cases
               if case.urgent and case.reference not in escalated]
    if flagged:
        para(document, "Flagged for urgent safeguarding with no escalation recorded yet: "
             + ", ".join(flagged) + ".")


def _themes(document: DocxDocument, content: MinutesContent) -> None:
    heading(document, "6. Learning themes")
    if not content.themes:
        para(document, EMPTY["themes"])
        return
    table(document, ("Theme", "Learning", "Good practice", "Cases"),
          [(row.theme, str(row.learning), str(row.good_practice), str(row.count))
           for row in content.themes], (95, 25, 28, 22))
    if len(content.trend_audits) > 1 and content.theme_trend:
        heading(document, "Learning themes across audits", 2)
        para(document, "Cases with learning in each theme, oldest audit first.", muted=True)
        width = 90 / len(content.trend_audits)
        table(document, ("Theme", *content.trend_audits),
              [(row.theme, *[str(count) for count in row.counts])
               for row in content.theme_trend], (80, *[width] * len(content.trend_audits)))


def _dated(text: str, day: dt.date | None, missing: str = "–") -> str:
    if not text:
        return missing
    return f"{text} ({short_date(day)})" if day else text


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
               short_date(action.due), status, _dated(action.response, action.response_date)]
        if with_source:
            row.insert(1, action.source)
        rows.append(row)
    table(document, headers, rows, widths)
