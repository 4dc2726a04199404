"""How the population table behaves on a large audit: counting, the first page, scrolling.

    python benchmarks/population_table.py [--cases 100000] [--db PATH]

Builds a demo audit of that size (unless --db names one already built), then prints
how long the table takes to show its first page, to fetch further pages as the user
scrolls, to sort by another column and to search. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def timed(label: str, action: object) -> object:
    start = time.perf_counter()
    result = action()  # type: ignore[operator]
    print(f"{label:<42} {1000 * (time.perf_counter() - start):8.1f} ms")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--db", help="an existing database whose first audit to use")
    args = parser.parse_args()

    from PySide6.QtCore import QModelIndex, Qt
    from PySide6.QtWidgets import QApplication

    from audit_app.services.audits import list_audits
    from audit_app.services.database import open_database
    from audit_app.services.demo import create_demo
    from audit_app.ui.pages.population_page import PopulationPage

    app = QApplication(sys.argv[:1])
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "large.sqlite3"
    db = open_database(path)
    if not list_audits(db):
        timed(f"build a demo audit of {args.cases:,} cases", lambda: create_demo(
            db, population=args.cases, sample_size=40))
    audit = list_audits(db)[0]
    print(f"audit: {audit.case_count:,} cases in {path}")

    page = PopulationPage(db)
    page.resize(1300, 700)
    page.show()
    model = page.model
    timed("open: count + first page", lambda: page.set_audit(audit.id))
    timed("paint the first screen", lambda: page.table.grab())
    timed("fetch one more page", lambda: model.fetchMore(QModelIndex()))
    for _ in range(18):
        model.fetchMore(QModelIndex())
    print(f"rows loaded after 20 pages: {model.loaded:,} of {model.total:,}")
    timed("fetch page 21 (deep offset)", lambda: model.fetchMore(QModelIndex()))
    timed("sort by outcome code (descending)", lambda: model.sort(7, Qt.SortOrder.DescendingOrder))
    timed("search 'North'", lambda: model.set_search("North"))
    print(f"matches for 'North': {model.total:,}")
    page.close()
    db.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
