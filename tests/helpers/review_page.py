"""Waiting for the review page: cases are read, and completions saved, in the background."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from audit_app.ui.review.review_page import ReviewPage


def wait_for_case(qtbot: QtBot, page: ReviewPage) -> None:
    """Until the case asked for is on screen and no completion is still being saved."""
    qtbot.waitUntil(lambda: page.loading is None and not page.completion.running)
