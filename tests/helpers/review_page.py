"""The review page in tests: shown ready for keys, and waited on (cases are read, and
completions saved, in the background)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.ui.review.moderation_panel import ModerationPanel
from audit_app.ui.review.review_page import ReviewPage

# How long to wait for background reads and saves: pytest-qt's 5 s default ran out on a
# machine at a load of 7-10 (tests/ui/test_closed_audit_pages.py). Waiting longer costs
# nothing when they finish sooner.
BUSY_MACHINE = 30_000


def wait_for_case(qtbot: QtBot, page: ReviewPage) -> None:
    """Until the case list is read, the case asked for is on screen, its moderation and
    change log tabs read, and no completion is still being saved."""
    qtbot.waitUntil(lambda: not page.cases_loading and page.loading is None
                    and not page.completion.running
                    and not page.moderation.loading and not page.change_log.loading
                    and page.session.saved, timeout=BUSY_MACHINE)


def wait_for_saves(qtbot: QtBot, page: ReviewPage) -> None:
    """Until every key pressed so far has been saved (they land in order, off the GUI
    thread: ui/review/scoring_session.py)."""
    qtbot.waitUntil(lambda: page.session.saved, timeout=BUSY_MACHINE)


def wait_for_moderation(qtbot: QtBot, panel: ModerationPanel) -> None:
    """Until the moderation tab's background read has arrived."""
    qtbot.waitUntil(lambda: not panel.loading, timeout=BUSY_MACHINE)


REVIEWER = "Alex Morgan"  # the member who scores in the review page tests


def shown_review_page(qtbot: QtBot, db: Database, audit_id: int,
                      reviewer: str = REVIEWER) -> ReviewPage:
    """The review page at a laptop's size, active (keys reach it), with its first case shown."""
    page = ReviewPage(db)
    qtbot.addWidget(page)
    page.set_reviewer(reviewer)
    page.set_audit(audit_id)
    page.resize(1366, 768)
    with qtbot.waitActive(page):
        page.show()
        page.activateWindow()
    wait_for_case(qtbot, page)
    return page


def focused() -> QWidget:
    """The widget a key press goes to."""
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget
