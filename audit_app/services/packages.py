"""Review packages: a member scores offline on their own laptop; the chair merges it back.

1. The chair exports a package for a member: the audit's framework, the sampled cases with
   only the fields the chair allows, and that member's existing answers (the *base*).
2. The member opens it (`open_package`): their database gets a copy of the audit, marked as
   a package copy, and they score as usual.
3. The member exports a package from the copy: it carries their answers and the base the
   chair sent. The chair imports it (`import_package`).

Merging is three-way per item (answer or case detail): the member's value, the master's
value and the base. A member's change applies only where the master still holds the base;
where both sides changed differently the item becomes a conflict for the chair, never
overwritten silently. Importing the same package twice changes nothing; every change and
conflict is in the change log. A merge is one transaction: all of it lands, or none.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from audit_app.core.answers import Answer, ReviewStatus, Verdict
from audit_app.core.case_fields import CASE_FIELDS, FIELDS_BY_KEY
from audit_app.core.errors import AuditNotOpenError, InvalidFileError, NotFoundError, UserError
from audit_app.core.framework import framework_from_dict
from audit_app.db.base import utcnow
from audit_app.db.models import (
    AnswerRecord,
    AuditRecord,
    CaseRecord,
    CriterionRecord,
    ImportedPackageRecord,
    MergeConflictRecord,
    ReviewerRecord,
    ReviewRecord,
    SampleDrawRecord,
    SampleItemRecord,
)
from audit_app.io.review_package import read_package, write_package
from audit_app.services.audits import get_audit, require_audit, require_open_audit, standing_of
from audit_app.services.change_log import log_change
from audit_app.services.database import Database, current_user
from audit_app.services.frameworks import save_framework
from audit_app.services.records import AuditSummary

Item = dict[str, Any] | None  # {"value": ..., "note": ...} or None for "nothing entered"
DETAIL_FIELDS = ("verdict", "learning_points", "good_practice", "feedback",
                 "urgent_safeguarding", "status")
DEFAULT_FIELDS = tuple(f.key for f in CASE_FIELDS if not f.personal)
# How a closed audit's refusal ends: "This audit was closed on <date>, so ...".
NO_PACKAGES_TO_SCORE = "no review packages can be made to score it"
NO_MERGE = "no member's scores can be merged into it"
NO_RESOLVING = "its merge conflicts can no longer be settled"


@dataclass(frozen=True)
class PackageSummary:
    path: Path
    package_id: str
    audit_name: str
    reviewer: str
    cases: int
    answers: int


@dataclass(frozen=True)
class MergeResult:
    package_id: str
    audit_id: int
    reviewer: str
    already_imported: bool
    applied: int
    unchanged: int
    conflicts: int


@dataclass(frozen=True)
class ConflictRow:
    id: int
    case_reference: str
    reviewer: str
    item: str
    base: Item
    master: Item
    package: Item
    status: str
    resolution: str


# --- reading a member's review as package items --------------------------------------

def _member_review(session: Session, audit_id: int, case_id: int,
                   reviewer: ReviewerRecord | None) -> ReviewRecord | None:
    if reviewer is None:
        return None
    return session.scalar(select(ReviewRecord).where(
        ReviewRecord.audit_id == audit_id, ReviewRecord.case_id == case_id,
        ReviewRecord.reviewer_id == reviewer.id, ReviewRecord.kind == "member"))


def _items_of(session: Session, review: ReviewRecord | None,
              codes: dict[int, str]) -> dict[str, Item]:
    """Every answer and case detail of a review, keyed by criterion code or detail name."""
    if review is None:
        return {}
    items: dict[str, Item] = {}
    for answer in session.scalars(select(AnswerRecord).where(AnswerRecord.review_id == review.id)):
        items[codes[answer.criterion_id]] = {"value": answer.value, "note": answer.note}
    for name in DETAIL_FIELDS:
        value = getattr(review, name)
        if value not in (None, "", False) and not (name == "status" and value == "not_started"):
            items[f"@{name}"] = {"value": value}
    return items


def _find_reviewer(session: Session, name: str) -> ReviewerRecord | None:
    return session.scalar(select(ReviewerRecord).where(ReviewerRecord.name == name))


def _criterion_codes(session: Session, framework_id: int) -> dict[int, str]:
    return dict(session.execute(select(CriterionRecord.id, CriterionRecord.code).where(
        CriterionRecord.framework_id == framework_id)).all())


# --- export --------------------------------------------------------------------------

def export_package(db: Database, *, audit_id: int, reviewer: str, path: Path,
                   fields: Sequence[str] | None = None) -> PackageSummary:
    """Write a package of the audit's sample and `reviewer`'s answers to `path`."""
    reviewer = " ".join(reviewer.split())
    if not reviewer:
        raise UserError("Name the panel member the package is for")
    allowed = list(fields) if fields is not None else list(DEFAULT_FIELDS)
    for key in allowed:
        if key not in FIELDS_BY_KEY:
            raise UserError(f"'{key}' is not a case field")
    with db.reading() as session:
        audit = require_audit(session, audit_id)
        # A chair's package is for scoring, so a closed audit makes none. A member's copy
        # sends scores back to be merged: the chair's audit decides whether they go in.
        standing = standing_of(session, audit)
        if standing.case_data_deleted or (not standing.is_open and not audit.origin):
            raise AuditNotOpenError(standing.refusal(NO_PACKAGES_TO_SCORE) or "")
        draw = session.scalar(select(SampleDrawRecord).where(
            SampleDrawRecord.audit_id == audit_id, SampleDrawRecord.is_current.is_(True)))
        if draw is None:
            raise UserError("Draw the sample before making review packages")
        codes = _criterion_codes(session, audit.framework_id)
        person = _find_reviewer(session, reviewer)
        origin = dict(audit.origin or {})
        cases: list[dict[str, Any]] = []
        answers: dict[str, dict[str, Item]] = {}
        for item in draw.items:
            if item.status == "replaced":
                continue
            case = session.get(CaseRecord, item.case_id)
            assert case is not None
            cases.append({"reference": case.reference, "position": item.position,
                          "stratum": item.stratum,
                          "fields": {k: _plain(getattr(case, k)) for k in allowed}})
            answers[case.reference] = _items_of(
                session, _member_review(session, audit_id, case.id, person), codes)
        # A member's copy sends back the base the chair sent; the chair's export is its own base.
        base = origin.get("base") if origin else answers
        package_id = str(uuid.uuid4())
        manifest: dict[str, Any] = {
            "package_id": package_id, "created_at": utcnow().isoformat(),
            "audit_uid": audit.uid, "audit_name": audit.name, "reviewer": reviewer,
            "direction": "from_member" if origin else "to_member",
            "source_package_id": origin.get("package_id", ""),
        }
        payload = {"framework": audit.framework.definition, "fields": allowed, "cases": cases,
                   "answers": answers, "base": base}
    write_package(path, manifest, payload)
    return PackageSummary(path, package_id, audit.name, reviewer,
                          len(cases), sum(len(v) for v in answers.values()))


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# --- opening a package on a member's laptop -------------------------------------------

def open_package(db: Database, *, path: Path) -> AuditSummary:
    """Create the member's working copy of the audit from a chair's package."""
    package = read_package(path)
    manifest, payload = package.manifest, package.payload
    with db.reading() as session:
        existing = session.scalar(select(AuditRecord).where(
            AuditRecord.uid == str(manifest.get("audit_uid"))))
        if existing is not None:
            raise UserError(
                f"The audit '{existing.name}' is already in this database (audit {existing.id}). "
                + ("To send scores back, export a package from it." if existing.origin else
                   "To merge a member's scores, use Import package instead."))
    try:
        framework = framework_from_dict(payload["framework"])
        cases = list(payload["cases"])
        fields = [str(f) for f in payload["fields"] if str(f) in FIELDS_BY_KEY]
    except (KeyError, TypeError, UserError) as exc:
        raise InvalidFileError(f"{path.name} is damaged: {exc}") from exc
    summary = save_framework(db, framework)
    reviewer = str(manifest["reviewer"])
    with db.transaction() as session:
        audit = AuditRecord(name=str(manifest["audit_name"]), framework_id=summary.id,
                            uid=str(manifest["audit_uid"]),
                            description=f"Review package for {reviewer}",
                            origin={"package_id": manifest["package_id"], "reviewer": reviewer,
                                    "base": payload.get("base", {}), "fields": fields})
        session.add(audit)
        session.flush()
        rows = [{"audit_id": audit.id, "reference": str(c["reference"]), "extra": {},
                 **{k: _typed(k, c["fields"].get(k)) for k in fields}} for c in cases]
        if rows:
            session.execute(insert(CaseRecord), rows)
        ids = dict(session.execute(select(CaseRecord.reference, CaseRecord.id).where(
            CaseRecord.audit_id == audit.id)).all())
        draw = SampleDrawRecord(audit_id=audit.id, method="package", seed=1,
                                population_fingerprint="", population_size=len(cases),
                                sample_size=len(cases), drawn_by=reviewer,
                                parameters={"from_package": manifest["package_id"]})
        session.add(draw)
        session.flush()
        session.add_all(SampleItemRecord(draw_id=draw.id, case_id=ids[str(c["reference"])],
                                         position=int(c["position"]), stratum=str(c["stratum"]))
                        for c in cases)
        person = _reviewer_record(session, reviewer)
        codes = {v: k for k, v in _criterion_codes(session, summary.id).items()}
        for reference, items in dict(payload.get("answers", {})).items():
            for name, item in items.items():
                _apply(session, audit.id, ids[reference], person, codes, name, item,
                       actor=reviewer, why=f"opened from package {manifest['package_id']}")
        log_change(session, actor=reviewer, audit_id=audit.id, entity="package",
                   field="opened", new=manifest["package_id"], detail=path.name)
        audit_id = audit.id
    return get_audit(db, audit_id)


def _typed(key: str, value: Any) -> Any:
    if value is None:
        return None
    kind = FIELDS_BY_KEY[key].kind.value
    if kind == "date":
        return dt.date.fromisoformat(str(value))
    if kind == "integer":
        return int(value)
    if kind == "flag":
        return bool(value)
    return value


def _reviewer_record(session: Session, name: str) -> ReviewerRecord:
    person = _find_reviewer(session, name)
    if person is None:
        person = ReviewerRecord(name=name)
        session.add(person)
        session.flush()
    return person


# --- applying one item ----------------------------------------------------------------

def _apply(session: Session, audit_id: int, case_id: int, person: ReviewerRecord,
           codes: dict[str, int], name: str, item: Item, *, actor: str, why: str) -> None:
    """Set one answer or case detail of `person`'s review to `item`, with a change-log row."""
    review = _member_review(session, audit_id, case_id, person)
    if review is None:
        review = ReviewRecord(audit_id=audit_id, case_id=case_id, reviewer_id=person.id,
                              kind="member", status=ReviewStatus.IN_PROGRESS.value,
                              started_at=utcnow())
        session.add(review)
        session.flush()
    if name.startswith("@"):
        field = name[1:]
        if field not in DETAIL_FIELDS:
            raise InvalidFileError(f"Unknown case detail '{field}' in the package")
        value = None if item is None else item.get("value")
        if field == "verdict" and value is not None:
            value = Verdict(str(value)).value
        if field == "status":
            value = ReviewStatus(str(value)).value if value else ReviewStatus.IN_PROGRESS.value
        if field == "urgent_safeguarding":
            value = bool(value)
        if field in ("learning_points", "good_practice", "feedback"):
            value = str(value or "")
        old = getattr(review, field)
        setattr(review, field, value)
        log_change(session, actor=actor, audit_id=audit_id, entity="review", entity_id=review.id,
                   case_id=case_id, field=field, old=old, new=value, detail=why)
        return
    if name not in codes:
        raise InvalidFileError(f"The package answers criterion '{name}', which is not in this "
                               "audit's framework")
    existing = session.scalar(select(AnswerRecord).where(
        AnswerRecord.review_id == review.id, AnswerRecord.criterion_id == codes[name]))
    old = existing.value if existing else None
    if item is None:
        if existing is not None:
            session.delete(existing)
    else:
        answer = Answer(str(item.get("value")))
        if existing is None:
            session.add(AnswerRecord(review_id=review.id, criterion_id=codes[name],
                                     value=answer.value, note=str(item.get("note") or ""),
                                     entered_by=person.name))
        else:
            existing.value = answer.value
            existing.note = str(item.get("note") or "")
            existing.entered_by = person.name
            existing.updated_at = utcnow()
    review.updated_at = utcnow()
    log_change(session, actor=actor, audit_id=audit_id, entity="answer", case_id=case_id,
               field=name, old=old, new=None if item is None else item.get("value"), detail=why)


# --- merging a member's package into the master ---------------------------------------

def import_package(db: Database, *, path: Path, actor: str | None = None) -> MergeResult:
    """Merge a member's package into this (the chair's) database."""
    actor = actor or current_user()
    package = read_package(path)
    manifest, payload = package.manifest, package.payload
    package_id = str(manifest.get("package_id", ""))
    reviewer = str(manifest.get("reviewer", ""))
    with db.transaction() as session:
        audit = session.scalar(select(AuditRecord).where(
            AuditRecord.uid == str(manifest.get("audit_uid"))))
        if audit is None:
            raise InvalidFileError(
                f"{path.name} belongs to the audit '{manifest.get('audit_name')}', which is not "
                "in this database; nothing was imported")
        if audit.origin:
            raise UserError("This database holds a member's copy of the audit; import packages "
                            "into the chair's database")
        done = session.scalar(select(ImportedPackageRecord).where(
            ImportedPackageRecord.package_id == package_id))
        if done is not None:  # nothing to write: say so, whatever the audit's standing
            return MergeResult(package_id, audit.id, reviewer, True, 0, 0, 0)
        require_open_audit(session, audit.id, doing=NO_MERGE)
        if framework_from_dict(payload.get("framework")) != framework_from_dict(
                audit.framework.definition):
            raise InvalidFileError(f"{path.name} was made with a different version of the "
                                   "framework; nothing was imported")
        case_ids = dict(session.execute(select(CaseRecord.reference, CaseRecord.id).where(
            CaseRecord.audit_id == audit.id)).all())
        answers: dict[str, dict[str, Item]] = dict(payload.get("answers") or {})
        base: dict[str, dict[str, Item]] = dict(payload.get("base") or {})
        unknown = sorted(set(answers) - set(case_ids))
        if unknown:
            raise InvalidFileError(f"{path.name} has cases this audit does not: "
                                   f"{', '.join(unknown[:5])}; nothing was imported")
        person = _reviewer_record(session, reviewer)
        codes = {v: k for k, v in _criterion_codes(session, audit.framework_id).items()}
        by_id = {v: k for k, v in codes.items()}
        applied = unchanged = conflicts = 0
        why = f"merged from package {package_id} ({path.name})"
        for reference in sorted(set(answers) | set(base)):
            case_id = case_ids[reference]
            theirs_all = answers.get(reference, {})
            base_all = base.get(reference, {})
            ours_all = _items_of(session, _member_review(session, audit.id, case_id, person),
                                 by_id)
            for name in sorted(set(theirs_all) | set(base_all)):
                theirs, before, ours = theirs_all.get(name), base_all.get(name), ours_all.get(name)
                if theirs in (before, ours):
                    unchanged += 1
                elif ours == before:
                    _apply(session, audit.id, case_id, person, codes, name, theirs,
                           actor=actor, why=why)
                    applied += 1
                else:
                    session.add(MergeConflictRecord(
                        audit_id=audit.id, case_id=case_id, reviewer_id=person.id,
                        package_id=package_id, item=name, base_value=before,
                        master_value=ours, package_value=theirs))
                    log_change(session, actor=actor, audit_id=audit.id, entity="merge_conflict",
                               case_id=case_id, field=name, old=_show(ours), new=_show(theirs),
                               detail=f"conflict: {why}")
                    conflicts += 1
        session.add(ImportedPackageRecord(audit_id=audit.id, package_id=package_id,
                                          reviewer=reviewer, checksum=package.checksum,
                                          applied=applied, conflicts=conflicts,
                                          imported_by=actor))
        log_change(session, actor=actor, audit_id=audit.id, entity="package", field="merged",
                   new=package_id, detail=f"{reviewer}: {applied} applied, {unchanged} unchanged, "
                                          f"{conflicts} conflicts")
        return MergeResult(package_id, audit.id, reviewer, False, applied, unchanged, conflicts)


def _show(item: Item) -> str | None:
    return None if item is None else describe_item(item)


def describe_item(item: Item) -> str:
    """An answer or case detail in a line: 'not_met – No history check on file'."""
    if item is None:
        return "(nothing entered)"
    note = f" – {item['note']}" if item.get("note") else ""
    return f"{item.get('value')}{note}"


def list_conflicts(db: Database, *, audit_id: int, open_only: bool = True) -> list[ConflictRow]:
    with db.reading() as session:
        query = (select(MergeConflictRecord, CaseRecord.reference, ReviewerRecord.name)
                 .join(CaseRecord, MergeConflictRecord.case_id == CaseRecord.id)
                 .join(ReviewerRecord, MergeConflictRecord.reviewer_id == ReviewerRecord.id)
                 .where(MergeConflictRecord.audit_id == audit_id)
                 .order_by(MergeConflictRecord.id))
        if open_only:
            query = query.where(MergeConflictRecord.status == "open")
        return [ConflictRow(c.id, reference, name, c.item, c.base_value, c.master_value,
                            c.package_value, c.status, c.resolution)
                for c, reference, name in session.execute(query).all()]


def resolve_conflict(db: Database, *, conflict_id: int, keep: str, chair: str) -> ConflictRow:
    """Settle a conflict by keeping the master's value or taking the package's."""
    if keep not in ("master", "package"):
        raise UserError("Keep either 'master' or 'package'")
    with db.transaction() as session:
        conflict = session.get(MergeConflictRecord, conflict_id)
        if conflict is None:
            raise NotFoundError(f"No merge conflict {conflict_id}")
        if conflict.status != "open":
            raise UserError(f"Conflict {conflict_id} was already resolved")
        audit = require_open_audit(session, conflict.audit_id, doing=NO_RESOLVING)
        person = session.get(ReviewerRecord, conflict.reviewer_id)
        assert person is not None
        if keep == "package":
            codes = {v: k for k, v in _criterion_codes(session, audit.framework_id).items()}
            _apply(session, audit.id, conflict.case_id, person, codes, conflict.item,
                   conflict.package_value, actor=chair,
                   why=f"conflict {conflict_id} resolved: package value taken")
        conflict.status = "resolved"
        conflict.resolution = keep
        conflict.resolved_by = chair
        conflict.resolved_at = utcnow()
        log_change(session, actor=chair, audit_id=audit.id, entity="merge_conflict",
                   entity_id=conflict.id, case_id=conflict.case_id, field=conflict.item,
                   new=f"kept {keep}", detail="resolved")
        audit_id = audit.id
    return next(c for c in list_conflicts(db, audit_id=audit_id, open_only=False)
                if c.id == conflict_id)
