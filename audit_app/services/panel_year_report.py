"""The yearly report: the audits of a year side by side, read from one snapshot.

An audit belongs to the year of its meeting date, or, with none set, the year it was
created. Per criterion, each audit's fully-met rate with its 95% interval (the findings'
own figures); learning themes per audit (cases tagged); the actions of those audits with
their agencies and responses. Pseudonymised by default, as the panel's other documents.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from audit_app.core.dates import local_date
from audit_app.core.errors import UserError
from audit_app.core.panel_documents import (
    AuditColumn,
    CriterionTrend,
    Rate,
    ThemeTrend,
    YearReport,
)
from audit_app.core.panel_record import theme_trends
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.core.themes import theme_names
from audit_app.db.models import AuditRecord
from audit_app.db.panel_record import audit_tags
from audit_app.io.year_report_doc import write_year_report
from audit_app.services.database import Database
from audit_app.services.export_privacy import ensure_pseudonym_secret
from audit_app.services.export_snapshot import read_snapshot
from audit_app.services.panel_documents import DocumentResult, checked_document_path
from audit_app.services.panel_reading import (
    PANEL_NAME,
    AuditReading,
    action_items,
    headline_of,
    read_audit,
)
from audit_app.services.themes import list_themes

EARLIEST_YEAR = 2000


def audits_of_year(db: Database, year: int) -> list[tuple[int, dt.date | None]]:
    """The year's audits, oldest first, with the date each was held (its meeting date)."""
    with db.reading() as session:
        rows = session.execute(select(AuditRecord.id, AuditRecord.meeting_date,
                                      AuditRecord.created_at).order_by(AuditRecord.id)).all()
    chosen = []
    for audit_id, meeting, created in rows:
        held = meeting or local_date(created)
        if held is not None and held.year == year:
            chosen.append((audit_id, meeting, held))
    chosen.sort(key=lambda row: (row[2], row[0]))
    return [(audit_id, meeting) for audit_id, meeting, _held in chosen]


def _criteria(readings: list[AuditReading]) -> tuple[CriterionTrend, ...]:
    """One row per criterion code, in the order the audits first show it."""
    questions: dict[str, str] = {}
    rates: dict[str, dict[int, Rate]] = {}
    for column, reading in enumerate(readings):
        for criterion in reading.findings.criteria:
            questions.setdefault(criterion.code, criterion.question)
            compliance = criterion.compliance
            if compliance.denominator:
                rates.setdefault(criterion.code, {})[column] = Rate(
                    compliance.met, compliance.denominator, compliance.interval)
    return tuple(CriterionTrend(code, question, tuple(rates.get(code, {}).get(column)
                                                      for column in range(len(readings))))
                 for code, question in questions.items() if code in rates)


def year_report_content(db: Database, *, year: int, pseudonymise: bool = True,
                        today: dt.date | None = None, progress: ProgressCallback | None = None,
                        cancelled: CancelCheck | None = None) -> YearReport:
    if not EARLIEST_YEAR <= year <= dt.date.today().year + 1:
        raise UserError(f"{year} is not a year the panel could have audited: give a year "
                        "like 2026")
    today = today or dt.date.today()
    audits = audits_of_year(db, year)
    if pseudonymise:
        for audit_id, _meeting in audits:
            ensure_pseudonym_secret(db, audit_id)
    readings: list[AuditReading] = []
    with read_snapshot(db) as snapshot:
        for index, (audit_id, _meeting) in enumerate(audits, start=1):
            check_cancelled(cancelled)
            readings.append(read_audit(snapshot, audit_id, pseudonymise=pseudonymise,
                                       cancelled=cancelled))
            report(progress, index, len(audits) + 1)
        themes = _themes(snapshot, [audit_id for audit_id, _meeting in audits])
    columns = tuple(AuditColumn(reading.data.audit_id, reading.data.audit_name, meeting,
                                headline_of(reading))
                    for reading, (_id, meeting) in zip(readings, audits, strict=True))
    actions = tuple(item for reading in readings for item in action_items(reading, today))
    notes = ("Learning themes over time appear here once learning points are tagged with "
             "themes.",) if readings and not themes else ()
    return YearReport(year, PANEL_NAME, columns, _criteria(readings), themes, actions,
                      pseudonymise, notes)


def _themes(db: Database, audit_ids: list[int]) -> tuple[ThemeTrend, ...]:
    """Learning cases per theme in each of the year's audits (themes seen in the year)."""
    with db.reading() as session:
        tags = audit_tags(session, audit_ids)
    trends = theme_trends(tags, audit_ids, theme_names(list_themes()))
    return tuple(ThemeTrend(row.name, row.per_audit) for row in trends if any(row.per_audit))


def write_year_report_file(db: Database, *, year: int, path: Path, pseudonymise: bool = True,
                           progress: ProgressCallback | None = None,
                           cancelled: CancelCheck | None = None) -> DocumentResult:
    path = checked_document_path(path)
    content = year_report_content(db, year=year, pseudonymise=pseudonymise, progress=progress,
                                  cancelled=cancelled)
    check_cancelled(cancelled)
    write_year_report(content, path)
    report(progress, 1, 1)
    count = len(content.audits)
    return DocumentResult((path,), f"Saved the {year} yearly report ({count} "
                          f"audit{'' if count == 1 else 's'}) to {path.name}.", 0, pseudonymise)
