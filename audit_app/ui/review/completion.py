"""Marking a case complete (Ctrl+Enter) in the background, for the review page.

`complete_review` fills automatic N/A answers, checks for gaps and commits; it runs as a
`ChangeOp`, which then announces `answers` and `verdicts` for the audit. A Ctrl+Enter
pressed while the case is still loading completes it once it is shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from audit_app.core.answers import ReviewStatus
from audit_app.core.audit_rows import ReviewView
from audit_app.core.errors import UserError, ValidationError
from audit_app.services import scoring
from audit_app.ui.errors import report_error
from audit_app.ui.operations import ChangeOp, Changes

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPushButton

    from audit_app.ui.review.review_page import ReviewPage

MARK_COMPLETE = "Mark complete"
COMPLETED = "Completed ✓"


def show_completion_state(button: QPushButton, status: ReviewStatus) -> None:
    """Mark complete is the highlighted button only while there is something to complete;
    on a complete case it says so, plainly styled (Ctrl+Enter still re-checks it)."""
    complete = status is ReviewStatus.COMPLETE
    button.setText(COMPLETED if complete else MARK_COMPLETE)
    button.setObjectName("" if complete else "primary")
    button.setToolTip("This case is complete. Changing an answer reopens it; Ctrl+Enter "
                      "checks it again." if complete else "Mark this case complete (Ctrl+Enter)")
    button.setAccessibleName("This case is complete" if complete else "Mark this case complete")
    button.setDefault(False)
    button.setAutoDefault(False)
    style = button.style()  # the object name picks the look: apply it now
    style.unpolish(button)
    style.polish(button)


class CaseCompletion:
    """The review page's mark-complete and what follows it."""

    def __init__(self, page: ReviewPage) -> None:
        self.page = page
        self.running = False  # a mark-complete is being saved in the background

    def request(self) -> None:
        page = self.page
        if (page.audit_id is None or page.case_id is None or not page.reviewer
                or page.read_only or self.running):
            return
        if page.loading is not None:  # Ctrl+Enter while the case loads: complete it once shown
            page.case_shown.connect(self._when_shown)
            return
        page._leave_case()
        self.running = True
        db, audit_id, case_id, reviewer = page.db, page.audit_id, page.case_id, page.reviewer
        ChangeOp(page, lambda _control: scoring.complete_review(
                     db, audit_id=audit_id, case_id=case_id, reviewer=reviewer),
                 Changes(audit_id=audit_id, answers=True, verdicts=True)
                 ).success(lambda view: self._completed(case_id, view)
                 ).failure(self._not_completed).run()

    def _when_shown(self, _case_id: int) -> None:
        self.page.case_shown.disconnect(self._when_shown)
        self.request()

    def _not_completed(self, error: BaseException) -> None:
        self.running = False
        page = self.page
        if isinstance(error, ValidationError):
            page.header.show_gaps([str(p) for p in error.problems])
            first = str(error.problems[0]).split(":")[0] if error.problems else ""
            if first in page.criteria.rows:
                page.criteria.focus_row(first)
            else:
                page.conclusion.focus_first()
        elif isinstance(error, UserError):
            page.header.show_message(str(error), error=True)
        else:
            report_error(page, error)

    def _completed(self, case_id: int, view: ReviewView) -> None:
        self.running = False
        page, model = self.page, self.page.case_model
        row = model.row_of(case_id)
        if row >= 0 and model.entries[row].status is not ReviewStatus.COMPLETE:
            model.update_entry(case_id, members_complete=model.entries[row].members_complete + 1)
        if case_id != page.case_id or page.loading is not None:
            model.update_entry(case_id, status=ReviewStatus.COMPLETE)
            return  # the reviewer moved on meanwhile: only the list shows it
        page.answers = {code: (a.value, a.note) for code, a in view.answers.items()}
        page._status_changed(ReviewStatus.COMPLETE)
        page.header.show_message("Case marked complete. Ctrl+Down opens the next case.")
