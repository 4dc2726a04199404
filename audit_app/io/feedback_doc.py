"""A feedback letter to one supervisor or team: their cases' learning and good practice.

Written as a short letter from the panel, one file per addressee. The addressee's name is
the only name it carries; the cases are named by reference (a pseudonym by default).
"""

from __future__ import annotations

from pathlib import Path

from audit_app.core.panel_documents import EMPTY, FeedbackLetter
from audit_app.io.docx_common import (
    date_text,
    heading,
    new_document,
    para,
    save_document,
    table,
    title_block,
)


def write_feedback_letter(letter: FeedbackLetter, path: Path) -> Path:
    document = new_document(f"Feedback from the scrutiny panel: {letter.audit_name}")
    title_block(document, "Feedback from the scrutiny panel", [
        letter.panel_name, f"Audit: {letter.audit_name}",
        f"Meeting date: {date_text(letter.meeting_date)}"])
    whom = letter.addressee if letter.grouped_by == "supervisor" else f"{letter.addressee} team"
    para(document, whom, bold_lead="To: ")
    para(document, f"The panel reviewed {_cases(len(letter.cases))} finalised by "
                   f"{'you' if letter.grouped_by == 'supervisor' else 'your team'} in this "
                   "audit. This letter sets out what the panel found worth sharing: good "
                   "practice to keep, and learning to take forward. It is feedback for "
                   "development, not a complaint process.")
    if letter.pseudonymised:
        para(document, "Cases are named by the panel's pseudonym; the panel secretary can "
                       "tell you which case each one is.", muted=True, italic=True)
    heading(document, "Your cases")
    table(document, ("Case", "Panel's verdict"),
          [(case.reference, case.verdict) for case in letter.cases], (50, 120))
    noted = [case for case in letter.cases
             if case.good_practice or case.learning or case.feedback]
    pending = [case.reference for case in letter.cases if not case.agreed]
    if pending:
        para(document, "The panel has not yet agreed its learning and good practice for "
                       f"{', '.join(pending)}; a later letter will follow.", muted=True)
    if not noted and len(pending) < len(letter.cases):
        para(document, EMPTY["letter_cases"])
    for case in noted:
        heading(document, case.reference, 2)
        if case.good_practice:
            para(document, case.good_practice + _themes(case.good_practice_themes),
                 bold_lead="Good practice: ")
        if case.learning:
            para(document, case.learning + _themes(case.learning_themes),
                 bold_lead="Learning: ")
        if case.feedback:
            para(document, case.feedback, bold_lead="Feedback: ")
    para(document, "")
    para(document, "With thanks,")
    para(document, letter.panel_name)
    return save_document(document, path)


def _cases(count: int) -> str:
    return "1 case" if count == 1 else f"{count} cases"


def _themes(names: tuple[str, ...]) -> str:
    return f" (Themes: {', '.join(names)})" if names else ""
