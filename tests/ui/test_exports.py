"""Exports from the GUI: the workbook (with the partner option) and scoring sheets round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.services.sampling import get_sample
from audit_app.services.scoring import get_review
from audit_app.ui import exports


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: shown.append(f"{title}|{text}"))
    return shown


def test_partner_options_only_apply_to_partner_exports(qtbot: QtBot) -> None:
    dialog = exports.ExportOptionsDialog()
    qtbot.addWidget(dialog)
    assert not dialog.pseudonymise.isEnabled()
    dialog.pseudonymise.setChecked(True)
    assert dialog.options() == {"for_partner": False, "pseudonymise": False, "keep_officer_names": False}
    dialog.for_partner.setChecked(True)
    assert dialog.pseudonymise.isEnabled() and dialog.keep_officers.isEnabled()
    assert dialog.options() == {"for_partner": True, "pseudonymise": True, "keep_officer_names": False}


def test_partner_workbook_export_runs_in_the_background(qtbot: QtBot, scored_db: Database,
                                                        scored_audit: AuditSummary, tmp_path: Path,
                                                        messages: list[str]) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "partner.xlsx"
    exports.run_workbook_export(parent, scored_db, scored_audit.id, str(target),
                                {"for_partner": True, "pseudonymise": False,
                                 "keep_officer_names": False})
    qtbot.waitUntil(lambda: bool(messages), timeout=30_000)
    title, text = messages[0].split("|", 1)
    assert title == "Workbook exported"
    assert "partner.xlsx" in text and "Personal data removed" in text
    workbook = load_workbook(target, read_only=True)
    assert "Summary" in workbook.sheetnames
    cells = {str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows()
             for cell in row if cell.value is not None}
    assert not any("Fictional" in value for value in cells), "no victim or suspect names"


def test_scoresheet_round_trip(qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary,
                               tmp_path: Path, messages: list[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    sheet = tmp_path / "scoring.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(sheet), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sheet), ""))

    exports.export_scoresheet(parent, scored_db, scored_audit.id, "Remote Reviewer")
    qtbot.waitUntil(lambda: bool(messages), timeout=30_000)
    assert messages[0] == "Scoring sheet exported|Saved scoring.xlsx for Remote Reviewer."
    assert sheet.exists()

    done: list[bool] = []
    exports.import_scoresheet(parent, scored_db, on_done=lambda: done.append(True))
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=30_000)
    assert done == [True]
    assert messages[1].startswith("Scoring sheet imported|Scores from Remote Reviewer")
    first_case = get_sample(scored_db, audit_id=scored_audit.id)[0].case
    review = get_review(scored_db, audit_id=scored_audit.id, case_id=first_case.id,
                        reviewer="Remote Reviewer")
    assert review.answers == {}, "an untouched sheet changes no scores"


def test_scoresheet_export_needs_a_reviewer(qtbot: QtBot, scored_db: Database,
                                            scored_audit: AuditSummary,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(exports, "show_user_error", lambda _p, error: shown.append(str(error)))
    parent = QWidget()
    qtbot.addWidget(parent)
    exports.export_scoresheet(parent, scored_db, scored_audit.id, "")
    assert shown and "Reviewing as" in shown[0]
