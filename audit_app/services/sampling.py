"""Drawing and reading an audit's sample."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.errors import UserError
from audit_app.core.expressions import compile_condition
from audit_app.core.progress import CancelCheck, ProgressCallback, check_cancelled, report
from audit_app.core.sampling import (
    Allocation,
    SampleMethod,
    SamplingUnit,
    draw,
    new_seed,
    population_fingerprint,
)
from audit_app.db.models import CaseRecord, SampleDrawRecord, SampleItemRecord
from audit_app.services.audits import require_audit
from audit_app.services.cases import case_fields, to_row
from audit_app.services.change_log import log_change
from audit_app.services.database import Database, current_user
from audit_app.services.records import CaseRow


@dataclass(frozen=True)
class SampleSummary:
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
    strata: tuple[tuple[str, int, int], ...]  # (stratum, in population, in sample)


@dataclass(frozen=True)
class SampleRow:
    item_id: int
    position: int
    stratum: str
    status: str
    replaced_reason: str
    case: CaseRow


def stratum_label(fields: dict[str, Any], strata_fields: Sequence[str]) -> str:
    parts = []
    for key in strata_fields:
        value = fields.get(key)
        parts.append("(blank)" if value is None or value == "" else str(value))
    return " / ".join(parts)


def _check_strata_fields(strata_fields: Sequence[str]) -> None:
    for key in strata_fields:
        if key not in FIELDS_BY_KEY:
            known = ", ".join(sorted(FIELDS_BY_KEY))
            raise UserError(f"Cannot stratify by '{key}': not a case field. Fields: {known}")


def draw_sample(db: Database, *, audit_id: int, size: int, method: str = "random",
                strata_fields: Sequence[str] = (), seed: int | None = None,
                allocation: str = "proportional", where: str = "", actor: str | None = None,
                progress: ProgressCallback | None = None,
                cancelled: CancelCheck | None = None) -> SampleSummary:
    """Draw a new sample for the audit; an earlier draw is kept but no longer current."""
    try:
        sample_method = SampleMethod(method)
        sample_allocation = Allocation(allocation)
    except ValueError as exc:
        raise UserError(str(exc).replace("SampleMethod", "method")) from None
    strata_fields = tuple(strata_fields)
    if sample_method is SampleMethod.STRATIFIED and not strata_fields:
        raise UserError("A stratified sample needs --by FIELD (e.g. outcome_code or area)")
    _check_strata_fields(strata_fields)
    predicate = compile_condition(where, fields=set(FIELDS_BY_KEY))
    seed = seed if seed is not None else new_seed()
    actor = actor or current_user()
    with db.transaction() as session:
        require_audit(session, audit_id)
        records = session.scalars(select(CaseRecord).where(
            CaseRecord.audit_id == audit_id, CaseRecord.removed.is_(False))).all()
        units: list[SamplingUnit] = []
        for index, record in enumerate(records):
            fields = case_fields(record)
            if predicate(fields):
                units.append(SamplingUnit(record.id, record.reference,
                                          stratum_label(fields, strata_fields)))
            if index % 5000 == 0:
                report(progress, index, len(records))
                check_cancelled(cancelled)
        if not units:
            raise UserError("No cases are in scope: import a population first"
                            + (" or loosen the filter" if where else ""))
        drawn = draw(units, size=size, seed=seed, method=sample_method,
                     allocation=sample_allocation)
        session.execute(update(SampleDrawRecord).where(SampleDrawRecord.audit_id == audit_id)
                        .values(is_current=False))
        draw_record = SampleDrawRecord(
            audit_id=audit_id, method=sample_method.value, seed=seed,
            parameters={"strata_fields": list(strata_fields), "allocation": sample_allocation.value,
                        "where": where},
            population_fingerprint=population_fingerprint(units), population_size=len(units),
            sample_size=len(drawn), drawn_by=actor,
        )
        session.add(draw_record)
        session.flush()
        session.add_all(SampleItemRecord(draw_id=draw_record.id, case_id=d.case_id, position=d.position,
                                         stratum=d.stratum) for d in drawn)
        log_change(session, actor=actor, audit_id=audit_id, entity="sample_draw",
                   entity_id=draw_record.id, field="drawn", new=f"{len(drawn)} cases",
                   detail=f"method={sample_method.value} seed={seed} by={','.join(strata_fields)}"
                          f" where={where}")
        report(progress, len(records), len(records))
        draw_id = draw_record.id
    summary = get_sample_summary(db, audit_id=audit_id)
    assert summary is not None and summary.draw_id == draw_id
    return summary


def get_sample_summary(db: Database, *, audit_id: int) -> SampleSummary | None:
    with db.reading() as session:
        record = session.scalar(select(SampleDrawRecord).where(
            SampleDrawRecord.audit_id == audit_id, SampleDrawRecord.is_current.is_(True)))
        if record is None:
            return None
        params = record.parameters or {}
        raw_fields = params.get("strata_fields", [])
        strata_fields = tuple(str(f) for f in raw_fields) if isinstance(raw_fields, list) else ()
        in_sample: dict[str, int] = {}
        for item in record.items:
            if item.status != "replaced":
                in_sample[item.stratum] = in_sample.get(item.stratum, 0) + 1
        predicate = compile_condition(str(params.get("where", "")))
        in_population: dict[str, int] = {}
        for case in session.scalars(select(CaseRecord).where(
                CaseRecord.audit_id == audit_id, CaseRecord.removed.is_(False))):
            fields = case_fields(case)
            if predicate(fields):
                label = stratum_label(fields, strata_fields)
                in_population[label] = in_population.get(label, 0) + 1
        strata = tuple(sorted((name, count, in_sample.get(name, 0))
                              for name, count in in_population.items()))
        return SampleSummary(
            draw_id=record.id, audit_id=audit_id, method=record.method, seed=record.seed,
            size=record.sample_size, population_size=record.population_size,
            fingerprint=record.population_fingerprint, strata_fields=strata_fields,
            allocation=str(params.get("allocation", "")), where=str(params.get("where", "")),
            drawn_at=record.drawn_at, drawn_by=record.drawn_by, strata=strata,
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
