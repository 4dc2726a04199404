"""Drawing a sample through the dialog and seeing it listed with its record."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.services.sampling import get_sample, get_sample_summary
from audit_app.ui.pages.draw_sample_dialog import DrawSampleDialog
from audit_app.ui.pages.sample_page import SamplePage
from tests.helpers.sample_page import sample_page, wait_for_sample


def press_ok(dialog: DrawSampleDialog) -> None:
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()


def test_draw_through_the_dialog_and_see_it_listed(qtbot: QtBot, sqlite_db: Database,
                                                   imported_audit: AuditSummary) -> None:
    empty_audit = imported_audit
    page = SamplePage(sqlite_db)
    qtbot.addWidget(page)
    page.show()
    page.set_audit(empty_audit.id)
    assert page.loading and "Reading" in page.empty_hint.text(), "read in the background"
    wait_for_sample(qtbot, page)
    assert page.empty_hint.isVisible() and page.empty_hint.text().startswith("No sample yet")

    dialog = page.open_draw_dialog()
    assert dialog is not None
    assert dialog.size_spin.maximum() == 80
    dialog.size_spin.setValue(12)
    dialog.seed_edit.setText("4242")
    with qtbot.waitSignal(page.sample_drawn, timeout=20_000):
        press_ok(dialog)

    summary = get_sample_summary(sqlite_db, audit_id=empty_audit.id)
    assert summary is not None and summary.seed == 4242 and summary.size == 12
    assert page.sample_model.rowCount() == 12
    assert [r.case.reference for r in page.sample_model.rows] == \
        [r.case.reference for r in get_sample(sqlite_db, audit_id=empty_audit.id)]
    assert page.record_labels["seed"].text() == "4242"
    assert page.subtitle.text() == "12 cases drawn from 80"
    assert page.strata_model.rowCount() == 1
    assert not page.empty_hint.isVisible()


def test_stratified_draw_needs_a_field_and_a_valid_filter(qtbot: QtBot) -> None:
    dialog = DrawSampleDialog(500)
    qtbot.addWidget(dialog)
    dialog.set_method("stratified")
    assert dialog.strata_list.isEnabled()
    press_ok(dialog)
    assert dialog.request is None
    assert "stratify" in dialog.problem_label.text()

    dialog.check_strata(("risk_level",))
    dialog.where_edit.setText("outcome_code in (16")
    press_ok(dialog)
    assert dialog.request is None
    assert dialog.problem_label.text()

    dialog.where_edit.setText("outcome_code in (15, 16)")
    dialog.seed_edit.setText("12x")
    press_ok(dialog)
    assert dialog.request is None and "seed" in dialog.problem_label.text()

    old_seed = "77"
    dialog.seed_edit.setText(old_seed)
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert dialog.seed_edit.text().isdigit() and dialog.seed_edit.text() != old_seed
    dialog.seed_edit.setText("77")
    press_ok(dialog)
    assert dialog.request is not None
    assert dialog.request.strata_fields == ("risk_level",)
    assert dialog.request.seed == 77 and dialog.request.where == "outcome_code in (15, 16)"


def test_replacing_a_scored_sample_asks_first(qtbot: QtBot, scored_db: Database,
                                              scored_audit: AuditSummary,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    page = sample_page(qtbot, scored_db, scored_audit.id)
    before = get_sample_summary(scored_db, audit_id=scored_audit.id)
    asked: list[str] = []

    def decline(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[1]))
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "warning", decline)
    assert page.open_draw_dialog() is None
    assert asked == ["Replace the sample?"]
    assert get_sample_summary(scored_db, audit_id=scored_audit.id) == before

    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog = page.open_draw_dialog()
    assert dialog is not None
    dialog.reject()


def test_sample_models_pass_qtmodeltester(qtmodeltester: ModelTester, qtbot: QtBot,
                                          scored_db: Database, scored_audit: AuditSummary) -> None:
    page = sample_page(qtbot, scored_db, scored_audit.id)
    assert page.sample_model.rowCount() == 20
    qtmodeltester.check(page.sample_model)
    qtmodeltester.check(page.strata_model)


def test_strata_preview_counts_off_the_gui_thread_and_shows_only_the_latest(qtbot: QtBot) -> None:
    import threading

    from audit_app.core.progress import CancelCheck
    from audit_app.ui.pages.draw_sample_dialog import DrawRequest

    release, first_done = threading.Event(), threading.Event()
    asked_to_stop: list[bool] = []

    def preview(request: DrawRequest, cancelled: CancelCheck) -> list[tuple[str, int, int]]:
        if request.size == 40:  # the dialog's first count: slow, like a million cases
            release.wait(10)
            asked_to_stop.append(cancelled())
            first_done.set()  # and it answers anyway, late: the answer must not be shown
        return [("", 500, request.size)]

    dialog = DrawSampleDialog(500, preview=preview)
    qtbot.addWidget(dialog)
    # the window did not wait for the count
    assert dialog.preview_pending and "Counting" in dialog.preview_status.text()
    with qtbot.waitSignal(dialog.preview_ready, timeout=5_000):
        dialog.size_spin.setValue(7)  # a new count, once the typing pauses
    release.set()
    assert first_done.wait(5)
    qtbot.wait(100)  # let the stopped count's report arrive, and be ignored
    assert dialog.preview_table.rowCount() == 1
    assert dialog.preview_table.item(0, 2).text() == "7"
    assert not dialog.preview_pending and not dialog.problem_label.text()
    assert asked_to_stop == [True]


def test_the_page_reads_again_only_for_changes_that_concern_it(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    from audit_app.ui.operations import Changes, announce

    page = sample_page(qtbot, scored_db, scored_audit.id)
    page.show()
    wait_for_sample(qtbot, page)
    for unrelated in (Changes(audit_id=scored_audit.id + 1, cases=True),
                      Changes(audit_id=scored_audit.id, actions=True),
                      Changes(audit_id=scored_audit.id, thresholds=True)):
        announce(unrelated)
        assert not page.loading, unrelated
    announce(Changes(audit_id=scored_audit.id, cases=True))
    assert page.loading, "a shown page reads at once"
    wait_for_sample(qtbot, page)

    page.hide()
    announce(Changes(audit_id=scored_audit.id, answers=True))
    assert not page.loading, "a hidden page waits until it is shown"
    page.show()
    assert page.loading
    wait_for_sample(qtbot, page)
    page.hide()
    page.show()
    assert not page.loading, "nothing moved since: nothing to read"
