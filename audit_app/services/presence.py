"""Who else has an audit open: a heartbeat per user and computer, read by the others.

On a shared server several panel members may work on one audit at once. Each open window
refreshes its row every minute; anyone seen within the last few minutes is shown as
working on the audit. Nothing here locks anything: optimistic version checks on reviews
stop one person silently overwriting another.
"""

from __future__ import annotations

import datetime as dt
import socket
from dataclasses import dataclass

from sqlalchemy import delete, select

from audit_app.db.base import utcnow
from audit_app.db.models import PresenceRecord
from audit_app.services.database import Database

ACTIVE_WITHIN = dt.timedelta(minutes=3)


@dataclass(frozen=True)
class PresenceRow:
    user: str
    host: str
    seen_at: dt.datetime


def this_host() -> str:
    return socket.gethostname() or "this computer"


def heartbeat(db: Database, *, audit_id: int, user: str, host: str | None = None) -> None:
    """Record that `user` has the audit open on `host` now."""
    host = host or this_host()
    with db.transaction() as session:
        row = session.scalar(select(PresenceRecord).where(
            PresenceRecord.audit_id == audit_id, PresenceRecord.user_name == user,
            PresenceRecord.host == host))
        if row is None:
            session.add(PresenceRecord(audit_id=audit_id, user_name=user, host=host))
        else:
            row.seen_at = utcnow()


def leave(db: Database, *, audit_id: int, user: str, host: str | None = None) -> None:
    host = host or this_host()
    with db.transaction() as session:
        session.execute(delete(PresenceRecord).where(
            PresenceRecord.audit_id == audit_id, PresenceRecord.user_name == user,
            PresenceRecord.host == host))


def others_working(db: Database, *, audit_id: int, user: str, host: str | None = None,
                   now: dt.datetime | None = None) -> list[PresenceRow]:
    """Everyone but this user on this computer seen on the audit within the last minutes."""
    host = host or this_host()
    since = (now or utcnow()) - ACTIVE_WITHIN
    with db.reading() as session:
        rows = session.scalars(select(PresenceRecord).where(
            PresenceRecord.audit_id == audit_id).order_by(PresenceRecord.user_name)).all()
    result = []
    for row in rows:
        seen = row.seen_at if row.seen_at.tzinfo else row.seen_at.replace(tzinfo=dt.UTC)
        if seen >= since and not (row.user_name == user and row.host == host):
            result.append(PresenceRow(row.user_name, row.host, seen))
    return result
