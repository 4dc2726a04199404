"""The retention dialog's changes are saved off the GUI thread, after any queued scores."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from audit_app.core.statuses import AuditStatus
from audit_app.services import audits, frameworks, retention, sampling, scoring
from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui.retention_dialog import RetentionDialog
from audit_app.ui.review.scoring_session import ScoringSession

MEMBER = "Jordan Lee"


@pytest.fixture
def yes(monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(*_args: Any, **_kwargs: Any) -> QMessageBox.StandardButton:
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)


def test_save_date_is_saved_in_the_background_with_the_buttons_waiting(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    dialog = RetentionDialog(scored_db, scored_audit.id)
    qtbot.addWidget(dialog)
    day = dt.date.today() + dt.timedelta(days=90)
    dialog.no_date.setChecked(False)
    dialog.date_edit.setDate(day)
    with qtbot.waitSignal(dialog.changed):
        dialog.save_date_button.click()
        assert dialog.saving, "the click returned before the save"
        assert not any(b.isEnabled() for b in (dialog.save_date_button,
                                               dialog.close_audit_button, dialog.purge_button))
    assert not dialog.saving and dialog.close_audit_button.isEnabled()
    assert retention.retention_state(scored_db, audit_id=scored_audit.id).retain_until == day


def test_closing_the_audit_waits_for_the_scores_queued_before_it(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary, yes: None) -> None:
    audit = audits.get_audit(scored_db, scored_audit.id)
    framework = frameworks.get_framework(scored_db, audit.framework_key,
                                         version=audit.framework_version)
    case_id = next(row.case.id for row in sampling.get_sample(scored_db, audit_id=audit.id)
                   if row.status != "replaced")
    session = ScoringSession(scored_db)
    session.start(audit_id=audit.id, reviewer=MEMBER)
    refused: list[str] = []
    session.failed.connect(lambda _case_id, message: refused.append(message))
    pressed = {c.code: c.answers(framework.scale)[0] for c in framework.criteria[:15]}
    for code, answer in pressed.items():
        session.set_answer(case_id, code, (None, ""), (answer, ""))
    dialog = RetentionDialog(scored_db, audit.id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.changed, timeout=60_000):
        dialog.close_audit_button.click()  # asked for while the scores are still queued
    qtbot.waitUntil(lambda: session.saved)
    assert refused == [], "no score was refused by the close it preceded"
    view = scoring.get_review(scored_db, audit_id=audit.id, case_id=case_id, reviewer=MEMBER)
    assert {code: a.value for code, a in view.answers.items()} == pressed
    assert retention.retention_state(scored_db, audit_id=audit.id).status == AuditStatus.CLOSED
    assert dialog.status_label.text() == "Closed"
