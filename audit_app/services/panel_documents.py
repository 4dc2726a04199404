"""The documents a panel sends: minutes, feedback letters and a one-page summary of an audit.

Each document is read from one read-only snapshot (`export_snapshot.read_snapshot`), so
every section shows the same moment, then laid out by `io.minutes_doc` and its neighbours.
Pseudonymised by default: case references become the audit's stable pseudonyms (the ones
the workbook uses) and every piece of free text goes through the partner copy's scrub
(names held for the population, officers and supervisors, phone numbers, dates of birth,
addresses). `pseudonymise=False` is the panel's internal copy: real references, text as
written (`services.panel_reading` reads an audit either way). The yearly report is
`services.panel_year_report`.

The panel's record (the meeting, dissent, escalations, requests, themes, the actions
register) is read by `services.panel_record_reading` in the same snapshot; where nothing is
recorded, each document says so in a plain sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from audit_app.core.errors import UserError
from audit_app.core.panel_documents import (
    OPEN_STATUSES,
    CriterionRate,
    FeedbackLetter,
    LetterCase,
    MinutesContent,
    Rate,
    SummarySheet,
    population_lines,
)
from audit_app.core.panel_record import TagKind
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.core.statuses import AuditStatus
from audit_app.core.verdicts import NO_VERDICT_STATUS
from audit_app.db.models import AuditRecord
from audit_app.io.feedback_doc import write_feedback_letter
from audit_app.io.minutes_doc import write_minutes
from audit_app.io.private_files import private_dir
from audit_app.io.summary_doc import write_summary
from audit_app.services import panel_record_reading as record
from audit_app.services.database import Database
from audit_app.services.export_privacy import ensure_pseudonym_secret
from audit_app.services.export_snapshot import read_snapshot
from audit_app.services.panel_reading import (
    PANEL_NAME,
    agreed_text,
    by_case,
    case_minutes,
    has_agreed_review,
    headline_of,
    read_audit,
)
from audit_app.services.population_picture import get_population_picture

GROUPINGS = ("supervisor", "team")
LETTER_NAME = re.compile(r"feedback-\d{2,}-(supervisor|team)\.docx")
NOT_RECORDED = {"supervisor": "Supervisor not recorded", "team": "Team not recorded"}


@dataclass(frozen=True)
class DocumentResult:
    """What was written: the files, and a plain sentence for any front."""

    paths: tuple[Path, ...]
    summary: str
    cases: int = 0
    pseudonymised: bool = True
    addressees: tuple[str, ...] = field(default=(), repr=False)  # feedback letters only


def _secrets(db: Database, audit_id: int, pseudonymise: bool) -> None:
    """Store the pseudonym secrets a pseudonymised copy needs: this audit's, and those of
    the earlier audits whose unsettled questions carry into it."""
    if pseudonymise:
        for audit in (audit_id, *record.family_ids(db, audit_id)):
            ensure_pseudonym_secret(db, audit)


def minutes_content(db: Database, *, audit_id: int, pseudonymise: bool = True,
                    meeting_id: int | None = None, today: dt.date | None = None,
                    cancelled: CancelCheck | None = None) -> MinutesContent:
    """The minutes' content from one snapshot: the meeting asked for (else the audit's
    latest) and the panel's record as it stands."""
    today = today or dt.date.today()
    _secrets(db, audit_id, pseudonymise)
    with read_snapshot(db) as snapshot:
        reading = read_audit(snapshot, audit_id, pseudonymise=pseudonymise, cancelled=cancelled)
        meeting = record.chosen_meeting(snapshot, audit_id, meeting_id)
        picture = get_population_picture(snapshot, audit_id=audit_id, cancelled=cancelled)
        cases = case_minutes(reading, record.dissents(snapshot, audit_id, reading))
        new, earlier = record.register_items(snapshot, reading, today)
        trend_audits, trend = record.theme_trend(snapshot, audit_id)
        escalations = record.escalation_items(snapshot, reading, today)
        requests = record.request_items(snapshot, reading,
                                        meeting.meeting.held_on if meeting else None)
        themes = record.theme_rows(snapshot, audit_id)
        good = record.good_practice_items(snapshot, reading)
    data = reading.data
    awaiting = sum(1 for case in reading.findings.cases
                   if case.verdict_status == NO_VERDICT_STATUS)
    return MinutesContent(
        PANEL_NAME, data.audit_name, data.framework.title_and_version,
        meeting.meeting.held_on if meeting else data.meeting_date, headline_of(reading),
        population_lines(picture), record.attendance(meeting),
        record.declarations(meeting, reading), cases, escalations, themes, new, earlier, good,
        pseudonymise, awaiting,
        data.case_data_deleted.notice if data.case_data_deleted else "",
        meeting.meeting.title if meeting else "", requests, record.carried(meeting, reading),
        trend_audits, trend)


def letters_content(db: Database, *, audit_id: int, by: str = "supervisor",
                    pseudonymise: bool = True) -> tuple[FeedbackLetter, ...]:
    """One letter per supervisor (or team) with their cases' verdicts, and the panel's
    agreed learning and good practice with their themes. A supervisor's name appears only
    as the addressee of their own letter."""
    if by not in GROUPINGS:
        raise UserError(f"Feedback letters go by supervisor or by team, not '{by}'")
    if pseudonymise:
        ensure_pseudonym_secret(db, audit_id)
    with read_snapshot(db) as snapshot:
        reading = read_audit(snapshot, audit_id, pseudonymise=pseudonymise)
        tags = record.consensus_themes(snapshot, audit_id)
        held = record.held_on(snapshot, audit_id, reading.data.meeting_date)
    reviews = by_case(reading.data.reviews)
    verdicts = {case.case_id: case.verdict for case in reading.findings.cases
                if case.verdict_status != NO_VERDICT_STATUS}
    grouped: dict[str, list[LetterCase]] = defaultdict(list)
    for case in reading.data.cases:
        if case.case_id not in reviews or case.case_id not in verdicts:
            continue  # feedback waits for the panel's (or the members') verdict
        addressee = " ".join(str(case.fields.get(by) or "").split()) or NOT_RECORDED[by]
        case_reviews = reviews[case.case_id]
        grouped[addressee].append(LetterCase(
            reading.reference(case.reference), verdicts[case.case_id],
            reading.text(agreed_text(case_reviews, "learning_points")),
            reading.text(agreed_text(case_reviews, "good_practice")),
            reading.text(agreed_text(case_reviews, "feedback")),
            tags.get((case.case_id, TagKind.LEARNING.value), ()),
            tags.get((case.case_id, TagKind.GOOD_PRACTICE.value), ()),
            has_agreed_review(case_reviews)))
    data = reading.data
    return tuple(FeedbackLetter(name, by, PANEL_NAME, data.audit_name, held,
                                tuple(cases), pseudonymise)
                 for name, cases in sorted(grouped.items()))


def summary_content(db: Database, *, audit_id: int, pseudonymise: bool = True,
                    today: dt.date | None = None) -> SummarySheet:
    """The one-page summary: nothing on it names a case but the unresolved verdicts' line."""
    today = today or dt.date.today()
    if pseudonymise:
        ensure_pseudonym_secret(db, audit_id)
    with read_snapshot(db) as snapshot:
        reading = read_audit(snapshot, audit_id, pseudonymise=pseudonymise)
        new, earlier = record.register_items(snapshot, reading, today)
        themes = record.theme_rows(snapshot, audit_id)
        escalations = record.open_escalations(snapshot, audit_id, today)
        held = record.held_on(snapshot, audit_id, reading.data.meeting_date)
    findings = reading.findings
    criteria = sorted((CriterionRate(c.code, c.question, Rate(
        c.compliance.met, c.compliance.denominator, c.compliance.interval))
        for c in findings.criteria if c.compliance.denominator),
        key=lambda row: (row.rate.rate or 0.0, row.code))
    open_actions = [a for a in (*new, *earlier) if a.status in {s.label for s in OPEN_STATUSES}]
    head = findings.headline
    return SummarySheet(PANEL_NAME, reading.data.audit_name, held,
                        headline_of(reading), tuple(criteria), themes, len(open_actions),
                        sum(a.overdue for a in open_actions), escalations, head.cases_reviewed,
                        head.cases_sampled, head.urgent_safeguarding)


def checked_document_path(path: Path) -> Path:
    """Refuse a path that cannot take a Word document before anything is read or written."""
    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path.name} is a folder: give a file name ending .docx")
    if path.suffix.lower() != ".docx":
        raise UserError(f"{path.name} is not a Word document: give a file name ending .docx")
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist")
    return path


def write_minutes_file(db: Database, *, audit_id: int, path: Path, pseudonymise: bool = True,
                       meeting_id: int | None = None, progress: ProgressCallback | None = None,
                       cancelled: CancelCheck | None = None) -> DocumentResult:
    path = checked_document_path(path)
    content = minutes_content(db, audit_id=audit_id, pseudonymise=pseudonymise,
                              meeting_id=meeting_id, cancelled=cancelled)
    report(progress, 1, 2)
    check_cancelled(cancelled)
    write_minutes(content, path)
    report(progress, 2, 2)
    return DocumentResult((path,), f"Saved the minutes of {content.audit_name} to {path.name} "
                          f"({len(content.cases)} cases).", len(content.cases), pseudonymise)


def write_summary_file(db: Database, *, audit_id: int, path: Path, pseudonymise: bool = True,
                       progress: ProgressCallback | None = None,
                       cancelled: CancelCheck | None = None) -> DocumentResult:
    path = checked_document_path(path)
    sheet = summary_content(db, audit_id=audit_id, pseudonymise=pseudonymise)
    check_cancelled(cancelled)
    write_summary(sheet, path)
    report(progress, 1, 1)
    return DocumentResult((path,), f"Saved the summary sheet of {sheet.audit_name} to "
                          f"{path.name}.", sheet.cases_reviewed, pseudonymise)


def letter_file_name(index: int, letter: FeedbackLetter) -> str:
    """"feedback-01.docx": numbered, so no file name on a shared drive names a supervisor."""
    return f"feedback-{index:02d}-{letter.grouped_by}.docx"


def write_feedback_files(db: Database, *, audit_id: int, folder: Path, by: str = "supervisor",
                         pseudonymise: bool = True, progress: ProgressCallback | None = None,
                         cancelled: CancelCheck | None = None) -> DocumentResult:
    """One letter per addressee in `folder` (made, private, if it does not exist)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder.name} is a file: give a folder for the letters")
    if not folder.parent.is_dir():
        raise UserError(f"The folder {folder.parent} does not exist")
    letters = letters_content(db, audit_id=audit_id, by=by, pseudonymise=pseudonymise)
    if not letters and purged(db, audit_id):
        raise UserError("This audit's case data was deleted under the retention rule, so "
                        "there are no cases to write feedback about")
    if not letters:
        raise UserError("No case in this audit has a verdict yet, so there is no feedback "
                        "to send")
    private_dir(folder)
    paths = []
    for index, letter in enumerate(letters, start=1):
        check_cancelled(cancelled)
        paths.append(write_feedback_letter(letter, folder / letter_file_name(index, letter)))
        report(progress, index, len(letters))
    stale = _remove_earlier_letters(folder, set(paths))
    cases = sum(len(letter.cases) for letter in letters)
    removed = (f" {stale} letter{'s' if stale != 1 else ''} from an earlier run "
               f"{'were' if stale != 1 else 'was'} removed." if stale else "")
    return DocumentResult(tuple(paths), f"Saved {len(paths)} feedback letters (one per {by}) "
                          f"covering {cases} cases in {folder.name}.{removed}", cases,
                          pseudonymise, tuple(letter.addressee for letter in letters))


def purged(db: Database, audit_id: int) -> bool:
    with db.reading() as session:
        return session.scalar(select(AuditRecord.status).where(
            AuditRecord.id == audit_id)) == AuditStatus.PURGED


def _remove_earlier_letters(folder: Path, written: set[Path]) -> int:
    """Letters an earlier run left (more addressees then): gone, so none is sent by
    mistake. Only files named as this app names letters are touched."""
    removed = 0
    for path in folder.iterdir():
        if path not in written and LETTER_NAME.fullmatch(path.name):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
