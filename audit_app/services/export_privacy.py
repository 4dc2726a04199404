"""What a partner copy may hold, and the names its free text must lose.

Default deny: a partner copy keeps only the canonical fields known safe (outcome, offence,
dates, risk, flags, area, team...), officer names only when the user keeps them, and the
extract columns the user marked shareable at import. Every other extract column stays on
the laptop. Members are named by role ("Member 1") unless their names are kept.

The names free text must lose are every value the audit holds in a personal column, over
the whole population (a victim in one case may be named in another case's note), and the
population's crime references.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select

from audit_app.core.answers import ReviewKind
from audit_app.core.audit_rows import AuditData
from audit_app.core.case_fields import CASE_FIELDS, FIELDS_BY_KEY
from audit_app.core.scrubbing import KnownName, pseudonym
from audit_app.core.scrubbing_names import ReferenceIndex
from audit_app.db.models import AuditRecord, CaseRecord
from audit_app.services.database import Database

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


def pseudonym_secret(db: Database, audit_id: int) -> str:
    """The audit's stored secret, made on first use so pseudonyms stay stable."""
    with db.transaction() as session:
        audit = session.get(AuditRecord, audit_id)
        assert audit is not None  # load_audit_data has already checked
        if not audit.pseudonym_salt:
            audit.pseudonym_salt = secrets.token_hex(32)
        return audit.pseudonym_salt


@dataclass(frozen=True)
class TextSources:
    """What the scrubber must know: names held in personal columns, and references."""

    names: tuple[KnownName, ...]
    pseudonyms: dict[str, str]  # every population reference -> its pseudonym (if asked)
    text_references: dict[str, str]  # every population reference -> what replaces it in text


def text_sources(db: Database, data: AuditData, rules: PrivacyRules) -> TextSources:
    """Read the whole population's personal values and references in one short session."""
    if not rules.for_partner and not rules.pseudonymise:
        return TextSources((), {}, {})
    personal_columns = _personal_columns(data, rules) if rules.for_partner else set()
    name_fields = list(rules.dropped_fields)
    names: dict[tuple[str, str], KnownName] = {}
    references: list[str] = []
    with db.reading() as session:
        columns = [CaseRecord.reference, CaseRecord.extra,
                   *[getattr(CaseRecord, key) for key in name_fields]]
        for reference, extra, *values in session.execute(
                select(*columns).where(CaseRecord.audit_id == data.audit_id)):
            references.append(reference)
            for key, value in zip(name_fields, values, strict=True):
                _add(names, value, _field_role(key))
            for column, value in (extra or {}).items():
                if column.strip().lower() in personal_columns:
                    _add(names, value, "person")
    for member in rules.member_labels:
        _add(names, member, "panel member")
    pseudonyms = {}
    if rules.pseudonymise:
        secret = pseudonym_secret(db, data.audit_id)
        pseudonyms = {reference: pseudonym(reference, secret) for reference in references}
    replacing = {reference: pseudonyms.get(reference, "[reference]") for reference in references}
    if not rules.for_partner:
        replacing = pseudonyms  # an internal copy only swaps references when asked
    return TextSources(tuple(names.values()), pseudonyms, replacing)


def _personal_columns(data: AuditData, rules: PrivacyRules) -> set[str]:
    """Withheld extract columns known to hold personal values: their values are names."""
    shared = {name.strip().lower() for name in rules.shared_extra}
    classed = {name.strip().lower() for name, kind in data.column_classes.items()
               if kind == PERSONAL_CLASS}
    legacy = {name.strip().lower() for name in data.personal_columns}
    return (classed | legacy) - shared


def _field_role(key: str) -> str:
    if FIELDS_BY_KEY[key].personal:
        return key.removesuffix("_name")
    return "officer"


def _add(names: dict[tuple[str, str], KnownName], value: object, role: str) -> None:
    text = " ".join(str(value).split()) if value is not None else ""
    if text:
        names.setdefault((text.lower(), role), KnownName(text, role))




def reference_swapper(references: Mapping[str, str]) -> Callable[[str, str], str]:
    """For an internal pseudonymised copy: swap references in text, change nothing else."""
    index = ReferenceIndex(references)

    def swap(_place: str, text: str) -> str:
        pieces: list[str] = []
        position = 0
        for span in sorted(index.spans(text), key=lambda span: (span.start, -span.end)):
            if span.start >= position:
                pieces += [text[position:span.start], span.token]
                position = span.end
        pieces.append(text[position:])
        return "".join(pieces)

    return swap
