"""Panel actions: adding, editing, refusing bad input, and the change log."""

from __future__ import annotations

import datetime as dt

import pytest

from audit_app.core.errors import NotFoundError, UserError
from audit_app.services.actions import add_action, update_action
from audit_app.services.audits import create_audit
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database
from audit_app.services.findings import load_audit_data


def test_add_then_edit_an_action(db: Database) -> None:
    audit = create_audit(db, name="Q3", framework="da-nfa-review")
    action_id = add_action(db, audit_id=audit.id, description="  Brief supervisors on ELP ",
                           owner="DI Jones", due_date=dt.date(2026, 12, 1), criterion_code="1.1")
    [action] = load_audit_data(db, audit_id=audit.id).actions
    assert action.action_id == action_id
    assert action.description == "Brief supervisors on ELP"
    assert (action.owner, action.status) == ("DI Jones", "open")
    assert action.criterion_code == "1.1" and action.due_date == dt.date(2026, 12, 1)

    update_action(db, action_id=action_id, status="done", response="Briefed 3 Dec")
    [action] = load_audit_data(db, audit_id=audit.id).actions
    assert action.status == "done" and action.response == "Briefed 3 Dec"
    assert action.due_date == dt.date(2026, 12, 1), "an edit that leaves the date alone keeps it"

    update_action(db, action_id=action_id, due_date=None)
    [action] = load_audit_data(db, audit_id=audit.id).actions
    assert action.due_date is None
    fields = [c.field for c in list_changes(db, audit_id=audit.id) if c.entity == "action"]
    assert sorted(fields) == ["created", "due_date", "response", "status"]


def test_bad_actions_are_refused_and_nothing_stored(db: Database) -> None:
    audit = create_audit(db, name="Q3", framework="da-nfa-review")
    with pytest.raises(UserError, match="description"):
        add_action(db, audit_id=audit.id, description="   ")
    with pytest.raises(UserError, match="not an action status"):
        add_action(db, audit_id=audit.id, description="x", status="finished")
    with pytest.raises(NotFoundError):
        add_action(db, audit_id=audit.id, description="x", case_reference="NOPE/1")
    with pytest.raises(NotFoundError):
        add_action(db, audit_id=audit.id, description="x", criterion_code="99.9")
    with pytest.raises(NotFoundError):
        update_action(db, action_id=12345, status="done")
    assert load_audit_data(db, audit_id=audit.id).actions == ()


def test_action_statuses_keep_the_stored_words_and_have_plain_labels(db: Database) -> None:
    from audit_app.core.statuses import ActionStatus

    assert [s.value for s in ActionStatus] == ["open", "in_progress", "done", "dropped"]
    assert [s.label for s in ActionStatus] == ["Open", "In progress", "Done", "Dropped"]
    audit = create_audit(db, name="Q3", framework="da-nfa-review")
    action_id = add_action(db, audit_id=audit.id, description="Brief supervisors")
    update_action(db, action_id=action_id, status=ActionStatus.IN_PROGRESS)
    [action] = load_audit_data(db, audit_id=audit.id).actions
    assert action.status == "in_progress" and ActionStatus(action.status).label == "In progress"
