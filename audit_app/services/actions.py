"""Actions the panel agrees: add one, then track its agency, owner, due date, status and
the agency's response (panels publish these); list the register, open actions of earlier
audits of the same framework brought forward until closed, overdue ones flagged.

Deliberately NOT guarded by `audits.require_open_audit`: the action plan is followed up
after the audit closes (owners report back, actions are done or dropped), and on a
purged audit too, where actions no longer name cases. Only the audit's case data is final.
"""

from __future__ import annotations

import datetime as dt

from audit_app.core.audit_rows import ActionRow
from audit_app.core.errors import NotFoundError, UserError
from audit_app.core.panel_record import ordered_register
from audit_app.core.statuses import ActionStatus
from audit_app.core.themes import theme_names
from audit_app.db.audits import require_audit
from audit_app.db.cases import find_case_by_reference
from audit_app.db.change_log import log_change
from audit_app.db.frameworks import criterion_with_code
from audit_app.db.models import ActionRecord
from audit_app.db.panel_record import register_rows
from audit_app.io.theme_files import learning_themes
from audit_app.services.database import Database, current_actor

ACTION_STATUSES: tuple[ActionStatus, ...] = tuple(ActionStatus)
# Sentinel: "leave the due date as it is" (None means clear it).
KEEP = object()


def _check_status(status: str) -> ActionStatus:
    try:
        return ActionStatus(status)
    except ValueError:
        raise UserError(f"'{status}' is not an action status. "
                        f"Use one of: {', '.join(ACTION_STATUSES)}") from None


def _check_theme(theme_key: str) -> str:
    key = theme_key.strip().lower()
    if key and key not in theme_names(learning_themes()):
        raise UserError(f"'{theme_key}' is not a theme. See the list with: audit-app theme list")
    return key


def add_action(db: Database, *, audit_id: int, description: str, owner: str = "",
               due_date: dt.date | None = None, status: str = ActionStatus.OPEN, case_reference: str = "",
               criterion_code: str = "", actor: str | None = None, agency: str = "",
               theme_key: str = "", response: str = "",
               response_date: dt.date | None = None) -> int:
    """Record a new action; returns its id. Case, criterion and theme are optional links."""
    description = description.strip()
    if not description:
        raise UserError("An action needs a description of what is to be done")
    theme_key = _check_theme(theme_key)
    with db.transaction() as session:
        audit = require_audit(session, audit_id)
        case_id = (find_case_by_reference(session, audit_id, case_reference.strip()).id
                   if case_reference.strip() else None)
        criterion_id = None
        if criterion_code.strip():
            criterion_id = criterion_with_code(session, audit.framework_id, criterion_code.strip())
            if criterion_id is None:
                raise NotFoundError(f"No criterion '{criterion_code}' in this audit's framework")
        record = ActionRecord(audit_id=audit_id, case_id=case_id, criterion_id=criterion_id,
                              description=description, owner=owner.strip(), due_date=due_date,
                              status=_check_status(status), agency=agency.strip(),
                              theme_key=theme_key, response=response.strip(),
                              response_date=response_date)
        session.add(record)
        session.flush()
        log_change(session, actor=actor or current_actor(), audit_id=audit_id, entity="action",
                   entity_id=record.id, case_id=case_id, field="created", new=description)
        return record.id


def update_action(db: Database, *, action_id: int, description: str | None = None,
                  owner: str | None = None, due_date: dt.date | object | None = KEEP,
                  status: str | None = None, response: str | None = None,
                  actor: str | None = None, agency: str | None = None,
                  response_date: dt.date | object | None = KEEP,
                  theme_key: str | None = None) -> None:
    """Change any of an action's details; each change goes in the change log."""
    theme = _check_theme(theme_key) if theme_key is not None else None
    with db.transaction() as session:
        record = session.get(ActionRecord, action_id)
        if record is None:
            raise NotFoundError(f"No action with id {action_id}")
        if description is not None and not description.strip():
            raise UserError("An action needs a description of what is to be done")
        changes: dict[str, object] = {}
        if description is not None:
            changes["description"] = description.strip()
        if owner is not None:
            changes["owner"] = owner.strip()
        if due_date is not KEEP:
            changes["due_date"] = due_date
        if status is not None:
            changes["status"] = _check_status(status)
        if response is not None:
            changes["response"] = response.strip()
        if response_date is not KEEP:
            changes["response_date"] = response_date
        if agency is not None:
            changes["agency"] = agency.strip()
        if theme is not None:
            changes["theme_key"] = theme
        for name, value in changes.items():
            old = getattr(record, name)
            if old != value:
                setattr(record, name, value)
                log_change(session, actor=actor or current_actor(), audit_id=record.audit_id,
                           entity="action", entity_id=record.id, case_id=record.case_id,
                           field=name, old=old, new=value)


def list_actions(db: Database, *, audit_id: int, today: dt.date | None = None
                 ) -> tuple[ActionRow, ...]:
    """The audit's actions register: its own actions and the open ones brought forward
    from earlier audits of its framework; open first, overdue at the top."""
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        return ordered_register(register_rows(session, audit), today or dt.date.today())
