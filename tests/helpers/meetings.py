"""A demo audit with a meeting: both demo members present, a guest, the sample as agenda."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from audit_app.services.database import Database
from audit_app.services.demo import REVIEWERS, create_demo
from audit_app.services.meetings import MeetingDetail, create_meeting, get_meeting, record_attendance

CHAIR, MEMBER = (name for name, _organisation in REVIEWERS)
HELD_ON = dt.date(2026, 11, 30)


@dataclass(frozen=True)
class DemoMeeting:
    audit_id: int
    meeting_id: int
    detail: MeetingDetail

    def case(self, position: int) -> int:
        return self.detail.agenda[position - 1].case_id


def build_meeting(db: Database, *, population: int = 300, sample_size: int = 12) -> DemoMeeting:
    audit = create_demo(db, seed=7, population=population, sample_size=sample_size)
    meeting = create_meeting(db, audit_id=audit.id, held_on=HELD_ON, chair=CHAIR, actor=CHAIR)
    record_attendance(db, meeting_id=meeting.meeting_id, member=CHAIR, role="Chair",
                      agency="Police", actor=CHAIR)
    record_attendance(db, meeting_id=meeting.meeting_id, member=MEMBER, role="Member",
                      agency="IDVA service", actor=CHAIR)
    record_attendance(db, meeting_id=meeting.meeting_id, member="Sol Varga", role="Observer",
                      agency="Probation", guest=True, actor=CHAIR)
    return DemoMeeting(audit.id, meeting.meeting_id, get_meeting(db, meeting_id=meeting.meeting_id))
