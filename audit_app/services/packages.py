"""Review packages: a member scores offline on their own laptop; the chair merges it back.

1. The chair exports a package for a member: the audit's framework, the sampled cases with
   only the fields the chair allows, and that member's existing answers (the *base*).
   It is sealed with the audit's package passphrase (`package_keys`), which the chair
   gives the member by another route.
2. The member opens it (`open_package`) with the passphrase: their database gets a copy
   of the audit, marked as a package copy, and they score as usual.
3. The member exports a package from the copy, with the same passphrase: it carries their
   answers and the base the chair sent. The chair imports it (`import_package`).

A package that does not authenticate (wrong passphrase, any byte changed, a forgery) is
refused before anything is read or recorded, so it can never block the genuine one.
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

from audit_app.core.case_fields import CASE_FIELDS, FIELDS_BY_KEY
from audit_app.core.errors import AuditNotOpenError, InvalidFileError, UserError
from audit_app.core.framework import framework_from_dict
from audit_app.core.scoring import own_scales
from audit_app.db.base import utcnow
from audit_app.db.models import (
    AuditRecord,
    CaseRecord,
    FrameworkRecord,
    ImportedPackageRecord,
    MergeConflictRecord,
    SampleDrawRecord,
    SampleItemRecord,
)
from audit_app.io.package_crypto import make_key_check
from audit_app.io.review_package import PackageFile, read_package, write_package
from audit_app.services.audits import get_audit, require_audit, require_open_audit, standing_of
from audit_app.services.change_log import log_change
from audit_app.services.database import Database, current_actor
from audit_app.services.frameworks import save_framework
from audit_app.services.package_items import (
    NO_RESOLVING,
    ConflictRow,
    Item,
    ItemWriter,
    criterion_codes,
    describe_item,
    find_reviewer,
    item_label,
    items_of,
    list_conflicts,
    member_review,
    resolve_conflict,
    reviewer_record,
    show_item,
    typed_value,
)
from audit_app.services.package_keys import confirm_passphrase
from audit_app.services.records import AuditSummary

__all__ = ["NO_RESOLVING", "ConflictRow", "Item", "MergeResult", "PackageSummary",
           "describe_item", "export_package", "import_package", "item_label", "list_conflicts",
           "open_package", "resolve_conflict"]

DEFAULT_FIELDS = tuple(f.key for f in CASE_FIELDS if not f.personal)
# How a closed audit's refusal ends: "This audit was closed on <date>, so ...".
NO_PACKAGES_TO_SCORE = "no review packages can be made to score it"
NO_MERGE = "no member's scores can be merged into it"


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


# --- export --------------------------------------------------------------------------

def export_package(db: Database, *, audit_id: int, reviewer: str, path: Path,
                   passphrase: str, fields: Sequence[str] | None = None,
                   actor: str | None = None) -> PackageSummary:
    """Write a package of the audit's sample and `reviewer`'s answers to `path`, sealed
    with the audit's package passphrase (the first one given for an audit sets it)."""
    reviewer = " ".join(reviewer.split())
    if not reviewer:
        raise UserError("Name the panel member the package is for")
    allowed = list(fields) if fields is not None else list(DEFAULT_FIELDS)
    for key in allowed:
        if key not in FIELDS_BY_KEY:
            raise UserError(f"'{key}' is not a case field")
    # One transaction: a passphrase set by this export is kept only if the file is written.
    with db.transaction() as session:
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
        key_check = confirm_passphrase(session, audit, passphrase,
                                       actor=actor or current_actor())
        manifest, payload = _contents(session, audit, draw, reviewer, allowed)
        payload["key_check"] = key_check
        write_package(path, manifest, payload, passphrase)
    answers: dict[str, dict[str, Item]] = payload["answers"]
    return PackageSummary(path, manifest["package_id"], audit.name, reviewer,
                          len(payload["cases"]), sum(len(v) for v in answers.values()))


def _contents(session: Session, audit: AuditRecord, draw: SampleDrawRecord, reviewer: str,
              allowed: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest and payload of a package of `draw` for `reviewer`."""
    codes = criterion_codes(session, audit.framework_id)
    person = find_reviewer(session, reviewer)
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
        answers[case.reference] = items_of(
            session, member_review(session, audit.id, case.id, person), codes)
    # A member's copy sends back the base the chair sent; the chair's export is its own base.
    base = origin.get("base") if origin else answers
    manifest: dict[str, Any] = {
        "package_id": str(uuid.uuid4()), "created_at": utcnow().isoformat(),
        "audit_uid": audit.uid, "audit_name": audit.name, "reviewer": reviewer,
        "direction": "from_member" if origin else "to_member",
        "source_package_id": origin.get("package_id", ""),
    }
    payload = {"framework": audit.framework.definition, "fields": allowed, "cases": cases,
               "answers": answers, "base": base}
    return manifest, payload


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _damaged(path: Path, doing: str) -> InvalidFileError:
    return InvalidFileError(f"{path.name} is damaged: its contents cannot be read; nothing "
                            f"was {doing}")


def _manifest_text(package: PackageFile, key: str, path: Path, doing: str) -> str:
    value = package.manifest.get(key)
    if not isinstance(value, str) or not value.strip() or len(value) > 200:
        raise _damaged(path, doing)
    return value


# --- opening a package on a member's laptop -------------------------------------------

def open_package(db: Database, *, path: Path, passphrase: str) -> AuditSummary:
    """Create the member's working copy of the audit from a chair's package."""
    package = read_package(path, passphrase, doing="opened")
    manifest, payload = package.manifest, package.payload
    uid = _manifest_text(package, "audit_uid", path, "opened")
    if manifest.get("direction") == "from_member":
        raise UserError(f"{path.name} is a member's package for the chair: the chair merges "
                        "it with Import package; nothing was opened")
    with db.reading() as session:
        existing = session.scalar(select(AuditRecord).where(AuditRecord.uid == uid))
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
        raise _damaged(path, "opened") from exc
    # The chair's check travels inside: the member's package back must use the same passphrase.
    key_check = str(payload.get("key_check") or "") or make_key_check(passphrase)
    summary = save_framework(db, framework)
    try:
        audit_id = _make_copy(db, package, uid, summary.id, fields, cases, key_check, path)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _damaged(path, "opened") from exc
    return get_audit(db, audit_id)


def _make_copy(db: Database, package: PackageFile, uid: str, framework_id: int,
               fields: list[str], cases: list[dict[str, Any]], key_check: str,
               path: Path) -> int:
    manifest, payload = package.manifest, package.payload
    reviewer = _manifest_text(package, "reviewer", path, "opened")
    package_id = _manifest_text(package, "package_id", path, "opened")
    with db.transaction() as session:
        audit = AuditRecord(name=str(manifest.get("audit_name") or "Review package"),
                            framework_id=framework_id, uid=uid,
                            description=f"Review package for {reviewer}",
                            package_key_check=key_check,
                            origin={"package_id": package_id, "reviewer": reviewer,
                                    "base": payload.get("base", {}), "fields": fields})
        session.add(audit)
        session.flush()
        rows = [{"audit_id": audit.id, "reference": str(c["reference"]), "extra": {},
                 **{k: typed_value(k, c["fields"].get(k)) for k in fields}} for c in cases]
        if rows:
            session.execute(insert(CaseRecord), rows)
        ids = dict(session.execute(select(CaseRecord.reference, CaseRecord.id).where(
            CaseRecord.audit_id == audit.id)).all())
        draw = SampleDrawRecord(audit_id=audit.id, method="package", seed=1,
                                population_fingerprint="", population_size=len(cases),
                                sample_size=len(cases), drawn_by=reviewer,
                                parameters={"from_package": package_id})
        session.add(draw)
        session.flush()
        session.add_all(SampleItemRecord(draw_id=draw.id, case_id=ids[str(c["reference"])],
                                         position=int(c["position"]), stratum=str(c["stratum"]))
                        for c in cases)
        person = reviewer_record(session, reviewer)
        codes = {v: k for k, v in criterion_codes(session, framework_id).items()}
        framework = session.get(FrameworkRecord, framework_id)
        assert framework is not None
        writer = ItemWriter(session, audit.id, person, codes, framework.scale, actor=reviewer,
                            why=f"opened from package {package_id}",
                            scales=own_scales(framework.definition))
        for reference, items in dict(payload.get("answers", {})).items():
            for name, item in _answers_first(items):
                writer.add(ids[reference], name, item)
        writer.write()
        log_change(session, actor=reviewer, audit_id=audit.id, entity="package",
                   field="opened", new=package_id, detail=path.name)
        return audit.id


# --- merging a member's package into the master ---------------------------------------

def import_package(db: Database, *, path: Path, passphrase: str,
                   actor: str | None = None) -> MergeResult:
    """Merge a member's package into this (the chair's) database.

    Nothing is recorded for a package that does not authenticate, so a forged or damaged
    file never stands in the way of the genuine one."""
    actor = actor or current_actor()
    package = read_package(path, passphrase)
    package_id = _manifest_text(package, "package_id", path, "imported")
    reviewer = " ".join(_manifest_text(package, "reviewer", path, "imported").split())
    uid = _manifest_text(package, "audit_uid", path, "imported")
    if package.manifest.get("direction") != "from_member":
        raise UserError(f"{path.name} is a package made for a member to open, not one a "
                        "member sent back; nothing was imported")
    with db.transaction() as session:
        audit = session.scalar(select(AuditRecord).where(AuditRecord.uid == uid))
        if audit is None:
            raise InvalidFileError(f"{path.name} belongs to an audit that is not in this "
                                   "database; nothing was imported")
        if audit.origin:
            raise UserError("This database holds a member's copy of the audit; import packages "
                            "into the chair's database")
        done = session.scalar(select(ImportedPackageRecord).where(
            ImportedPackageRecord.package_id == package_id))
        if done is not None:  # nothing to write: say so, whatever the audit's standing
            if done.checksum != package.checksum:
                raise InvalidFileError(
                    f"{path.name} has the same package number as one imported on "
                    f"{done.imported_at:%d %B %Y} but different contents; nothing was imported")
            return MergeResult(package_id, audit.id, reviewer, True, 0, 0, 0)
        require_open_audit(session, audit.id, doing=NO_MERGE)
        try:
            counts = _merge(session, audit, package, package_id, reviewer, path, actor=actor)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise _damaged(path, "imported") from exc
        applied, unchanged, conflicts = counts
        session.add(ImportedPackageRecord(audit_id=audit.id, package_id=package_id,
                                          reviewer=reviewer, checksum=package.checksum,
                                          applied=applied, conflicts=conflicts,
                                          imported_by=actor))
        log_change(session, actor=actor, audit_id=audit.id, entity="package", field="merged",
                   new=package_id, detail=f"{reviewer}: {applied} applied, {unchanged} unchanged, "
                                          f"{conflicts} conflicts")
        return MergeResult(package_id, audit.id, reviewer, False, applied, unchanged, conflicts)


def _merge(session: Session, audit: AuditRecord, package: PackageFile, package_id: str,
           reviewer: str, path: Path, *, actor: str) -> tuple[int, int, int]:
    """Three-way merge of the package's items; (applied, unchanged, conflicts)."""
    payload = package.payload
    if framework_from_dict(payload.get("framework")) != framework_from_dict(
            audit.framework.definition):
        raise InvalidFileError(f"{path.name} was made with a different version of the "
                               "framework; nothing was imported")
    case_ids = dict(session.execute(select(CaseRecord.reference, CaseRecord.id).where(
        CaseRecord.audit_id == audit.id)).all())
    answers: dict[str, dict[str, Item]] = dict(payload.get("answers") or {})
    base: dict[str, dict[str, Item]] = dict(payload.get("base") or {})
    unknown = (set(answers) | set(base)) - set(case_ids)
    if unknown:  # counted, not listed: references are case data
        raise InvalidFileError(f"{path.name} has {len(unknown)} cases this audit does not; "
                               "nothing was imported")
    person = reviewer_record(session, reviewer)
    codes = {v: k for k, v in criterion_codes(session, audit.framework_id).items()}
    by_id = {v: k for k, v in codes.items()}
    applied = unchanged = conflicts = 0
    why = f"merged from package {package_id} ({path.name})"
    writer = ItemWriter(session, audit.id, person, codes, audit.framework.scale, actor=actor,
                        why=why, scales=own_scales(audit.framework.definition))
    for reference in sorted(set(answers) | set(base)):
        case_id = case_ids[reference]
        theirs_all = answers.get(reference, {})
        base_all = base.get(reference, {})
        ours_all = items_of(session, member_review(session, audit.id, case_id, person), by_id)
        for name, _ in _answers_first(dict.fromkeys(set(theirs_all) | set(base_all))):
            theirs, before, ours = theirs_all.get(name), base_all.get(name), ours_all.get(name)
            if theirs in (before, ours):
                unchanged += 1
            elif ours == before:
                writer.add(case_id, name, theirs)
                applied += 1
            else:
                session.add(MergeConflictRecord(
                    audit_id=audit.id, case_id=case_id, reviewer_id=person.id,
                    package_id=package_id, item=name, base_value=before,
                    master_value=ours, package_value=theirs))
                log_change(session, actor=actor, audit_id=audit.id, entity="merge_conflict",
                           case_id=case_id, field=name, old=show_item(ours),
                           new=show_item(theirs), detail=f"conflict: {why}")
                conflicts += 1
    writer.write()  # the answers in sets, then the case details
    return applied, unchanged, conflicts


def _answers_first(items: dict[str, Any]) -> list[tuple[str, Any]]:
    """Answers (by criterion code) before case details ("@status" last of all), so that an
    answer's edit, which reopens a completed review, never undoes the package's status."""
    return sorted(items.items(), key=lambda item: (item[0].startswith("@"),
                                                   item[0] == "@status", item[0]))
