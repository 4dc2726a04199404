"""An audit's sample as stored: the draw's record (its certificate) and its cases.

Read by the sample page, the CLI, the export's Method sheet and the findings; the draw,
replacement and re-check use cases are in `services.sampling`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from audit_app.core.case_fields import describe_case_condition, field_in_sentence
from audit_app.core.sampling import ALLOCATION_LABELS, METHOD_LABELS
from audit_app.db.models import CaseRecord, SampleDrawRecord, SampleItemRecord
from audit_app.services.cases import to_row
from audit_app.services.database import Database
from audit_app.services.records import CaseRow

# Where a purge keeps a draw's sample count per stratum (its sample items go with the cases).
SAMPLE_COUNTS_KEPT = "strata_sample_at_purge"
# How each draw rule chooses cases, and how the population is fingerprinted, in words for the
# certificate and the Method sheet (docs/checking-a-draw.md has the detail and a script).
SELECTION_RULES = {
    1: "Cases ordered by the SHA-256 of 'seed:reference' (hex), smallest first, within each "
       "stratum; anyone can re-draw it",
    2: "Cases ordered by the SHA-256 of the reference mixed with the seed (SplitMix64 of the "
       "seed XOR the digest's first 8 bytes), smallest first, within each stratum (draw rule 2); "
       "anyone can re-draw it",
}
FINGERPRINT_RULE = ("SHA-256 (hex) of one line per case in scope: reference, U+001F, stratum "
                    "name; lines sorted, each ended by U+001E")


@dataclass(frozen=True)
class ReplacementRow:
    original_reference: str
    replacement_reference: str | None
    reason: str
    stratum: str


@dataclass(frozen=True)
class SampleSummary:
    """The sample record (certificate): how the draw was made and what it gave."""

    draw_id: int
    audit_id: int
    method: str
    seed: int
    size: int
    population_size: int
    fingerprint: str
    strata_fields: tuple[str, ...]
    allocation: str
    where: str
    drawn_at: dt.datetime
    drawn_by: str
    strata: tuple[tuple[str, int, int], ...]  # (stratum, in scope, in sample)
    include_always: str = ""
    exclude_reviewed: bool = False
    excluded_reviewed: int = 0
    quotas: tuple[tuple[str, int], ...] = ()
    replacements: tuple[ReplacementRow, ...] = ()
    # False only for a sample purged before purges kept its counts per stratum
    sample_counts_known: bool = True
    rule_version: int = 1  # how draw keys were made: see SELECTION_RULES

    @property
    def selection_rule(self) -> str:
        return SELECTION_RULES.get(self.rule_version, SELECTION_RULES[1])

    @property
    def fingerprint_rule(self) -> str:
        return FINGERPRINT_RULE  # the same under both draw rules

    def certificate_lines(self) -> list[str]:
        """The record in plain words, for the screen, the CLI and the export's Method sheet."""
        method = METHOD_LABELS.get(self.method, self.method)  # type: ignore[call-overload]
        allocation = ALLOCATION_LABELS.get(self.allocation, self.allocation)  # type: ignore[call-overload]
        strata = ", ".join(field_in_sentence(key) for key in self.strata_fields)
        lines = [
            f"Method: {method}" + (f", by {strata} ({allocation.lower()})"
                                   if self.strata_fields else ""),
            f"Scope: {describe_case_condition(self.where) or 'all cases in the population'}",
        ]
        if self.include_always:
            lines.append(f"Always included: {describe_case_condition(self.include_always)}")
        if self.exclude_reviewed:
            lines.append(f"Excluded as reviewed in earlier audits: {self.excluded_reviewed}")
        lines += [
            f"Cases in scope: {self.population_size}",
            f"Sample size: {self.size}",
            f"Seed: {self.seed}",
            f"Population fingerprint (SHA-256): {self.fingerprint}",
            f"Drawn by {self.drawn_by} at {self.drawn_at:%Y-%m-%d %H:%M} UTC",
            f"Selection rule: {self.selection_rule}.",
        ]
        for r in self.replacements:
            lines.append(f"Replaced {r.original_reference} with "
                         f"{r.replacement_reference or '(none left in stratum)'}: {r.reason}")
        return lines


@dataclass(frozen=True)
class SampleRow:
    item_id: int
    position: int
    stratum: str
    status: str  # drawn | replaced | replacement
    replaced_reason: str
    case: CaseRow


@dataclass(frozen=True)
class SampleVerification:
    ok: bool
    messages: tuple[str, ...]


def natural_key(label: str) -> list[tuple[int, int | str]]:
    """Sort stratum labels as people read them: outcome 2 before 10, then text."""
    return [(0, int(part)) if part.isdigit() else (1, part.lower())
            for part in re.split(r"(\d+)", label) if part]



def current_draw(session: Session, audit_id: int) -> SampleDrawRecord | None:
    return session.scalar(select(SampleDrawRecord).where(
        SampleDrawRecord.audit_id == audit_id, SampleDrawRecord.is_current.is_(True)))


def draw_parameters(record: SampleDrawRecord) -> dict[str, Any]:
    return dict(record.parameters or {})


def draw_strata_fields(record: SampleDrawRecord) -> tuple[str, ...]:
    raw = draw_parameters(record).get("strata_fields") or []
    return tuple(str(f) for f in raw) if isinstance(raw, list) else ()


def get_sample_summary(db: Database, *, audit_id: int) -> SampleSummary | None:
    with db.reading() as session:
        record = current_draw(session, audit_id)
        if record is None:
            return None
        params = draw_parameters(record)
        strata_fields = draw_strata_fields(record)
        # Population per stratum as it was when drawn (a later import does not rewrite it).
        raw_sizes = params.get("strata_population") or {}
        in_scope = {str(k): int(v) for k, v in raw_sizes.items()}
        in_sample: dict[str, int] = {}
        references = dict(session.execute(
            select(SampleItemRecord.id, CaseRecord.reference)
            .join(CaseRecord, SampleItemRecord.case_id == CaseRecord.id)
            .where(SampleItemRecord.draw_id == record.id)).all())
        replacements: list[ReplacementRow] = []
        replaced_by = {i.replaces_item_id: i for i in record.items if i.replaces_item_id}
        for item in record.items:
            if item.status != "replaced":
                in_sample[item.stratum] = in_sample.get(item.stratum, 0) + 1
            else:
                new = replaced_by.get(item.id)
                replacements.append(ReplacementRow(
                    references[item.id], references[new.id] if new else None,
                    item.replaced_reason, item.stratum))
        kept = params.get(SAMPLE_COUNTS_KEPT)
        if not record.items and isinstance(kept, dict):  # purged: the counts it kept
            in_sample = {str(k): int(v) for k, v in kept.items()}
        names = sorted(set(in_scope) | set(in_sample), key=natural_key)
        quotas = params.get("quotas") or {}
        return SampleSummary(
            draw_id=record.id, audit_id=audit_id, method=record.method, seed=record.seed,
            size=record.sample_size, population_size=record.population_size,
            fingerprint=record.population_fingerprint, strata_fields=strata_fields,
            allocation=str(params.get("allocation", "")), where=str(params.get("where") or ""),
            drawn_at=record.drawn_at, drawn_by=record.drawn_by,
            strata=tuple((n, in_scope.get(n, 0), in_sample.get(n, 0)) for n in names),
            include_always=str(params.get("include_always") or ""),
            exclude_reviewed=bool(params.get("exclude_reviewed")),
            excluded_reviewed=int(params.get("excluded_reviewed") or 0),
            quotas=tuple(sorted((str(k), int(v)) for k, v in quotas.items())),
            replacements=tuple(replacements),
            sample_counts_known=bool(record.items) or isinstance(kept, dict),
            rule_version=record.rule_version,
        )


def get_sample(db: Database, *, audit_id: int) -> list[SampleRow]:
    """The current sample in draw order (replaced cases included, marked as such)."""
    with db.reading() as session:
        rows = session.execute(
            select(SampleItemRecord, CaseRecord)
            .join(SampleDrawRecord, SampleItemRecord.draw_id == SampleDrawRecord.id)
            .join(CaseRecord, SampleItemRecord.case_id == CaseRecord.id)
            .where(SampleDrawRecord.audit_id == audit_id, SampleDrawRecord.is_current.is_(True))
            .order_by(SampleItemRecord.position)).all()
        return [SampleRow(item.id, item.position, item.stratum, item.status,
                          item.replaced_reason, to_row(case)) for item, case in rows]

