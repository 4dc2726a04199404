"""The actions register's columns on the Actions tab: agency, owner, due, status (overdue
flagged), the agency's response and its date, theme or criterion, and where an action was
brought forward from."""

from __future__ import annotations

import datetime as dt

from audit_app.core.audit_rows import ActionRow
from audit_app.core.statuses import ActionStatus
from audit_app.core.themes import theme_name
from audit_app.ui.models.row_table import Column
from audit_app.ui.pages.findings_columns import URGENT_COLOUR

NONE = "—"


def _day(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else NONE


def _status(action: ActionRow) -> str:
    try:
        label = ActionStatus(action.status).label
    except ValueError:
        label = action.status
    return f"{label} (overdue)" if action.is_overdue(dt.date.today()) else label


def _overdue(action: ActionRow) -> str | None:
    return URGENT_COLOUR if action.is_overdue(dt.date.today()) else None


def register_columns(theme_names: dict[str, str]) -> list[Column[ActionRow]]:
    def theme(action: ActionRow) -> str:
        if action.theme_key:
            return theme_name(theme_names, action.theme_key)
        return f"Criterion {action.criterion_code}" if action.criterion_code else NONE

    def due(action: ActionRow) -> dt.date | None:
        return action.due_date or action.follow_up_by

    return [
        Column("Action", lambda a: a.description),
        Column("Agency", lambda a: a.agency or NONE),
        Column("Owner", lambda a: a.owner or NONE),
        Column("Due", lambda a: _day(due(a)),
               lambda a: due(a).isoformat() if due(a) else "9999"),  # type: ignore[union-attr]
        Column("Status", _status, highlight=_overdue),
        Column("Response", lambda a: a.response or NONE),
        Column("Responded", lambda a: _day(a.response_date),
               lambda a: a.response_date.isoformat() if a.response_date else ""),
        Column("Theme or criterion", theme),
        Column("Case", lambda a: a.case_reference or NONE),
        Column("Brought forward from", lambda a: a.brought_forward_from or NONE),
    ]
