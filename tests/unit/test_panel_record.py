"""The panel's record: escalations, carried requests, themes and the actions register."""

from __future__ import annotations

import datetime as dt

import pytest

from audit_app.core.errors import NotFoundError, UserError
from audit_app.services import escalations, information_requests, themes
from audit_app.services.actions import add_action, list_actions, update_action
from audit_app.services.audits import create_audit
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database
from audit_app.services.follow_up import get_follow_up_periods, set_follow_up_periods
from tests.helpers.audits import REVIEWERS, build_audit

TODAY = dt.date(2026, 11, 30)


def test_escalations_open_first_overdue_after_the_panels_period(db: Database) -> None:
    built = build_audit(db, cases=4)
    first = escalations.add_escalation(
        db, audit_id=built.audit_id, case_reference=built.references[1],
        reason="Children at the address not referred", sent_to_role="Duty inspector",
        sent_to_agency="Police", sent_on=dt.date(2026, 11, 20))
    second = escalations.add_escalation(
        db, audit_id=built.audit_id, case_reference=built.references[2],
        reason="Risk not reassessed", sent_on=dt.date(2026, 11, 28))
    escalations.respond_escalation(db, escalation_id=second, response="Reassessed: high",
                                   response_on=dt.date(2026, 11, 29))
    escalations.close_escalation(db, escalation_id=second, closed_on=dt.date(2026, 11, 29))
    rows = escalations.list_escalations(db, audit_id=built.audit_id, today=TODAY)
    assert [row.escalation_id for row in rows] == [first, second], "open first"
    assert rows[0].is_overdue(TODAY) and rows[0].standing(TODAY) == "Overdue"
    assert rows[0].sent_to == "Duty inspector, Police"
    assert rows[0].case_reference == built.references[1]
    assert rows[1].standing(TODAY) == "Closed" and rows[1].closed_by

    set_follow_up_periods(db, audit_id=built.audit_id, escalation_days=14)
    assert get_follow_up_periods(db, audit_id=built.audit_id).escalation_days == 14
    [row, _] = escalations.list_escalations(db, audit_id=built.audit_id, today=TODAY)
    assert not row.is_overdue(TODAY), "the panel's longer period: not yet overdue"
    logged = {c.field for c in list_changes(db, audit_id=built.audit_id)
              if c.entity == "escalation"}
    assert {"created", "response", "closed_on"} <= logged


def test_bad_escalations_change_nothing(db: Database) -> None:
    built = build_audit(db, cases=2)
    with pytest.raises(UserError, match="reason"):
        escalations.add_escalation(db, audit_id=built.audit_id,
                                   case_reference=built.references[0], reason="  ")
    with pytest.raises(NotFoundError):
        escalations.add_escalation(db, audit_id=built.audit_id, case_reference="NOPE/1",
                                   reason="x")
    with pytest.raises(NotFoundError):
        escalations.close_escalation(db, escalation_id=999)
    with pytest.raises(UserError):
        set_follow_up_periods(db, audit_id=built.audit_id, escalation_days=0)
    assert escalations.list_escalations(db, audit_id=built.audit_id) == ()


def test_unsettled_requests_carry_the_case_to_later_audits_of_the_framework(
        db: Database) -> None:
    built = build_audit(db, cases=3, framework_ref="da-nfa-review@2")
    request = information_requests.add_request(
        db, audit_id=built.audit_id, case_reference=built.references[0],
        question="Was the MARAC referral made?", answerer_role="MARAC coordinator",
        answerer_agency="Police")
    other_framework = create_audit(db, name="Evidence-led", framework="evidence-led-review")
    later = create_audit(db, name="DA NFA review Q4", framework="da-nfa-review")
    [carried] = information_requests.carried_cases(db, audit_id=later.id)
    assert (carried.request_id, carried.case_reference) == (request, built.references[0])
    assert carried.audit_name == "DA NFA review Q3"
    assert carried.answerer == "MARAC coordinator, Police"
    assert information_requests.carried_cases(db, audit_id=other_framework.id) == ()
    assert information_requests.carried_cases(db, audit_id=built.audit_id) == ()

    information_requests.settle_request(db, request_id=request, answer="Yes, on 3 March")
    assert information_requests.carried_cases(db, audit_id=later.id) == ()
    [own] = information_requests.list_requests(db, audit_id=built.audit_id)
    assert own.is_settled and own.answer == "Yes, on 3 March"
    with pytest.raises(UserError):
        information_requests.add_request(db, audit_id=built.audit_id,
                                         case_reference=built.references[0], question=" ")


def test_themes_tagged_counted_per_audit_and_across_and_good_practice_listed(
        db: Database) -> None:
    shipped = themes.list_themes()
    assert 10 <= len(shipped) <= 14
    assert {"supervision-of-nfa", "risk-assessment", "cps-liaison"} <= {t.key for t in shipped}
    built = build_audit(db, cases=4)
    for reviewer in REVIEWERS:
        themes.tag(db, audit_id=built.audit_id, case_reference=built.references[1],
                   theme_key="victim-contact", kind="learning", member=reviewer)
    themes.tag(db, audit_id=built.audit_id, case_reference=built.references[1],
               theme_key="evidence-gathering", kind="good practice", member=REVIEWERS[0])
    counts = {c.theme_key: c for c in themes.theme_counts(db, audit_id=built.audit_id)}
    assert counts["victim-contact"].learning == 1, "two members' tags of one case count once"
    assert counts["evidence-gathering"].good_practice == 1
    assert counts["risk-assessment"].total == 0
    names, trend = themes.theme_trend(db, audit_id=built.audit_id)
    assert names == ("DA NFA review Q3",)
    assert {t.theme_key: t.per_audit for t in trend}["victim-contact"] == (1,)
    [entry] = themes.good_practice_to_share(db, audit_id=built.audit_id)
    assert entry.themes == ("Evidence gathering",) and "BWV" in entry.text

    themes.tag(db, audit_id=built.audit_id, case_reference=built.references[1],
               theme_key="victim-contact", kind="learning", member=REVIEWERS[0], remove=True)
    themes.tag(db, audit_id=built.audit_id, case_reference=built.references[1],
               theme_key="victim-contact", kind="learning", member=REVIEWERS[1], remove=True)
    counts = {c.theme_key: c for c in themes.theme_counts(db, audit_id=built.audit_id)}
    assert counts["victim-contact"].learning == 0
    with pytest.raises(UserError, match="not a theme"):
        themes.tag(db, audit_id=built.audit_id, case_reference=built.references[1],
                   theme_key="astrology", kind="learning", member=REVIEWERS[0])
    with pytest.raises(NotFoundError, match="agreed"):
        themes.tag(db, audit_id=built.audit_id, case_reference=built.references[3],
                   theme_key="timeliness", kind="learning")


def test_actions_register_agency_response_and_brought_forward(db: Database) -> None:
    earlier = create_audit(db, name="Q2", framework="da-nfa-review")
    kept_open = add_action(db, audit_id=earlier.id, description="Brief supervisors",
                           agency="Police", owner="DI Jones", due_date=dt.date(2026, 10, 1),
                           theme_key="supervision-of-nfa")
    done = add_action(db, audit_id=earlier.id, description="Refresh DASH training")
    update_action(db, action_id=done, status="done", response="Delivered",
                  response_date=dt.date(2026, 9, 1))
    later = create_audit(db, name="Q3", framework="da-nfa-review")
    own = add_action(db, audit_id=later.id, description="Write to CPS", agency="CPS",
                     due_date=dt.date(2027, 1, 1), criterion_code="7.2")
    register = list_actions(db, audit_id=later.id, today=TODAY)
    assert [row.action_id for row in register] == [kept_open, own], "overdue first; done stays"
    carried = register[0]
    assert carried.brought_forward_from == "Q2" and carried.is_overdue(TODAY)
    assert (carried.agency, carried.theme_key) == ("Police", "supervision-of-nfa")
    assert register[1].brought_forward_from == "" and not register[1].is_overdue(TODAY)
    [answered] = [r for r in list_actions(db, audit_id=earlier.id, today=TODAY)
                  if r.action_id == done]
    assert answered.response_date == dt.date(2026, 9, 1)
    update_action(db, action_id=kept_open, status="done")
    assert [r.action_id for r in list_actions(db, audit_id=later.id)] == [own]
    with pytest.raises(UserError, match="not a theme"):
        add_action(db, audit_id=later.id, description="x", theme_key="astrology")


def test_an_action_without_a_due_date_falls_due_after_the_panels_period(db: Database) -> None:
    audit = create_audit(db, name="Q3", framework="da-nfa-review")
    add_action(db, audit_id=audit.id, description="Audit again")
    [row] = list_actions(db, audit_id=audit.id)
    assert row.follow_up_by is not None
    assert not row.is_overdue(row.follow_up_by)
    assert row.is_overdue(row.follow_up_by + dt.timedelta(days=1))
