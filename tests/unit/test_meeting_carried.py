"""A case whose question is unanswered is carried onto the next audit's meeting agenda,
marked with the audit it came from, until its request is settled."""

from __future__ import annotations

from audit_app.services import information_requests, meetings
from audit_app.services.database import Database
from tests.helpers.audits import build_audit


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
