"""What the review page shows of its own edits: at once, then as they land.

The scoring session (`ui/review/scoring_session.py`) tells the page of each edit, or its
undo, as it is made (`answer_shown`, `detail_shown`) and queues its save on the serial
writer. The page shows it then, so scoring never waits for a commit. When a detail's save
lands, the review's status is taken from what was stored (once no other edit of that case
is still on its way); if a save fails, the page says why and reads the case back.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from audit_app.core.answers import Answer, ReviewStatus, Verdict
from audit_app.core.audit_rows import ReviewView
from audit_app.core.withdrawal import WithdrawalReason, WithdrawalStage

if TYPE_CHECKING:
    from audit_app.ui.review.review_page import ReviewPage


def shown_after_edit(review: ReviewView, status: ReviewStatus, field: str,
                     value: Any) -> ReviewView:
    """`review` as the screen shows it once `field` is `value`, before the save lands: as
    `scoring.set_case_details` will store it (an edit reopens a complete review, raising or
    lowering the urgent flag does not; a first edit starts one)."""
    if field == "withdrawal":
        stage, reason = value if value is not None else (None, None)
        shown = replace(review, withdrawal_stage=WithdrawalStage(stage) if stage else None,
                        withdrawal_reason=WithdrawalReason(reason) if reason else None)
    elif field == "verdict":
        shown = replace(review, verdict=Verdict(value) if value else None)
    else:
        shown = replace(review, **{field: value})
    if status is ReviewStatus.NOT_STARTED or (
            status is ReviewStatus.COMPLETE and field != "urgent_safeguarding"):
        status = ReviewStatus.IN_PROGRESS
    return replace(shown, status=status)


class EditsShown:
    """Connects the page's scoring session to what the page shows."""

    def __init__(self, page: ReviewPage) -> None:
        self.page = page
        session = page.session
        session.answer_shown.connect(self.answer_shown)
        session.detail_shown.connect(self.detail_shown)
        session.details_stored.connect(self.details_stored)
        session.failed.connect(self.not_saved)
        self._unsaved: str | None = None  # why a save failed, said again once read back
        page.case_shown.connect(self._read_back)

    def _elsewhere(self, case_id: int) -> bool:
        """An undo while a case loads, or of another case: show it where it happened."""
        page = self.page
        if page.loading is not None:  # read again, then show
            page._read_case(case_id) if case_id == page.loading else page.select_case(case_id)
            return True
        if case_id != page.case_id or page.review is None:
            page.select_case(case_id)
            return True
        return False

    def answer_shown(self, case_id: int, code: str, answer: Answer | None, note: str) -> None:
        page = self.page
        if self._elsewhere(case_id):
            return
        page.answers[code] = (answer, note)
        row = page.criteria.rows[code]
        if row.answer is not answer or row.note.text() != note:
            page.criteria.show_answer(code, answer, note)
        page._status_changed(ReviewStatus.IN_PROGRESS)
        page.header.resolve_gap(code, resolved=answer is not None and not row.note_missing)
        page.checks_line.answer_saved(code)  # its read waits for this save (operations)

    def detail_shown(self, case_id: int, field: str, value: object) -> None:
        page = self.page
        if self._elsewhere(case_id) or page.review is None:
            return
        row = page.case_model.row_of(case_id)
        status = page.case_model.entries[row].status if row >= 0 else page.review.status
        view = shown_after_edit(page.review, status, field, value)
        page.review = view
        page.conclusion.show_review(view)
        page.case_model.update_entry(case_id, urgent=view.urgent_safeguarding)
        page.header.resolve_gap("Verdict", resolved=view.verdict is not None)
        page.checks_line.verdict_saved()
        page._status_changed(view.status, urgent=view.urgent_safeguarding)

    def details_stored(self, case_id: int, view: ReviewView) -> None:
        """Saved: the status as stored, once no other edit of this case is on its way (the
        conclusion already shows the edit, and its boxes may hold newer typing)."""
        page = self.page
        if (case_id == page.case_id and page.loading is None and page.review is not None
                and not page.session.pending_for(case_id)):
            page.review = replace(page.review, status=view.status, version=view.version,
                                  review_id=view.review_id)
            page.case_model.update_entry(case_id, urgent=view.urgent_safeguarding)
            page._status_changed(view.status, urgent=view.urgent_safeguarding)

    def not_saved(self, case_id: int, message: str) -> None:
        """A save did not land: say why, and show the case as it is stored."""
        page = self.page
        page.header.show_message(message, error=True)
        if page.audit_id is not None and not page.read_only:
            page._apply_standing()  # closed from another laptop: say so everywhere at once
        if case_id == page.case_id and page.loading is None:
            self._unsaved = message
            page.key_hold.hold()  # keys wait for the stored answers, as when opening a case
            page._read_case(case_id)  # read after the writes queued before it (operations)

    def _read_back(self, _case_id: int) -> None:
        """Showing the case clears the header's message: the reason stays in view."""
        if self._unsaved is not None:
            self.page.header.show_message(self._unsaved, error=True)
            self._unsaved = None
