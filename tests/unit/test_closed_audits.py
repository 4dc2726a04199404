"""A closed audit is final and a purged one has nothing left to change: every write refuses.

Each refused write must say why in plain English and leave every table exactly as it was.
Reading, exporting, actions and the retention date stay open; the chair can reopen a
closed audit (logged), never a purged one.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from audit_app.core.answers import Answer
from audit_app.core.errors import AuditNotOpenError, UserError
from audit_app.db.base import Base
from audit_app.db.models import ActionRecord
from audit_app.services import (
    actions,
    audits,
    moderation,
    packages,
    retention,
    sampling,
    scoresheet,
    scoring,
)
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database, open_database
from audit_app.services.demo import REVIEWERS, create_demo
from audit_app.services.export import export_workbook
from audit_app.services.frameworks import get_framework
from audit_app.services.population_import import import_population
from tests.helpers.extract_files import write_csv
from tests.helpers.templates import copy_sqlite, own_data_dir

PASSPHRASE = "correct horse battery staple"  # at least ten characters

CHAIR, MEMBER = REVIEWERS[0][0], REVIEWERS[1][0]  # the demo's chair, and a member
PAST = dt.date(2020, 1, 31)
CLOSED_WORDS = (r"^This audit was closed on \d{1,2} \w+ \d{4}, so .+\. "
                r"The chair can reopen it under Retention\.$")
PURGED_WORDS = (r"^This audit's case data was deleted on \d{1,2} \w+ \d{4} under the retention "
                r"rule; nothing more can be added\.$")


@dataclass(frozen=True)
class Prepared:
    """A scored demo audit with, made while it was open, every file a write could use."""

    audit_id: int
    case_id: int  # a sampled case both demo reviewers scored
    reference: str
    code: str     # a criterion of the framework
    extract: Path
    package_to_member: Path
    member_package: Path
    sheet: Path
    conflict_id: int


def _prepare(db: Database, folder: Path) -> Prepared:
    audit = create_demo(db, seed=3, population=60, sample_size=6)
    row = sampling.get_sample(db, audit_id=audit.id)[0]
    code = get_framework(db, "da-nfa-review").criteria[0].code
    extract = write_csv(folder / "extract.csv", [
        ["Crime Ref", "HO Outcome", "Risk Grading"], ["NEW/1", "16", "High"]])
    to_member = packages.export_package(db, passphrase=PASSPHRASE, audit_id=audit.id, reviewer=MEMBER,
                                        path=folder / "to-member.cfapkg").path
    # A member scores their copy on another laptop while the chair changes the same answer.
    laptop = open_database(folder / "laptop.sqlite3")
    try:
        copy = packages.open_package(laptop, passphrase=PASSPHRASE, path=to_member)
        copy_case = sampling.get_sample(laptop, audit_id=copy.id)[0].case.id
        scoring.record_answer(laptop, audit_id=copy.id, case_id=copy_case, reviewer=MEMBER,
                              criterion_code=code, value="not_met", note="Nothing on file")
        back = packages.export_package(laptop, passphrase=PASSPHRASE, audit_id=copy.id, reviewer=MEMBER,
                                       path=folder / "back.cfapkg").path
    finally:
        laptop.close()
    scoring.record_answer(db, audit_id=audit.id, case_id=row.case.id, reviewer=MEMBER,
                          criterion_code=code, value="partly_met", note="Agreed at the meeting")
    assert packages.import_package(db, passphrase=PASSPHRASE, path=back).conflicts == 1
    [conflict] = packages.list_conflicts(db, audit_id=audit.id)
    # A second package from the member, merged only after the audit is closed.
    laptop = open_database(folder / "laptop2.sqlite3")
    try:
        copy = packages.open_package(laptop, passphrase=PASSPHRASE, path=to_member)
        member_package = packages.export_package(laptop, audit_id=copy.id, reviewer=MEMBER,
                                                 passphrase=PASSPHRASE, path=folder / "back2.cfapkg").path
    finally:
        laptop.close()
    sheet = scoresheet.export_scoresheet(db, audit_id=audit.id, reviewer=MEMBER,
                                         path=folder / "sheet.xlsx")
    scoring.add_reviewer(db, name="Panel Chair", is_chair=True)
    return Prepared(audit.id, row.case.id, row.case.reference, code, extract, to_member,
                    member_package, sheet, conflict.id)


def _close(db: Database, prepared: Prepared) -> None:
    retention.close_audit(db, audit_id=prepared.audit_id)


def _purge(db: Database, prepared: Prepared) -> None:
    retention.close_audit(db, audit_id=prepared.audit_id)
    retention.set_retention(db, audit_id=prepared.audit_id, retain_until=PAST)
    retention.purge_audit(db, audit_id=prepared.audit_id)


def everything(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to show a refused write changed nothing at all."""
    with db.reading() as session:
        return {table.name: [tuple(row) for row in session.execute(
            select(table).order_by(*table.primary_key.columns))]
            for table in Base.metadata.sorted_tables}


Write = Callable[[Database, Prepared, Path], object]
WRITES: dict[str, Write] = {
    "record an answer": lambda db, p, _: scoring.record_answer(
        db, audit_id=p.audit_id, case_id=p.case_id, reviewer=MEMBER, criterion_code=p.code,
        value="met", note=""),
    "record answers": lambda db, p, _: scoring.record_answers(
        db, audit_id=p.audit_id, case_id=p.case_id, reviewer="A New Member",
        answers={p.code: ("met", "")}),
    "clear an answer": lambda db, p, _: scoring.record_answer(
        db, audit_id=p.audit_id, case_id=p.case_id, reviewer=MEMBER, criterion_code=p.code,
        value=None),
    "set the verdict": lambda db, p, _: scoring.set_case_details(
        db, audit_id=p.audit_id, case_id=p.case_id, reviewer=MEMBER, verdict="inappropriate"),
    "write learning": lambda db, p, _: scoring.set_case_details(
        db, audit_id=p.audit_id, case_id=p.case_id, reviewer=MEMBER,
        learning_points="Record the victim's reasons"),
    "raise the urgent flag": lambda db, p, _: scoring.set_case_details(
        db, audit_id=p.audit_id, case_id=p.case_id, reviewer=MEMBER, urgent_safeguarding=True),
    "fill automatic N/A": lambda db, p, _: scoring.apply_automatic_na(
        db, audit_id=p.audit_id, case_id=p.case_id, reviewer="A New Member"),
    "mark complete": lambda db, p, _: scoring.complete_review(
        db, audit_id=p.audit_id, case_id=p.case_id, reviewer=MEMBER),
    "reveal a case": lambda db, p, _: moderation.reveal_case(
        db, audit_id=p.audit_id, case_id=p.case_id, chair="Panel Chair"),
    "record an agreed answer": lambda db, p, _: moderation.record_consensus(
        db, audit_id=p.audit_id, case_id=p.case_id, chair="Panel Chair", criterion_code=p.code,
        value=Answer.MET, rationale="Agreed"),
    "record an agreed verdict": lambda db, p, _: moderation.record_consensus_verdict(
        db, audit_id=p.audit_id, case_id=p.case_id, chair="Panel Chair", verdict="appropriate",
        rationale="Agreed"),
    "adopt agreed answers": lambda db, p, _: moderation.adopt_agreed_answers(
        db, audit_id=p.audit_id, case_id=p.case_id, chair="Panel Chair"),
    "draw a sample": lambda db, p, _: sampling.draw_sample(db, audit_id=p.audit_id, size=3,
                                                           seed=5),
    "replace a case": lambda db, p, _: sampling.replace_case(
        db, audit_id=p.audit_id, reference=p.reference, reason="File missing"),
    "import a population": lambda db, p, _: import_population(db, audit_id=p.audit_id,
                                                              path=p.extract),
    "export a package to score": lambda db, p, folder: packages.export_package(
        db, audit_id=p.audit_id, reviewer="A New Member", path=folder / "new.cfapkg",
        passphrase=PASSPHRASE),
    "merge a member's package": lambda db, p, _: packages.import_package(
        db, path=p.member_package, passphrase=PASSPHRASE),
    "settle a merge conflict": lambda db, p, _: packages.resolve_conflict(
        db, conflict_id=p.conflict_id, keep="package", chair="Panel Chair"),
    "export a scoring sheet": lambda db, p, folder: scoresheet.export_scoresheet(
        db, audit_id=p.audit_id, reviewer="A New Member", path=folder / "new.xlsx"),
    "import a scoring sheet": lambda db, p, _: scoresheet.import_scoresheet(db, path=p.sheet),
}
# A purge deletes merge conflicts with the cases they were about.
NOT_AFTER_PURGE = {"settle a merge conflict"}


@dataclass(frozen=True)
class _Template:
    """The prepared audit, built once per module and backend (speed only): each test gets
    its own copy of the database and of the files."""

    source: str  # the SQLite file, or the PostgreSQL database each test's is created from
    prepared: Prepared
    folder: Path


@pytest.fixture(scope="module")
def _templates() -> dict[str, _Template]:
    return {}


def _build(request: pytest.FixtureRequest, backend: str) -> _Template:
    folder: Path = request.getfixturevalue("tmp_path_factory").mktemp(f"closed-{backend}")
    with own_data_dir(folder.parent / f"{folder.name}-user-data"):
        if backend == "sqlite":
            source = url = str(copy_sqlite(request.getfixturevalue("_empty_sqlite_template"),
                                           folder / "audit.sqlite3"))
        else:
            cluster = request.getfixturevalue("postgres_cluster")
            url = cluster.new_database(template=request.getfixturevalue("_postgres_template"))
            source = cluster.name_of(url)
        database = open_database(url)
        try:
            prepared = _prepare(database, folder)
        finally:
            database.close()
    return _Template(source, prepared, folder)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, _templates: dict[str, _Template],
       tmp_path: Path) -> Iterator[Database]:
    """The test's own database, a copy of the prepared one, on SQLite and on PostgreSQL."""
    backend = request.param
    if backend not in _templates:
        _templates[backend] = _build(request, backend)
    template = _templates[backend]
    for file in template.folder.iterdir():  # the files `_prepare` left in the test's folder
        if file.is_file():
            shutil.copy(file, tmp_path / file.name)
    if backend == "sqlite":
        url = str(tmp_path / "audit.sqlite3")
    else:
        url = request.getfixturevalue("postgres_cluster").new_database(template=template.source)
    database = open_database(url)
    try:
        yield database
    finally:
        database.close()
        if backend != "sqlite":
            request.getfixturevalue("postgres_cluster").drop_database(url)


@pytest.fixture
def prepared(db: Database, request: pytest.FixtureRequest, _templates: dict[str, _Template],
             tmp_path: Path) -> Prepared:
    built = _templates[request.node.callspec.params["db"]].prepared
    return replace(built, **{name: tmp_path / getattr(built, name).name for name in
                             ("extract", "package_to_member", "member_package", "sheet")})


@pytest.mark.parametrize("standing", ["closed", "purged"])
def test_every_write_refuses_in_plain_english_and_changes_nothing(
        db: Database, prepared: Prepared, tmp_path: Path, standing: str) -> None:
    (_close if standing == "closed" else _purge)(db, prepared)
    before = everything(db)
    refused: dict[str, str] = {}
    for name, write in WRITES.items():
        if standing == "purged" and name in NOT_AFTER_PURGE:
            continue
        with pytest.raises(AuditNotOpenError) as error:
            write(db, prepared, tmp_path)
        refused[name] = error.value.message
        assert everything(db) == before, f"'{name}' changed the database"
    pattern = CLOSED_WORDS if standing == "closed" else PURGED_WORDS
    for name, message in refused.items():
        assert re.match(pattern, message), f"{name}: {message}"
    assert not (tmp_path / "new.cfapkg").exists() and not (tmp_path / "new.xlsx").exists()
    if standing == "closed":  # each says what can no longer happen
        assert "so its scores can no longer change" in refused["record an answer"]
        assert "verdict" in refused["set the verdict"]
        assert "no new sample can be drawn" in refused["draw a sample"]
        assert "population" in refused["import a population"]
        assert "agreed answers" in refused["record an agreed answer"]
        assert "merged" in refused["merge a member's package"]


def test_reading_exporting_verifying_and_actions_stay_open_on_a_closed_audit(
        db: Database, prepared: Prepared, tmp_path: Path) -> None:
    _close(db, prepared)
    audit_id = prepared.audit_id
    assert scoring.get_review(db, audit_id=audit_id, case_id=prepared.case_id,
                              reviewer=MEMBER).answers
    assert sampling.verify_sample(db, audit_id=audit_id).ok
    export_workbook(db, audit_id=audit_id, path=tmp_path / "findings.xlsx")
    assert (tmp_path / "findings.xlsx").stat().st_size > 0
    # The retention date can still be set: it is what the purge waits for.
    retention.set_retention(db, audit_id=audit_id, retain_until=dt.date(2031, 3, 31))
    assert retention.retention_state(db, audit_id=audit_id).retain_until == dt.date(2031, 3, 31)
    # The action plan is followed up after the audit closes.
    action_id = actions.add_action(db, audit_id=audit_id, description="Refresh DASH training",
                                   case_reference=prepared.reference, owner="DI Lead")
    actions.update_action(db, action_id=action_id, status="done", response="Delivered in May")
    [row] = [a for a in _actions(db, audit_id) if a[0] == action_id]
    assert row[1:] == ("done", "Delivered in May")


def _actions(db: Database, audit_id: int) -> list[tuple[int, str, str]]:
    with db.reading() as session:
        return [(a.id, a.status, a.response) for a in session.scalars(
            select(ActionRecord).where(ActionRecord.audit_id == audit_id))]


def test_actions_stay_editable_on_a_purged_audit(db: Database, prepared: Prepared) -> None:
    kept = actions.add_action(db, audit_id=prepared.audit_id, description="Audit again in a year",
                              case_reference=prepared.reference)
    _purge(db, prepared)
    actions.update_action(db, action_id=kept, status="in_progress", response="Booked")
    added = actions.add_action(db, audit_id=prepared.audit_id, description="Report to the board")
    statuses = {a[0]: a[1:] for a in _actions(db, prepared.audit_id)}
    assert statuses == {kept: ("in_progress", "Booked"), added: ("open", "")}


def test_verify_on_a_purged_audit_says_plainly_the_cases_are_gone(db: Database,
                                                                   prepared: Prepared) -> None:
    _purge(db, prepared)
    with pytest.raises(UserError, match=r"deleted on .* so the draw cannot be re-checked: its "
                                        r"cases are gone"):
        sampling.verify_sample(db, audit_id=prepared.audit_id)


def test_the_chair_reopens_a_closed_audit_and_scoring_carries_on(db: Database,
                                                                 prepared: Prepared) -> None:
    audit_id = prepared.audit_id
    with pytest.raises(UserError, match="open already"):
        retention.reopen_audit(db, audit_id=audit_id, actor="The Chair")
    retention.close_audit(db, audit_id=audit_id, actor="The Chair")
    retention.close_audit(db, audit_id=audit_id, actor="Someone Else")  # no second entry
    closed = audits.audit_standing(db, audit_id=audit_id)
    assert (closed.status, closed.closed_on) == ("closed", dt.date.today())
    assert closed.notice.startswith(f"This audit was closed on {audits.long_date(dt.date.today())}.")

    retention.reopen_audit(db, audit_id=audit_id, actor="The Chair")
    assert audits.get_audit(db, audit_id).status == "open"
    assert audits.audit_standing(db, audit_id=audit_id).notice == ""
    status_changes = [(c.actor, c.old_value, c.new_value)
                      for c in list_changes(db, audit_id=audit_id)
                      if (c.entity, c.field) == ("audit", "status")]
    assert status_changes == [("The Chair", "closed", "open"), ("The Chair", "open", "closed")]
    saved = scoring.record_answer(db, audit_id=audit_id, case_id=prepared.case_id,
                                  reviewer=MEMBER, criterion_code=prepared.code, value="met")
    assert saved is not None and saved.value is Answer.MET


def test_a_purged_audit_cannot_be_reopened(db: Database, prepared: Prepared) -> None:
    _purge(db, prepared)
    with pytest.raises(UserError, match=r"^This audit's case data was deleted on .+; it cannot "
                                        r"be reopened$"):
        retention.reopen_audit(db, audit_id=prepared.audit_id)
    assert audits.get_audit(db, prepared.audit_id).status == "purged"
    with pytest.raises(UserError, match="No audit with id 999"):
        retention.reopen_audit(db, audit_id=999)
