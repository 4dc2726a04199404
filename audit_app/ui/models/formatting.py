"""How case values read on screen: dates, yes/no, outcome codes with their labels."""

from __future__ import annotations

import datetime as dt
from typing import Any

from audit_app.core.case_fields import outcome_label


def display_value(key: str, value: Any) -> str:
    """The text a cell shows for canonical field `key` holding `value`."""
    if value is None or value == "":
        return ""
    if key == "outcome_code" and isinstance(value, int):
        return outcome_label(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str) and key in ("risk_level", "victim_supports"):
        return value.capitalize()
    return str(value)


def stratum_text(stratum: str | None, none: str = "—") -> str:
    """A stratum as the screens show it: "High", "14 / City BCU" (the draw stores the
    values as read, "high", and must keep them so: they are part of its fingerprint)."""
    if not stratum:
        return none
    return " / ".join(part[:1].upper() + part[1:] for part in stratum.split(" / "))
