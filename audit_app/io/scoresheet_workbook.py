"""A reviewer's offline scoresheet: an Excel workbook to fill in away from the app.

"Scoring" has one row per sampled case and criterion: the answer is a drop-down of the
scale, the question carries the guidance as a comment, and only the answer and note
cells can be edited (the sheet is protected; no password, it guards against slips, not
people). "Case details" takes the verdict, the urgent flag and the case's text. The
hidden columns and the very-hidden "_scoresheet" sheet let the app read it back and
check that nothing but the answers was changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from audit_app.core.errors import InvalidFileError
from audit_app.io.private_files import private_output
from audit_app.io.safe_cells import HEADER_FILL, HEADER_FONT, set_safe_value
from audit_app.io.workbook_scratch import save_workbook, workbook_scratch

FORMAT = "case-file-audit scoresheet 2"
# Version 1 sheets (no "Who answers" or "File pack needs" columns) may still be out with
# members; they read back by their own column positions.
OLDER_FORMATS = {"case-file-audit scoresheet 1": 6}
# Where version 1's Case details sheet held its hidden case id (0-based): no withdrawal codes.
OLDER_DETAIL_CASE_ID = {"case-file-audit scoresheet 1": 6}
META_SHEET = "_scoresheet"
SCORING = "Scoring"
DETAILS = "Case details"
SCORING_COLUMNS = (("Case", 16), ("Section", 22), ("Criterion", 10), ("Question", 60),
                   ("Answer", 20), ("Note", 50), ("Who answers", 14), ("File pack needs", 30),
                   ("case id", 8), ("criterion code", 8))
# Where the hidden case id column sits (1-based); the criterion code is the next one.
CASE_ID_COLUMN = 9
DETAIL_COLUMNS = (("Case", 16), ("Verdict", 30), ("Urgent safeguarding", 12),
                  ("Learning points", 50), ("Good practice", 50), ("Feedback to officer", 50),
                  ("Withdrawal stage", 26), ("Withdrawal reason", 26), ("case id", 8))
DETAIL_CASE_ID_COLUMN = 9
# Read-only reminders of the case beside the details (never read back); no names.
CONTEXT_COLUMNS = (("Offence", 22), ("Outcome", 30), ("Risk level", 10),
                   ("Victim supports action", 12), ("Date finalised", 12))
ANSWER_COLUMN, NOTE_COLUMN = 5, 6
EDITABLE_DETAILS = (2, 3, 4, 5, 6, 7, 8)
YES_NO = ("Yes", "No")
UNLOCKED = Protection(locked=False)
EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class ScoresheetMeta:
    audit_id: int
    audit_name: str
    reviewer: str
    framework_key: str
    framework_version: int
    exported_at: str


@dataclass(frozen=True)
class AnswerLine:
    """One Scoring row: as written (values from the app) or as read back (raw text)."""

    row: int
    case_id: Any
    reference: Any
    section: Any
    code: Any
    question: Any
    answer: Any
    note: Any
    guidance: str = ""
    shown_code: Any = None
    # The answers this criterion takes, as labels (written only; empty: the whole scale).
    allowed: tuple[str, ...] = ()
    # Who on the panel should answer, and the documents the file pack must hold (written only).
    answered_by: str = ""
    file_pack: str = ""


@dataclass(frozen=True)
class DetailLine:
    row: int
    case_id: Any
    reference: Any
    verdict: Any
    urgent: Any
    learning_points: Any
    good_practice: Any
    feedback: Any
    context: tuple[Any, ...] = ()
    withdrawal_stage: Any = None  # as a label (written) or the cell's text (read)
    withdrawal_reason: Any = None


@dataclass(frozen=True)
class ScoresheetContent:
    meta: ScoresheetMeta
    answers: list[AnswerLine]
    details: list[DetailLine]


def write_scoresheet(path: Path, content: ScoresheetContent, *, answer_labels: list[str],
                     verdict_labels: list[str], stage_labels: list[str] | None = None,
                     reason_labels: list[str] | None = None) -> Path:
    workbook = Workbook()
    scoring = workbook.active
    assert scoring is not None
    scoring.title = SCORING
    _scoring_sheet(scoring, content, answer_labels)
    _details_sheet(workbook.create_sheet(DETAILS), content, verdict_labels,
                   {7: stage_labels or [], 8: reason_labels or []})
    _meta_sheet(workbook, content.meta)
    workbook.properties.title = f"Scoresheet: {content.meta.reviewer}"
    workbook.properties.creator = content.meta.reviewer
    # Private, whole or not at all: a full disk or a kill leaves no half-written sheet.
    with workbook_scratch(), private_output(path) as partial:
        save_workbook(workbook, partial)
    return path


def _scoring_sheet(scoring: Worksheet, content: ScoresheetContent, answer_labels: list[str]) -> None:
    _header(scoring, SCORING_COLUMNS, hidden_from=CASE_ID_COLUMN)
    # One drop-down list per distinct scale: a yes/no item offers no "Partly met".
    answer_lists: dict[tuple[str, ...], DataValidation] = {}
    for line in content.answers:
        labels = line.allowed or tuple(answer_labels)
        if labels not in answer_lists:
            answer_lists[labels] = DataValidation(
                type="list", formula1=_list_formula(list(labels)), allow_blank=True,
                showErrorMessage=True, errorTitle="Not on the scale",
                error="Choose an answer from the list.")
            scoring.add_data_validation(answer_lists[labels])
        answer_lists[labels].add(f"E{line.row}")
        values = (line.reference, line.section, line.code, line.question, line.answer,
                  line.note, line.answered_by or None, line.file_pack or None, line.case_id,
                  line.code)
        for column, value in enumerate(values, start=1):
            cell = scoring.cell(row=line.row, column=column)
            set_safe_value(cell, value)
            cell.alignment = WRAP
        if line.guidance:
            scoring.cell(row=line.row, column=4).comment = Comment(line.guidance[:2000],
                                                                   "Guidance")
        for column in (ANSWER_COLUMN, NOTE_COLUMN):
            scoring.cell(row=line.row, column=column).protection = UNLOCKED
            scoring.cell(row=line.row, column=column).fill = EDIT_FILL


def _details_sheet(details: Worksheet, content: ScoresheetContent, verdict_labels: list[str],
                   coded_lists: dict[int, list[str]]) -> None:
    _header(details, DETAIL_COLUMNS + CONTEXT_COLUMNS, hidden_from=DETAIL_CASE_ID_COLUMN,
            hidden_to=len(DETAIL_COLUMNS))
    verdict_list = DataValidation(type="list", formula1=_list_formula(verdict_labels),
                                  allow_blank=True, showErrorMessage=True)
    urgent_list = DataValidation(type="list", formula1=_list_formula(list(YES_NO)),
                                 allow_blank=True, showErrorMessage=True)
    details.add_data_validation(verdict_list)
    details.add_data_validation(urgent_list)
    for detail in content.details:
        detail_values = (detail.reference, detail.verdict, detail.urgent, detail.learning_points,
                         detail.good_practice, detail.feedback, detail.withdrawal_stage,
                         detail.withdrawal_reason, detail.case_id, *detail.context)
        for column, value in enumerate(detail_values, start=1):
            cell = details.cell(row=detail.row, column=column)
            set_safe_value(cell, value)
            cell.alignment = WRAP
            if column in EDITABLE_DETAILS:
                cell.protection = UNLOCKED
                cell.fill = EDIT_FILL
    last_detail = max((d.row for d in content.details), default=1)
    if last_detail > 1:
        verdict_list.add(f"B2:B{last_detail}")
        urgent_list.add(f"C2:C{last_detail}")
        for column, labels in coded_lists.items():
            if labels:
                letter = get_column_letter(column)
                coded = DataValidation(type="list", formula1=_list_formula(labels),
                                       allow_blank=True, showErrorMessage=True)
                details.add_data_validation(coded)
                coded.add(f"{letter}2:{letter}{last_detail}")


def _list_formula(labels: list[str]) -> str:
    return '"' + ",".join(label.replace('"', "'") for label in labels) + '"'


def _header(sheet: Worksheet, columns: tuple[tuple[str, int], ...], *, hidden_from: int,
            hidden_to: int | None = None) -> None:
    """Headers, widths, hidden id columns (hidden_from..hidden_to), freeze and protection."""
    last_hidden = hidden_to if hidden_to is not None else len(columns)
    for index, (title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        sheet.column_dimensions[letter].hidden = hidden_from <= index <= last_hidden
    sheet.freeze_panes = "B2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.auto_filter.ref = f"A1:{get_column_letter(hidden_from - 1)}1"
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False  # resizing columns and rows stays possible
    protection.formatRows = False
    protection.autoFilter = False
    protection.sort = False


def _meta_sheet(workbook: Workbook, meta: ScoresheetMeta) -> None:
    sheet = workbook.create_sheet(META_SHEET)
    rows = (("format", FORMAT), ("audit_id", meta.audit_id), ("audit_name", meta.audit_name),
            ("reviewer", meta.reviewer), ("framework_key", meta.framework_key),
            ("framework_version", meta.framework_version), ("exported_at", meta.exported_at))
    for index, (key, value) in enumerate(rows, start=1):
        sheet.cell(row=index, column=1, value=key)
        set_safe_value(sheet.cell(row=index, column=2), value)
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True
    sheet["A1"].font = Font(bold=True)


def read_scoresheet(path: Path) -> ScoresheetContent:
    """Read back what a reviewer filled in; raw cell values, checked by the service."""
    try:
        # Formulas are read as typed: a note beginning "=" is text to us, never evaluated.
        workbook = load_workbook(path, data_only=False)
    except FileNotFoundError:
        raise InvalidFileError(f"No file at {path}") from None
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidFileError(f"{Path(path).name} is not an Excel workbook (.xlsx), or it is "
                               "damaged; nothing was imported") from exc
    if META_SHEET not in workbook.sheetnames or SCORING not in workbook.sheetnames:
        raise InvalidFileError(f"{Path(path).name} is not a scoresheet exported by this app "
                               "(its hidden identification sheet is missing)")
    meta_values = {str(row[0]): row[1] for row in workbook[META_SHEET].iter_rows(values_only=True)
                   if row and row[0] is not None}
    sheet_format = str(meta_values.get("format"))
    if sheet_format != FORMAT and sheet_format not in OLDER_FORMATS:
        raise InvalidFileError(f"{Path(path).name} is not a scoresheet this version can read "
                               "(its format mark is not one this version knows)")
    try:
        meta = ScoresheetMeta(int(str(meta_values["audit_id"])), str(meta_values["audit_name"]),
                              str(meta_values["reviewer"]), str(meta_values["framework_key"]),
                              int(str(meta_values["framework_version"])),
                              str(meta_values.get("exported_at", "")))
    except (KeyError, ValueError) as exc:
        raise InvalidFileError(f"{Path(path).name}: its identification sheet was changed") from exc
    answers = []
    for index, row in enumerate(workbook[SCORING].iter_rows(min_row=2, values_only=True),
                                start=2):
        if any(v not in (None, "") for v in row):
            visible = OLDER_FORMATS.get(sheet_format, CASE_ID_COLUMN - 1)
            reference, section, shown_code, question, answer, note = _padded(row, 6)
            case_id, code = _padded(row[visible:], 2)
            # The hidden code (column H) keys the row; the visible one must still match it.
            answers.append(AnswerLine(index, case_id, reference, section, code, question, answer,
                                      note, shown_code=shown_code))
    details = []
    if DETAILS in workbook.sheetnames:
        for index, row in enumerate(workbook[DETAILS].iter_rows(min_row=2, values_only=True),
                                    start=2):
            if any(v not in (None, "") for v in row):
                reference, verdict, urgent, learning, good, feedback = _padded(row, 6)
                hidden = OLDER_DETAIL_CASE_ID.get(sheet_format, DETAIL_CASE_ID_COLUMN - 1)
                stage, reason = _padded(row[6:hidden], 2) if hidden > 6 else (None, None)
                details.append(DetailLine(index, _padded(row[hidden:], 1)[0], reference,
                                          verdict, urgent, learning, good, feedback,
                                          withdrawal_stage=stage, withdrawal_reason=reason))
    return ScoresheetContent(meta, answers, details)


def _padded(row: tuple[Any, ...], width: int) -> list[Any]:
    values = list(row[:width])
    return values + [None] * (width - len(values))


def exported_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
