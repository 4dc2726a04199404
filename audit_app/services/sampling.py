"""Drawing, reading, replacing within and verifying an audit's sample.

Everything needed to re-draw a sample is stored with it: method, scope (filter, the
always-include rule, exclusion of cases reviewed before), strata fields, allocation or
quotas, the seed and a fingerprint of the in-scope population. `verify_sample` re-draws
from that record and says exactly what differs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from audit_app.core.bulk import paused_gc
from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.dates import on_date
from audit_app.core.errors import NotFoundError, UserError
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled
from audit_app.core.sampling import (
    Allocation,
    DrawnUnit,
    SampleMethod,
    draw,
    draw_order,
    new_seed,
    population_fingerprint,
    stratum_quotas,
)
from audit_app.db.models import CaseRecord, SampleDrawRecord, SampleItemRecord
from audit_app.services.audits import (
    audit_standing,
    require_audit,
    require_open_audit,
)
from audit_app.services.cases import to_row
from audit_app.services.change_log import log_change
from audit_app.services.database import Database, current_user
from audit_app.services.records import CaseRow
from audit_app.services.sampling_scope import Scope, read_scope

# Where a purge keeps a draw's sample count per stratum (its sample items go with the cases).
SAMPLE_COUNTS_KEPT = "strata_sample_at_purge"


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

    def certificate_lines(self) -> list[str]:
        """The record in plain words, for the screen, the CLI and the export's Method sheet."""
        lines = [
            f"Method: {self.method}" + (f", stratified by {', '.join(self.strata_fields)}"
                                        f" ({self.allocation} allocation)"
                                        if self.strata_fields else ""),
            f"Scope: {self.where or 'all cases in the population'}",
        ]
        if self.include_always:
            lines.append(f"Always included: {self.include_always}")
        if self.exclude_reviewed:
            lines.append(f"Excluded as reviewed in earlier audits: {self.excluded_reviewed}")
        lines += [
            f"Cases in scope: {self.population_size}",
            f"Sample size: {self.size}",
            f"Seed: {self.seed}",
            f"Population fingerprint (SHA-256): {self.fingerprint}",
            f"Drawn by {self.drawn_by} at {self.drawn_at:%Y-%m-%d %H:%M} UTC",
            "Selection rule: cases ordered by SHA-256 of 'seed:reference'; smallest first.",
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


def _check_fields(strata_fields: Sequence[str]) -> None:
    for key in strata_fields:
        if key not in FIELDS_BY_KEY:
            known = ", ".join(sorted(FIELDS_BY_KEY))
            raise UserError(f"Cannot stratify by '{key}': not a case field. Fields: {known}")


def natural_key(label: str) -> list[tuple[int, int | str]]:
    """Sort stratum labels as people read them: outcome 2 before 10, then text."""
    return [(0, int(part)) if part.isdigit() else (1, part.lower())
            for part in re.split(r"(\d+)", label) if part]


def preview_strata(db: Database, *, audit_id: int, size: int, strata_fields: Sequence[str] = (),
                   allocation: str = "proportional", where: str = "", include_always: str = "",
                   exclude_reviewed: bool = False,
                   cancelled: CancelCheck | None = None) -> list[tuple[str, int, int]]:
    """(stratum, cases in scope, cases it would get) before drawing."""
    _check_fields(strata_fields)
    with db.reading() as session, paused_gc():
        require_audit(session, audit_id)
        scope = read_scope(session, audit_id, strata_fields=strata_fields, where=where,
                           include_always=include_always, exclude_reviewed=exclude_reviewed,
                           cancelled=cancelled)
    population = scope.population
    sizes = population.stratum_sizes()
    if not len(population):
        return []
    rest = population.without(set(scope.always)) if scope.always else population
    target = max(0, min(size, len(population)) - len(scope.always))
    quotas = (stratum_quotas(rest.stratum_sizes(), target, Allocation(allocation))
              if len(rest) and target else {})
    if scope.always:
        stratum_of = dict(zip(population.references, population.strata, strict=True))
        for reference in scope.always:
            quotas[stratum_of[reference]] = quotas.get(stratum_of[reference], 0) + 1
    return [(name, sizes[name], quotas.get(name, 0)) for name in sorted(sizes, key=natural_key)]


def draw_sample(db: Database, *, audit_id: int, size: int, method: str = "random",
                strata_fields: Sequence[str] = (), seed: int | None = None,
                allocation: str = "proportional", where: str = "", include_always: str = "",
                exclude_reviewed: bool = False, quotas: Mapping[str, int] | None = None,
                actor: str | None = None, progress: ProgressCallback | None = None,
                cancelled: CancelCheck | None = None) -> SampleSummary:
    """Draw a new sample for the audit; an earlier draw is kept but no longer current."""
    try:
        sample_method = SampleMethod(method)
    except ValueError:
        raise UserError(f"Unknown method '{method}': use random, systematic or stratified") from None
    try:
        sample_allocation = Allocation(allocation)
    except ValueError:
        raise UserError(f"Unknown allocation '{allocation}': use proportional or equal") from None
    strata_fields = tuple(strata_fields)
    if sample_method is SampleMethod.STRATIFIED and not strata_fields:
        raise UserError("A stratified sample needs fields to stratify by (e.g. outcome_code, area)")
    _check_fields(strata_fields)
    seed = seed if seed is not None else new_seed()
    if not 1 <= seed < 2**63:
        raise UserError("The seed must be a whole number from 1 upwards")
    actor = actor or current_user()
    with db.transaction() as session, paused_gc():
        require_open_audit(session, audit_id, doing="no new sample can be drawn")
        scope = read_scope(session, audit_id, strata_fields=strata_fields, where=where,
                           include_always=include_always, exclude_reviewed=exclude_reviewed,
                           seed=_keyed_seed(sample_method, seed),
                           progress=progress, cancelled=cancelled)
        population = scope.population
        if not len(population):
            raise UserError(_why_nothing_in_scope(where, scope.excluded_reviewed))
        drawn = draw(population, size=size, seed=seed, method=sample_method,
                     allocation=sample_allocation, quotas=quotas, always_include=scope.always)
        check_cancelled(cancelled)
        case_ids = _case_ids(session, audit_id, [d.reference for d in drawn])
        session.execute(update(SampleDrawRecord).where(SampleDrawRecord.audit_id == audit_id)
                        .values(is_current=False))
        draw_record = SampleDrawRecord(
            audit_id=audit_id, method=sample_method.value, seed=seed,
            parameters={"strata_fields": list(strata_fields), "allocation": sample_allocation.value,
                        "where": where, "include_always": include_always,
                        "exclude_reviewed": exclude_reviewed,
                        "excluded_reviewed": scope.excluded_reviewed,
                        "quotas": dict(quotas) if quotas is not None else None},
            population_fingerprint=population_fingerprint(population),
            population_size=len(population), sample_size=len(drawn), drawn_by=actor,
        )
        draw_record.parameters["strata_population"] = population.stratum_sizes()
        # Which cases the rule picked is known by position (they come first); the counts
        # let findings weight the rest. Counts only: references stay with the sample items.
        draw_record.parameters.update(always_included_record(drawn, len(scope.always),
                                                             sample_method))
        session.add(draw_record)
        session.flush()
        session.add_all(SampleItemRecord(draw_id=draw_record.id,
                                         case_id=case_ids[d.reference],
                                         position=d.position, stratum=d.stratum) for d in drawn)
        log_change(session, actor=actor, audit_id=audit_id, entity="sample_draw",
                   entity_id=draw_record.id, field="drawn", new=f"{len(drawn)} cases",
                   detail=f"method={sample_method.value} seed={seed} "
                          f"by={','.join(strata_fields)} where={where}")
    summary = get_sample_summary(db, audit_id=audit_id)
    assert summary is not None
    return summary


def always_included_record(drawn: Sequence[DrawnUnit], always: int,
                           method: SampleMethod) -> dict[str, Any]:
    """How many cases the always-include rule put in the sample, per stratum, and the
    method (a random or systematic draw is one stratum for weighting)."""
    per_stratum: dict[str, int] = {}
    for unit in drawn[:always]:
        per_stratum[unit.stratum] = per_stratum.get(unit.stratum, 0) + 1
    return {"method": method.value, "always_included": per_stratum}


def _why_nothing_in_scope(where: str, excluded_reviewed: int) -> str:
    if where.strip():
        return f"No cases match the filter '{where.strip()}': loosen it and draw again"
    if excluded_reviewed:
        return (f"Every case in scope ({excluded_reviewed}) was reviewed in an earlier audit: "
                "stop leaving out reviewed cases to draw from them")
    return "This audit has no cases yet: import a population first"


def _keyed_seed(method: SampleMethod, seed: int) -> int | None:
    """The seed to make draw keys with while reading, for the methods that use them."""
    return None if method is SampleMethod.SYSTEMATIC else seed


def _case_ids(session: Session, audit_id: int, references: Sequence[str]) -> dict[str, int]:
    """The case id behind each drawn reference (references are unique within an audit)."""
    ids: dict[str, int] = {}
    for start in range(0, len(references), 500):
        chunk = references[start:start + 500]
        ids.update(session.execute(select(CaseRecord.reference, CaseRecord.id).where(
            CaseRecord.audit_id == audit_id, CaseRecord.reference.in_(chunk))).all())
    return ids


def _current_draw(session: Session, audit_id: int) -> SampleDrawRecord | None:
    return session.scalar(select(SampleDrawRecord).where(
        SampleDrawRecord.audit_id == audit_id, SampleDrawRecord.is_current.is_(True)))


def _params(record: SampleDrawRecord) -> dict[str, Any]:
    return dict(record.parameters or {})


def _strata_fields(record: SampleDrawRecord) -> tuple[str, ...]:
    raw = _params(record).get("strata_fields") or []
    return tuple(str(f) for f in raw) if isinstance(raw, list) else ()


def get_sample_summary(db: Database, *, audit_id: int) -> SampleSummary | None:
    with db.reading() as session:
        record = _current_draw(session, audit_id)
        if record is None:
            return None
        params = _params(record)
        strata_fields = _strata_fields(record)
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


def _redraw(session: Session, record: SampleDrawRecord, progress: ProgressCallback | None = None,
            cancelled: CancelCheck | None = None) -> tuple[Scope, list[DrawnUnit]]:
    with paused_gc():
        params = _params(record)
        scope = read_scope(session, record.audit_id, strata_fields=_strata_fields(record),
                           where=str(params.get("where") or ""),
                           include_always=str(params.get("include_always") or ""),
                           exclude_reviewed=bool(params.get("exclude_reviewed")),
                           seed=_keyed_seed(SampleMethod(record.method), record.seed),
                           progress=progress, cancelled=cancelled)
        quotas = params.get("quotas")
        drawn = draw(scope.population, size=record.sample_size, seed=record.seed,
                     method=SampleMethod(record.method),
                     allocation=Allocation(str(params.get("allocation") or "proportional")),
                     quotas=quotas if isinstance(quotas, dict) else None,
                     always_include=scope.always) if len(scope.population) else []
        return scope, drawn


def replace_case(db: Database, *, audit_id: int, reference: str, reason: str,
                 actor: str | None = None, progress: ProgressCallback | None = None,
                 cancelled: CancelCheck | None = None) -> SampleRow | None:
    """Replace a drawn case that cannot be reviewed by the next case of its stratum.

    "Next" is the draw order (SHA-256 of seed:reference) among in-scope cases of the same
    stratum not already in the sample. The original stays, marked replaced, with the reason.
    Returns the replacement, or None when the stratum has no case left.
    """
    if not reason.strip():
        raise UserError("Give a reason for the replacement (e.g. 'file sealed', 'file missing')")
    actor = actor or current_user()
    with db.transaction() as session:
        require_open_audit(session, audit_id, doing="its sample can no longer change")
        record = _current_draw(session, audit_id)
        if record is None:
            raise UserError("This audit has no sample yet")
        item = session.execute(
            select(SampleItemRecord).join(CaseRecord, SampleItemRecord.case_id == CaseRecord.id)
            .where(SampleItemRecord.draw_id == record.id, CaseRecord.reference == reference)
        ).scalar_one_or_none()
        if item is None:
            raise NotFoundError(f"Case '{reference}' is not in this audit's sample")
        if item.status == "replaced":
            raise UserError(f"Case '{reference}' has already been replaced")
        in_sample = set(session.execute(
            select(CaseRecord.reference).join(SampleItemRecord,
                                              SampleItemRecord.case_id == CaseRecord.id)
            .where(SampleItemRecord.draw_id == record.id)).scalars())
        scope, _ = _redraw(session, record, progress, cancelled)
        candidates = [r for r in draw_order(scope.population, item.stratum, record.seed)
                      if r not in in_sample]
        item.status = "replaced"
        item.replaced_reason = reason.strip()
        replacement: SampleItemRecord | None = None
        if candidates:
            replacement = SampleItemRecord(
                draw_id=record.id, case_id=_case_ids(session, audit_id, candidates[:1])[candidates[0]],
                position=max(i.position for i in record.items) + 1, stratum=item.stratum,
                status="replacement", replaces_item_id=item.id)
            session.add(replacement)
        session.flush()
        log_change(session, actor=actor, audit_id=audit_id, entity="sample_item",
                   entity_id=item.id, case_id=item.case_id, field="status", old="drawn",
                   new="replaced", detail=f"{reason.strip()}; replacement: "
                   f"{candidates[0] if candidates else 'none left in stratum'}")
        replacement_id = replacement.id if replacement else None
    if replacement_id is None:
        return None
    return next(r for r in get_sample(db, audit_id=audit_id) if r.item_id == replacement_id)


def verify_sample(db: Database, *, audit_id: int, progress: ProgressCallback | None = None,
                  cancelled: CancelCheck | None = None) -> SampleVerification:
    """Re-draw from the stored record and confirm, or say exactly what differs."""
    standing = audit_standing(db, audit_id=audit_id)
    if standing.case_data_deleted:
        raise UserError(f"This audit's case data was deleted{on_date(standing.purged_on)} under the "
                        "retention rule, so the draw cannot be re-checked: its cases are gone.")
    with db.reading() as session:
        record = _current_draw(session, audit_id)
        if record is None:
            raise UserError("This audit has no sample to verify")
        scope, redrawn = _redraw(session, record, progress, cancelled)
        stored = session.execute(
            select(SampleItemRecord, CaseRecord.reference)
            .join(CaseRecord, SampleItemRecord.case_id == CaseRecord.id)
            .where(SampleItemRecord.draw_id == record.id)
            .order_by(SampleItemRecord.position)).all()
    messages: list[str] = []
    population = scope.population
    fingerprint = population_fingerprint(population) if len(population) else ""
    if fingerprint != record.population_fingerprint:
        messages.append(
            f"The in-scope population has changed: {len(population)} cases now, "
            f"{record.population_size} when drawn (fingerprint {fingerprint[:12]}… "
            f"vs {record.population_fingerprint[:12]}…)")
    original = [ref for item, ref in stored if item.status != "replacement"]
    again = [d.reference for d in redrawn]
    if original != again:
        missing = [r for r in original if r not in again]
        extra = [r for r in again if r not in original]
        if missing or extra:
            messages.append(f"Re-draw differs: stored but not re-drawn: {', '.join(missing[:10]) or '-'}"
                            f"; re-drawn but not stored: {', '.join(extra[:10]) or '-'}")
        else:
            messages.append("Re-draw gives the same cases in a different order")
    if not messages:
        messages.append(f"Verified: re-drawing with seed {record.seed} gives the same "
                        f"{len(original)} cases in the same order from the same population")
    return SampleVerification(ok=len(messages) == 1 and messages[0].startswith("Verified"),
                              messages=tuple(messages))
