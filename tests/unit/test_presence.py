"""Presence on a shared database: who else has the audit open."""

from __future__ import annotations

import datetime as dt

from audit_app.services import audits, presence
from audit_app.services.database import Database, open_database


def test_two_people_see_each_other_and_stale_entries_fade(db: Database) -> None:
    audit = audits.create_audit(db, name="Shared", framework="da-nfa-review")
    other = open_database(db.url)  # a second app on another laptop, same server
    try:
        presence.heartbeat(db, audit_id=audit.id, user="Ann", host="laptop-a")
        presence.heartbeat(other, audit_id=audit.id, user="Bea", host="laptop-b")
        seen_by_ann = presence.others_working(db, audit_id=audit.id, user="Ann", host="laptop-a")
        assert [p.user for p in seen_by_ann] == ["Bea"]
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
        assert presence.others_working(db, audit_id=audit.id, user="Ann", host="laptop-a",
                                       now=later) == []
        presence.leave(other, audit_id=audit.id, user="Bea", host="laptop-b")
        assert presence.others_working(db, audit_id=audit.id, user="Ann", host="laptop-a") == []
    finally:
        other.close()
