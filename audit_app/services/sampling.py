"""Drawing, reading, replacing within and verifying an audit's sample.

Everything needed to re-draw a sample is stored with it: method, scope (filter, the
always-include rule, exclusion of cases reviewed before), strata fields, allocation or
quotas, the seed and a fingerprint of the in-scope population. `verify_sample` re-draws
from that record and says exactly what differs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from audit_app.core.bulk import paused_gc
from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.dates import on_date
from audit_app.core.draw_rule2 import RULE_VERSION
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
from audit_app.services.change_log import log_change
from audit_app.services.database import Database, current_actor
from audit_app.services.sample_record import (
    SAMPLE_COUNTS_KEPT,
    ReplacementRow,
    SampleRow,
    SampleSummary,
    SampleVerification,
    current_draw,
    draw_parameters,
    draw_strata_fields,
    get_sample,
    get_sample_summary,
    natural_key,
)
from audit_app.services.sampling_scope import Scope, read_scope

__all__ = ["SAMPLE_COUNTS_KEPT", "ReplacementRow", "SampleRow", "SampleSummary",
           "SampleVerification", "always_included_record", "draw_sample", "get_sample",
           "get_sample_summary", "natural_key", "preview_strata", "replace_case", "verify_sample"]


def _check_fields(strata_fields: Sequence[str]) -> None:
    for key in strata_fields:
        if key not in FIELDS_BY_KEY:
            known = ", ".join(sorted(FIELDS_BY_KEY))
            raise UserError(f"Cannot stratify by '{key}': not a case field. Fields: {known}")


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


def _checked_request(method: str, allocation: str, strata_fields: tuple[str, ...],
                     seed: int | None) -> tuple[SampleMethod, Allocation, int]:
    """The draw's method, allocation and seed, or a UserError saying what is wrong."""
    try:
        sample_method = SampleMethod(method)
    except ValueError:
        raise UserError(f"Unknown method '{method}': use random, systematic or stratified") from None
    try:
        sample_allocation = Allocation(allocation)
    except ValueError:
        raise UserError(f"Unknown allocation '{allocation}': use proportional or equal") from None
    if sample_method is SampleMethod.STRATIFIED and not strata_fields:
        raise UserError("A stratified sample needs fields to stratify by (e.g. outcome_code, area)")
    _check_fields(strata_fields)
    seed = seed if seed is not None else new_seed()
    if not 1 <= seed < 2**63:
        raise UserError("The seed must be a whole number from 1 upwards")
    return sample_method, sample_allocation, seed


def draw_sample(db: Database, *, audit_id: int, size: int, method: str = "random",
                strata_fields: Sequence[str] = (), seed: int | None = None,
                allocation: str = "proportional", where: str = "", include_always: str = "",
                exclude_reviewed: bool = False, quotas: Mapping[str, int] | None = None,
                actor: str | None = None, progress: ProgressCallback | None = None,
                cancelled: CancelCheck | None = None) -> SampleSummary:
    """Draw a new sample for the audit (under the newest draw rule); an earlier draw is kept
    but no longer current."""
    strata_fields = tuple(strata_fields)
    sample_method, sample_allocation, seed = _checked_request(method, allocation, strata_fields,
                                                              seed)
    actor = actor or current_actor()
    with db.transaction() as session, paused_gc():
        require_open_audit(session, audit_id, doing="no new sample can be drawn")
        scope = _read_scope_for(session, audit_id, sample_method, seed, RULE_VERSION,
                                strata_fields=strata_fields, where=where,
                                include_always=include_always, exclude_reviewed=exclude_reviewed,
                                progress=progress, cancelled=cancelled)
        population = scope.population
        if not len(population):
            raise UserError(_why_nothing_in_scope(where, scope.excluded_reviewed))
        drawn = draw(population, size=size, seed=seed, method=sample_method,
                     allocation=sample_allocation, quotas=quotas, always_include=scope.always,
                     rule=RULE_VERSION)
        check_cancelled(cancelled)
        draw_record = SampleDrawRecord(
            audit_id=audit_id, method=sample_method.value, seed=seed, rule_version=RULE_VERSION,
            parameters={"strata_fields": list(strata_fields), "allocation": sample_allocation.value,
                        "where": where, "include_always": include_always,
                        "exclude_reviewed": exclude_reviewed,
                        "excluded_reviewed": scope.excluded_reviewed,
                        "quotas": dict(quotas) if quotas is not None else None,
                        "strata_population": population.stratum_sizes()},
            population_fingerprint=population_fingerprint(population),
            population_size=len(population), sample_size=len(drawn), drawn_by=actor,
        )
        # Which cases the rule picked is known by position (they come first); the counts
        # let findings weight the rest. Counts only: references stay with the sample items.
        draw_record.parameters.update(always_included_record(drawn, len(scope.always),
                                                             sample_method))
        _store_draw(session, draw_record, drawn, actor=actor,
                    detail=f"method={sample_method.value} seed={seed} "
                           f"by={','.join(strata_fields)} where={where}")
    summary = get_sample_summary(db, audit_id=audit_id)
    assert summary is not None
    return summary


def _read_scope_for(session: Session, audit_id: int, method: SampleMethod, seed: int,
                    rule: int, **scope: Any) -> Scope:
    """The in-scope population, read with what the draw's rule makes its keys from: rule 1
    hashes each case with the seed as it is read, rule 2 reads the stored digests."""
    if rule == 1:
        return read_scope(session, audit_id, seed=_keyed_seed(method, seed), **scope)
    return read_scope(session, audit_id, digests=True, **scope)


def _store_draw(session: Session, draw_record: SampleDrawRecord, drawn: Sequence[DrawnUnit], *,
                actor: str, detail: str) -> None:
    """The new draw becomes the audit's current one, with its cases and a change-log row."""
    audit_id = draw_record.audit_id
    case_ids = _case_ids(session, audit_id, [d.reference for d in drawn])
    session.execute(update(SampleDrawRecord).where(SampleDrawRecord.audit_id == audit_id)
                    .values(is_current=False))
    session.add(draw_record)
    session.flush()
    session.add_all(SampleItemRecord(draw_id=draw_record.id, case_id=case_ids[d.reference],
                                     position=d.position, stratum=d.stratum) for d in drawn)
    log_change(session, actor=actor, audit_id=audit_id, entity="sample_draw",
               entity_id=draw_record.id, field="drawn", new=f"{len(drawn)} cases", detail=detail)


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


def _redraw(session: Session, record: SampleDrawRecord, progress: ProgressCallback | None = None,
            cancelled: CancelCheck | None = None) -> tuple[Scope, list[DrawnUnit]]:
    with paused_gc():
        params = draw_parameters(record)
        # The rule the draw was made under, so a draw made before rule 2 still re-checks.
        scope = _read_scope_for(session, record.audit_id, SampleMethod(record.method),
                                record.seed, record.rule_version,
                                strata_fields=draw_strata_fields(record),
                                where=str(params.get("where") or ""),
                                include_always=str(params.get("include_always") or ""),
                                exclude_reviewed=bool(params.get("exclude_reviewed")),
                                progress=progress, cancelled=cancelled)
        quotas = params.get("quotas")
        drawn = draw(scope.population, size=record.sample_size, seed=record.seed,
                     method=SampleMethod(record.method),
                     allocation=Allocation(str(params.get("allocation") or "proportional")),
                     quotas=quotas if isinstance(quotas, dict) else None,
                     always_include=scope.always,
                     rule=record.rule_version) if len(scope.population) else []
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
    actor = actor or current_actor()
    with db.transaction() as session:
        require_open_audit(session, audit_id, doing="its sample can no longer change")
        record = current_draw(session, audit_id)
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
        candidates = [r for r in draw_order(scope.population, item.stratum, record.seed,
                                             record.rule_version)
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
        record = current_draw(session, audit_id)
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
