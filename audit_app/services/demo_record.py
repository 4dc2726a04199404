"""The full demo: last quarter's audit and this quarter's, with the panel's record of both.

Last quarter: agreed verdicts, one "More information needed" with its question still
unanswered (so the case is carried into this quarter), an escalation answered and closed,
tagged learning, one action done and one still open (brought forward). Then the audit is
closed. This quarter: a meeting with attendance (present, apologies, a guest) and one
declaration of interest, agreed verdicts with one dissent, an escalation answered and one
still open and overdue, tagged learning, and open, overdue and due actions. Dates are
counted back from today, so "overdue" stays true whenever the demo is made.
"""

from __future__ import annotations

import datetime as dt

from audit_app.core.answers import Answer, ReviewKind, Verdict
from audit_app.core.meeting import AgendaStatus
from audit_app.core.statuses import ActionStatus
from audit_app.services import (
    actions,
    escalations,
    information_requests,
    meetings,
    moderation,
    scoring,
    themes,
)
from audit_app.services.audits import get_audit
from audit_app.services.cases import case_fields, require_case
from audit_app.services.database import Database
from audit_app.services.demo_audit import (
    COMPLETED_CASES,
    DEMO_AUDIT_NAME,
    REVIEWERS,
    SCORED_CASES,
    DemoAudit,
    Written,
    build_audit,
    demo_themes,
    demo_verdict,
    review_texts,
)
from audit_app.services.records import AuditSummary
from audit_app.services.retention import close_audit

LAST_QUARTER_NAME = "Demo: DA NFA review, last quarter (synthetic data)"
LAST_QUARTER_DESCRIPTION = ("Invented cases: last quarter's demo audit, closed, whose open "
                            "actions and unanswered question carry into this quarter's.")
CHAIR, MEMBER = REVIEWERS[0][0], REVIEWERS[1][0]
# Invented people who are not scoring members (words shared with nothing else in the demo).
APOLOGIES = ("Morwenna Tallis", "Member", "Probation Service")
GUEST = ("Idris Fenwick", "Observer", "Crown Prosecution Service")
POLICE = "Police: Public Protection"


def _days_ago(days: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=days)


def _fields(db: Database, audit_id: int, case_id: int) -> dict[str, object]:
    with db.reading() as session:
        return case_fields(require_case(session, audit_id, case_id))


def _tag(db: Database, written: Written) -> None:
    if written.learning_themes:
        themes.set_review_tags(db, review_id=written.review_id, kind="learning",
                               theme_keys=list(written.learning_themes), actor=CHAIR)
    if written.praise_themes:
        themes.set_review_tags(db, review_id=written.review_id, kind="good_practice",
                               theme_keys=list(written.praise_themes), actor=CHAIR)


def _agreed_cases(demo: DemoAudit) -> list[int]:
    """Cases both members completed, in sample order: the ones the panel agreed."""
    return [row.case.id for row in demo.sample[:min(COMPLETED_CASES)]]


def _agree(db: Database, demo: DemoAudit, case_id: int,
           verdict: Verdict | None = None) -> Verdict:
    """The chair records the panel's answers (the chair's where members differ), the verdict
    the agreed answers earn (or `verdict`), its learning and good practice, and tags them."""
    views = {name: scoring.get_review(db, audit_id=demo.audit_id, case_id=case_id,
                                      reviewer=name) for name in (CHAIR, MEMBER)}
    agreed: dict[str, tuple[Answer, str]] = {}
    for name in (MEMBER, CHAIR):  # the chair's answer wins where they differ
        for code, entry in views[name].answers.items():
            agreed[code] = (entry.value, entry.note)
    answers = {code: value for code, (value, _note) in agreed.items()}
    fields = _fields(db, demo.audit_id, case_id)
    moderation.reveal_case(db, audit_id=demo.audit_id, case_id=case_id, chair=CHAIR)
    scoring.record_answer_sets(db, audit_id=demo.audit_id, reviewer=CHAIR,
                               answers={case_id: agreed}, kind=ReviewKind.CONSENSUS)
    # The chair's verdict: the chair's answers won wherever members differed.
    chosen = verdict or views[CHAIR].verdict or demo_verdict(demo.framework, answers)
    praised_by_members = any(view.good_practice for view in views.values())
    texts, learned, praised = review_texts(answers, fields, chosen, case_id,
                                           case_id if praised_by_members else None,
                                           demo_themes(demo.framework.key))
    differ = {views[CHAIR].verdict, views[MEMBER].verdict} != {chosen}
    view = moderation.record_consensus_verdict(
        db, audit_id=demo.audit_id, case_id=case_id, chair=CHAIR, verdict=chosen,
        rationale="" if chosen is Verdict.APPROPRIATE and not differ else
        f"Agreed after discussion of the file: {chosen.label.lower()}.", **texts)
    assert view.review_id is not None
    _tag(db, Written(view.review_id, learned, praised))
    return chosen


def _reference(demo: DemoAudit, case_id: int) -> str:
    return next(row.case.reference for row in demo.sample if row.case.id == case_id)


def _escalate(db: Database, demo: DemoAudit, case_id: int, *, sent_days_ago: int,
              answered_days_ago: int | None = None) -> None:
    """An escalation sent that many days ago; answered (and closed) if `answered_days_ago`."""
    number = escalations.add_escalation(
        db, audit_id=demo.audit_id, case_reference=_reference(demo, case_id), actor=CHAIR,
        reason="The panel is concerned the victim may still be at risk: please check the "
               "current position and the safety plan.", sent_to_role="Detective Inspector",
        sent_to_agency=POLICE, sent_on=_days_ago(sent_days_ago))
    if answered_days_ago is not None:
        escalations.respond_escalation(
            db, escalation_id=number, response_on=_days_ago(answered_days_ago), actor=CHAIR,
            response="Victim contacted the same day; risk reassessed and a safety plan agreed.")
        escalations.close_escalation(db, escalation_id=number, actor=CHAIR,
                                     closed_on=_days_ago(max(0, answered_days_ago - 1)))


def _urgent_cases(db: Database, demo: DemoAudit) -> list[int]:
    """The case the chair marked urgent, and a second (high risk where there is one) the
    other member marks urgent now: the second escalation stays open."""
    first = next((row.case.id for row in demo.sample
                  if row.case.fields.get("risk_level") == "high"), demo.sample[0].case.id)
    scored = [row for row in demo.sample[:SCORED_CASES[1]] if row.case.id != first]
    second = next((row.case.id for row in scored if row.case.fields.get("risk_level") == "high"),
                  scored[0].case.id)
    scoring.set_case_details(db, audit_id=demo.audit_id, case_id=second, reviewer=MEMBER,
                             urgent_safeguarding=True)
    return [first, second]


def _last_quarter(db: Database, demo: DemoAudit) -> None:
    for written in demo.reviews.values():
        _tag(db, written)
    *agreed, unsettled = _agreed_cases(demo)
    for case_id in agreed:
        _agree(db, demo, case_id)
    _agree(db, demo, unsettled, Verdict.MORE_INFORMATION)
    information_requests.add_request(
        db, audit_id=demo.audit_id, case_reference=_reference(demo, unsettled), actor=CHAIR,
        question="Please send the supervisor's review notes and the record of the decision "
                 "to take no further action, which were not in the file pack.",
        answerer_role="Detective Inspector", answerer_agency=POLICE, asked_on=_days_ago(75))
    _escalate(db, demo, _urgent_cases(db, demo)[0], sent_days_ago=85, answered_days_ago=83)
    actions.add_action(
        db, audit_id=demo.audit_id, actor=CHAIR, status=ActionStatus.IN_PROGRESS,
        description="Brief supervisors to record their own rationale when they endorse no "
                    "further action in a domestic abuse case.",
        owner="Head of Public Protection", agency=POLICE, due_date=_days_ago(20),
        theme_key="supervision-of-nfa", criterion_code="5.3",
        response="Briefing given to two of the five teams; the rest by the end of next month.",
        response_date=_days_ago(30))
    actions.add_action(
        db, audit_id=demo.audit_id, actor=CHAIR, status=ActionStatus.DONE,
        description="Add the right to review leaflet to the letter telling victims of the "
                    "decision.", owner="Victim Care Manager", agency="Police: Victim Care Unit",
        due_date=_days_ago(50), theme_key="victim-contact", criterion_code="6.2",
        response="Leaflet added to the letter template.", response_date=_days_ago(55))
    close_audit(db, audit_id=demo.audit_id, actor=CHAIR)


def _meeting(db: Database, demo: DemoAudit) -> int:
    meeting = meetings.create_meeting(db, audit_id=demo.audit_id, chair=CHAIR, actor=CHAIR)
    people = [(CHAIR, "Chair", REVIEWERS[0][1], False, True),
              (MEMBER, "Member", REVIEWERS[1][1], False, True),
              (*APOLOGIES, False, False), (*GUEST, True, True)]
    for name, role, agency, guest, present in people:
        meetings.record_attendance(db, meeting_id=meeting.meeting_id, member=name, role=role,
                                   agency=agency, guest=guest, present=present, actor=CHAIR)
    unscored = demo.sample[SCORED_CASES[1]].case.id  # the member never scored it
    meetings.declare_interest(db, audit_id=demo.audit_id, case_id=unscored, member=MEMBER,
                              reason="Worked with the officer in the case in a previous role.",
                              meeting_id=meeting.meeting_id, actor=CHAIR)
    return meeting.meeting_id


def _this_quarter(db: Database, demo: DemoAudit) -> None:
    for written in demo.reviews.values():
        _tag(db, written)
    meeting_id = _meeting(db, demo)
    agreed = _agreed_cases(demo)
    verdicts = {case_id: _agree(db, demo, case_id) for case_id in agreed}
    for case_id in agreed:
        meetings.set_agenda_status(db, meeting_id=meeting_id, case_id=case_id,
                                   status=AgendaStatus.DISCUSSED, actor=CHAIR)
    _dissent(db, demo, verdicts)
    answered, still_open = _urgent_cases(db, demo)
    _escalate(db, demo, answered, sent_days_ago=16, answered_days_ago=13)
    _escalate(db, demo, still_open, sent_days_ago=10)
    for description, owner, agency, due, theme, code in (
            ("Remind response officers to secure the 999 recording on the day.",
             "Response Inspector", POLICE, _days_ago(6), "evidence-gathering", "2.1"),
            ("Audit a month of DASH gradings against the answers given.",
             "Risk Assessment Lead", POLICE, _days_ago(-21), "risk-assessment", "3.11"),
            ("Offer every victim an IDVA referral at first contact and record the answer.",
             "IDVA Service Manager", "IDVA service", None, "safeguarding-referrals", "3.4")):
        actions.add_action(db, audit_id=demo.audit_id, description=description, owner=owner,
                           agency=agency, due_date=due, theme_key=theme, criterion_code=code,
                           actor=CHAIR)


def _dissent(db: Database, demo: DemoAudit, verdicts: dict[int, Verdict]) -> None:
    """The other member dissents where the chair's answer was agreed over theirs: on the
    first agreed case where they differ, giving their own answer (true to their review)."""
    for case_id in verdicts:
        views = [scoring.get_review(db, audit_id=demo.audit_id, case_id=case_id, reviewer=name)
                 for name in (CHAIR, MEMBER)]
        chair, member = (view.answers for view in views)
        differ = next((code for code in member if code in chair
                       and member[code].value is not chair[code].value), None)
        if differ is not None:
            meetings.record_dissent(
                db, audit_id=demo.audit_id, case_id=case_id, member=MEMBER, actor=CHAIR,
                reason=f"Found criterion {differ} {member[differ].value.label.lower()}, not "
                       f"{chair[differ].value.label.lower()}, and would have recorded "
                       "observations on it.")
            return


def create_demo_with_history(db: Database, *, seed: int, population: int,
                             sample_size: int) -> AuditSummary:
    """Last quarter's audit (closed), then this quarter's, which is returned."""
    earlier = build_audit(db, name=LAST_QUARTER_NAME, seed=seed + 1, population=population,
                          sample_size=sample_size, description=LAST_QUARTER_DESCRIPTION,
                          first_number=population + 1)
    _last_quarter(db, earlier)
    current = build_audit(db, name=DEMO_AUDIT_NAME, seed=seed, population=population,
                          sample_size=sample_size)
    _this_quarter(db, current)
    return get_audit(db, current.audit_id)
