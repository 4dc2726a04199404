"""Review packages: export, open on another laptop, score, send back, merge, conflicts."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

from audit_app.core.answers import Answer
from audit_app.core.errors import InvalidFileError, UserError
from audit_app.db.models import CaseRecord
from audit_app.io import package_crypto
from audit_app.io.review_package import read_package
from audit_app.services import audits, packages, sampling
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database, open_database
from audit_app.services.frameworks import get_framework
from audit_app.services.scoring import get_review, record_answer, set_case_details
from tests.helpers.scales import shipped_answers

PASSPHRASE = "correct horse battery staple"  # at least ten characters

MEMBERS = ("Ann Police", "Bea CPS", "Cal IDVA")


def _master(db: Database) -> int:
    audit = audits.create_audit(db, name="DA NFA Q3", framework="da-nfa-review")
    with db.transaction() as session:
        session.execute(insert(CaseRecord), [
            {"audit_id": audit.id, "reference": f"CR/{i:03d}", "outcome_code": 16,
             "victim_supports": "withdrawn", "risk_level": "high", "victim_name": f"Victim {i}",
             "area": "North", "extra": {}} for i in range(30)])
    sampling.draw_sample(db, audit_id=audit.id, size=6, method="random", seed=11)
    return audit.id


@pytest.fixture(autouse=True)
def quick_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cheap scrypt cost for new packages here; readers take it from the header."""
    monkeypatch.setattr(package_crypto, "SCRYPT_N", 2**10)


@pytest.fixture
def laptops(tmp_path: Path, new_sqlite: Callable[[Path], Database]) -> Iterator[dict[str, Database]]:
    opened = {name: new_sqlite(tmp_path / f"{name.split()[0]}.sqlite3") for name in MEMBERS}
    yield opened
    for database in opened.values():
        database.close()


def _codes(db: Database) -> list[str]:
    return [c.code for c in get_framework(db, "da-nfa-review").criteria]


def _sample_refs(db: Database, audit_id: int) -> list[tuple[int, str]]:
    return [(r.case.id, r.case.reference) for r in sampling.get_sample(db, audit_id=audit_id)]


def _round_trip(master: Database, audit_id: int, member: str, laptop: Database,
                folder: Path, scores: dict[tuple[int, int], str]) -> Path:
    """Chair exports, member opens and scores (case index, criterion index) -> value, sends back."""
    outgoing = packages.export_package(master, passphrase=PASSPHRASE, audit_id=audit_id, reviewer=member,
                                       path=folder / f"to-{member[:3]}.cfapkg")
    copy = packages.open_package(laptop, passphrase=PASSPHRASE, path=outgoing.path)
    refs = _sample_refs(laptop, copy.id)
    codes = _codes(laptop)
    for (case_index, code_index), value in scores.items():
        record_answer(laptop, audit_id=copy.id, case_id=refs[case_index][0], reviewer=member,
                      criterion_code=codes[code_index], value=value, note="on file")
    back = packages.export_package(laptop, passphrase=PASSPHRASE, audit_id=copy.id, reviewer=member,
                                   path=folder / f"from-{member[:3]}.cfapkg")
    return back.path


def _state(db: Database, audit_id: int) -> dict[tuple[str, str], dict[str, tuple[str, str]]]:
    state = {}
    for case_id, reference in _sample_refs(db, audit_id):
        for member in MEMBERS:
            view = get_review(db, audit_id=audit_id, case_id=case_id, reviewer=member)
            state[(reference, member)] = {c: (a.value.value, a.note)
                                          for c, a in view.answers.items()}
    return state


def test_three_members_review_offline_and_the_merge_equals_what_they_entered(
        db: Database, laptops: dict[str, Database], tmp_path: Path) -> None:
    audit_id = _master(db)
    entered = {"Ann Police": {(0, 0): "met", (0, 1): "not_met", (2, 5): "partly_met"},
               "Bea CPS": {(0, 0): "partly_met", (1, 3): "met"},
               "Cal IDVA": {(5, 2): "not_evidenced"}}
    returned = [_round_trip(db, audit_id, m, laptops[m], tmp_path, entered[m]) for m in MEMBERS]
    for path in returned:
        result = packages.import_package(db, passphrase=PASSPHRASE, path=path, actor="Chair")
        assert result.conflicts == 0 and not result.already_imported
    refs = _sample_refs(db, audit_id)
    codes = _codes(db)
    for member, scores in entered.items():
        for (case_index, code_index), value in scores.items():
            view = get_review(db, audit_id=audit_id, case_id=refs[case_index][0], reviewer=member)
            assert view.answers[codes[code_index]].value.value == value
            assert view.answers[codes[code_index]].note == "on file"
    assert any("merged from package" in c.detail for c in list_changes(db, audit_id=audit_id))
    # the same package again changes nothing
    before = _state(db, audit_id)
    again = packages.import_package(db, passphrase=PASSPHRASE, path=returned[0], actor="Chair")
    assert again.already_imported and again.applied == 0
    assert _state(db, audit_id) == before


def test_package_carries_only_allowed_fields(sqlite_db: Database, tmp_path: Path) -> None:
    audit_id = _master(sqlite_db)
    summary = packages.export_package(sqlite_db, audit_id=audit_id, reviewer="Ann Police",
                                      passphrase=PASSPHRASE, path=tmp_path / "p.cfapkg")
    sealed = summary.path.read_bytes()
    for secret in (b"Victim 1", b"CR/0", b"DA NFA Q3", b"Ann Police", b"victim_name"):
        assert secret not in sealed  # nothing about the audit is in clear
    body = read_package(summary.path, PASSPHRASE)
    assert "Victim 1" not in str(body.payload) and "victim_name" not in str(body.payload)
    assert summary.cases == 6


def test_both_sides_changed_is_a_conflict_for_the_chair(
        sqlite_db: Database, laptops: dict[str, Database], tmp_path: Path) -> None:
    audit_id = _master(sqlite_db)
    member = "Ann Police"
    refs = _sample_refs(sqlite_db, audit_id)
    code = _codes(sqlite_db)[0]
    record_answer(sqlite_db, audit_id=audit_id, case_id=refs[0][0], reviewer=member,
                  criterion_code=code, value="met")
    returned = _round_trip(sqlite_db, audit_id, member, laptops[member], tmp_path,
                           {(0, 0): "not_met", (1, 0): "met"})
    # meanwhile the master copy of the same answer was changed differently
    record_answer(sqlite_db, audit_id=audit_id, case_id=refs[0][0], reviewer=member,
                  criterion_code=code, value="partly_met", note="agreed at meeting")
    result = packages.import_package(sqlite_db, passphrase=PASSPHRASE, path=returned, actor="Chair")
    assert result.conflicts == 1
    assert result.applied == 2  # the new answer on case 1, and that case's review status
    second = get_review(sqlite_db, audit_id=audit_id, case_id=refs[1][0], reviewer=member)
    assert second.answers[code].value.value == "met"
    view = get_review(sqlite_db, audit_id=audit_id, case_id=refs[0][0], reviewer=member)
    assert view.answers[code].value.value == "partly_met"  # never overwritten silently
    [conflict] = packages.list_conflicts(sqlite_db, audit_id=audit_id)
    assert conflict.master == {"value": "partly_met", "note": "agreed at meeting"}
    assert conflict.package == {"value": "not_met", "note": "on file"}
    packages.resolve_conflict(sqlite_db, conflict_id=conflict.id, keep="package", chair="Chair")
    view = get_review(sqlite_db, audit_id=audit_id, case_id=refs[0][0], reviewer=member)
    assert view.answers[code].value.value == "not_met"
    assert packages.list_conflicts(sqlite_db, audit_id=audit_id) == []
    with pytest.raises(UserError, match="already resolved"):
        packages.resolve_conflict(sqlite_db, conflict_id=conflict.id, keep="master", chair="C")


def test_case_details_travel_too(sqlite_db: Database, laptops: dict[str, Database],
                                 tmp_path: Path) -> None:
    audit_id = _master(sqlite_db)
    member = "Bea CPS"
    outgoing = packages.export_package(sqlite_db, passphrase=PASSPHRASE, audit_id=audit_id, reviewer=member,
                                       path=tmp_path / "out.cfapkg")
    copy = packages.open_package(laptops[member], passphrase=PASSPHRASE, path=outgoing.path)
    case_id = _sample_refs(laptops[member], copy.id)[0][0]
    set_case_details(laptops[member], audit_id=copy.id, case_id=case_id, reviewer=member,
                     verdict="inappropriate", learning_points="Supervisor did not review",
                     urgent_safeguarding=True, withdrawal=("S3", "fear of the suspect"))
    back = packages.export_package(laptops[member], passphrase=PASSPHRASE, audit_id=copy.id, reviewer=member,
                                   path=tmp_path / "back.cfapkg")
    packages.import_package(sqlite_db, passphrase=PASSPHRASE, path=back.path, actor="Chair")
    master_case = _sample_refs(sqlite_db, audit_id)[0][0]
    view = get_review(sqlite_db, audit_id=audit_id, case_id=master_case, reviewer=member)
    assert view.verdict is not None and view.verdict.value == "inappropriate"
    assert view.learning_points == "Supervisor did not review" and view.urgent_safeguarding
    assert (view.withdrawal_stage, view.withdrawal_reason) == ("S3", "R1")


def test_newer_and_foreign_audit_packages_are_refused_and_change_nothing(
        sqlite_db: Database, laptops: dict[str, Database], tmp_path: Path) -> None:
    audit_id = _master(sqlite_db)
    good = _round_trip(sqlite_db, audit_id, "Ann Police", laptops["Ann Police"], tmp_path,
                       {(0, 0): "met"})
    # another chair's audit, sealed with the same passphrase
    elsewhere = open_database(tmp_path / "elsewhere.sqlite3")
    (tmp_path / "other").mkdir()
    foreign = _round_trip(elsewhere, _master(elsewhere), "Bea CPS", laptops["Bea CPS"],
                          tmp_path / "other", {(0, 0): "met"})
    elsewhere.close()
    newer = tmp_path / "newer.cfapkg"
    newer.write_bytes(good.read_bytes().replace(b'"format_version": 2', b'"format_version": 9'))
    before = _state(sqlite_db, audit_id)
    for path, message in ((foreign, "not in this database"), (newer, "newer version")):
        with pytest.raises(InvalidFileError, match=message):
            packages.import_package(sqlite_db, passphrase=PASSPHRASE, path=path, actor="Chair")
    assert _state(sqlite_db, audit_id) == before
    assert packages.import_package(sqlite_db, passphrase=PASSPHRASE, path=good).applied == 2


def test_opening_a_package_twice_is_refused(sqlite_db: Database, laptops: dict[str, Database],
                                            tmp_path: Path) -> None:
    audit_id = _master(sqlite_db)
    out = packages.export_package(sqlite_db, passphrase=PASSPHRASE, audit_id=audit_id, reviewer="Ann Police",
                                  path=tmp_path / "o.cfapkg")
    packages.open_package(laptops["Ann Police"], passphrase=PASSPHRASE, path=out.path)
    with pytest.raises(UserError, match="already in this database"):
        packages.open_package(laptops["Ann Police"], passphrase=PASSPHRASE, path=out.path)


def _on_scale(scores: dict[tuple[int, int], str]) -> dict[tuple[int, int], str]:
    """Only answers each criterion's own scale takes (a yes/no item is never partly met)."""
    answers = shipped_answers("da-nfa-review")
    codes = list(answers)
    return {k: v for k, v in scores.items() if Answer(v) in answers[codes[k[1]]]}


member_scores = st.dictionaries(
    st.tuples(st.integers(0, 5), st.integers(0, 4)),
    st.sampled_from(["met", "partly_met", "not_met", "na", "not_evidenced"]),
    max_size=6).map(_on_scale)


@settings(max_examples=4, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.fixed_dictionaries({m: member_scores for m in MEMBERS}))
def test_any_order_of_imports_gives_the_same_master(
        tmp_path_factory: pytest.TempPathFactory, new_sqlite: Callable[[Path], Database],
        entered: dict[str, dict[tuple[int, int], str]]) -> None:
    folder = tmp_path_factory.mktemp("merge")
    origin = new_sqlite(folder / "origin.sqlite3")
    audit_id = _master(origin)
    returned = []
    for member in MEMBERS:
        laptop = new_sqlite(folder / f"{member[:3]}.sqlite3")
        returned.append(_round_trip(origin, audit_id, member, laptop, folder, entered[member]))
        laptop.close()
    origin.close()
    states = []
    for index, order in enumerate(itertools.permutations(returned)):
        copy = folder / f"master-{index}.sqlite3"
        copy.write_bytes((folder / "origin.sqlite3").read_bytes())
        master = open_database(copy)
        for path in order:
            packages.import_package(master, passphrase=PASSPHRASE, path=path, actor="Chair")
        packages.import_package(master, passphrase=PASSPHRASE, path=order[0], actor="Chair")  # idempotent
        states.append(_state(master, audit_id))
        master.close()
    assert all(state == states[0] for state in states)
