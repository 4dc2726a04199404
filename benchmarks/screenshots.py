"""Render every screen of a demo database to PNG files (offscreen), to look at the layout.

    python benchmarks/screenshots.py [OUTPUT_FOLDER] [--size 1366x768]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def write_sample_extract(path: Path) -> Path:
    """A small extract with one bad row, so the validation page has something to show."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Closed DA crimes"
    sheet.append(["Crime Ref", "Offence", "Outcome", "DASH Risk", "Area", "OIC", "Victim Name",
                  "Informant", "Date Finalised"])
    for number in range(1, 61):
        sheet.append([f"CR/{number:05d}/26", "Common assault", "x" if number == 9 else 16, "high",
                      "North", "PC 1", f"Person {number}", "", "01/03/2026"])
    workbook.save(path)
    return path


def shoot_import_wizard(window: object, extract: Path, folder: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from audit_app.ui.import_wizard import ImportWizard

    wizard = ImportWizard(window.db, window.audit_id, window)  # type: ignore[attr-defined]
    wizard.show()
    wizard.file_page.choose(str(write_sample_extract(extract)))
    for step, name in enumerate(("file", "preview", "mapping", "validation")):
        if step:
            wizard.next()
        for _ in range(50):
            QApplication.processEvents()
            if step < 3 or wizard.validation_page.done:
                break
            wait_for_workers()
        wizard.grab().save(str(folder / f"5{step}-import-{name}.png"))
        print(folder / f"5{step}-import-{name}.png")
    wizard.close()


def shoot_draw_dialog(window: object, folder: Path) -> None:
    """The Draw sample dialog, stratified by outcome and area, once its preview is in."""
    from PySide6.QtCore import QEventLoop, QTimer

    page = window.sample_page  # type: ignore[attr-defined]
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


def shoot_comparison(window: object, folder: Path) -> None:
    """The Findings page's Comparison tab, against a second (earlier) demo audit."""
    from PySide6.QtWidgets import QApplication

    from audit_app.services.demo import create_demo

    earlier = create_demo(window.db, seed=5, population=300, sample_size=20)  # type: ignore[attr-defined]
    page = window.findings_page  # type: ignore[attr-defined]
    window.tabs.setCurrentIndex(3)  # type: ignore[attr-defined]
    page.sections.setCurrentWidget(page.comparison_panel)
    panel = page.comparison_panel
    panel.set_audit(window.audit_id)  # type: ignore[attr-defined]
    for _ in range(100):
        wait_for_workers()
        QApplication.processEvents()
        if panel.audit_choice.findData(earlier.id) > 0:
            break
    panel.audit_choice.setCurrentIndex(panel.audit_choice.findData(earlier.id))
    for _ in range(100):
        wait_for_workers()
        QApplication.processEvents()
        if panel.comparison is not None:
            break
    for _ in range(5):
        QApplication.processEvents()
    path = folder / "47-findings-comparison.png"
    window.grab().save(str(path))  # type: ignore[attr-defined]
    print(path)


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


def wait_for_workers() -> None:
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(200)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="screenshots")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--population", type=int, default=2000)
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.lower().split("x"))
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from audit_app.services.database import open_database
    from audit_app.services.demo import create_demo
    from audit_app.ui.app import make_application
    from audit_app.ui.main_window import MainWindow

    work = Path(tempfile.mkdtemp(prefix="audit-shots-"))
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
        for _ in range(5):
            wait_for_workers()  # pages read in the background (ui/operations.py)
            QApplication.processEvents()
        window.grab().save(str(folder / f"{name}.png"))
        print(folder / f"{name}.png")

    for index, name in enumerate(("population", "sample", "review", "findings")):
        window.tabs.setCurrentIndex(index)
        shot(f"{index + 1}-{name}")
    sections = ("criteria", "cases", "breakdowns", "learning", "agreement", "actions")
    for index, name in enumerate(sections, start=1):
        window.tabs.setCurrentIndex(3)
        window.findings_page.sections.setCurrentIndex(index)
        shot(f"4{index}-findings-{name}")
    shoot_comparison(window, folder)
    window.tabs.setCurrentIndex(1)
    shoot_draw_dialog(window, folder)
    shoot_import_wizard(window, work / "extract.xlsx", folder)
    shoot_passphrase_dialog(window, folder)
    shoot_release_check(window, folder)
    shoot_retention_dialog(window, folder)
    shoot_closed_and_purged(window, folder)
    shoot_high_contrast(window, folder)
    window.close()
    db.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
