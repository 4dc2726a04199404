"""An audit read once for the panel's documents: rows, findings, and how a copy shows them.

`read_audit` reads through the caller's snapshot and decides, for a pseudonymised copy,
how references and free text are shown: the audit's stable pseudonyms (the ones the
workbook uses) and the partner copy's scrub (names held for the population, officers and
supervisors, phone numbers, dates of birth, addresses). The internal copy shows both as
they are. The pieces every document shares are here: the headline as the findings page
words it, each case's minute, the audit's own actions (the rest of the panel's record is
read by `services.panel_record_reading`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from audit_app.core.answers import ReviewKind
from audit_app.core.audit_rows import AuditData, ReviewEntry
from audit_app.core.findings import Findings
from audit_app.core.findings_compute import findings_from_data
from audit_app.core.panel_documents import (
    ActionItem,
    CaseMinute,
    Dissent,
    HeadlineContent,
    Rate,
    is_overdue,
    percent,
)
from audit_app.core.progress import CancelCheck
from audit_app.core.scrubbing import Scrubber
from audit_app.core.statuses import ActionStatus
from audit_app.core.verdicts import NO_VERDICT_STATUS
from audit_app.io.word_lists import known_words
from audit_app.services.database import Database
from audit_app.services.export_privacy import privacy_rules, text_sources
from audit_app.services.findings import load_audit_data

PANEL_NAME = "Domestic abuse scrutiny panel"


@dataclass(frozen=True)
class AuditReading:
    """An audit read once: its rows and findings, and how this copy shows references and text."""

    data: AuditData
    findings: Findings
    reference: Callable[[str], str]
    text: Callable[[str], str]
    pseudonymised: bool


def read_audit(db: Database, audit_id: int, *, pseudonymise: bool,
               cancelled: CancelCheck | None = None) -> AuditReading:
    """Read through `db` (a snapshot); `ensure_pseudonym_secret` has run when pseudonymising."""
    data = load_audit_data(db, audit_id=audit_id, cancelled=cancelled)
    findings = findings_from_data(data)
    if not pseudonymise:
        return AuditReading(data, findings, lambda reference: reference, lambda text: text,
                            False)
    # The partner copy's rules: officers' and supervisors' names are scrubbed from text too.
    rules = privacy_rules(data, for_partner=True, pseudonymise=True, keep_officer_names=False,
                          keep_member_names=True)
    sources = text_sources(db, data, rules)
    scrubber = Scrubber(sources.names, sources.text_references, known_words=known_words())
    pseudonyms = sources.pseudonyms
    return AuditReading(data, findings, lambda reference: pseudonyms.get(reference, reference),
                        scrubber, True)


def headline_of(reading: AuditReading) -> HeadlineContent:
    """The headline as the findings page words it, references shown as this copy shows them."""
    findings = reading.findings
    pooled = findings.headline.pooled
    criteria = ""
    if pooled.scored:
        interval = (f" (95% interval {percent(pooled.interval[0])}–"
                    f"{percent(pooled.interval[1])})" if pooled.interval else "")
        over = f" across {pooled.cases} cases" if pooled.cases else ""
        criteria = (f"fully met in {pooled.met} of {pooled.scored} scored answers = "
                    f"{percent(pooled.rate)}{interval}{over}.")
    agreed = findings.agreed_verdicts
    if agreed is None:
        return HeadlineContent("No agreed verdicts were kept for this audit.", None, criteria)
    mapping = {ref: reading.reference(ref)
               for ref in (*agreed.more_information, *agreed.unable_to_agree)}
    notes = tuple(line for line in (agreed.provisional(), *agreed.unresolved(mapping)) if line)
    return HeadlineContent(agreed.headline(), Rate(agreed.appropriate, agreed.cases,
                                                   agreed.interval), criteria, notes)


def by_case(reviews: Iterable[ReviewEntry]) -> dict[int, list[ReviewEntry]]:
    grouped: dict[int, list[ReviewEntry]] = defaultdict(list)
    for review in reviews:
        grouped[review.case_id].append(review)
    return grouped


def agreed_text(reviews: list[ReviewEntry], attribute: str) -> str:
    """The panel's agreed text ("" until the panel agrees the case: a member's draft is not
    minuted or sent as the panel's view)."""
    agreed = [getattr(r, attribute) for r in reviews if r.kind == ReviewKind.CONSENSUS]
    unique = dict.fromkeys(text.strip() for text in agreed if text and text.strip())
    return " ".join(unique)


def has_agreed_review(reviews: list[ReviewEntry]) -> bool:
    return any(r.kind == ReviewKind.CONSENSUS for r in reviews)


def case_minutes(reading: AuditReading, dissent: Mapping[int, tuple[Dissent, ...]]
                 ) -> tuple[CaseMinute, ...]:
    """Every sampled case with a verdict (agreed, or members' so far), urgent ones first
    (as findings order them), with any dissent from the agreed verdict."""
    reviews = by_case(reading.data.reviews)
    minutes = []
    for case in reading.findings.cases:
        case_reviews = reviews.get(case.case_id, [])
        if not case_reviews or case.verdict_status == NO_VERDICT_STATUS:
            continue
        minutes.append(CaseMinute(
            reading.reference(case.reference), case.verdict, case.verdict_status,
            reading.text(agreed_text(case_reviews, "rationale")),
            dissent.get(case.case_id, ()),
            reading.text(agreed_text(case_reviews, "learning_points")),
            reading.text(agreed_text(case_reviews, "good_practice")), case.urgent_safeguarding,
            has_agreed_review(case_reviews)))
    return tuple(minutes)


def action_items(reading: AuditReading, today: dt.date) -> tuple[ActionItem, ...]:
    """The audit's own actions. The owner is who answers for the action (a post or an
    officer of rank), not case data; the agency is an organisation."""
    return tuple(ActionItem(reading.text(row.description), row.agency, row.owner,
                            row.due_date, ActionStatus(row.status).label,
                            reading.text(row.response),
                            is_overdue(row.due_date, row.status, today),
                            reading.data.audit_name, row.response_date)
                 for row in reading.data.actions)
