"""Waiting for the review page: cases are read, and completions saved, in the background."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from audit_app.ui.review.moderation_panel import ModerationPanel
from audit_app.ui.review.review_page import ReviewPage


def wait_for_case(qtbot: QtBot, page: ReviewPage) -> None:
    """Until the case asked for is on screen, its moderation tab read, and no completion
    is still being saved."""
    qtbot.waitUntil(lambda: page.loading is None and not page.completion.running
                    and not page.moderation.loading)


def wait_for_moderation(qtbot: QtBot, panel: ModerationPanel) -> None:
    """Until the moderation tab's background read has arrived."""
    qtbot.waitUntil(lambda: not panel.loading)
