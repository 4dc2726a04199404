"""The answer scale every criterion is scored on, and the panel's verdicts on a case."""

from __future__ import annotations

from enum import StrEnum


class Answer(StrEnum):
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    NOT_APPLICABLE = "na"
    NOT_EVIDENCED = "not_evidenced"
    # The file pack sent to the panel does not hold the document the criterion needs:
    # a data-availability gap, unlike "not evidenced" (it should be on file and is not).
    NOT_IN_FILE = "not_in_file"

    @property
    def label(self) -> str:
        return ANSWER_LABELS[self]

    @property
    def shortcut(self) -> str:
        return ANSWER_SHORTCUTS[self]

    @property
    def counts_in_denominator(self) -> bool:
        """N/A and "not in the file pack" leave the denominator; "not evidenced on file"
        counts as not met."""
        return self not in (Answer.NOT_APPLICABLE, Answer.NOT_IN_FILE)

    @classmethod
    def parse(cls, text: str) -> Answer:
        """Accept a value, a label or a shortcut key, any case."""
        answer = _ANSWERS_BY_WORD.get(text.strip().lower())
        if answer is None:
            raise ValueError(f"'{text}' is not an answer on the scale "
                             f"({', '.join(a.label for a in cls)})")
        return answer


ANSWER_LABELS: dict[Answer, str] = {
    Answer.MET: "Met",
    Answer.PARTLY_MET: "Partly met",
    Answer.NOT_MET: "Not met",
    Answer.NOT_APPLICABLE: "N/A",
    Answer.NOT_EVIDENCED: "Not evidenced on file",
    Answer.NOT_IN_FILE: "Not in the file pack",
}

# The scale of a framework that names none (every framework before version 3's file packs).
CLASSIC_SCALE: tuple[Answer, ...] = (Answer.MET, Answer.PARTLY_MET, Answer.NOT_MET,
                                     Answer.NOT_APPLICABLE, Answer.NOT_EVIDENCED)

# Single keys on the review screen: 1-6 in scale order.
ANSWER_SHORTCUTS: dict[Answer, str] = {
    Answer.MET: "1",
    Answer.PARTLY_MET: "2",
    Answer.NOT_MET: "3",
    Answer.NOT_APPLICABLE: "4",
    Answer.NOT_EVIDENCED: "5",
    Answer.NOT_IN_FILE: "6",
}


class Verdict(StrEnum):
    APPROPRIATE = "appropriate"
    APPROPRIATE_WITH_OBSERVATIONS = "appropriate_with_observations"
    INAPPROPRIATE = "inappropriate"
    UNABLE_TO_AGREE = "unable_to_agree"
    MORE_INFORMATION = "more_information"

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Verdict:
        key = text.strip().lower()
        for verdict in cls:
            if key in (verdict.value, verdict.label.lower()):
                return verdict
        raise ValueError(f"'{text}' is not a verdict ({', '.join(v.label for v in cls)})")


VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.APPROPRIATE: "Appropriate",
    Verdict.APPROPRIATE_WITH_OBSERVATIONS: "Appropriate with observations",
    Verdict.INAPPROPRIATE: "Inappropriate",
    Verdict.UNABLE_TO_AGREE: "Panel unable to agree",
    Verdict.MORE_INFORMATION: "More information needed (carry to next meeting)",
}


class ReviewStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"

    @property
    def label(self) -> str:
        return {"not_started": "Not started", "in_progress": "In progress",
                "complete": "Complete"}[self.value]


class ReviewKind(StrEnum):
    """A member's own scoring of a case, or the panel's agreed (consensus) review."""

    MEMBER = "member"
    CONSENSUS = "consensus"

    @property
    def label(self) -> str:
        return {"member": "Member's review", "consensus": "Panel's agreed review"}[self.value]


# A review's details as a panel member knows them (change log, merge conflicts, command line).
REVIEW_DETAIL_LABELS: dict[str, str] = {
    "learning_points": "Learning points", "good_practice": "Good practice",
    "feedback": "Feedback", "urgent_safeguarding": "Urgent safeguarding", "verdict": "Verdict",
    "status": "Status", "rationale": "Rationale", "withdrawal_stage": "Withdrawal stage",
    "withdrawal_reason": "Withdrawal reason"}


def stored_value_label(value: object) -> str:
    """A stored code ('partly_met', 'in_progress', True) as the label people know; any
    other value as it is."""
    text = "" if value is None else str(value)
    for kind in (Answer, Verdict, ReviewStatus):
        try:
            return str(kind(text).label)
        except ValueError:
            continue
    return {"True": "Yes", "False": "No"}.get(text, text)


def _answers_by_word() -> dict[str, Answer]:
    """Every word `Answer.parse` takes, in lower case: a value, a label or a shortcut key,
    then the aliases (a dictionary: a framework's criteria are parsed by the hundred)."""
    words: dict[str, Answer] = {}
    for answer in Answer:
        for word in (answer.value, ANSWER_LABELS[answer], ANSWER_SHORTCUTS[answer]):
            words.setdefault(word.lower(), answer)
    for word, answer in (("n/a", Answer.NOT_APPLICABLE), ("partly", Answer.PARTLY_MET),
                         ("partial", Answer.PARTLY_MET), ("partially met", Answer.PARTLY_MET),
                         ("not evidenced", Answer.NOT_EVIDENCED),
                         ("not in file", Answer.NOT_IN_FILE),
                         ("not in file pack", Answer.NOT_IN_FILE)):
        words.setdefault(word, answer)
    return words


_ANSWERS_BY_WORD = _answers_by_word()
