"""What a copy of the findings workbook may hold: the privacy rules of one copy.

Default deny: a partner copy keeps only the canonical fields known safe (outcome, offence,
dates, risk, flags, area, team...), officer names only when the user keeps them, and the
extract columns the user marked shareable at import. Every other extract column stays on
the laptop. Members are named by role ("Member 1") unless their names are kept. An
internal copy changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from audit_app.core.answers import ReviewKind
from audit_app.core.audit_rows import AuditData
from audit_app.core.case_fields import CASE_FIELDS, FIELDS_BY_KEY

PANEL_ROLE = "Panel (agreed)"
PRODUCT_NAME = "Case File Audit"
PERSONAL_CLASS = "personal"
# Canonical text fields that hold free wording from the extract: scrubbed like notes.
FREE_TEXT_FIELDS = ("offence_description", "court_outcome")


@dataclass(frozen=True)
class PrivacyRules:
    """What a copy leaves out or rewrites; an internal copy changes nothing."""

    for_partner: bool
    pseudonymise: bool
    keep_officer_names: bool
    keep_member_names: bool
    dropped_fields: tuple[str, ...]
    shared_extra: tuple[str, ...]  # extract columns that go out (all of them internally)
    withheld_extra: tuple[str, ...]  # extract columns left out of a partner copy
    member_labels: dict[str, str] = field(default_factory=dict)  # real name -> "Member 1"

    def keeps_field(self, key: str) -> bool:
        return key not in self.dropped_fields

    def member(self, name: str, kind: str = "") -> str:
        """How a reviewer is named in this copy."""
        if kind == ReviewKind.CONSENSUS and self.for_partner and not self.keep_member_names:
            return PANEL_ROLE
        return self.member_labels.get(name, name)


def privacy_rules(data: AuditData, *, for_partner: bool, pseudonymise: bool,
                  keep_officer_names: bool, keep_member_names: bool = False) -> PrivacyRules:
    extra_columns = sorted({key for case in data.cases for key in case.extra})
    if not for_partner:
        return PrivacyRules(False, pseudonymise, True, True, (), tuple(extra_columns), ())
    dropped = tuple(f.key for f in CASE_FIELDS
                    if f.personal or (f.officer_name and not keep_officer_names))
    # Default deny: only columns the user marked shareable (legacy imports: none).
    shareable = {name.strip().lower() for name in data.shareable_columns}
    shared = tuple(c for c in extra_columns if c.strip().lower() in shareable)
    withheld = tuple(c for c in extra_columns if c not in shared)
    labels: dict[str, str] = {}
    if not keep_member_names:
        # Numbered in the order members first reviewed: stable within one workbook.
        for review in data.reviews:
            if review.kind != ReviewKind.CONSENSUS and review.reviewer not in labels:
                labels[review.reviewer] = f"Member {len(labels) + 1}"
    return PrivacyRules(True, pseudonymise, keep_officer_names, keep_member_names, dropped,
                        shared, withheld, labels)


def dropped_labels(rules: PrivacyRules) -> list[str]:
    """The fields and columns a partner copy left out, as the user knows them."""
    return [FIELDS_BY_KEY[key].label for key in rules.dropped_fields] + list(rules.withheld_extra)
