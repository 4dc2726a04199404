"""The release check behind every partner copy: what was scrubbed, what still looks personal,
and who approved it.

Building a partner copy first builds a release check (every piece of free text that would
leave, what was replaced in it, what still looks personal). A person reads it and approves;
the approval (who, when, the counts) goes on the Method sheet and in the change log. The
release report is for that person, on this laptop: it shows the original text, so it is
written as a private file and never goes with the workbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from audit_app.core.errors import UserError
from audit_app.core.release_check import (
    CheckedText,
    ReleaseCheck,
    ReleaseCheckBuilder,
    release_report_rows,
)
from audit_app.core.scrubbing import Scrubber
from audit_app.io.private_files import private_output, write_private_text
from audit_app.io.word_lists import known_words
from audit_app.io.workbook_tables import Column, TableSheet, WorkbookProperties, write_tables
from audit_app.services.export_privacy import PRODUCT_NAME, TextSources

__all__ = ["CheckedText", "ReleaseApproval", "ReleaseCheck", "ReleaseCheckBuilder",
           "check_builder", "describe_check", "write_release_report"]

APPROVER_ROLE = "the panel chair"
REPORT_SUFFIXES = (".csv", ".xlsx")


@dataclass(frozen=True)
class ReleaseApproval:
    """A person's approval of one release check, with the counts they saw."""

    approved_by: str
    approved_at: dt.datetime
    text_count: int
    replacement_count: int
    suspect_count: int
    texts_digest: str = ""  # SHA-256 of every text as released: what the person read

    @classmethod
    def of(cls, check: ReleaseCheck, approved_by: str,
           approved_at: dt.datetime | None = None) -> ReleaseApproval:
        name = " ".join(approved_by.split())
        if not name:
            raise UserError("Say who approves the release: a partner copy records their name")
        return cls(name, approved_at or dt.datetime.now(dt.UTC), check.text_count,
                   check.replacement_count, check.suspect_count, texts_digest(check))

    def matches(self, check: ReleaseCheck) -> bool:
        """True when `check` releases exactly the texts this approval was given for."""
        return (self.text_count, self.replacement_count, self.suspect_count,
                self.texts_digest) == (check.text_count, check.replacement_count,
                                       check.suspect_count, texts_digest(check))

    def counts_line(self) -> str:
        return (f"{_count(self.text_count, 'piece')} of text checked, "
                f"{_count(self.replacement_count, 'replacement')} made, "
                f"{self.suspect_count} still looking personal when approved")

    def method_lines(self, *, name_shown: bool) -> list[tuple[str, str]]:
        who = self.approved_by if name_shown else APPROVER_ROLE
        when = f"{self.approved_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"
        return [("Release check", "Every piece of free text was scrubbed of names the audit "
                 "holds, phone numbers, emails, addresses, dates of birth and crime "
                 "references, then read by a person before release."),
                ("Release approved", f"Approved by {who} on {when}: {self.counts_line()}.")]


def texts_digest(check: ReleaseCheck) -> str:
    digest = hashlib.sha256()
    for item in check.items:
        digest.update(f"{item.place}\x1f{item.scrubbed}\x1e".encode())
    return digest.hexdigest()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def check_builder(sources: TextSources) -> ReleaseCheckBuilder:
    """A builder that scrubs with the audit's names and references."""
    scrubber = Scrubber(sources.names, sources.text_references, known_words=known_words())
    return ReleaseCheckBuilder(scrubber)


def describe_check(check: ReleaseCheck) -> str:
    """One plain sentence for any front."""
    still = check.suspect_count
    return (f"{_count(check.text_count, 'piece')} of text checked; "
            f"{_count(check.replacement_count, 'replacement')} made; "
            + (f"{still} still look{'s' if still == 1 else ''} personal." if still
               else "nothing else looks personal."))


def write_release_report(check: ReleaseCheck, path: Path) -> Path:
    """The report as a private .csv or .xlsx file for the person approving the release."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise UserError("The release report must be a .csv or .xlsx file")
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist")
    header, *rows = release_report_rows(check)
    if suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(_plain(row) for row in rows)
        write_private_text(path, buffer.getvalue())
    else:
        widths = (40, 60, 60, 40, 30)
        sheet = TableSheet("Release check", [Column(title, width)
                                             for title, width in zip(header, widths, strict=False)],
                           rows, len(rows))
        with private_output(path) as partial:
            write_tables(partial, [sheet], WorkbookProperties(
                title="Release check (stays on this laptop)", creator=PRODUCT_NAME,
                description="Holds the original text: do not share"))
    return path


def _plain(row: tuple[str, ...]) -> list[str]:
    # A spreadsheet opening the CSV must not run a cell as a formula.
    return ["'" + cell if cell[:1] in ("=", "+", "-", "@") else cell for cell in row]
