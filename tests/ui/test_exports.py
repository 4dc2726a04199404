"""Exports from the GUI: the workbook (with the partner option) and scoring sheets round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from audit_app.core.release_check import ReleaseCheckBuilder
from audit_app.core.scrubbing import KnownName, Scrubber
from audit_app.io.word_lists import known_words
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.services.sampling import get_sample
from audit_app.services.scoring import get_review
from audit_app.ui import exports
from audit_app.ui.operations import Changes, operation_signals
from audit_app.ui.release_check_dialog import ReleaseCheckDialog


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text: shown.append(f"{title}|{text}"))
    return shown


def test_partner_options_only_apply_to_partner_exports(qtbot: QtBot) -> None:
    dialog = exports.ExportOptionsDialog()
    qtbot.addWidget(dialog)
    assert not dialog.pseudonymise.isEnabled() and not dialog.keep_members.isEnabled()
    assert dialog.options() == {"for_partner": False, "pseudonymise": False,
                                "keep_officer_names": False, "keep_member_names": False}
    dialog.for_partner.setChecked(True)
    assert dialog.pseudonymise.isEnabled() and dialog.keep_officers.isEnabled()
    # A partner copy is pseudonymised unless the user says otherwise.
    assert dialog.options() == {"for_partner": True, "pseudonymise": True,
                                "keep_officer_names": False, "keep_member_names": False}
    dialog.keep_members.setChecked(True)
    assert dialog.options()["keep_member_names"]


def _release_dialog(parent: QWidget) -> ReleaseCheckDialog | None:
    found = parent.findChild(ReleaseCheckDialog, "releaseCheckDialog")
    return found if found is not None and found.isVisible() else None


def test_partner_copy_is_written_only_after_the_release_check_is_approved(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary, tmp_path: Path,
        messages: list[str]) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "partner.xlsx"
    exports.check_partner_release(parent, scored_db, scored_audit.id, str(target),
                                  {"for_partner": True, "pseudonymise": True,
                                   "keep_officer_names": False, "keep_member_names": False})
    qtbot.waitUntil(lambda: _release_dialog(parent) is not None, timeout=30_000)
    dialog = _release_dialog(parent)
    assert dialog is not None and not target.exists()
    assert "pieces of text would leave" in dialog.counts.text()
    dialog.approver_name.setText("")
    assert not dialog.approve_button.isEnabled()  # nobody named, nothing approved
    dialog.approver_name.setText("Dana Chair")
    qtbot.mouseClick(dialog.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(messages), timeout=30_000)
    title, text = messages[0].split("|", 1)
    assert title == "Workbook exported"
    assert "partner.xlsx" in text and "Left out of the partner copy" in text
    workbook = load_workbook(target, read_only=True)
    cells = {str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows()
             for cell in row if cell.value is not None}
    workbook.close()
    assert not any("Fictional" in value for value in cells), "no victim or suspect names"
    assert not any("Dana Chair" in value for value in cells)
    assert any(value.startswith("Approved by the panel chair") for value in cells)


def test_cancelling_the_release_check_writes_nothing(qtbot: QtBot, scored_db: Database,
                                                     scored_audit: AuditSummary,
                                                     tmp_path: Path,
                                                     messages: list[str]) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "partner.xlsx"
    exports.check_partner_release(parent, scored_db, scored_audit.id, str(target),
                                  {"for_partner": True, "pseudonymise": True,
                                   "keep_officer_names": False, "keep_member_names": False})
    qtbot.waitUntil(lambda: _release_dialog(parent) is not None, timeout=30_000)
    dialog = _release_dialog(parent)
    assert dialog is not None
    dialog.reject()
    qtbot.waitUntil(lambda: _release_dialog(parent) is None, timeout=5_000)
    assert not target.exists() and messages == []


def test_release_dialog_lists_every_text_and_filters_the_doubtful(qtbot: QtBot) -> None:
    scrubber = Scrubber([KnownName("Jane Smith", "victim")], {"DA/1": "CASE-AAAAAAAA"},
                        known_words=known_words())
    builder = ReleaseCheckBuilder(scrubber)
    builder.scrub("Answers sheet, note on A1 for CASE-AAAAAAAA by Member 1",
                  "Jane Smith was called on 07700 900123 about DA/1")
    builder.scrub("Learning sheet, learning point for CASE-AAAAAAAA by Member 2",
                  "Neighbour Zebedee Quarrington saw it")
    builder.scrub("Summary sheet, audit name", "Quarterly review")
    check = builder.build()
    dialog = ReleaseCheckDialog(check, approver="Dana Chair")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() <= 1280 and dialog.height() <= 720
    assert f"{check.text_count} pieces of text" in dialog.counts.text()
    assert "1 still looks personal" in dialog.counts.text()
    # Opened on the doubtful text; the filter shows everything when unticked.
    assert dialog.only_suspect.isChecked() and dialog.proxy.rowCount() == 1
    assert "Quarrington" in dialog.proxy.index(0, 3).data()
    dialog.only_suspect.setChecked(False)
    assert dialog.proxy.rowCount() == 3
    texts = [dialog.proxy.index(row, 1).data() for row in range(3)]
    assert texts[0] == "[victim] was called on [phone] about CASE-AAAAAAAA"
    assert "Jane Smith" in dialog.proxy.index(0, 2).data()  # the chair sees what went
    headers = [dialog.model.headerData(column, Qt.Orientation.Horizontal)
               for column in range(dialog.model.columnCount())]
    assert headers == ["Where", "Text as it will leave", "Replaced", "Doubtful"]
    assert dialog.approve_button.isEnabled() and dialog.approver() == "Dana Chair"
    dialog.approver_name.setText("   ")
    assert not dialog.approve_button.isEnabled()


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

    changed: list[Changes] = []
    operation_signals().changed.connect(lambda changes, _initiator: changed.append(changes))
    exports.import_scoresheet(parent, scored_db)
    qtbot.waitUntil(lambda: len(messages) == 2, timeout=30_000)
    assert changed == [Changes(audit_id=scored_audit.id, answers=True, verdicts=True)]
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
