"""Meetings on a real SQLite demo audit: agenda, attendance, declarations, dissent."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_app.core.answers import Answer, Verdict
from audit_app.core.errors import UserError, ValidationError
from audit_app.core.meeting import AgendaStatus
from audit_app.services import meeting_board, meetings, moderation, scoring
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database, open_database
from audit_app.services.sampling import get_sample
from tests.helpers.meetings import CHAIR, MEMBER, DemoMeeting, build_meeting


@pytest.fixture
def demo(sqlite_db: Database) -> DemoMeeting:
    return build_meeting(sqlite_db)


def test_the_agenda_is_the_sample_in_order_and_attendance_is_kept(
        sqlite_db: Database, demo: DemoMeeting) -> None:
    sample = [row.case.id for row in get_sample(sqlite_db, audit_id=demo.audit_id)
              if row.status != "replaced"]
    assert [row.case_id for row in demo.detail.agenda] == sample
    assert all(row.status is AgendaStatus.TO_DISCUSS for row in demo.detail.agenda)
    assert demo.detail.present_members == [CHAIR, MEMBER]  # the guest does not score
    meetings.record_attendance(sqlite_db, meeting_id=demo.meeting_id, member=MEMBER,
                               present=False)
    again = meetings.get_meeting(sqlite_db, meeting_id=demo.meeting_id)
    assert again.present_members == [CHAIR]
    assert [row.presence for row in again.attendance if row.member == MEMBER] == ["Apologies"]


def test_answers_are_hidden_until_every_member_present_has_scored(
        sqlite_db: Database, demo: DemoMeeting) -> None:
    # The demo: the chair completed cases 1-8, the member cases 1-5.
    shown = meeting_board.case_view(sqlite_db, meeting_id=demo.meeting_id, case_id=demo.case(1))
    assert shown.answers_shown and shown.spreads
    assert all(row.scored == 2 for row in shown.spreads)
    waiting = meeting_board.case_view(sqlite_db, meeting_id=demo.meeting_id,
                                      case_id=demo.case(7))
    assert not waiting.answers_shown and waiting.spreads == () and waiting.verdicts == ()
    assert waiting.still_to_score == (MEMBER,)
    assert waiting.waiting_line == f"Answers stay hidden until {MEMBER} has scored this case."


def test_a_declared_member_cannot_score_or_agree_and_the_record_says_so(
        sqlite_db: Database, demo: DemoMeeting) -> None:
    case_id = demo.case(7)
    meetings.declare_interest(sqlite_db, audit_id=demo.audit_id, case_id=case_id, member=MEMBER,
                              reason="Knows the family", meeting_id=demo.meeting_id)
    code = scoring.get_review(sqlite_db, audit_id=demo.audit_id,
                                              case_id=case_id, reviewer=CHAIR)
    first = next(iter(code.answers))
    with pytest.raises(UserError, match=f"{MEMBER} declared an interest in this case"):
        scoring.record_answer(sqlite_db, audit_id=demo.audit_id, case_id=case_id,
                              reviewer=MEMBER, criterion_code=first, value=Answer.MET)
    with pytest.raises(UserError, match="declared an interest"):
        scoring.complete_review(sqlite_db, audit_id=demo.audit_id, case_id=case_id,
                                reviewer=MEMBER)
    # The member is no longer waited for: the chair's answers now show, the member's do not.
    view = meeting_board.case_view(sqlite_db, meeting_id=demo.meeting_id, case_id=case_id)
    assert view.answers_shown and view.declared == ((MEMBER, "Knows the family"),)
    assert all(name != MEMBER for row in view.spreads for name, _answer in row.by_member)
    logged = [c for c in list_changes(sqlite_db, audit_id=demo.audit_id, case_id=case_id)
              if c.field == "interest declared"]
    assert [c.new_value for c in logged] == [MEMBER]
    assert "does not score this case" in logged[0].detail


def test_a_chair_who_declared_cannot_record_the_consensus(
        sqlite_db: Database, demo: DemoMeeting) -> None:
    case_id = demo.case(1)
    meetings.declare_interest(sqlite_db, audit_id=demo.audit_id, case_id=case_id, member=CHAIR,
                              reason="Line manager of the officer")
    view = meeting_board.case_view(sqlite_db, meeting_id=demo.meeting_id, case_id=case_id)
    with pytest.raises(UserError, match="declared an interest"):
        moderation.record_consensus(sqlite_db, audit_id=demo.audit_id, case_id=case_id,
                                    chair=CHAIR, criterion_code=view.spreads[0].code,
                                    value=Answer.MET, rationale="Agreed")
    assert not moderation.is_revealed(sqlite_db, audit_id=demo.audit_id, case_id=case_id)


def test_dissent_needs_the_agreed_verdict_and_is_read_back(
        sqlite_db: Database, demo: DemoMeeting, tmp_path: Path) -> None:
    case_id = demo.case(2)
    with pytest.raises(ValidationError, match="agreed verdict before"):
        meetings.record_dissent(sqlite_db, audit_id=demo.audit_id, case_id=case_id,
                                member=MEMBER, reason="Too lenient")
    moderation.record_consensus_verdict(sqlite_db, audit_id=demo.audit_id, case_id=case_id,
                                        chair=CHAIR, verdict=Verdict.INAPPROPRIATE,
                                        rationale="No safeguarding referral")
    meetings.record_dissent(sqlite_db, audit_id=demo.audit_id, case_id=case_id, member=MEMBER,
                            reason="The referral was made by phone")
    meetings.record_dissent(sqlite_db, audit_id=demo.audit_id, case_id=case_id,
                            member="Sol Varga", reason="Agrees with the member")
    fresh = open_database(sqlite_db.url)
    try:
        rows = meetings.list_dissents(fresh, audit_id=demo.audit_id, case_id=case_id)
    finally:
        fresh.close()
    assert [(row.member, row.reason) for row in rows] == [
        (MEMBER, "The referral was made by phone"), ("Sol Varga", "Agrees with the member")]


def test_carrying_a_case_needs_a_reason(sqlite_db: Database, demo: DemoMeeting) -> None:
    case_id = demo.case(3)
    with pytest.raises(ValidationError, match="Say why"):
        meetings.set_agenda_status(sqlite_db, meeting_id=demo.meeting_id, case_id=case_id,
                                   status=AgendaStatus.CARRIED)
    row = meetings.set_agenda_status(sqlite_db, meeting_id=demo.meeting_id, case_id=case_id,
                                     status=AgendaStatus.CARRIED,
                                     reason="Ask the OIC whether the IDVA was told")
    assert row.status is AgendaStatus.CARRIED
    again = meetings.get_meeting(sqlite_db, meeting_id=demo.meeting_id)
    assert again.agenda[2].carried_reason == "Ask the OIC whether the IDVA was told"


def test_personal_details_are_a_separate_read(sqlite_db: Database, demo: DemoMeeting) -> None:
    case_id = demo.case(1)
    view = meeting_board.case_view(sqlite_db, meeting_id=demo.meeting_id, case_id=case_id)
    labels = {label for label, _value in view.facts}
    assert not labels & {"Victim name", "Suspect name", "Officer in case"}
    personal = dict(meeting_board.personal_details(sqlite_db, audit_id=demo.audit_id,
                                                   case_id=case_id))
    assert personal.get("Victim name")
