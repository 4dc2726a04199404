"""Hosts the review and moderation screen, created the first time the page is shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from audit_app.services.database import Database
from audit_app.ui.operations import Changes, operation_signals

if TYPE_CHECKING:
    from audit_app.ui.review.review_page import ReviewPage


class ReviewHost(QWidget):
    """Builds `ReviewPage` lazily (it is the heaviest screen) and passes on audit and reviewer."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._audit_id: int | None = None
        self._reviewer = ""
        self.review_page: ReviewPage | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.notice = QLabel("")
        self.notice.setObjectName("hint")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.setWordWrap(True)
        self._layout.addWidget(self.notice)
        self._stale = False  # changed elsewhere while hidden: refresh when next shown
        operation_signals().changed.connect(self._changed)

    def ensure_page(self) -> ReviewPage:
        """Create the review screen on first use (imported then: the window opens faster)."""
        if self.review_page is not None:
            return self.review_page
        from audit_app.ui.review.review_page import ReviewPage

        self.review_page = ReviewPage(self._db, self)
        self.notice.hide()
        self._layout.addWidget(self.review_page)
        if self._reviewer:
            self.review_page.set_reviewer(self._reviewer)
        if self._audit_id is not None:
            self.review_page.set_audit(self._audit_id)
        return self.review_page

    def set_audit(self, audit_id: int | None) -> None:
        self._audit_id = audit_id
        if self.review_page is not None and audit_id is not None:
            self.review_page.set_audit(audit_id)

    def set_reviewer(self, name: str) -> None:
        self._reviewer = name
        if self.review_page is not None and name:
            self.review_page.set_reviewer(name)

    def _changed(self, changes: Changes, initiator: object) -> None:
        """Scores merged from a package or a sheet, or a conflict decided: show them. The
        page's own saves show as they happen; new cases come through set_audit."""
        page = self.review_page
        if (page is None or initiator in (page, page.session, page.moderation)
                or not changes.concerns(self._audit_id)
                or not (changes.answers or changes.verdicts)):
            return
        if self.isVisible():
            page.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        page = self.ensure_page()
        if self._stale:
            self._stale = False
            page.refresh()
        super().showEvent(event)
