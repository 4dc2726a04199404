"""A panel on many laptops in the desktop app: packages, conflicts, backups, presence."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from audit_app.core.errors import UserError
from audit_app.services import audits, backups, change_log, package_keys, packages, sampling
from audit_app.services.database import Database, open_database
from audit_app.services.frameworks import get_framework
from audit_app.services.records import AuditSummary
from audit_app.services.scoring import get_review, record_answer
from audit_app.ui import panel_work
from audit_app.ui.main_window import REVIEW, MainWindow
from audit_app.ui.passphrase_dialog import PassphraseDialog
from tests.helpers.postgres import PostgresCluster

PASSPHRASE = "correct horse battery staple"  # at least ten characters


@pytest.fixture
def quiet_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes record their text instead of waiting for a click."""
    said: list[str] = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name,
                            lambda _parent, _title, text, *a, **k: said.append(text))
    return said


def _window(qtbot: QtBot, db: Database) -> MainWindow:
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    return window


def test_opening_an_audit_takes_a_rotating_backup(qtbot: QtBot, scored_db: Database,
                                                  scored_audit: AuditSummary) -> None:
    window = _window(qtbot, scored_db)
    window.open_audit(scored_audit.id)
    QThreadPool.globalInstance().waitForDone(20_000)
    taken = backups.list_backups()
    assert taken, "no backup was taken when the audit was opened"
    backups.check_backup(taken[0].path)


@pytest.fixture
def typed_passphrases(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The real passphrase dialog, typed into and accepted; records whether each was new."""
    asked: list[bool] = []

    def type_and_accept(dialog: PassphraseDialog) -> int:
        asked.append(dialog.new)
        dialog.passphrase.setText(PASSPHRASE)
        dialog.confirm.setText(PASSPHRASE)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(PassphraseDialog, "exec", type_and_accept)
    return asked


def test_package_round_trip_through_the_menus(qtbot: QtBot, scored_db: Database,
                                              scored_audit: AuditSummary, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              quiet_dialogs: list[str],
                                              typed_passphrases: list[bool]) -> None:
    chair = _window(qtbot, scored_db)
    chair.open_audit(scored_audit.id)
    outgoing = tmp_path / "bea.cfapkg"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Bea CPS", True))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(outgoing), ""))
    chair.export_package_action.trigger()
    qtbot.waitUntil(lambda: any("Bea CPS" in said for said in quiet_dialogs), timeout=20_000)
    assert outgoing.exists() and "another route" in quiet_dialogs[-1]
    assert typed_passphrases == [True]  # the first export sets the audit's passphrase

    laptop_db = open_database(tmp_path / "laptop.sqlite3")
    laptop = _window(qtbot, laptop_db)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(outgoing), ""))
    laptop.open_package_action.trigger()
    qtbot.waitUntil(lambda: laptop.audit_id is not None, timeout=20_000)
    assert laptop.tabs.currentIndex() == REVIEW and typed_passphrases == [True, False]
    case_id = sampling.get_sample(laptop_db, audit_id=laptop.audit_id)[0].case.id
    code = get_framework(laptop_db, "da-nfa-review").criteria[0].code
    record_answer(laptop_db, audit_id=laptop.audit_id, case_id=case_id, reviewer="Bea CPS",
                  criterion_code=code, value="partly_met", note="Partial history check")
    back = tmp_path / "back.cfapkg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(back), ""))
    laptop.export_package_action.trigger()
    qtbot.waitUntil(back.exists, timeout=20_000)
    QThreadPool.globalInstance().waitForDone(20_000)
    assert typed_passphrases == [True, False, False]  # the member's copy holds the chair's

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(back), ""))
    chair.import_package_action.trigger()
    qtbot.waitUntil(lambda: "Bea CPS: 2 changes applied" in quiet_dialogs[-1], timeout=20_000)
    master_case = sampling.get_sample(scored_db, audit_id=scored_audit.id)[0].case.id
    answer = get_review(scored_db, audit_id=scored_audit.id, case_id=master_case,
                        reviewer="Bea CPS").answers[code]
    assert answer.note == "Partial history check"
    laptop.close()
    laptop_db.close()


def test_a_wrong_passphrase_in_the_app_is_one_plain_message(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, typed_passphrases: list[bool]) -> None:
    out = packages.export_package(scored_db, audit_id=scored_audit.id, reviewer="Bea CPS",
                                  path=tmp_path / "out.cfapkg", passphrase="the chair's own words")
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: warned.append(box.text()) or 0)
    laptop_db = open_database(tmp_path / "laptop.sqlite3")
    laptop = _window(qtbot, laptop_db)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(out.path), ""))
    laptop.open_package_action.trigger()  # the dialog types PASSPHRASE, which is not it
    qtbot.waitUntil(lambda: bool(warned), timeout=20_000)
    assert warned == ["The passphrase is wrong, or the package has been changed since it was "
                      "made; nothing was opened"]
    assert laptop.audit_id is None and audits.list_audits(laptop_db) == []
    laptop.close()
    laptop_db.close()


def test_the_chair_sets_then_changes_the_package_passphrase_from_the_menu(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary, tmp_path: Path,
        quiet_dialogs: list[str], typed_passphrases: list[bool]) -> None:
    chair = _window(qtbot, scored_db)
    chair.open_audit(scored_audit.id)
    assert not package_keys.has_package_passphrase(scored_db, audit_id=scored_audit.id)
    chair.passphrase_action.trigger()
    qtbot.waitUntil(lambda: any("is set" in said for said in quiet_dialogs), timeout=20_000)
    assert package_keys.has_package_passphrase(scored_db, audit_id=scored_audit.id)
    # The check is of the passphrase typed: an export with it is accepted, another refused.
    packages.export_package(scored_db, audit_id=scored_audit.id, reviewer="Bea CPS",
                            path=tmp_path / "ok.cfapkg", passphrase=PASSPHRASE)
    with pytest.raises(UserError, match="not this audit's package passphrase"):
        packages.export_package(scored_db, audit_id=scored_audit.id, reviewer="Bea CPS",
                                path=tmp_path / "no.cfapkg", passphrase="some other words")
    chair.passphrase_action.trigger()
    qtbot.waitUntil(lambda: any("was changed" in said for said in quiet_dialogs), timeout=20_000)
    assert typed_passphrases == [True, True]  # typed twice each time, as a new passphrase
    logged = [row.detail for row in change_log.list_changes(scored_db, audit_id=scored_audit.id)
              if row.entity == "package"]
    assert [detail.split(";")[0] for detail in logged] == ["Package passphrase changed",
                                                           "Package passphrase set"]
    assert not any(PASSPHRASE in detail for detail in logged)


def test_conflicts_dialog_lets_the_chair_choose(qtbot: QtBot, scored_db: Database,
                                                scored_audit: AuditSummary, tmp_path: Path) -> None:
    member = "Bea CPS"
    case_id = sampling.get_sample(scored_db, audit_id=scored_audit.id)[0].case.id
    code = get_framework(scored_db, "da-nfa-review").criteria[0].code
    record_answer(scored_db, audit_id=scored_audit.id, case_id=case_id, reviewer=member,
                  criterion_code=code, value="met")
    out = packages.export_package(scored_db, passphrase=PASSPHRASE, audit_id=scored_audit.id, reviewer=member,
                                  path=tmp_path / "out.cfapkg")
    laptop = open_database(tmp_path / "laptop.sqlite3")
    copy = packages.open_package(laptop, passphrase=PASSPHRASE, path=out.path)
    copy_case = sampling.get_sample(laptop, audit_id=copy.id)[0].case.id
    record_answer(laptop, audit_id=copy.id, case_id=copy_case, reviewer=member,
                  criterion_code=code, value="not_met", note="member")
    back = packages.export_package(laptop, passphrase=PASSPHRASE, audit_id=copy.id, reviewer=member,
                                   path=tmp_path / "back.cfapkg")
    laptop.close()
    record_answer(scored_db, audit_id=scored_audit.id, case_id=case_id, reviewer=member,
                  criterion_code=code, value="partly_met", note="chair")
    assert packages.import_package(scored_db, passphrase=PASSPHRASE, path=back.path).conflicts == 1

    dialog = panel_work.ConflictsDialog(scored_db, scored_audit.id)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert "chair" in dialog.table.item(0, 3).text() and "member" in dialog.table.item(0, 4).text()
    dialog.keep_package.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0)  # decided in the background
    assert not dialog.keep_package.isEnabled()
    assert dialog.table.isHidden() and dialog.intro.text() == panel_work.NO_CONFLICTS
    answer = get_review(scored_db, audit_id=scored_audit.id, case_id=case_id,
                        reviewer=member).answers[code]
    assert (answer.value.value, answer.note) == ("not_met", "member")


@pytest.mark.postgres
def test_presence_shows_who_else_is_working(qtbot: QtBot,
                                            postgres_cluster: PostgresCluster) -> None:
    from audit_app.services import audits, presence

    db = open_database(postgres_cluster.new_database())
    try:
        audit = audits.create_audit(db, name="Shared", framework="da-nfa-review")
        presence.heartbeat(db, audit_id=audit.id, user="Bea CPS", host="laptop-b")
        label = panel_work.PresenceLabel(db)
        qtbot.addWidget(label)
        label.watch(audit.id, "Ann Police")
        qtbot.waitUntil(lambda: label.text() == "Also working on this audit: Bea CPS")
        assert not label.isHidden()
        label.stop()
        others = presence.others_working(db, audit_id=audit.id, user="Bea CPS", host="laptop-b")
        assert others == []
    finally:
        db.close()


def test_sample_page_replaces_and_verifies(qtbot: QtBot, scored_db: Database,
                                           scored_audit: AuditSummary,
                                           quiet_dialogs: list[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from audit_app.ui.pages.sample_page import SamplePage
    from tests.helpers.sample_page import wait_for_sample

    # The case is scored, so replacing it asks first (ui/pages/replace_confirm.py): say Yes.
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *_a, **_k:
                        quiet_dialogs.append(text) or QMessageBox.StandardButton.Yes)
    page = SamplePage(scored_db)
    qtbot.addWidget(page)
    page.set_audit(scored_audit.id)
    wait_for_sample(qtbot, page)
    page.sample_table.selectRow(2)
    original = page.selected_row()
    assert original is not None
    with qtbot.waitSignal(page.replaced, timeout=10_000) as replaced:
        page.replace_selected(reason="File sealed by the court")
    replacement = replaced.args[0]
    assert replacement is not None and replacement.stratum == original.stratum
    assert original.case.reference in page.record_labels["replaced"].text()
    statuses = {r.case.reference: r.status for r in page.sample_model.rows}
    assert statuses[original.case.reference] == "replaced"
    assert statuses[replacement.case.reference] == "replacement"
    with qtbot.waitSignal(page.verified, timeout=10_000) as verified:
        page.verify()
    result = verified.args[0]
    assert result.ok and quiet_dialogs[-1].startswith("Verified")


def test_draw_dialog_calculates_sizes_and_previews_strata(qtbot: QtBot, scored_db: Database,
                                                           scored_audit: AuditSummary) -> None:
    from audit_app.ui.pages.sample_page import SamplePage
    from tests.helpers.sample_page import wait_for_sample

    page = SamplePage(scored_db)
    qtbot.addWidget(page)
    page.set_audit(scored_audit.id)
    wait_for_sample(qtbot, page)
    page.summary = None  # no "replace the sample?" question for this check
    dialog = page.open_draw_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.calculator.margin.setValue(5.0)
    assert dialog.calculator.suggested == 169  # 95%, ±5%, p=0.5, N=300 with the correction
    dialog.calculator.use_button.click()
    assert dialog.size_spin.value() == 169
    assert "±5.0" in dialog.calculator.buys.text()
    dialog.set_method("stratified")
    dialog.check_strata(("risk_level",))
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.refresh_preview()
    assert not dialog.preview_pending and not dialog.preview_status.text()
    rows = [(dialog.preview_table.item(r, 0).text(), int(dialog.preview_table.item(r, 2).text()))
            for r in range(dialog.preview_table.rowCount())]
    assert sum(n for _, n in rows) == 169 and {name for name, _ in rows} == \
        {"standard", "medium", "high"}
    dialog.always_edit.setText("shoe_size == 9")
    dialog.refresh_preview()
    assert "Unknown field" in dialog.problem_label.text()
    dialog.reject()


def test_backup_settings_are_kept_and_used(qtbot: QtBot, scored_db: Database,
                                           scored_audit: AuditSummary) -> None:
    from audit_app.ui import settings

    dialog = panel_work.BackupSettingsDialog()
    qtbot.addWidget(dialog)
    dialog.kept.setValue(2)
    dialog.accept()
    assert settings.BACKUPS_KEPT.read() == 2
    for _ in range(4):
        task = panel_work.backup_on_open(scored_db)
        assert task is not None
        QThreadPool.globalInstance().waitForDone(20_000)
    assert len(backups.list_backups()) == 2
    off = panel_work.BackupSettingsDialog()
    qtbot.addWidget(off)
    off.on_open.setChecked(False)
    off.accept()
    assert panel_work.backup_on_open(scored_db) is None
