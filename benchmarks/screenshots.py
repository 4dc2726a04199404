"""Render every screen and dialog of a demo database to PNG files (offscreen), to look at the layout.

    python benchmarks/screenshots.py [OUTPUT_FOLDER] [--size 1280x720] [--scale 1.5]

`--size` is the screen in physical pixels; the offscreen screen is made that size, so a
window or dialog that fits the screen (ui/screen_fit.py) is shot as a panel member's laptop
shows it. `--scale 1.5` sets QT_SCALE_FACTOR before Qt starts: the screen stays 1280x720
physical pixels and Qt lays out in 853x480 logical ones, as Windows does at 150%.

What it shoots, in order (file names start with the number):
  1-4    the Population, Sample, Review and Findings pages
  31-32  Review: the Moderation tab as the chair (disagreements first), the Change log tab
  41-47  Findings tabs: criteria, cases, breakdowns, learning, agreement, actions, comparison
  48     Findings of an audit with no answers yet
  21     the Draw sample dialog
  50-53  the Import wizard: file, preview, mapping, validation
  81     the package passphrase dialog: set and enter
  82-88  dialogs: New audit, Thresholds, Export workbook, Merge conflicts, Backup
         settings, Frameworks editor, About
  62     the partner copy's release check
  61     File > Retention: open, then closed with its date passed
  71-73  the Population, Sample and Review pages of the closed audit, then purged
Other slices add one shoot_ function each, called from `main()`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The checkout this script sits in, before any installed copy: run from a worktree, it
# shoots that worktree's screens (sys.path[0] is benchmarks/, not the checkout).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def use_screen(work: Path, width: int, height: int, scale: float) -> tuple[int, int]:
    """Before Qt starts: an offscreen screen of width x height physical pixels at `scale`;
    the window's size in logical pixels (what Qt lays out in) is returned."""
    if os.environ["QT_QPA_PLATFORM"] == "offscreen":  # not when the caller chose a platform
        config = work / "screen.json"
        config.write_text(json.dumps({"screens": [{
            "name": "screen", "x": 0, "y": 0, "width": width, "height": height,
            "logicalDpi": 96, "dpr": 1}]}), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    if scale != 1:
        os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
    return int(width / scale), int(height / scale)


def save(widget: object, folder: Path, name: str) -> None:
    """Let background reads land, then save the widget as `name`.png and say where."""
    from PySide6.QtWidgets import QApplication

    for _ in range(5):
        wait_for_workers()  # pages read in the background (ui/operations.py)
        QApplication.processEvents()
    path = folder / f"{name}.png"
    widget.grab().save(str(path))  # type: ignore[attr-defined]
    print(path, f"{widget.width()}x{widget.height()}")  # type: ignore[attr-defined]


def shoot_import_wizard(window: object, extract: Path, folder: Path) -> None:
    """Every step of the import wizard on a messy 3,000-row force extract, into a new audit."""
    from PySide6.QtWidgets import QApplication

    from audit_app.services.audits import create_audit
    from audit_app.ui.import_wizard import ImportWizard

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.helpers.extract_messy import write_messy_extract

    db = window.db  # type: ignore[attr-defined]
    audit = create_audit(db, name="Messy extract", framework="da-nfa-review")
    wizard = ImportWizard(db, audit.id, window)  # type: ignore[arg-type]
    wizard.show()
    wizard.file_page.choose(str(write_messy_extract(extract, 3000)))
    steps = ("file", "preview", "mapping", "validation", "import")
    pages = (wizard.file_page, wizard.preview_page, wizard.mapping_page,
             wizard.validation_page, wizard.import_page)
    ready = (lambda: not wizard.file_page.loading, lambda: True, lambda: True,
             lambda: wizard.validation_page.done, lambda: wizard.import_page.done)
    for step, name in enumerate(steps):
        if step:
            wizard.next()
        for _ in range(100):
            QApplication.processEvents()
            if ready[step]() and wizard.currentPage() is pages[step]:
                break
            wait_for_workers()
        QApplication.processEvents()
        wizard.grab().save(str(folder / f"5{step}-import-{name}.png"))
        print(folder / f"5{step}-import-{name}.png")
        tabs = getattr(pages[step], "tabs", None)
        if tabs is not None:  # the second tab: other columns, how values were read
            tabs.setCurrentIndex(1)
            QApplication.processEvents()
            wizard.grab().save(str(folder / f"5{step}b-import-{name}.png"))
            print(folder / f"5{step}b-import-{name}.png")
            tabs.setCurrentIndex(0)
    wizard.close()


def loaded_sample_page(window: object) -> Any:
    """The Sample page once its background read is in (its Draw button waits for it)."""
    from PySide6.QtWidgets import QApplication

    page = window.sample_page  # type: ignore[attr-defined]
    for _ in range(200):
        if not page.loading:
            break
        wait_for_workers()
        QApplication.processEvents()
    return page


def shoot_draw_dialog(window: object, folder: Path) -> None:
    """The Draw sample dialog, stratified by outcome and area, once its preview is in."""
    from PySide6.QtCore import QEventLoop, QTimer

    page = loaded_sample_page(window)
    page.summary = None  # skip the "replace the sample?" question
    dialog = page.open_draw_dialog()
    dialog.set_method("stratified")
    dialog.check_strata(("outcome_code", "area"))
    dialog.where_edit.setText("outcome_code in (14, 15, 16)")
    loop = QEventLoop()
    dialog.preview_ready.connect(loop.quit)
    QTimer.singleShot(10_000, loop.quit)
    dialog.refresh_preview()
    loop.exec()
    dialog.grab().save(str(folder / "21-draw-sample-dialog.png"))
    print(folder / "21-draw-sample-dialog.png")
    dialog.reject()


def shoot_condition_builder(window: object, folder: Path) -> None:
    """The condition builder: the Draw sample dialog's scope picked as rows with its live
    count and the open list of values, then a criterion's "applies only when" in the
    framework editor, sized to fit the main window."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QTreeWidgetItemIterator

    from audit_app.ui.framework_editor import FrameworkEditorDialog

    def settle(signal: object) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(10_000, loop.quit)
        loop.exec()

    page = loaded_sample_page(window)
    page.summary = None
    dialog = page.open_draw_dialog()
    scope = dialog.scope_builder
    dialog.conditions.setCurrentWidget(scope.parentWidget())
    scope.set_expression("outcome_code in (16, 15) and risk_level in ('high', 'medium')")
    scope.refresh_count()
    settle(scope.count_ready)
    dialog.refresh_preview()
    settle(dialog.preview_ready)
    wait_for_workers()
    QApplication.processEvents()
    dialog.grab().save(str(folder / "22-draw-scope-builder.png"))
    print(folder / "22-draw-scope-builder.png")
    picker = scope.rows[0].picker
    picker.menu().popup(  # not showMenu(): that waits for a click
        picker.mapToGlobal(picker.rect().bottomLeft()))
    QApplication.processEvents()
    picker.menu().grab().save(str(folder / "23-draw-scope-values.png"))
    print(folder / "23-draw-scope-values.png")
    picker.menu().close()
    dialog.reject()

    editor = FrameworkEditorDialog(page._db, window)  # type: ignore[arg-type]
    editor.resize(min(editor.width(), window.width()),  # type: ignore[attr-defined]
                  min(editor.height(), window.height()))  # type: ignore[attr-defined]
    editor.show()
    items = QTreeWidgetItemIterator(editor.tree)
    while items.value():
        editor.tree.setCurrentItem(items.value())
        if editor.criterion_form.applies_builder.rows or \
                editor.criterion_form.applies_builder.advanced.isChecked():
            break
        items += 1
    for _ in range(5):
        wait_for_workers()
        QApplication.processEvents()
    # At 150% the Question tab scrolls: bring the rule into view, as a user would.
    editor.criterion_form.tabs.currentWidget().ensureWidgetVisible(
        editor.criterion_form.applies_builder)
    QApplication.processEvents()
    editor.grab().save(str(folder / "24-framework-applies-when.png"))
    print(folder / "24-framework-applies-when.png")
    editor.reject()


def shoot_passphrase_dialog(window: object, folder: Path) -> None:
    """The package passphrase dialog: being set (typed twice) and being entered."""
    from PySide6.QtWidgets import QApplication

    from audit_app.ui.passphrase_dialog import PassphraseDialog

    for name, new in (("set", True), ("enter", False)):
        dialog = PassphraseDialog(window, new=new,  # type: ignore[arg-type]
                                  purpose="Set this audit's package passphrase. It seals the "
                                          "package for B. Member." if new else
                                  "Type the passphrase the chair gave you to open "
                                  "B-Member.cfapkg.")
        dialog.show()
        dialog.passphrase.setText("a walk in the park")
        if new:
            dialog.confirm.setText("a walk in the pork")
            dialog.accept()  # shows the plain-English problem line
        for _ in range(5):
            QApplication.processEvents()
        path = folder / f"81-passphrase-{name}.png"
        dialog.grab().save(str(path))
        print(path)
        dialog.reject()


def shoot_release_check(window: object, folder: Path) -> None:
    """The partner copy's release check, on the demo audit with a few personal details added
    to one note, sized to fit the main window (so --size 853x480 with QT_SCALE_FACTOR=1.5
    shows it on a 1280x720 screen at 150%). The offscreen screen is 800x800 unless given a
    size: QT_QPA_PLATFORM=offscreen:configfile=screen.json with {"screens": [{"name": "s",
    "x": 0, "y": 0, "width": 1280, "height": 720, "logicalDpi": 96, "dpr": 1}]}."""
    from PySide6.QtWidgets import QApplication

    from audit_app.services import scoring
    from audit_app.services.export import check_partner_release
    from audit_app.services.sampling import get_sample
    from audit_app.ui.release_check_dialog import ReleaseCheckDialog

    db, audit_id = window.db, window.audit_id  # type: ignore[attr-defined]
    case = get_sample(db, audit_id=audit_id)[0].case
    victim = case.fields.get("victim_name") or "the victim"
    code = next(iter(scoring.get_review(db, audit_id=audit_id, case_id=case.id,
                                        reviewer="Avery Quillon").answers), None)
    if code is not None:
        scoring.record_answer(db, audit_id=audit_id, case_id=case.id, reviewer="Avery Quillon",
                              criterion_code=code, value="not_met",
                              note=f"Spoke to {victim} on 07700 900123 at 12 Acacia Avenue; "
                                   "neighbour Zebedee Quarrington saw the incident")
    check = check_partner_release(db, audit_id=audit_id)
    for name, only_suspect in (("doubtful", True), ("all", False)):
        dialog = ReleaseCheckDialog(check, approver="Dana Chair", parent=window)  # type: ignore[arg-type]
        dialog.resize(min(1120, window.width() - 40),  # type: ignore[attr-defined]
                      min(620, window.height() - 40))  # type: ignore[attr-defined]
        dialog.show()
        dialog.only_suspect.setChecked(only_suspect and bool(check.suspect_count))
        for _ in range(5):
            QApplication.processEvents()
        path = folder / f"62-release-check-{name}.png"
        dialog.grab().save(str(path))
        print(path, f"{dialog.width()}x{dialog.height()}")
        dialog.reject()


def shoot_retention_dialog(window: object, folder: Path) -> None:
    """File > Retention while the audit is open, then closed with its date passed.

    Last, because it closes the demo audit."""
    import datetime as dt

    from audit_app.services import retention

    db, audit_id = window.db, window.audit_id  # type: ignore[attr-defined]
    for name in ("open", "closed-due"):
        if name == "closed-due":
            retention.close_audit(db, audit_id=audit_id)
            retention.set_retention(db, audit_id=audit_id,
                                    retain_until=dt.date.today() - dt.timedelta(days=1))
        dialog = window.show_retention()  # type: ignore[attr-defined]
        dialog.grab().save(str(folder / f"61-retention-{name}.png"))
        print(folder / f"61-retention-{name}.png")
        dialog.reject()


def shoot_closed_and_purged(window: object, folder: Path) -> None:
    """The Population, Sample and Review pages of the (by now closed) demo audit, then purged.

    Last of all, because it deletes the demo audit's case data."""
    from PySide6.QtWidgets import QApplication

    from audit_app.services import retention

    db, audit_id = window.db, window.audit_id  # type: ignore[attr-defined]
    for stage in ("closed", "purged"):
        if stage == "purged":
            retention.purge_audit(db, audit_id=audit_id)
        window._audit_changed()  # type: ignore[attr-defined]
        for index, name in enumerate(("population", "sample", "review")):
            window.tabs.setCurrentIndex(index)  # type: ignore[attr-defined]
            for _ in range(5):
                QApplication.processEvents()
            path = folder / f"7{index + 1}-{stage}-{name}.png"
            window.grab().save(str(path))  # type: ignore[attr-defined]
            print(path)


def compare_with(panel: Any, audit_id: int, earlier_id: int) -> None:
    """Show `audit_id` on the comparison panel against `earlier_id`, once both reads land."""
    from PySide6.QtWidgets import QApplication

    panel.set_audit(audit_id)
    for _ in range(100):
        wait_for_workers()
        QApplication.processEvents()
        if panel.audit_choice.findData(earlier_id) > 0:
            break
    panel.audit_choice.setCurrentIndex(panel.audit_choice.findData(earlier_id))
    for _ in range(100):
        wait_for_workers()
        QApplication.processEvents()
        if panel.comparison is not None:
            break
    for _ in range(5):
        QApplication.processEvents()


def shoot_comparison(window: object, folder: Path) -> None:
    """The Findings page's Comparison tab, against a second (earlier) demo audit."""
    from audit_app.services.demo import create_demo

    earlier = create_demo(window.db, seed=5, population=300, sample_size=20)  # type: ignore[attr-defined]
    page = window.findings_page  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(3)  # type: ignore[attr-defined]
    page.sections.setCurrentWidget(page.comparison_panel)
    scroll_to_top_of(page.page_scroll, page.sections)
    panel = page.comparison_panel
    compare_with(panel, window.audit_id, earlier.id)  # type: ignore[attr-defined]
    path = folder / "47-findings-comparison.png"
    window.grab().save(str(path))  # type: ignore[attr-defined]
    print(path)


def shoot_split15(window: object, folder: Path) -> None:
    """The comparison against an audit on the framework's previous version: the earlier
    criteria not compared are listed under the table."""

    from audit_app.services.audits import create_audit

    earlier = create_audit(window.db, name="Previous version audit",  # type: ignore[attr-defined]
                           framework="da-nfa-review@2")
    panel = window.findings_page.comparison_panel  # type: ignore[attr-defined]
    compare_with(panel, window.audit_id, earlier.id)  # type: ignore[attr-defined]
    save(window, folder, "47-findings-comparison-not-compared")


def shoot_help_and_dialogs(window: object, folder: Path) -> None:
    """Who is scoring (asked as the Review page first opened), Restore from backup, About,
    the user guide and the keyboard map."""
    from PySide6.QtWidgets import QApplication

    control = window.reviewer_control  # type: ignore[attr-defined]
    dialogs = [("91-who-is-scoring", control.dialog or control.ask()),
               ("92-restore-from-backup", window.restore_backup()),  # type: ignore[attr-defined]
               ("93-about", window.show_about()),  # type: ignore[attr-defined]
               ("94-user-guide", window.show_guide()),  # type: ignore[attr-defined]
               ("95-keyboard-map", window.show_keyboard_map())]  # type: ignore[attr-defined]
    for name, dialog in dialogs:
        dialog.show()
        for _ in range(5):
            QApplication.processEvents()
        dialog.grab().save(str(folder / f"{name}.png"))
        print(folder / f"{name}.png", f"{dialog.width()}x{dialog.height()}")
        dialog.reject()  # the later screens stay as they were: no reviewer chosen


def shoot_training(window: object, folder: Path) -> None:
    """Help > Training with calibration cases: a case half scored, then the comparison."""
    from PySide6.QtWidgets import QApplication

    from audit_app.ui.training_dialog import TrainingDialog

    dialog = TrainingDialog(window.db, "Nia Lay Member", window)  # type: ignore[attr-defined]
    dialog.show()
    for _ in range(100):
        QApplication.processEvents()
        wait_for_workers()
        if dialog.cases.count():
            break
    dialog.cases.setCurrentRow(4)
    for index, picker in enumerate(list(dialog.pickers.values())[:5]):
        picker.setCurrentIndex(1 + index % 3)
    for name, tab in (("96-training-score", 0), ("97-training-compare", 1)):
        dialog.tabs.setCurrentIndex(tab)
        for _ in range(50):
            QApplication.processEvents()
            wait_for_workers()
        dialog.grab().save(str(folder / f"{name}.png"))
        print(folder / f"{name}.png", f"{dialog.width()}x{dialog.height()}")
    dialog.reject()


def shoot_moderation(window: object, folder: Path) -> None:
    """The Review page's Moderation tab as the chair, on a case both members completed,
    then the Change log tab."""
    from audit_app.services.demo import REVIEWERS
    from audit_app.services.sampling import get_sample

    chair = REVIEWERS[0][0]
    window.tabs.setCurrentIndex(2)  # type: ignore[attr-defined]
    host = window.review_host  # type: ignore[attr-defined]
    host.set_reviewer(chair)
    page = host.review_page
    page.select_case(get_sample(window.db, audit_id=window.audit_id)[0].case.id)  # type: ignore[attr-defined]
    save(window, folder, "30-review-chair")
    page.tabs.setCurrentWidget(page.moderation)
    save(window, folder, "31-review-moderation")
    page.tabs.setCurrentWidget(page.change_log)
    save(window, folder, "32-review-change-log")
    page.tabs.setCurrentWidget(page.criteria)


def shoot_empty_findings(window: object, folder: Path) -> None:
    """The Findings page of a new audit with no answers yet, then back to the demo."""
    from PySide6.QtWidgets import QApplication

    from audit_app.services.audits import create_audit
    from audit_app.services.demo import DEMO_FRAMEWORK

    demo_id = window.audit_id  # type: ignore[attr-defined]
    empty = create_audit(window.db, name="Q1 review (no answers yet)",  # type: ignore[attr-defined]
                         framework=DEMO_FRAMEWORK)
    window.audit_list.refresh()  # type: ignore[attr-defined]
    while window.audit_list.refreshing:  # type: ignore[attr-defined]  # read in the background
        wait_for_workers()
        QApplication.processEvents()
    window.open_audit(empty.id)  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(3)  # type: ignore[attr-defined]
    window.findings_page.sections.setCurrentIndex(0)  # type: ignore[attr-defined]
    scroll_to_top_of(window.findings_page.page_scroll, window.findings_page.page_scroll.widget())  # type: ignore[attr-defined]
    save(window, folder, "48-findings-empty-audit")
    window.open_audit(demo_id)  # type: ignore[attr-defined]


def shoot_dialogs(window: object, folder: Path) -> None:
    """Each small dialog as the menus open it, fitted to the screen as the app fits it."""
    from PySide6.QtWidgets import QApplication

    from audit_app.core.thresholds import Thresholds
    from audit_app.ui.about import AboutDialog
    from audit_app.ui.exports import ExportOptionsDialog
    from audit_app.ui.framework_editor import FrameworkEditorDialog
    from audit_app.ui.pages.rag_status import ThresholdsDialog
    from audit_app.ui.panel_work import BackupSettingsDialog, ConflictsDialog

    db, audit_id = window.db, window.audit_id  # type: ignore[attr-defined]
    made = [("82-new-audit", lambda: window.new_audit()),  # type: ignore[attr-defined]
            ("83-thresholds", lambda: ThresholdsDialog(Thresholds(), window)),
            ("84-export-options", lambda: ExportOptionsDialog(window)),  # type: ignore[arg-type]
            ("85-conflicts", lambda: ConflictsDialog(db, audit_id, window)),  # type: ignore[arg-type]
            ("86-backup-settings", lambda: BackupSettingsDialog(window)),  # type: ignore[arg-type]
            ("87-frameworks-editor", lambda: FrameworkEditorDialog(db, window)),  # type: ignore[arg-type]
            ("88-about", lambda: AboutDialog(window.show_guide, window))]  # type: ignore[attr-defined, arg-type]
    for name, make in made:
        dialog = make()
        dialog.show()
        for _ in range(5):
            QApplication.processEvents()
        save(dialog, folder, name)
        dialog.close()


def shoot_panel_documents(window: object, folder: Path) -> None:
    """File > Panel documents: each document's few questions, before the save dialog."""
    from PySide6.QtWidgets import QApplication

    from audit_app.ui.panel_documents import DocumentOptionsDialog

    for document in ("minutes", "feedback", "summary", "report"):
        dialog = DocumentOptionsDialog(document, window)  # type: ignore[arg-type]
        dialog.show()
        QApplication.processEvents()
        save(dialog, folder, f"89-panel-documents-{document}")
        dialog.close()


def shoot_high_contrast(window: object, folder: Path) -> None:
    """The four pages under a high-contrast desktop palette (black, white, yellow), in a
    second window on a fresh demo audit, built after the palette is set as the app starts
    on such a desktop. Last of all: the app is not restyled back to light afterwards."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    from audit_app.services.demo import create_demo
    from audit_app.ui.app import make_application
    from audit_app.ui.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    dark = QPalette(QColor("#000000"), QColor("#000000"))
    for role, colour in ((QPalette.ColorRole.WindowText, "#ffffff"),
                         (QPalette.ColorRole.Text, "#ffffff"),
                         (QPalette.ColorRole.ButtonText, "#ffffff"),
                         (QPalette.ColorRole.Highlight, "#ffff00"),
                         (QPalette.ColorRole.HighlightedText, "#000000")):
        dark.setColor(role, QColor(colour))
    audit = create_demo(window.db, seed=11, population=300, sample_size=20)  # type: ignore[attr-defined]
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # restyle only whole widgets
    app.setPalette(dark)
    make_application()
    contrast = MainWindow(window.db)  # type: ignore[attr-defined]
    contrast.resize(window.size())  # type: ignore[attr-defined]
    contrast.show()
    contrast.open_audit(audit.id)
    for index, name in enumerate(("population", "sample", "review", "findings")):
        contrast.tabs.setCurrentIndex(index)
        for _ in range(5):
            wait_for_workers()
            QApplication.processEvents()
        path = folder / f"9{index + 1}-high-contrast-{name}.png"
        contrast.grab().save(str(path))
        print(path)
    wait_for_workers()
    contrast.close()


def scroll_to_top_of(scroll: Any, widget: Any) -> None:
    """Scroll so `widget` starts at the top of the view (ensureWidgetVisible shows the
    bottom of a widget taller than the view: at 150% the Findings tabs were cut off)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    scroll.verticalScrollBar().setValue(widget.mapTo(scroll.widget(), QPoint(0, 0)).y())


def shoot_panel_record(window: object, folder: Path) -> None:
    """The panel's record: the Actions tab's register (agency, overdue, response), then the
    review's conclusion with urgent safeguarding ticked (the escalation form) and the
    question asked for "More information needed"."""
    import datetime as dt

    from PySide6.QtWidgets import QApplication

    from audit_app.core.answers import Verdict
    from audit_app.services.actions import add_action
    from audit_app.services.audits import list_audits
    from audit_app.services.sampling import get_sample

    db = window.db  # type: ignore[attr-defined]
    audit_id = min(a.id for a in list_audits(db) if a.name.startswith("Demo"))  # the demo's
    add_action(db, audit_id=audit_id, description="Brief supervisors on NFA endorsement",
               agency="Police", owner="DI Jones", due_date=dt.date.today() - dt.timedelta(days=3),
               theme_key="supervision-of-nfa", response="Briefings booked for March",
               response_date=dt.date.today())
    window.open_audit(audit_id)  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(3)  # type: ignore[attr-defined]
    window.findings_page.sections.setCurrentIndex(6)  # type: ignore[attr-defined]
    save(window, folder, "99a-actions-register")
    window.tabs.setCurrentIndex(2)  # type: ignore[attr-defined]
    page = window.review_host.review_page  # type: ignore[attr-defined]
    page.select_case(get_sample(db, audit_id=audit_id)[1].case.id)
    while page.loading is not None:  # the case opens in the background; then scroll
        QApplication.processEvents()
    conclusion = page.conclusion
    conclusion.urgent.setChecked(True)
    conclusion.verdict.setCurrentIndex(conclusion.verdict.findData(Verdict.MORE_INFORMATION))
    QApplication.processEvents()  # lay the newly shown boxes out before scrolling to them
    for box in (conclusion.record.request, conclusion.record.escalation):
        scroll = conclusion.parentWidget()
        while scroll is not None and not hasattr(scroll, "ensureWidgetVisible"):
            scroll = scroll.parentWidget()
        if scroll is not None:
            scroll.ensureWidgetVisible(box, 0, 0)
        save(window, folder, "99b-conclusion-request" if box is conclusion.record.request
             else "99c-conclusion-escalation")


def shoot_meeting(window: object, folder: Path) -> None:
    """View > Meeting mode: attendance, a case whose answers show, one still hidden."""
    from PySide6.QtWidgets import QApplication

    from audit_app.services import meetings
    from audit_app.services.demo import REVIEWERS, create_demo
    from audit_app.ui.meeting.window import MeetingWindow

    db = window.db  # type: ignore[attr-defined]
    audit_id = create_demo(db, population=300, sample_size=12).id  # the first is closed by now
    made = meetings.create_meeting(db, audit_id=audit_id, chair=REVIEWERS[0][0])
    for name, agency in REVIEWERS:
        meetings.record_attendance(db, meeting_id=made.meeting_id, member=name, agency=agency)
    meetings.record_attendance(db, meeting_id=made.meeting_id, member="Sol Varga",
                               role="Observer", agency="Probation", guest=True)
    meeting = MeetingWindow(db, audit_id, REVIEWERS[0][0], window)  # type: ignore[arg-type]
    meeting.show()

    def settle(name: str) -> None:
        for _ in range(40):
            QApplication.processEvents()
            wait_for_workers()
        meeting.grab().save(str(folder / f"{name}.png"))
        print(folder / f"{name}.png", f"{meeting.width()}x{meeting.height()}")

    settle("80-meeting-attendance")
    for position, name in ((0, "81-meeting-case"), (7, "82-meeting-case-hidden")):
        meeting.go_to(position)
        settle(name)
    meeting.close()


def shoot_meet17c(window: object, folder: Path) -> None:
    """Meeting mode's carried pages (last quarter's question; a case an earlier meeting
    carried on), then the Review page's notice over a case the reviewer declared in."""
    import datetime as dt

    from PySide6.QtWidgets import QApplication

    from audit_app.services import meeting_carried, meetings
    from audit_app.services.demo import REVIEWERS, create_demo
    from audit_app.ui.meeting.window import MeetingWindow

    db, chair, member = window.db, REVIEWERS[0][0], REVIEWERS[1][0]  # type: ignore[attr-defined]
    before = window.audit_id  # type: ignore[attr-defined]  # the shots after this use it
    audit_id = create_demo(db, population=300, sample_size=12, with_history=True).id
    earlier = meetings.list_meetings(db, audit_id=audit_id)[-1]
    agenda = meetings.get_meeting(db, meeting_id=earlier.meeting_id).agenda
    meeting_carried.carry_case(db, meeting_id=earlier.meeting_id, case_id=agenda[6].case_id,
                               question="Was the victim told of the right to review?",
                               answerer_role="Victim Care Manager")
    made = meetings.create_meeting(db, audit_id=audit_id, chair=chair,
                                   held_on=dt.date.today() + dt.timedelta(days=1))
    for name, agency in REVIEWERS:
        meetings.record_attendance(db, meeting_id=made.meeting_id, member=name, agency=agency)
    meeting = MeetingWindow(db, audit_id, chair, window)  # type: ignore[arg-type]
    meeting.show()
    for _ in range(40):
        QApplication.processEvents()
        wait_for_workers()
    meeting.start.meetings.setCurrentIndex(meeting.start.meetings.findData(made.meeting_id))
    meeting.load_meeting(made.meeting_id)
    for position, name in ((0, "83-meeting-carried-page"), (1, "84-meeting-carried-case")):
        meeting.go_to(position)
        save(meeting, folder, name)
    meeting.close()
    declared = next(row for row in meetings.get_meeting(db, meeting_id=made.meeting_id
                                                        ).declarations if row.member == member)
    window.audit_list.refresh()  # type: ignore[attr-defined]
    while window.audit_list.refreshing:  # type: ignore[attr-defined]
        wait_for_workers()
        QApplication.processEvents()
    window.open_audit(audit_id)  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(2)  # type: ignore[attr-defined]
    host = window.review_host  # type: ignore[attr-defined]
    host.set_reviewer(member)
    while host.review_page.cases_loading or host.review_page.loading is not None:
        wait_for_workers()
        QApplication.processEvents()
    host.review_page.select_case(declared.case_id)
    save(window, folder, "85-review-declared-notice")
    host.set_reviewer(chair)
    window.open_audit(before)  # type: ignore[attr-defined]


def shoot_escalations(window: object, folder: Path) -> None:
    """Findings > Escalations on the demo with history (an overdue escalation, one answered,
    a request carried from last quarter), its Respond dialog, and meeting mode's start page
    listing the carried case above the agenda."""
    from PySide6.QtWidgets import QApplication

    from audit_app.services import escalations, meetings
    from audit_app.services.demo import create_demo
    from audit_app.ui.meeting.window import MeetingWindow

    db = window.db  # type: ignore[attr-defined]
    audit_id = create_demo(db, population=300, sample_size=12, with_history=True).id
    if not escalations.list_escalations(db, audit_id=audit_id):
        return
    window.open_audit(audit_id)  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(3)  # type: ignore[attr-defined]
    page = window.findings_page  # type: ignore[attr-defined]
    page.sections.setCurrentWidget(page.escalations_panel)
    scroll_to_top_of(page.page_scroll, page.sections)
    for _ in range(40):
        QApplication.processEvents()
        wait_for_workers()
    save(window, folder, "99d-findings-escalations")
    panel = page.escalations_panel
    panel.escalation_table.selectRow(0)
    dialog = panel.respond_selected()
    if dialog is not None:
        save(dialog, folder, "99e-escalation-respond")
        dialog.reject()
    if not meetings.list_meetings(db, audit_id=audit_id):
        meetings.create_meeting(db, audit_id=audit_id, chair="Chair")
    meeting = MeetingWindow(db, audit_id, "Chair", window)  # type: ignore[arg-type]
    meeting.show()
    for _ in range(40):
        QApplication.processEvents()
        wait_for_workers()
    meeting.grab().save(str(folder / "99f-meeting-carried.png"))
    print(folder / "99f-meeting-carried.png", f"{meeting.width()}x{meeting.height()}")
    meeting.close()


def shoot_record17c(window: object, folder: Path) -> None:
    """Findings > Themes on the demo with history (counts, last quarter beside them, good
    practice to share), then a review conclusion listing a case's escalations, open first."""
    import datetime as dt

    from PySide6.QtWidgets import QApplication

    from audit_app.services import escalations
    from audit_app.services.audits import list_audits
    from audit_app.services.demo import REVIEWERS, create_demo
    from audit_app.services.sampling import get_sample

    db = window.db  # type: ignore[attr-defined]
    audit_id = max(a.id for a in list_audits(db))  # the demo with history, made just before
    listed = escalations.list_escalations(db, audit_id=audit_id)
    if not listed:
        audit_id = create_demo(db, population=300, sample_size=12, with_history=True).id
        listed = escalations.list_escalations(db, audit_id=audit_id)
    window.open_audit(audit_id)  # type: ignore[attr-defined]
    window.show_findings_section("themes")  # type: ignore[attr-defined]
    for _ in range(40):
        QApplication.processEvents()
        wait_for_workers()
    save(window, folder, "99g-findings-themes")
    dialog = window.findings_page.themes_panel.add_theme()  # type: ignore[attr-defined]
    save(dialog, folder, "99g-add-theme")
    dialog.reject()
    reference = next(row.case_reference for row in listed if row.case_reference)
    escalations.add_escalation(db, audit_id=audit_id, case_reference=reference,
                               reason="A child at the address was not referred",
                               sent_to_role="Team manager", sent_to_agency="Children's services",
                               sent_on=dt.date.today())
    window.reviewer_control.set_name(REVIEWERS[0][0])  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(2)  # type: ignore[attr-defined]
    page = window.review_host.review_page  # type: ignore[attr-defined]
    page.select_case(next(row.case.id for row in get_sample(db, audit_id=audit_id)
                          if row.case.reference == reference))
    for _ in range(40):
        QApplication.processEvents()
        wait_for_workers()
    box = page.conclusion.record.escalation
    scroll = box.parentWidget()
    while scroll is not None and not hasattr(scroll, "ensureWidgetVisible"):
        scroll = scroll.parentWidget()
    if scroll is not None:
        scroll_to_top_of(scroll, box)
    save(window, folder, "99h-conclusion-escalations")


def wait_for_workers() -> None:
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(200)


def shoot_framework_diff(window: object, folder: Path) -> None:
    """The framework editor's Compare versions view, opened as its button opens it."""
    from audit_app.ui.framework_editor import FrameworkEditorDialog

    editor = FrameworkEditorDialog(window.db, window)  # type: ignore[attr-defined]
    editor.show()
    editor.chooser.setCurrentIndex(editor.chooser.findData("da-nfa-review@3"))
    save(editor, folder, "89-frameworks-editor-compare-button")
    dialog = editor.compare_versions()
    save(dialog, folder, "89-framework-diff")
    dialog.close()
    editor.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="screenshots")
    parser.add_argument("--size", default="1280x720", help="the screen, in physical pixels")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="display scaling, e.g. 1.5 for 150%% (sets QT_SCALE_FACTOR)")
    parser.add_argument("--population", type=int, default=2000)
    args = parser.parse_args()
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="audit-shots-"))
    screen_width, screen_height = (int(part) for part in args.size.lower().split("x"))
    width, height = use_screen(work, screen_width, screen_height, args.scale)

    from PySide6.QtCore import QSettings

    from audit_app.services.database import open_database
    from audit_app.services.demo import create_demo
    from audit_app.ui.app import make_application
    from audit_app.ui.main_window import MainWindow

    os.environ["AUDIT_APP_DATA_DIR"] = str(work)
    app = make_application(sys.argv[:1])
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(work / "settings"))
    db = open_database(work / "demo.sqlite3")
    create_demo(db, population=args.population, sample_size=40)
    window = MainWindow(db)
    window.resize(width, height)
    window.show()

    def shot(name: str) -> None:
        save(window, folder, name)

    for index, name in enumerate(("population", "sample", "review", "findings")):
        window.tabs.setCurrentIndex(index)
        shot(f"{index + 1}-{name}")
    sections = ("criteria", "cases", "breakdowns", "learning", "agreement", "actions")
    for index, name in enumerate(sections, start=1):
        window.tabs.setCurrentIndex(3)
        window.findings_page.sections.setCurrentIndex(index)
        # At 150% the page scrolls: bring the tab's contents into view, as a user would.
        scroll_to_top_of(window.findings_page.page_scroll, window.findings_page.sections)
        shot(f"4{index}-findings-{name}")
    shoot_help_and_dialogs(window, folder)
    shoot_training(window, folder)
    shoot_moderation(window, folder)
    shoot_panel_record(window, folder)
    shoot_comparison(window, folder)
    shoot_split15(window, folder)
    shoot_empty_findings(window, folder)
    window.tabs.setCurrentIndex(1)
    shoot_draw_dialog(window, folder)
    shoot_condition_builder(window, folder)
    shoot_import_wizard(window, work / "extract.xlsx", folder)
    shoot_passphrase_dialog(window, folder)
    shoot_dialogs(window, folder)
    shoot_framework_diff(window, folder)
    shoot_panel_documents(window, folder)
    shoot_release_check(window, folder)
    shoot_retention_dialog(window, folder)
    shoot_meeting(window, folder)
    shoot_meet17c(window, folder)
    shoot_closed_and_purged(window, folder)
    shoot_escalations(window, folder)
    shoot_record17c(window, folder)
    shoot_high_contrast(window, folder)  # last: it leaves the application's palette dark
    window.close()
    db.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
