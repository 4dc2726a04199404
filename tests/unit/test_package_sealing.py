"""Review packages are sealed: unreadable without the passphrase, and a changed, forged or
foreign file is refused in one line, changes nothing, and never blocks the genuine one."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select

from audit_app.core.errors import InvalidFileError, UserError
from audit_app.db.models import AuditRecord, CaseRecord, ChangeLogRecord, ImportedPackageRecord
from audit_app.io import package_crypto
from audit_app.io.review_package import read_package, write_package
from audit_app.services import audits, packages, sampling
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database, open_database
from audit_app.services.frameworks import get_framework
from audit_app.services.package_keys import (
    WRONG_PASSPHRASE,
    has_package_passphrase,
    set_package_passphrase,
)
from audit_app.services.scoring import get_review, record_answer

PASSPHRASE = "correct horse battery staple"
MEMBER = "Ann Police"
REFUSED = "The passphrase is wrong, or the package has been changed since it was made"


@pytest.fixture(autouse=True)
def quick_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package_crypto, "SCRYPT_N", 2**10)


@dataclass(frozen=True)
class Panel:
    chair: Database
    audit_id: int
    outgoing: Path
    back: Path  # the member's genuine package, scored "not_met" on the first case


def _audit(db: Database) -> int:
    audit = audits.create_audit(db, name="DA NFA Q3", framework="da-nfa-review")
    with db.transaction() as session:
        session.execute(insert(CaseRecord), [
            {"audit_id": audit.id, "reference": f"CR/{i:03d}", "outcome_code": 16,
             "risk_level": "high", "victim_name": f"Victim {i}", "extra": {}}
            for i in range(12)])
    sampling.draw_sample(db, audit_id=audit.id, size=4, method="random", seed=3)
    return audit.id


def _panel(chair: Database, folder: Path) -> Panel:
    audit_id = _audit(chair)
    outgoing = packages.export_package(chair, audit_id=audit_id, reviewer=MEMBER,
                                       path=folder / "to-ann.cfapkg", passphrase=PASSPHRASE).path
    laptop = open_database(folder / "laptop.sqlite3")
    copy = packages.open_package(laptop, path=outgoing, passphrase=PASSPHRASE)
    case_id = sampling.get_sample(laptop, audit_id=copy.id)[0].case.id
    code = get_framework(laptop, "da-nfa-review").criteria[0].code
    record_answer(laptop, audit_id=copy.id, case_id=case_id, reviewer=MEMBER,
                  criterion_code=code, value="not_met", note="No history check")
    back = packages.export_package(laptop, audit_id=copy.id, reviewer=MEMBER,
                                   path=folder / "from-ann.cfapkg", passphrase=PASSPHRASE).path
    laptop.close()
    return Panel(chair, audit_id, outgoing, back)


def _answers(panel: Panel) -> dict[int, dict[str, str]]:
    return {row.case.id: {c: a.value.value for c, a in get_review(
        panel.chair, audit_id=panel.audit_id, case_id=row.case.id, reviewer=MEMBER).answers.items()}
        for row in sampling.get_sample(panel.chair, audit_id=panel.audit_id)}


def _imported(db: Database) -> int:
    with db.reading() as session:
        return len(session.scalars(select(ImportedPackageRecord)).all())


def _genuine_imports(panel: Panel) -> None:
    merged = packages.import_package(panel.chair, path=panel.back, passphrase=PASSPHRASE)
    assert not merged.already_imported and merged.applied == 2
    assert "not_met" in {v for answers in _answers(panel).values() for v in answers.values()}


def test_a_package_reveals_nothing_and_is_private(sqlite_db: Database, tmp_path: Path) -> None:
    panel = _panel(sqlite_db, tmp_path)
    for path in (panel.outgoing, panel.back):
        sealed = path.read_bytes()
        for clear in (b"CR/0", b"DA NFA Q3", MEMBER.encode(), b"No history check", b"not_met"):
            assert clear not in sealed
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_wrong_passphrase_opens_and_imports_nothing(sqlite_db: Database, tmp_path: Path) -> None:
    panel = _panel(sqlite_db, tmp_path)
    before = _answers(panel)
    with pytest.raises(InvalidFileError, match=f"{REFUSED}; nothing was imported"):
        packages.import_package(panel.chair, path=panel.back, passphrase="Correct horse battery staple")
    other = open_database(tmp_path / "other.sqlite3")
    with pytest.raises(InvalidFileError, match=f"{REFUSED}; nothing was opened"):
        packages.open_package(other, path=panel.outgoing, passphrase="not the passphrase")
    assert audits.list_audits(other) == []
    other.close()
    assert _answers(panel) == before and _imported(panel.chair) == 0
    _genuine_imports(panel)


@pytest.mark.parametrize("where", ["magic", "header", "first body byte", "middle", "tag"])
def test_one_flipped_byte_is_refused_then_the_genuine_one_imports(
        db: Database, tmp_path: Path, where: str) -> None:
    panel = _panel(db, tmp_path)
    sealed = bytearray(panel.back.read_bytes())
    _, clear, _ = package_crypto.read_header(bytes(sealed))
    index = {"magic": 3, "header": len(clear) - 5, "first body byte": len(clear),
             "middle": len(sealed) // 2, "tag": len(sealed) - 1}[where]
    sealed[index] ^= 0x20
    flipped = tmp_path / "flipped.cfapkg"
    flipped.write_bytes(bytes(sealed))
    before = _answers(panel)
    with pytest.raises(InvalidFileError) as refused:
        packages.import_package(panel.chair, path=flipped, passphrase=PASSPHRASE)
    assert "\n" not in refused.value.message and "nothing was imported" in refused.value.message
    assert _answers(panel) == before and _imported(panel.chair) == 0
    _genuine_imports(panel)


@pytest.fixture(scope="module")
def sealed_package(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("sealed")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(package_crypto, "SCRYPT_N", 2**10)
        chair = open_database(folder / "chair.sqlite3")
        try:
            return _panel(chair, folder).back.read_bytes()
        finally:
            chair.close()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_single_byte_change_is_refused(sealed_package: bytes, tmp_path: Path,
                                           data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(sealed_package) - 1), label="byte")
    change = data.draw(st.integers(1, 255), label="xor")
    changed = bytearray(sealed_package)
    changed[index] ^= change
    path = tmp_path / "changed.cfapkg"
    path.write_bytes(bytes(changed))
    with pytest.raises(InvalidFileError):
        read_package(path, PASSPHRASE)
    path.write_bytes(sealed_package)
    assert read_package(path, PASSPHRASE).manifest["reviewer"] == MEMBER


def test_a_forgery_with_the_same_ids_never_blocks_the_genuine_package(
        db: Database, tmp_path: Path) -> None:
    """The forger knows the format, the package id and the audit uid, not the passphrase."""
    panel = _panel(db, tmp_path)
    genuine = read_package(panel.back, PASSPHRASE)
    answers = {ref: {code: {"value": "met", "note": "forged"} for code in items}
               for ref, items in genuine.payload["answers"].items()}
    forged = tmp_path / "forged.cfapkg"
    write_package(forged, genuine.manifest, {**genuine.payload, "answers": answers},
                  "a guess at the passphrase")
    before = _answers(panel)
    with pytest.raises(InvalidFileError, match=REFUSED):
        packages.import_package(panel.chair, path=forged, passphrase=PASSPHRASE)
    assert _answers(panel) == before and _imported(panel.chair) == 0
    _genuine_imports(panel)
    again = packages.import_package(panel.chair, path=panel.back, passphrase=PASSPHRASE)
    assert again.already_imported and again.applied == 0


def test_same_package_number_with_other_contents_is_a_plain_refusal(
        sqlite_db: Database, tmp_path: Path) -> None:
    panel = _panel(sqlite_db, tmp_path)
    _genuine_imports(panel)
    genuine = read_package(panel.back, PASSPHRASE)
    replay = tmp_path / "replay.cfapkg"
    write_package(replay, genuine.manifest, {**genuine.payload, "answers": {}}, PASSPHRASE)
    with pytest.raises(InvalidFileError, match=r"same package number .* different contents"):
        packages.import_package(panel.chair, path=replay, passphrase=PASSPHRASE)


def _format_1(path: Path, manifest: dict[str, object]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", json.dumps(
            {**manifest, "format": "case-file-audit-review-package", "format_version": 1,
             "payload_sha256": "0" * 64}))
        archive.writestr("payload.json", "{}")
    return path


def test_an_old_unencrypted_package_asks_for_a_new_one(sqlite_db: Database,
                                                       tmp_path: Path) -> None:
    panel = _panel(sqlite_db, tmp_path)
    genuine = read_package(panel.back, PASSPHRASE)
    old = _format_1(tmp_path / "old.cfapkg", genuine.manifest)
    with pytest.raises(InvalidFileError, match=r"old, unencrypted .* ask for a new package"):
        packages.import_package(panel.chair, path=old, passphrase=PASSPHRASE)
    _genuine_imports(panel)


def test_packages_go_the_right_way_only(sqlite_db: Database, tmp_path: Path) -> None:
    panel = _panel(sqlite_db, tmp_path)
    with pytest.raises(UserError, match="made for a member to open"):
        packages.import_package(panel.chair, path=panel.outgoing, passphrase=PASSPHRASE)
    other = open_database(tmp_path / "other.sqlite3")
    with pytest.raises(UserError, match="the chair merges it"):
        packages.open_package(other, path=panel.back, passphrase=PASSPHRASE)
    other.close()


# --- the passphrase --------------------------------------------------------------------

def _stored(db: Database, audit_id: int) -> tuple[str, list[str]]:
    with db.reading() as session:
        audit = session.get(AuditRecord, audit_id)
        assert audit is not None
        logged = [f"{c.field} {c.old_value} {c.new_value} {c.detail}" for c in session.scalars(
            select(ChangeLogRecord))]
        return audit.package_key_check, logged


def test_the_first_export_sets_the_passphrase_and_only_a_check_is_kept(
        db: Database, tmp_path: Path) -> None:
    audit_id = _audit(db)
    assert not has_package_passphrase(db, audit_id=audit_id)
    with pytest.raises(UserError, match="at least 10 characters"):
        packages.export_package(db, audit_id=audit_id, reviewer=MEMBER,
                                path=tmp_path / "p.cfapkg", passphrase="too short")
    assert not has_package_passphrase(db, audit_id=audit_id)
    assert not (tmp_path / "p.cfapkg").exists()
    packages.export_package(db, audit_id=audit_id, reviewer=MEMBER, path=tmp_path / "p.cfapkg",
                            passphrase=PASSPHRASE)
    check, logged = _stored(db, audit_id)
    assert check.startswith("scrypt$1024$8$1$") and len(check.split("$")) == 6
    assert PASSPHRASE not in check and not any(PASSPHRASE in line for line in logged)
    assert any("Package passphrase set" in c.detail for c in list_changes(db, audit_id=audit_id))
    with pytest.raises(UserError, match=WRONG_PASSPHRASE):
        packages.export_package(db, audit_id=audit_id, reviewer=MEMBER,
                                path=tmp_path / "q.cfapkg", passphrase=PASSPHRASE.upper())
    assert not (tmp_path / "q.cfapkg").exists()


def test_a_members_copy_keeps_the_chairs_passphrase(sqlite_db: Database, tmp_path: Path) -> None:
    panel = _panel(sqlite_db, tmp_path)
    laptop = open_database(tmp_path / "laptop.sqlite3")
    [copy] = audits.list_audits(laptop)
    assert _stored(laptop, copy.id)[0] == _stored(panel.chair, panel.audit_id)[0]
    with pytest.raises(UserError, match=WRONG_PASSPHRASE):
        packages.export_package(laptop, audit_id=copy.id, reviewer=MEMBER,
                                path=tmp_path / "x.cfapkg", passphrase="another long passphrase")
    with pytest.raises(UserError, match="only the chair can change it"):
        set_package_passphrase(laptop, audit_id=copy.id, passphrase="another long passphrase")
    laptop.close()


def test_changing_the_passphrase_is_logged_and_old_packages_still_open(
        sqlite_db: Database, tmp_path: Path) -> None:
    panel = _panel(sqlite_db, tmp_path)
    assert set_package_passphrase(panel.chair, audit_id=panel.audit_id,
                                  passphrase="a brand new passphrase", actor="Chair")
    with pytest.raises(UserError, match=WRONG_PASSPHRASE):
        packages.export_package(panel.chair, audit_id=panel.audit_id, reviewer=MEMBER,
                                path=tmp_path / "n.cfapkg", passphrase=PASSPHRASE)
    packages.export_package(panel.chair, audit_id=panel.audit_id, reviewer=MEMBER,
                            path=tmp_path / "n.cfapkg", passphrase="a brand new passphrase")
    _genuine_imports(panel)  # made before the change: opens with the passphrase it was made with
    details = [c.detail for c in list_changes(panel.chair, audit_id=panel.audit_id)]
    assert any("Package passphrase changed" in d for d in details)
    assert not any("brand new" in line for line in _stored(panel.chair, panel.audit_id)[1])
