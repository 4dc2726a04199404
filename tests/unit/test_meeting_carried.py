"""A case whose question is unanswered is carried onto the next audit's meeting agenda,
marked with the audit it came from, until its request is settled."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_app.services import information_requests, meetings
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
    carried = out.index("Carried from earlier audits, before the agenda:")
    assert carried < out.index("Agenda:")
    assert (f"Case {earlier.references[0]}, from DA NFA review Q3: Was the MARAC referral "
            f"made? (request {request}; answers: MARAC coordinator)") in out
    shown = run_json(capsys, "--db", str(path), "meeting", "show", "--meeting",
                     str(meeting.meeting_id))
    assert [c["request_id"] for c in shown["carried"]] == [request]
