"""The yearly report across a year's audits: trends per criterion with intervals, themes
over time, and the actions with the agencies' responses (which panels publish)."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocxDocument

from audit_app.core.panel_documents import EMPTY, YearReport
from audit_app.io.docx_common import (
    bullets,
    date_text,
    heading,
    new_document,
    para,
    save_document,
    table,
    title_block,
)
from audit_app.io.minutes_doc import action_table

AUDITS_PER_TABLE = 4  # columns that stay readable on a landscape A4 page


def write_year_report(report: YearReport, path: Path) -> Path:
    document = new_document(f"Yearly report {report.year}", landscape=True)
    title_block(document, f"Scrutiny panel yearly report {report.year}", [report.panel_name])
    if report.pseudonymised:
        para(document, "Case references are pseudonyms and personal details in free text are "
                       "replaced.", muted=True, italic=True)
    heading(document, "1. The audits of the year")
    if not report.audits:
        para(document, EMPTY["audits"])
        return save_document(document, path)
    for audit in report.audits:
        heading(document, f"{audit.name} ({date_text(audit.held, 'date not set')})", 2)
        para(document, audit.headline.verdicts, bold_lead="Verdicts: ")
        if audit.headline.criteria:
            para(document, audit.headline.criteria, bold_lead="Criteria: ")
    _criteria(document, report)
    _themes(document, report)
    heading(document, "4. Actions and responses")
    action_table(document, report.actions, EMPTY["actions"], with_source=True,
                 landscape=True)
    return save_document(document, path)


def _criteria(document: DocxDocument, report: YearReport) -> None:
    heading(document, "2. Each criterion over the year")
    para(document, "Each figure is the share of answers fully met, its 95% interval in "
                   "brackets, and the number of answers: \"67% (35%–88%) of 9\". A dash means "
                   "the criterion was not scored in that audit.", muted=True)
    if not report.criteria:
        para(document, EMPTY["criteria"])
        return
    verdicts = tuple(audit.headline.verdict_rate for audit in report.audits)
    for start in range(0, len(report.audits), AUDITS_PER_TABLE):
        audits = report.audits[start:start + AUDITS_PER_TABLE]
        width = 137 / len(audits)
        # The panel's first question leads: decisions it agreed were appropriate.
        rows = [[label, *[rate.short_text() if rate is not None else "–"
                          for rate in rates[start:start + AUDITS_PER_TABLE]]]
                for label, rates in (("Decisions judged appropriate (panel-agreed verdicts)",
                                      verdicts),
                                     *((f"{row.code} {row.question}", row.rates)
                                       for row in report.criteria))]
        table(document, ("Criterion", *[audit.name for audit in audits]), rows,
              (120, *[width] * len(audits)))


def _themes(document: DocxDocument, report: YearReport) -> None:
    heading(document, "3. Learning themes over the year")
    if not report.themes:
        para(document, EMPTY["themes"])
        bullets(document, list(report.notes))
        return
    table(document, ("Theme", *[audit.name for audit in report.audits]),
          [(row.theme, *[str(count) for count in row.counts]) for row in report.themes])
