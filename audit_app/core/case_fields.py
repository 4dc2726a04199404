"""The canonical fields of a case, as the app understands them.

Each force's extract names its columns differently; import maps headers onto these
fields (the headings each field goes by are in `resources/mapping/header-synonyms.yaml`).
Columns not mapped are kept with the case as `extra`. A field marked `personal` (names)
never reaches a partner export.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from audit_app.core.expressions import ExpressionError, describe_condition


class FieldKind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DATE = "date"
    FLAG = "flag"          # yes/no
    RISK = "risk"          # standard / medium / high
    SUPPORT = "support"    # victim supports action: yes / never / withdrawn


@dataclass(frozen=True)
class CaseField:
    key: str
    label: str
    kind: FieldKind
    personal: bool = False
    required: bool = False
    officer_name: bool = False  # dropped from partner exports unless the user keeps them


CASE_FIELDS: tuple[CaseField, ...] = (
    CaseField("reference", "Crime reference", FieldKind.TEXT, required=True),
    CaseField("offence_code", "Offence code", FieldKind.TEXT),
    CaseField("offence_description", "Offence", FieldKind.TEXT),
    CaseField("da_flag", "Domestic abuse flag", FieldKind.FLAG),
    CaseField("crime_date", "Date of offence", FieldKind.DATE),
    CaseField("date_recorded", "Date recorded", FieldKind.DATE),
    CaseField("date_finalised", "Date finalised", FieldKind.DATE),
    CaseField("outcome_code", "Outcome code", FieldKind.INTEGER),
    CaseField("risk_tool", "Risk tool", FieldKind.TEXT),
    CaseField("risk_level", "Risk level", FieldKind.RISK),
    CaseField("marac_referral", "MARAC referral", FieldKind.FLAG),
    CaseField("children_referral", "Children's services referral", FieldKind.FLAG),
    CaseField("idva_referral", "IDVA referral", FieldKind.FLAG),
    CaseField("arrested", "Suspect arrested", FieldKind.FLAG),
    CaseField("interviewed", "Interviewed under caution", FieldKind.FLAG),
    CaseField("dvpn", "DVPN issued", FieldKind.FLAG),
    CaseField("dvpo", "DVPO granted", FieldKind.FLAG),
    CaseField("bwv_present", "Body-worn video", FieldKind.FLAG),
    CaseField("victim_supports", "Victim supports action", FieldKind.SUPPORT),
    CaseField("cps_referral", "Referred to CPS", FieldKind.FLAG),
    CaseField("elp_flag", "Evidence-led prosecution", FieldKind.FLAG),
    CaseField("charge_date", "Charge date", FieldKind.DATE),
    CaseField("court_outcome", "Court outcome", FieldKind.TEXT),
    CaseField("officer", "Officer in case", FieldKind.TEXT, officer_name=True),
    CaseField("team", "Team", FieldKind.TEXT),
    CaseField("area", "Area", FieldKind.TEXT),
    CaseField("supervisor", "Finalising supervisor", FieldKind.TEXT, officer_name=True),
    CaseField("nfa_notification_date", "NFA notification date", FieldKind.DATE),
    CaseField("victim_name", "Victim name", FieldKind.TEXT, personal=True),
    CaseField("suspect_name", "Suspect name", FieldKind.TEXT, personal=True),
)

FIELDS_BY_KEY: dict[str, CaseField] = {f.key: f for f in CASE_FIELDS}
FIELD_KEYS: tuple[str, ...] = tuple(f.key for f in CASE_FIELDS)

RISK_LEVELS: tuple[str, ...] = ("standard", "medium", "high")
SUPPORT_VALUES: tuple[str, ...] = ("yes", "never", "withdrawn")

# Outcome codes that close a crime without a sanction (NFA) in domestic abuse reviews.
NFA_OUTCOME_CODES: frozenset[int] = frozenset({9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 21})
KNOWN_OUTCOME_CODES: frozenset[int] = frozenset(range(1, 23))

OUTCOME_LABELS: dict[int, str] = {
    1: "Charged/summonsed", 2: "Caution (youth)", 3: "Caution (adult)",
    4: "Taken into consideration", 5: "Offender died", 6: "Penalty notice",
    7: "Cannabis/khat warning", 8: "Community resolution",
    9: "Not in public interest (CPS)", 10: "Not in public interest (police)",
    11: "Prosecution prevented: suspect under age", 12: "Prosecution prevented: suspect too ill",
    13: "Prosecution prevented: victim/witness dead or too ill",
    14: "Evidential difficulties: suspect not identified, victim does not support",
    15: "Evidential difficulties: victim supports",
    16: "Evidential difficulties: victim does not support or withdrew",
    17: "Time limit expired", 18: "Investigation complete, no suspect identified",
    19: "NFIB filed", 20: "Action by another body",
    21: "Further investigation not in public interest", 22: "Diversionary activity",
}


def outcome_label(code: int | None) -> str:
    if code is None:
        return ""
    return f"{code} – {OUTCOME_LABELS.get(code, 'Unknown outcome')}"


def field_label(key: str) -> str:
    """The name a panel member knows a field by ("Risk level"), one source for every screen,
    command and sheet; a column kept from the extract is named from its key."""
    field = FIELDS_BY_KEY.get(key)
    return field.label if field is not None else key.replace("_", " ").strip().capitalize()


def field_in_sentence(key: str) -> str:
    """The label as it reads mid-sentence: "risk level", but "MARAC referral"."""
    label = field_label(key)
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def describe_case_condition(source: str) -> str:
    """A sample scope or rule in plain words ("Outcome code is one of 9, 10, 14"), with
    each field's label; a condition that no longer reads is shown as it was typed."""
    if not source.strip():
        return ""
    try:
        return describe_condition(source, {key: field.label for key, field in FIELDS_BY_KEY.items()})
    except ExpressionError:
        return source
