"""The findings workbook's record of what the panel did: the actions register (with each
agency's response, which panels publish), urgent safeguarding escalations (open first) and
learning counted per theme.

Case references go through the copy's pseudonyms, every piece of free text through its
scrub (so a partner copy's release check sees it), and panel members are named as the
copy's rules say.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from audit_app.core.copy_rules import PrivacyRules
from audit_app.core.findings import Findings
from audit_app.core.panel_record import RecordForBook
from audit_app.core.statuses import ActionStatus
from audit_app.core.themes import theme_name
from audit_app.io.findings_case_sheets import REFERENCE_WIDTH, TextScrub, scrub_text
from audit_app.io.workbook_tables import Column, TableSheet

DAY = "yyyy-mm-dd"


def _status(status: str) -> str:
    try:
        return ActionStatus(status).label
    except ValueError:
        return status


def actions_sheet(findings: Findings, references: dict[str, str], scrub: TextScrub,
                  record: RecordForBook | None = None) -> TableSheet:
    """The register: the audit's actions and the open ones brought forward."""
    columns = (Column("Reference", REFERENCE_WIDTH), Column("Criterion", 10),
               Column("Action", 50, wrap=True), Column("Agency", 14), Column("Owner", 20),
               Column("Due", 12, DAY), Column("Status", 12), Column("Overdue", 9),
               Column("Response", 40, wrap=True), Column("Date of response", 12, DAY),
               Column("Theme", 24, wrap=True), Column("Brought forward from", 24, wrap=True))
    names: Mapping[str, str] = record.theme_names if record is not None else {}
    rows = []
    for number, action in enumerate(findings.actions, start=1):
        shown = references.get(action.case_reference, action.case_reference)
        where = f"Actions sheet, action {number}" + (f" for {shown}" if shown else "")
        overdue = record is not None and action.is_overdue(record.today)
        rows.append((shown, action.criterion_code,
                     scrub_text(scrub, f"{where}: description", action.description),
                     scrub_text(scrub, f"{where}: agency", action.agency),
                     scrub_text(scrub, f"{where}: owner", action.owner),
                     action.due_date or action.follow_up_by, _status(action.status),
                     "Overdue" if overdue else "",
                     scrub_text(scrub, f"{where}: response", action.response),
                     action.response_date, theme_name(names, action.theme_key),
                     scrub_text(scrub, f"{where}: earlier audit name",
                                action.brought_forward_from)))
    return TableSheet("Actions", columns, rows, len(rows), frozen_columns=1)


def _member(rules: PrivacyRules, name: str) -> str:
    """A panel member as this copy may name them; anyone else by role."""
    if not name or not rules.for_partner or rules.keep_member_names:
        return name
    return rules.member_labels.get(name, "A panel member")


def escalations_sheet(record: RecordForBook, rules: PrivacyRules, references: dict[str, str],
                      scrub: TextScrub) -> TableSheet:
    columns = (Column("Reference", REFERENCE_WIDTH), Column("Standing", 16),
               Column("Reason", 44, wrap=True), Column("Sent to", 22, wrap=True),
               Column("Agency", 14), Column("Sent", 12, DAY), Column("Response due", 12, DAY),
               Column("Response", 40, wrap=True), Column("Date of response", 12, DAY),
               Column("Closed", 12, DAY), Column("Closed by", 18))
    rows: list[tuple[Any, ...]] = []
    for number, row in enumerate(record.escalations, start=1):
        shown = references.get(row.case_reference, row.case_reference)
        where = f"Escalations sheet, escalation {number}" + (f" for {shown}" if shown else "")
        rows.append((shown, row.standing(record.today),
                     scrub_text(scrub, f"{where}: reason", row.reason),
                     scrub_text(scrub, f"{where}: sent to", row.sent_to_role),
                     scrub_text(scrub, f"{where}: agency", row.sent_to_agency),
                     row.sent_on, row.respond_by,
                     scrub_text(scrub, f"{where}: response", row.response), row.response_on,
                     row.closed_on, _member(rules, row.closed_by)))
    return TableSheet("Escalations", columns, rows, len(rows), frozen_columns=1)


def themes_sheet(record: RecordForBook, scrub: TextScrub) -> TableSheet:
    """Cases per theme in this audit, and learning cases in each earlier audit of the
    framework. Counts only; the audit names go through the scrub like any text."""
    earlier = record.family_audits[:-1]
    titles: list[str] = []
    for number, name in enumerate(earlier, start=1):
        title = f"Learning in {scrub_text(scrub, f'Themes sheet, audit {number} name', name)}"
        titles.append(title if title not in titles else f"{title} ({number})")
    columns = (Column("Theme", 34, wrap=True), Column("Learning (cases)", 12),
               Column("Good practice (cases)", 12),
               *[Column(title, 14, wrap=True) for title in titles])
    trends = {trend.theme_key: trend.per_audit for trend in record.trends}
    rows = [(count.name, count.learning, count.good_practice,
             *(trends.get(count.theme_key) or (0,) * len(record.family_audits))[:len(earlier)])
            for count in record.theme_counts]
    return TableSheet("Themes", columns, rows, len(rows))
