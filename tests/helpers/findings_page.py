"""The Findings page, shown at a desktop size for one audit."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui.pages.findings_page import FindingsPage


def shown_page(qtbot: QtBot, db: Database, audit: AuditSummary | int) -> FindingsPage:
    """Takes the audit or its id, as the page tests hold one or the other."""
    page = FindingsPage(db)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.set_audit(audit if isinstance(audit, int) else audit.id)
    wait_for_findings(qtbot, page)
    return page


def wait_for_findings(qtbot: QtBot, page: FindingsPage) -> None:
    """The figures are worked out in the background: wait until the newest have arrived."""
    qtbot.waitUntil(lambda: page.findings is not None and not page.computing, timeout=20_000)
