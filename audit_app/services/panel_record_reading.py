"""The panel's record as its documents show it: the meeting (attendance, declarations, cases
carried to the next meeting), dissent, urgent escalations, requests for more information,
learning themes, good practice to share and the actions register.

Each read goes through the caller's snapshot (`export_snapshot.read_snapshot`) and shows
references and free text as the copy does (`panel_reading.AuditReading`): pseudonyms and
the partner copy's scrub by default. Members' names are kept, as the partner copy keeps
them; the name of a person asked for information is shown only in the internal copy.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select

from audit_app.core.answers import ReviewKind
from audit_app.core.errors import UserError
from audit_app.core.meeting import AgendaStatus
from audit_app.core.panel_documents import (
    ActionItem,
    AttendanceRow,
    CarriedCase,
    Declaration,
    Dissent,
    Escalation,
    InformationRequest,
    TextItem,
    ThemeCount,
    ThemeTrend,
)
from audit_app.core.panel_record import CarriedRequest
from audit_app.core.scrubbing import pseudonym
from audit_app.core.statuses import ActionStatus
from audit_app.core.themes import theme_name, theme_names
from audit_app.db.models import AuditRecord, LearningTagRecord, ReviewRecord
from audit_app.db.models_meeting import VerdictDissentRecord
from audit_app.db.panel_record import earlier_in_family
from audit_app.services import actions, escalations, information_requests, meetings, themes
from audit_app.services.database import Database
from audit_app.services.panel_reading import AuditReading

TREND_AUDITS = 4  # the latest audits of the trend: what a portrait table holds


def family_ids(db: Database, audit_id: int) -> list[int]:
    """The earlier audits of this audit's framework (their requests carry into it)."""
    with db.reading() as session:
        audit = session.get(AuditRecord, audit_id)
        return list(earlier_in_family(session, audit)) if audit is not None else []


def chosen_meeting(db: Database, audit_id: int, meeting_id: int | None
                   ) -> meetings.MeetingDetail | None:
    """The meeting asked for (it must be this audit's), else the audit's latest, if any."""
    held = meetings.list_meetings(db, audit_id=audit_id)
    if meeting_id is None:
        return meetings.get_meeting(db, meeting_id=held[-1].meeting_id) if held else None
    if meeting_id not in {row.meeting_id for row in held}:
        raise UserError(f"Meeting {meeting_id} is not a meeting of audit {audit_id}")
    return meetings.get_meeting(db, meeting_id=meeting_id)


def held_on(db: Database, audit_id: int, meeting_date: dt.date | None) -> dt.date | None:
    """The audit's meeting date, or (none set) the day of its latest meeting in the app."""
    if meeting_date is not None:
        return meeting_date
    held = meetings.list_meetings(db, audit_id=audit_id)
    return held[-1].held_on if held else None


def attendance(detail: meetings.MeetingDetail | None) -> tuple[AttendanceRow, ...]:
    if detail is None:
        return ()
    return tuple(AttendanceRow(row.member, row.role, row.agency, row.present, row.guest)
                 for row in sorted(detail.attendance,
                                   key=lambda row: (not row.present, row.guest, row.member)))


def declarations(detail: meetings.MeetingDetail | None, reading: AuditReading
                 ) -> tuple[Declaration, ...]:
    if detail is None:
        return ()
    return tuple(Declaration(row.member, reading.reference(row.reference),
                             reading.text(row.reason)) for row in detail.declarations)


def carried(detail: meetings.MeetingDetail | None, reading: AuditReading
            ) -> tuple[CarriedCase, ...]:
    if detail is None:
        return ()
    return tuple(CarriedCase(reading.reference(row.reference), reading.text(row.carried_reason))
                 for row in detail.agenda if row.status is AgendaStatus.CARRIED)


def dissents(db: Database, audit_id: int, reading: AuditReading) -> dict[int, tuple[Dissent, ...]]:
    """Case id -> the dissents from its agreed verdict, in the order recorded."""
    found: dict[int, list[Dissent]] = defaultdict(list)
    with db.reading() as session:
        rows = session.execute(
            select(ReviewRecord.case_id, VerdictDissentRecord.member, VerdictDissentRecord.reason)
            .join(ReviewRecord, VerdictDissentRecord.review_id == ReviewRecord.id)
            .where(ReviewRecord.audit_id == audit_id,
                   ReviewRecord.kind == ReviewKind.CONSENSUS.value)
            .order_by(VerdictDissentRecord.id))
        for case_id, member, reason in rows:
            found[case_id].append(Dissent(member, reading.text(reason)))
    return {case_id: tuple(rows) for case_id, rows in found.items()}


def escalation_items(db: Database, reading: AuditReading, today: dt.date
                     ) -> tuple[Escalation, ...]:
    """Open first (overdue at the top), as the Escalations page orders them."""
    return tuple(Escalation(
        reading.reference(row.case_reference) if row.case_reference else "–",
        reading.text(row.reason), row.sent_to or "–", row.sent_on or row.created_on,
        reading.text(row.response), row.standing(today), row.response_on,
        row.is_overdue(today))
        for row in escalations.list_escalations(db, audit_id=reading.data.audit_id,
                                                today=today))


def open_escalations(db: Database, audit_id: int, today: dt.date) -> int:
    return sum(row.is_open for row in escalations.list_escalations(db, audit_id=audit_id,
                                                                    today=today))


def request_items(db: Database, reading: AuditReading, settled_since: dt.date | None = None
                  ) -> tuple[InformationRequest, ...]:
    """This audit's requests (unsettled first), then those carried from earlier audits:
    still open, or settled at the meeting (on or after `settled_since`), with the answer."""
    audit_id = reading.data.audit_id
    own = information_requests.list_requests(db, audit_id=audit_id)
    earlier = information_requests.carried_cases(db, audit_id=audit_id)
    if settled_since is not None:
        earlier += tuple(row for family in family_ids(db, audit_id)
                         for row in information_requests.list_requests(db, audit_id=family)
                         if row.settled_on is not None and row.settled_on >= settled_since)
    return (*(_request(db, row, reading, "") for row in own),
            *(_request(db, row, reading, row.audit_name) for row in earlier))


def _request(db: Database, row: CarriedRequest, reading: AuditReading,
             source: str) -> InformationRequest:
    who = (", ".join(p for p in (row.answerer_role, row.answerer_agency) if p)
           if reading.pseudonymised else row.answerer) or "Not yet named"
    standing = (f"Settled on {row.settled_on:%d %B %Y}: {reading.text(row.answer)}"
                if row.settled_on else "Carried to the next meeting")
    return InformationRequest(_earlier_reference(db, row, reading), reading.text(row.question),
                              who, standing, source)


def _earlier_reference(db: Database, row: CarriedRequest, reading: AuditReading) -> str:
    """A case of an earlier audit by that audit's own pseudonym (never its real reference)."""
    if not row.case_reference:
        return "–"
    if not reading.pseudonymised or row.audit_id == reading.data.audit_id:
        return reading.reference(row.case_reference)
    with db.reading() as session:
        audit = session.get(AuditRecord, row.audit_id)
        secret = audit.pseudonym_salt if audit is not None else None
    return pseudonym(row.case_reference, secret) if secret else "[reference]"


def theme_rows(db: Database, audit_id: int) -> tuple[ThemeCount, ...]:
    """Themes this audit's cases were tagged with, most cases first."""
    counts = [row for row in themes.theme_counts(db, audit_id=audit_id) if row.total]
    counts.sort(key=lambda row: (-row.total, row.name))
    return tuple(ThemeCount(row.name, row.total, row.learning, row.good_practice)
                 for row in counts)


def theme_trend(db: Database, audit_id: int) -> tuple[tuple[str, ...], tuple[ThemeTrend, ...]]:
    """Learning cases per theme in the latest audits of the framework, themes seen only."""
    names, trends = themes.theme_trend(db, audit_id=audit_id)
    names = names[-TREND_AUDITS:]
    rows = tuple(ThemeTrend(row.name, row.per_audit[-TREND_AUDITS:]) for row in trends
                 if any(row.per_audit[-TREND_AUDITS:]))
    return (names, rows) if rows else ((), ())


def consensus_themes(db: Database, audit_id: int) -> dict[tuple[int, str], tuple[str, ...]]:
    """(case id, tag kind) -> the theme names the panel's agreed review was tagged with."""
    names = theme_names(themes.list_themes())
    found: dict[tuple[int, str], list[str]] = defaultdict(list)
    with db.reading() as session:
        for case_id, kind, key in session.execute(
                select(ReviewRecord.case_id, LearningTagRecord.kind, LearningTagRecord.theme_key)
                .join(ReviewRecord, LearningTagRecord.review_id == ReviewRecord.id)
                .where(ReviewRecord.audit_id == audit_id,
                       ReviewRecord.kind == ReviewKind.CONSENSUS.value)
                .order_by(LearningTagRecord.id)):
            found[(case_id, kind)].append(theme_name(names, key))
    return {key: tuple(dict.fromkeys(value)) for key, value in found.items()}


def good_practice_items(db: Database, reading: AuditReading) -> tuple[TextItem, ...]:
    """Good practice to share: the panel's agreed text, with its themes; a member's text
    only for a case the panel has not agreed yet, and marked so."""
    entries = themes.good_practice_to_share(db, audit_id=reading.data.audit_id)
    agreed = {e.case_reference for e in entries if e.review_kind == ReviewKind.CONSENSUS}
    items = []
    for entry in entries:
        if entry.review_kind != ReviewKind.CONSENSUS and entry.case_reference in agreed:
            continue
        note = "" if entry.review_kind == ReviewKind.CONSENSUS else " (a member's view, not yet agreed)"
        items.append(TextItem(reading.reference(entry.case_reference),
                              reading.text(entry.text) + note, entry.themes))
    return tuple(dict.fromkeys(items))


def register_items(db: Database, reading: AuditReading, today: dt.date
                   ) -> tuple[tuple[ActionItem, ...], tuple[ActionItem, ...]]:
    """The actions register split: this audit's own actions, and those brought forward
    from earlier audits of its framework (open until closed); overdue ones flagged."""
    rows = actions.list_actions(db, audit_id=reading.data.audit_id, today=today)
    items = [(row.brought_forward_from, ActionItem(
        reading.text(row.description), row.agency, row.owner, row.due_date,
        ActionStatus(row.status).label, reading.text(row.response), row.is_overdue(today),
        row.brought_forward_from or reading.data.audit_name, row.response_date))
        for row in rows]
    return (tuple(item for source, item in items if not source),
            tuple(item for source, item in items if source))
