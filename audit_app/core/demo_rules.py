"""What keeps the demo audit true to its own extract: answers that fit the extract's facts,
learning that follows the shortfalls found, and praise only for what the file shows.

`fit_to_extract` moves an answer the extract contradicts to the nearest one it allows (the
demo draws answers at random first). `demo_problems` is the independent check the tests
run over every demo review; it states the same rules the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from audit_app.core.answers import Answer
from audit_app.core.consistency import outcome_15_without_support, outcome_16_with_support

MET, PARTLY, NOT_MET = Answer.MET, Answer.PARTLY_MET, Answer.NOT_MET
NOT_EVIDENCED, NA = Answer.NOT_EVIDENCED, Answer.NOT_APPLICABLE
SHORTFALLS = frozenset({PARTLY, NOT_MET, NOT_EVIDENCED})
SUPERVISION = "supervision-of-nfa"
NO_SUSPECT_OUTCOMES = (14, 18)

# One learning point per theme, in the words a panel would write it.
LEARNING: dict[str, str] = {
    "supervision-of-nfa": "Supervisors should set an investigation plan, review it, and endorse "
                          "NFA with their own rationale on the evidence, not only the victim's "
                          "wishes.",
    "evidence-gathering": "Secure the 999 recording, photographs and body-worn video early, "
                          "whatever the victim decides.",
    "evidence-led-prosecution": "Assess and record whether the case could go ahead without the "
                                "victim before closing it.",
    "risk-assessment": "Complete the DASH face to face, check the grading against the answers "
                       "and reassess the risk at closure.",
    "safeguarding-referrals": "Make and record the safeguarding referrals the risk calls for "
                              "(MARAC, IDVA, children's services).",
    "repeat-victims-serial-perpetrators": "Check the history of the victim, suspect and address "
                                          "and act on repeat victimisation.",
    "positive-action": "Arrest where there are grounds, or record why not and what was done "
                       "instead.",
    "withdrawal-engagement": "Record when and why the victim withdrew, and whether pressure was "
                             "explored.",
    "victim-contact": "Keep the victim updated and tell them of the decision, the reasons and "
                      "their right to review.",
    "outcome-coding": "Check the outcome code against the victim's recorded position before "
                      "finalising.",
    "cps-liaison": "Consider early investigative advice and record why it was not sought.",
    "record-keeping": "Record the first account, the victim's details and the decision's "
                      "rationale on the file.",
    "timeliness": "Complete enquiries without avoidable delay and pass the footage to the "
                  "investigator before the first review.",
}


def _told_in_time(fields: Mapping[str, Any]) -> bool | None:
    """True within a day of finalising, False later, None: no record the victim was told."""
    told, finalised = fields.get("nfa_notification_date"), fields.get("date_finalised")
    if not isinstance(told, dt.date):
        return None
    return not isinstance(finalised, dt.date) or (told - finalised).days <= 1


@dataclass(frozen=True)
class Praise:
    """A piece of good practice: the criterion it praises and what the extract must show."""

    criterion: str
    text: str
    shown_by: Callable[[Mapping[str, Any]], bool]


GOOD_PRACTICE: tuple[Praise, ...] = (
    Praise("3.2", "Thorough DASH with a clear MARAC referral the same day.",
           lambda f: bool(f.get("marac_referral"))),
    Praise("6.1", "Victim told of the decision promptly, with the reasons and support contacts.",
           lambda f: _told_in_time(f) is True),
    Praise("3.4", "Prompt referral to the IDVA service, with the victim's consent recorded.",
           lambda f: bool(f.get("idva_referral"))),
    Praise("1.2", "Body-worn video from arrival captured the first account and the scene.",
           lambda f: bool(f.get("bwv_present"))),
    Praise("5.3", "The supervisor's rationale weighs the evidence available without the victim.",
           lambda f: True),
    Praise("2.1", "The 999 recording was secured on the day and referenced on the file.",
           lambda f: True),
)
PRAISE_BY_TEXT = {praise.text: praise for praise in GOOD_PRACTICE}


def outcome_contradicts(fields: Mapping[str, Any]) -> bool:
    """The outcome code says something the extract does not: 15 without the victim's
    support, 16 with it, or a no-suspect outcome with a suspect named."""
    outcome, support = fields.get("outcome_code"), fields.get("victim_supports")
    return (outcome_15_without_support(outcome, support)
            or outcome_16_with_support(outcome, support)
            or (outcome in NO_SUSPECT_OUTCOMES and bool(fields.get("suspect_name"))))


Rule = tuple[frozenset[Answer], Answer]  # answers the extract rules out, and the fit one


def _rule(code: str, f: Mapping[str, Any]) -> Rule | None:
    rules: dict[str, Callable[[], Rule]] = {
        # A referral on file is never "not met"; none is never praised as made.
        "3.2": lambda: ((frozenset({NOT_MET, NA}), PARTLY) if f.get("marac_referral") else
                        (frozenset({MET, PARTLY}),
                         NOT_MET if f.get("risk_level") == "high" else NA)),
        "3.3": lambda: ((frozenset({NOT_MET, NA}), MET) if f.get("children_referral")
                        else (frozenset({MET, PARTLY}), NA)),
        "3.4": lambda: ((frozenset({NOT_MET}), MET) if f.get("idva_referral")
                        else (frozenset({MET}), PARTLY)),
        "1.2": lambda: ((frozenset({NOT_MET, NA}), PARTLY) if f.get("bwv_present")
                        else (frozenset({MET, PARTLY}), NOT_MET)),
        "1.8": lambda: ((frozenset({NA}), MET) if f.get("bwv_present")
                        else (frozenset({MET, NOT_MET}), NA)),
        "3.7": lambda: (frozenset({NOT_MET, NA}), MET) if f.get("dvpn") else (frozenset(), MET),
        "5.4": lambda: ((frozenset({MET}), NOT_MET) if outcome_contradicts(f)
                        else (frozenset({NOT_MET}), MET)),
        "6.1": lambda: {None: (frozenset({MET, PARTLY}), NOT_MET),
                        False: (frozenset({MET, NOT_MET}), PARTLY),
                        True: (frozenset({NOT_MET}), MET)}[_told_in_time(f)],
    }
    found = rules.get(code)
    return found() if found else None


def fit_to_extract(code: str, answer: Answer, fields: Mapping[str, Any]) -> Answer:
    """The answer, unless the extract rules it out: then the answer the extract shows."""
    rule = _rule(code, fields)
    return rule[1] if rule is not None and answer in rule[0] else answer


def learning_for(answers: Mapping[str, Answer], theme_of: Mapping[str, str], pick: int
                 ) -> tuple[str, tuple[str, ...]]:
    """The learning text for these answers and the themes it is tagged with: one theme
    the answers fell short on (`pick` chooses which), and supervision too where a
    supervision criterion was not met. ("", ()) when nothing fell short."""
    ordered = sorted((code for code, answer in answers.items()
                      if answer in SHORTFALLS and theme_of.get(code) in LEARNING),
                     key=lambda code: answers[code] is not NOT_MET)  # not met first, stable
    themes = list(dict.fromkeys(theme_of[code] for code in ordered))
    if not themes:
        return "", ()
    chosen = [themes[pick % len(themes)]]
    if SUPERVISION in _not_met_themes(answers, theme_of) and SUPERVISION not in chosen:
        chosen.insert(0, SUPERVISION)
    return " ".join(LEARNING[theme] for theme in chosen), tuple(chosen)


def _not_met_themes(answers: Mapping[str, Answer], theme_of: Mapping[str, str]) -> set[str]:
    return {theme_of[code] for code, answer in answers.items()
            if answer is NOT_MET and code in theme_of}


def good_practice_for(answers: Mapping[str, Answer], fields: Mapping[str, Any], pick: int
                      ) -> Praise | None:
    """Praise for a criterion met in these answers whose fact the extract shows, if any."""
    fitting = [praise for praise in GOOD_PRACTICE
               if answers.get(praise.criterion) is MET and praise.shown_by(fields)]
    return fitting[pick % len(fitting)] if fitting else None


def demo_problems(fields: Mapping[str, Any], answers: Mapping[str, Answer], learning: str,
                  good_practice: str, theme_of: Mapping[str, str],
                  tags: Mapping[str, Iterable[str]] | None = None) -> list[str]:
    """Every way one review contradicts its case's extract or its own answers (empty: none).
    `tags` maps 'learning' and 'good_practice' to the theme keys the review carries."""
    problems = []
    for code, answer in answers.items():
        rule = _rule(code, fields)
        if rule is not None and answer in rule[0]:
            problems.append(f"criterion {code} answered {answer.value} against the extract")
    short = {theme_of[c] for c, a in answers.items() if a in SHORTFALLS and c in theme_of}
    said = [theme for theme, text in LEARNING.items() if text in learning]
    if learning and not said:
        problems.append("learning text not from the demo's learning")
    problems += [f"learning on {theme} without a shortfall there" for theme in said
                 if theme not in short]
    if learning and SUPERVISION in _not_met_themes(answers, theme_of) and SUPERVISION not in said:
        problems.append("supervision not met but no supervision learning")
    praise = PRAISE_BY_TEXT.get(good_practice) if good_practice else None
    if good_practice and (praise is None or answers.get(praise.criterion) is not MET
                          or not praise.shown_by(fields)):
        problems.append("good practice the answers or the extract do not show")
    if tags is not None:
        if set(tags.get("learning", ())) != set(said):
            problems.append("learning tags differ from the learning text")
        wanted = {theme_of[praise.criterion]} if praise else set()
        if set(tags.get("good_practice", ())) != wanted:
            problems.append("good practice tags differ from the good practice")
    return problems
