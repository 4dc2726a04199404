"""Hosts the review and moderation screen, created the first time the page is shown."""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from audit_app.services.database import Database

REVIEW_PAGE_MODULE = "audit_app.ui.review.review_page"


class ReviewHost(QWidget):
    """Builds `ReviewPage` lazily (it is the heaviest screen) and passes on audit and reviewer."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._audit_id: int | None = None
        self._reviewer = ""
        self.review_page: Any = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.notice = QLabel("")
        self.notice.setObjectName("hint")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.notice.setWordWrap(True)
        self._layout.addWidget(self.notice)

    def ensure_page(self) -> Any:
        """Create the review screen on first use; None if this build does not include it."""
        if self.review_page is not None:
            return self.review_page
        try:
            module = importlib.import_module(REVIEW_PAGE_MODULE)
        except ImportError:
            self.notice.setText("The review screen is not part of this build.")
            return None
        self.review_page = module.ReviewPage(self._db, self)
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

    def showEvent(self, event: Any) -> None:
        self.ensure_page()
        super().showEvent(event)
