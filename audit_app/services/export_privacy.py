"""The names a partner copy's free text must lose, and the pseudonyms of references.

What a copy may hold (default deny) is `core.copy_rules`, re-exported here. The names free
text must lose are every value the audit holds in a personal column, over the whole
population (a victim in one case may be named in another case's note), and the
population's crime references.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import select

from audit_app.core.audit_rows import AuditData
from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.copy_rules import (
    FREE_TEXT_FIELDS,
    PANEL_ROLE,
    PERSONAL_CLASS,
    PRODUCT_NAME,
    PrivacyRules,
    dropped_labels,
    privacy_rules,
)
from audit_app.core.scrubbing import KnownName, Scrubber, ScrubResult, pseudonym
from audit_app.core.scrubbing_names import ReferenceIndex
from audit_app.db.models import AuditRecord, CaseRecord
from audit_app.services.audits import require_audit
from audit_app.services.database import Database

__all__ = ["FREE_TEXT_FIELDS", "PANEL_ROLE", "PRODUCT_NAME", "PrivacyRules",
           "RememberingScrubber", "TextSources", "dropped_labels", "ensure_pseudonym_secret",
           "privacy_rules", "reference_swapper", "text_sources"]


def ensure_pseudonym_secret(db: Database, audit_id: int) -> None:
    """Store the audit's pseudonym secret if it has none yet, in its own short transaction,
    so pseudonyms stay stable from copy to copy and the export itself only reads."""
    with db.transaction() as session:
        audit = require_audit(session, audit_id)
        if not audit.pseudonym_salt:
            audit.pseudonym_salt = secrets.token_hex(32)


def _stored_secret(db: Database, audit_id: int) -> str:
    with db.reading() as session:
        audit = session.get(AuditRecord, audit_id)
        assert audit is not None and audit.pseudonym_salt  # ensure_pseudonym_secret ran first
        return audit.pseudonym_salt


@dataclass(frozen=True)
class TextSources:
    """What the scrubber must know: names held in personal columns, and references."""

    names: tuple[KnownName, ...]
    pseudonyms: dict[str, str]  # every population reference -> its pseudonym (if asked)
    text_references: dict[str, str]  # every population reference -> what replaces it in text


class RememberingScrubber(Scrubber):
    """A scrubber that scrubs each distinct text once and remembers the result.

    Stock notes ("Not on file") recur row after row, and a partner copy's release check and
    its approved export scrub the same texts. A result depends on the text and on what the
    scrubber was built from (`sources`) alone, so it is reused only by a scrubber built
    from equal sources: the export checks that before taking over the check's scrubber."""

    def __init__(self, scrubber: Scrubber, sources: TextSources) -> None:
        # Not Scrubber.__init__: this one delegates every new text to `scrubber`.
        self._scrubber = scrubber
        self.sources = sources
        self._results: dict[str, ScrubResult] = {}

    def scrub(self, text: str) -> ScrubResult:
        result = self._results.get(text)
        if result is None:
            result = self._results[text] = self._scrubber.scrub(text)
        return result


def text_sources(db: Database, data: AuditData, rules: PrivacyRules) -> TextSources:
    """Read the whole population's personal values and references (in the export's snapshot,
    after `ensure_pseudonym_secret` when the copy is pseudonymised)."""
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
        secret = _stored_secret(db, data.audit_id)
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
