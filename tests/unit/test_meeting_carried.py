"""A case whose question is unanswered is carried onto the next audit's meeting agenda,
marked with the audit it came from, until its request is settled."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from audit_app.cli.meeting import show_meeting
from audit_app.cli.output import Output
from audit_app.core.errors import UserError
from audit_app.services import information_requests, meeting_carried, meetings
from audit_app.services.database import Database, open_database
from tests.helpers.audits import build_audit
from tests.helpers.cli import run_cli, run_json


def test_a_carried_case_heads_the_next_audits_agenda_until_settled(db: Database) -> None:
    earlier = build_audit(db, cases=3)
    request = information_requests.add_request(
        db, audit_id=earlier.audit_id, case_reference=earlier.references[1],
        question="Was the MARAC referral made?", answerer_role="MARAC coordinator")
    later = build_audit(db, cases=3)
    meeting = meetings.create_meeting(db, audit_id=later.audit_id, chair="Chair")
    detail = meetings.get_meeting(db, meeting_id=meeting.meeting_id)
    [carried] = detail.carried
    assert (carried.request_id, carried.case_reference) == (request, earlier.references[1])
    assert carried.audit_id == earlier.audit_id and carried.question.startswith("Was the")
    assert len(detail.agenda) == 3, "the sample's own cases still follow"
    earlier_meeting = meetings.create_meeting(db, audit_id=earlier.audit_id)
    assert meetings.get_meeting(db, meeting_id=earlier_meeting.meeting_id).carried == (), \
        "an audit's own requests are not carried onto itself"

    information_requests.settle_request(db, request_id=request, answer="Yes, on 3 March")
    assert meetings.get_meeting(db, meeting_id=meeting.meeting_id).carried == ()


def test_meeting_show_lists_the_carried_case_before_the_agenda(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "carried.sqlite3"
    db = open_database(path)
    earlier = build_audit(db, cases=2)
    request = information_requests.add_request(
        db, audit_id=earlier.audit_id, case_reference=earlier.references[0],
        question="Was the MARAC referral made?", answerer_role="MARAC coordinator")
    later = build_audit(db, cases=2)
    meeting = meetings.create_meeting(db, audit_id=later.audit_id)
    db.close()
    code, out, _err = run_cli(capsys, "--db", str(path), "meeting", "show", "--meeting",
                              str(meeting.meeting_id))
    assert code == 0
    carried = out.index("Carried in, the first pages of the agenda:")
    assert carried < out.index("Agenda:")
    assert (f"Case {earlier.references[0]}, carried from DA NFA review Q3: Was the MARAC "
            f"referral made? – to be answered by MARAC coordinator (request {request})") in out
    shown = run_json(capsys, "--db", str(path), "meeting", "show", "--meeting",
                     str(meeting.meeting_id))
    assert [c["request_id"] for c in shown["carried"]] == [request]


def test_a_case_carried_by_a_meeting_leads_the_next_meeting_and_the_next_audit(
        db: Database) -> None:
    audit = build_audit(db, cases=3)
    first = meetings.create_meeting(db, audit_id=audit.audit_id, held_on=dt.date(2026, 11, 2))
    meeting_carried.carry_case(db, meeting_id=first.meeting_id, case_id=audit.case_ids[1],
                               question="Was the victim told?", answerer_role="Case officer",
                               answerer_agency="Police")
    second = meetings.create_meeting(db, audit_id=audit.audit_id, held_on=dt.date(2026, 11, 9))
    pages = meetings.get_meeting(db, meeting_id=second.meeting_id).pages
    assert [page.case_id for page in pages] == [audit.case_ids[1], audit.case_ids[0],
                                                audit.case_ids[2]]
    carried = pages[0].carried
    assert carried is not None and pages[0].scored_here
    assert (carried.question, carried.answerer, carried.carried_on) == (
        "Was the victim told?", "Case officer, Police", dt.date(2026, 11, 2))
    shown = meetings.get_meeting(db, meeting_id=second.meeting_id)
    printed = io.StringIO()
    show_meeting(shown, Output(as_json=False, stdout=printed))
    assert (f"Case {audit.references[1]}, carried from the meeting on 02 November 2026: Was "
            "the victim told? – to be answered by Case officer, Police") in printed.getvalue()
    assert meetings.get_meeting(db, meeting_id=first.meeting_id).pages[0].carried is None, \
        "a meeting's own carry does not reorder its own agenda"
    next_audit = build_audit(db, cases=2)
    [request] = information_requests.carried_cases(db, audit_id=next_audit.audit_id)
    assert request.case_reference == audit.references[1], "the question reaches the next audit"

    meetings.set_agenda_status(db, meeting_id=second.meeting_id, case_id=audit.case_ids[1],
                               status="discussed")
    third = meetings.create_meeting(db, audit_id=audit.audit_id, held_on=dt.date(2026, 11, 16))
    assert all(page.carried is None
               for page in meetings.get_meeting(db, meeting_id=third.meeting_id).pages)


def test_an_earlier_audits_question_carried_again_stays_open(db: Database) -> None:
    earlier = build_audit(db, cases=2)
    request = information_requests.add_request(
        db, audit_id=earlier.audit_id, case_reference=earlier.references[0],
        question="Was the MARAC referral made?")
    later = build_audit(db, cases=2)
    meeting = meetings.create_meeting(db, audit_id=later.audit_id)
    meeting_carried.carry_again(db, meeting_id=meeting.meeting_id, request_id=request,
                                note="Chased by the chair")
    [page, *_rest] = meetings.get_meeting(db, meeting_id=meeting.meeting_id).pages
    assert page.carried is not None and not page.scored_here
    assert page.carried.standing == "Carried again to the next meeting: Chased by the chair"
    information_requests.settle_request(db, request_id=request, answer="Yes")
    with pytest.raises(UserError, match="already settled"):
        meeting_carried.carry_again(db, meeting_id=meeting.meeting_id, request_id=request)
