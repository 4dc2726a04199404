"""The Sample page, which reads its audit in the background."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.ui.pages.sample_page import SamplePage


def sample_page(qtbot: QtBot, db: Database, audit_id: int) -> SamplePage:
    """A (hidden) Sample page with the audit's sample shown."""
    page = SamplePage(db)
    qtbot.addWidget(page)
    page.set_audit(audit_id)
    wait_for_sample(qtbot, page)
    return page


def wait_for_sample(qtbot: QtBot, page: SamplePage) -> None:
    """Wait until the newest read of the page's audit has arrived and is shown."""
    qtbot.waitUntil(lambda: not page.loading, timeout=20_000)
