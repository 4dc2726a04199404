"""Asking before a scored case is replaced in the sample (Sample page > Replace case)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from audit_app.core.answers import ReviewStatus
from audit_app.services.scoring import ProgressRow


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def replacing_scored_case_text(reference: str, reviews: list[ProgressRow]) -> str | None:
    """What the question says, or None when the case has no scores to set aside."""
    scores = sum(review.answered for review in reviews)
    complete = sum(1 for review in reviews if review.status is ReviewStatus.COMPLETE)
    if not scores and not complete:
        return None
    members = len({review.reviewer for review in reviews if review.answered or
                   review.status is ReviewStatus.COMPLETE})
    done = (f", and {_plural(complete, 'review')} of it "
            f"{'is' if complete == 1 else 'are'} complete" if complete else "")
    return (f"{reference} already has {_plural(scores, 'answer')} from "
            f"{_plural(members, 'panel member')}{done}.\n\n"
            f"Replacing it sets {'that answer' if scores == 1 else 'those answers'} aside: "
            f"{'it is' if scores == 1 else 'they are'} kept in the record, with the reason for "
            f"the replacement, but no longer count{'s' if scores == 1 else ''} in the findings. "
            "The next case of its group takes its place.\n\n"
            "Replace it?")


def confirm_new_draw(parent: QWidget) -> bool:
    """Drawing again over a scored sample: True when the person says Yes."""
    answer = QMessageBox.warning(
        parent, "Replace the sample?",
        "Reviewers have already scored cases in the current sample.\n\n"
        "Drawing a new sample makes it the current one. The scores are kept but "
        "cases not in the new sample drop out of the findings.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes


def confirm_replacing(parent: QWidget, reference: str, reviews: list[ProgressRow]) -> bool:
    """True to go ahead: at once for an unscored case, else when the person says Replace."""
    text = replacing_scored_case_text(reference, reviews)
    if text is None:
        return True
    answer = QMessageBox.warning(parent, "Replace a scored case?", text,
                                 QMessageBox.StandardButton.Yes
                                 | QMessageBox.StandardButton.Cancel,
                                 QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Yes
