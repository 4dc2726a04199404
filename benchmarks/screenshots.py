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
    window.close()
    db.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
