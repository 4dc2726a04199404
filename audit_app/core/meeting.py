"""The rules a panel meeting runs by: who scores, when answers show, and the spread.

Members score privately first. At the meeting, a case's answers stay hidden until every
member present who may score it has completed their review; a member who declared an
interest in the case does not score it, and a guest never scores. The spread then shows,
per criterion, how many of those members gave each answer, disagreements first.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from audit_app.core.answers import Answer


class AgendaStatus(StrEnum):
    """Stored as these words in `meeting_case.status`."""

    TO_DISCUSS = "to discuss"
    DISCUSSED = "discussed"
    CARRIED = "carried"

    @property
    def label(self) -> str:
        return {AgendaStatus.TO_DISCUSS: "To discuss", AgendaStatus.DISCUSSED: "Discussed",
                AgendaStatus.CARRIED: "Carried to next meeting"}[self]


def tidy(name: str) -> str:
    return " ".join(name.split())


def eligible_scorers(present: Iterable[str], declared: Collection[str]) -> list[str]:
    """Members present who may score the case: everyone present but those who declared an
    interest in it, in the order given, each once."""
    barred = {tidy(name) for name in declared}
    seen: list[str] = []
    for name in (tidy(n) for n in present):
        if name and name not in barred and name not in seen:
            seen.append(name)
    return seen


def still_to_score(present: Iterable[str], declared: Collection[str],
                   completed: Collection[str]) -> list[str]:
    """Eligible members present whose review of the case is not complete."""
    done = {tidy(name) for name in completed}
    return [name for name in eligible_scorers(present, declared) if name not in done]


def answers_may_show(present: Iterable[str], declared: Collection[str],
                     completed: Collection[str]) -> bool:
    """True once at least one member may score and every one of them has completed."""
    eligible = eligible_scorers(present, declared)
    return bool(eligible) and not still_to_score(eligible, (), completed)


@dataclass(frozen=True)
class CriterionSpread:
    code: str
    question: str
    counts: tuple[tuple[Answer, int], ...]  # each answer given, most given first
    by_member: tuple[tuple[str, Answer], ...]  # who gave what, by name
    agreed: Answer | None = None

    @property
    def scored(self) -> int:
        return sum(count for _answer, count in self.counts)

    @property
    def disagree(self) -> bool:
        return len(self.counts) > 1

    @property
    def awaiting_agreement(self) -> bool:
        return self.disagree and self.agreed is None

    def wording(self) -> str:
        """"Met 3, Not met 1", or "No answers" where nobody eligible answered."""
        return ", ".join(f"{answer.label} {count}" for answer, count in self.counts) or \
            "No answers"


def criterion_spread(code: str, question: str, answers: Mapping[str, Answer],
                     scorers: Collection[str], agreed: Answer | None = None) -> CriterionSpread:
    """The spread of `answers` (member -> answer) among `scorers` only: anyone absent or
    declared is left out even if they answered."""
    allowed = {tidy(name) for name in scorers}
    given = sorted((tidy(name), answer) for name, answer in answers.items()
                   if tidy(name) in allowed)
    order = list(Answer)
    counted = Counter(answer for _name, answer in given)
    counts = tuple(sorted(counted.items(), key=lambda item: (-item[1], order.index(item[0]))))
    return CriterionSpread(code, question, counts, tuple(given), agreed)


def spread_order(rows: Iterable[CriterionSpread]) -> list[CriterionSpread]:
    """Disagreements still to agree first, then those agreed, then the rest; the
    framework's order within each (as the moderation table orders them)."""
    def rank(row: CriterionSpread) -> int:
        if row.awaiting_agreement:
            return 0
        return 1 if row.disagree else 2

    return sorted(rows, key=rank)


def who_is_still_to_score(names: list[str]) -> str:
    """The plain line the meeting screen shows while answers are hidden."""
    if not names:
        return "Every member present has scored this case."
    if len(names) == 1:
        return f"Answers stay hidden until {names[0]} has scored this case."
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return f"Answers stay hidden until {listed} have scored this case."


@dataclass(frozen=True)
class CarriedIn:
    """Why an agenda page is carried into this meeting: an earlier audit's unanswered
    question, or a case of this audit that an earlier meeting carried on."""

    audit_id: int
    audit_name: str
    question: str
    answerer: str  # who was to answer it ("" when not recorded)
    request_id: int | None = None  # the request to settle, if one was recorded
    answer: str = ""
    settled_on: dt.date | None = None
    carried_on: dt.date | None = None  # the day this audit's earlier meeting carried it
    carried_again: str = ""  # the note when this meeting carried it on again

    @property
    def source(self) -> str:
        return (f"the meeting on {self.carried_on:%d %B %Y}" if self.carried_on
                else self.audit_name)

    @property
    def heading(self) -> str:
        question = self.question.strip()
        stop = "" if question.endswith((".", "?", "!")) else "."
        who = self.answerer or "not recorded"
        return f"Carried from {self.source}: {question}{stop} To be answered by: {who}."

    @property
    def standing(self) -> str:
        if self.settled_on is not None:
            return f"Settled on {self.settled_on:%d %B %Y}. The answer: {self.answer}"
        if self.carried_again:
            return f"Carried again to the next meeting: {self.carried_again}"
        return "Still waiting for the answer."


@dataclass(frozen=True)
class AgendaPage:
    """One agenda page after the start page: an earlier audit's carried case (discussed,
    settled or carried again, not scored here), or one of this audit's cases."""

    case_id: int | None  # None once an earlier audit's case data is deleted
    audit_id: int  # the audit the case belongs to
    reference: str
    status: AgendaStatus | None  # None for an earlier audit's case
    carried: CarriedIn | None = None

    @property
    def scored_here(self) -> bool:
        return self.status is not None

    def label(self, number: int) -> str:
        standing = (self.status.label if self.status is not None else
                    "Settled" if self.carried and self.carried.settled_on else "Carried in")
        carried = ", carried in" if self.carried and self.status is not None else ""
        return f"{number}. {self.reference or 'deleted case'} ({standing}{carried})"


def carried_by_meetings(earlier: Iterable[tuple[dt.date, Iterable[tuple[int, AgendaStatus, str]]]]
                        ) -> dict[int, tuple[dt.date, str]]:
    """Case id -> (day, reason) for the cases whose latest decision at the earlier meetings
    (oldest first) was to carry them: discussing a case later ends its carry."""
    carried: dict[int, tuple[dt.date, str]] = {}
    for held_on, rows in earlier:
        for case_id, status, reason in rows:
            if status is AgendaStatus.CARRIED:
                carried[case_id] = (held_on, reason)
            elif status is AgendaStatus.DISCUSSED:
                carried.pop(case_id, None)
    return carried


def agenda_order(from_earlier_audits: Sequence[AgendaPage], own: Sequence[AgendaPage]
                 ) -> tuple[AgendaPage, ...]:
    """Carried pages first (earlier audits', then this audit's), then this audit's cases in
    the agenda's order."""
    return (*from_earlier_audits, *(page for page in own if page.carried),
            *(page for page in own if not page.carried))
