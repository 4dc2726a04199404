"""`audit-app package | backup | restore | retention`: a panel on many laptops, headless."""

from __future__ import annotations

import getpass
import io
import sys
import zipfile
from pathlib import Path

import pytest

from audit_app.io import package_crypto
from audit_app.paths import user_data_dir
from audit_app.services import sampling
from audit_app.services.database import open_database
from audit_app.services.frameworks import get_framework
from audit_app.services.scoring import get_review, record_answer
from tests.helpers.cli import assert_one_line_error, run_cli, run_json

PASSPHRASE = "correct horse battery staple"
REFUSED = "The passphrase is wrong, or the package has been changed since it was made"


@pytest.fixture(autouse=True)
def quick_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap scrypt for packages made here (readers take the cost from the header), and no
    passphrase from the environment unless a test sets one."""
    monkeypatch.setattr(package_crypto, "SCRYPT_N", 2**10)
    monkeypatch.delenv("AUDIT_APP_PASSPHRASE", raising=False)


def _passphrase_file(folder: Path, text: str = PASSPHRASE + "\n") -> str:
    path = folder / "passphrase.txt"
    path.write_text(text)
    return str(path)


def test_member_scores_offline_and_the_chair_merges(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    chair, member = str(tmp_path / "chair.sqlite3"), str(tmp_path / "bea.sqlite3")
    audit_id = run_json(capsys, "--db", chair, "demo")["audit_id"]
    out_file = str(tmp_path / "bea.cfapkg")
    made = run_json(capsys, "--db", chair, "package", "export", "--audit", str(audit_id),
                    "--reviewer", "Bea CPS", "--out", out_file,
                    "--passphrase-file", _passphrase_file(tmp_path))
    assert made["cases"] == 40
    monkeypatch.setenv("AUDIT_APP_PASSPHRASE", PASSPHRASE)
    copy_id = run_json(capsys, "--db", member, "package", "open", out_file)["id"]

    laptop = open_database(member)
    case_id = sampling.get_sample(laptop, audit_id=copy_id)[0].case.id
    code = get_framework(laptop, "da-nfa-review").criteria[0].code
    record_answer(laptop, audit_id=copy_id, case_id=case_id, reviewer="Bea CPS",
                  criterion_code=code, value="not_met", note="No history check on file")
    laptop.close()

    back = str(tmp_path / "back.cfapkg")
    run_json(capsys, "--db", member, "package", "export", "--audit", str(copy_id),
             "--reviewer", "Bea CPS", "--out", back)
    merged = run_json(capsys, "--db", chair, "package", "import", back)
    assert (merged["applied"], merged["conflicts"], merged["already_imported"]) == (2, 0, False)
    assert run_json(capsys, "--db", chair, "package", "import", back)["already_imported"]
    assert run_json(capsys, "--db", chair, "package", "conflicts", "--audit", str(audit_id)) == []

    master = open_database(chair)
    reference = sampling.get_sample(master, audit_id=audit_id)[0].case
    answer = get_review(master, audit_id=audit_id, case_id=reference.id,
                        reviewer="Bea CPS").answers[code]
    assert (answer.value.value, answer.note) == ("not_met", "No history check on file")
    master.close()


def test_backup_and_restore(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "live.sqlite3")
    run_json(capsys, "--db", db, "audit", "create", "--name", "Before", "--framework",
             "da-nfa-review")
    taken = run_json(capsys, "--db", db, "backup")
    run_json(capsys, "--db", db, "audit", "create", "--name", "After", "--framework",
             "da-nfa-review")
    assert len(run_json(capsys, "backup", "--list")) == 1
    run_json(capsys, "--db", db, "restore", taken["path"])
    assert [a["name"] for a in run_json(capsys, "--db", db, "audit", "list")] == ["Before"]


def test_bad_package_and_early_purge_are_one_line_errors(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    db = str(tmp_path / "x.sqlite3")
    open_database(db).close()  # package import merges into an existing database only
    junk = tmp_path / "junk.cfapkg"
    junk.write_text("not a package")
    code, _, err = run_cli(capsys, "--db", db, "package", "import", str(junk),
                           "--passphrase-file", _passphrase_file(tmp_path))
    assert code == 2
    assert_one_line_error(err, "not a Case File Audit review package")
    audit_id = run_json(capsys, "--db", db, "audit", "create", "--name", "A", "--framework",
                        "da-nfa-review")["id"]
    run_json(capsys, "--db", db, "retention", "close", "--audit", str(audit_id))
    run_json(capsys, "--db", db, "retention", "set", "--audit", str(audit_id), "--until",
             "2999-01-01")
    code, _, err = run_cli(capsys, "--db", db, "retention", "purge", "--audit", str(audit_id))
    assert code == 2
    assert_one_line_error(err, "cannot be purged yet")


def _chair_and_member_packages(capsys: pytest.CaptureFixture[str],
                               folder: Path) -> tuple[str, str, Path]:
    """The chair's database, the demo audit's id as text, and a member's genuine package."""
    chair, member = str(folder / "chair.sqlite3"), str(folder / "member.sqlite3")
    audit = str(run_json(capsys, "--db", chair, "demo")["audit_id"])
    secret = _passphrase_file(folder)
    out = str(folder / "out.cfapkg")
    run_json(capsys, "--db", chair, "package", "export", "--audit", audit, "--reviewer", "Bea CPS",
             "--out", out, "--passphrase-file", secret)
    copy = str(run_json(capsys, "--db", member, "package", "open", out, "--passphrase-file",
                        secret)["id"])
    back = folder / "back.cfapkg"
    run_json(capsys, "--db", member, "package", "export", "--audit", copy, "--reviewer",
             "Bea CPS", "--out", str(back), "--passphrase-file", secret)
    return chair, audit, back


def test_damaged_or_foreign_packages_are_one_line_and_the_genuine_one_still_imports(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    chair, _, back = _chair_and_member_packages(capsys, tmp_path)
    sealed = back.read_bytes()
    flipped = bytearray(sealed)
    flipped[len(sealed) // 2] ^= 1
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("holiday.txt", "photos")
    bad = {"flipped.cfapkg": (bytes(flipped), REFUSED),
           "notes.txt": (b"Shopping list\nmilk\n", "not a Case File Audit review package"),
           "photos.zip": (other_zip.getvalue(), "not a Case File Audit review package"),
           "empty.cfapkg": (b"", "not a Case File Audit review package"),
           "truncated.cfapkg": (sealed[:40], "is damaged"),
           "cut.cfapkg": (sealed[: len(sealed) - 20], REFUSED)}
    for name, (content, message) in bad.items():
        path = tmp_path / name
        path.write_bytes(content)
        code, out, err = run_cli(capsys, "--db", chair, "package", "import", str(path),
                                 "--passphrase-file", _passphrase_file(tmp_path))
        assert (code, out) == (2, ""), name
        assert_one_line_error(err, message, "nothing was imported")
    code, _, err = run_cli(capsys, "--db", chair, "package", "import", str(back),
                           "--passphrase-file", _passphrase_file(tmp_path, "a wrong passphrase\n"))
    assert code == 2
    assert_one_line_error(err, REFUSED)
    assert not (user_data_dir() / "case-file-audit-errors.log").exists()
    merged = run_json(capsys, "--db", chair, "package", "import", str(back),
                      "--passphrase-file", _passphrase_file(tmp_path))
    assert not merged["already_imported"]
    assert run_json(capsys, "--db", chair, "package", "import", str(back),
                    "--passphrase-file", _passphrase_file(tmp_path))["already_imported"]


def test_without_a_terminal_or_passphrase_it_is_one_line(capsys: pytest.CaptureFixture[str],
                                                         tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    chair, audit, back = _chair_and_member_packages(capsys, tmp_path)
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    code, _, err = run_cli(capsys, "--db", chair, "package", "import", str(back))
    assert code == 2
    assert_one_line_error(err, "--passphrase-file FILE", "AUDIT_APP_PASSPHRASE")
    code, _, err = run_cli(capsys, "--db", chair, "package", "import", str(back),
                           "--passphrase-file", str(tmp_path / "missing.txt"))
    assert code == 2
    assert_one_line_error(err, "Cannot read the passphrase file")
    code, _, err = run_cli(capsys, "--db", chair, "package", "export", "--audit", audit,
                           "--reviewer", "Cal", "--out", str(tmp_path / "c.cfapkg"),
                           "--passphrase-file", _passphrase_file(tmp_path, "not it at all\n"))
    assert code == 2
    assert_one_line_error(err, "That is not this audit's package passphrase")
    assert not (tmp_path / "c.cfapkg").exists()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_at_a_terminal_a_new_passphrase_is_asked_twice(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "chair.sqlite3")
    audit = str(run_json(capsys, "--db", db, "demo")["audit_id"])
    typed: list[str] = []
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": typed.pop(0))
    out = str(tmp_path / "a.cfapkg")
    export = ("--db", db, "package", "export", "--audit", audit, "--reviewer", "Ann", "--out", out)
    typed[:] = [PASSPHRASE, PASSPHRASE + "!"]
    code, _, err = run_cli(capsys, *export)
    assert code == 2
    assert_one_line_error(err, "not the same", "nothing was changed")
    typed[:] = ["short", "short"]
    code, _, err = run_cli(capsys, *export)
    assert_one_line_error(err, "at least 10 characters")
    typed[:] = [PASSPHRASE, PASSPHRASE]
    code, text, _ = run_cli(capsys, *export)
    assert code == 0 and "by another route" in text and typed == []
    typed[:] = [PASSPHRASE]  # set now: asked once
    assert run_cli(capsys, *export)[0] == 0 and typed == []


def test_the_chair_sets_and_changes_the_passphrase(capsys: pytest.CaptureFixture[str],
                                                   tmp_path: Path) -> None:
    db = str(tmp_path / "chair.sqlite3")
    audit = str(run_json(capsys, "--db", db, "demo")["audit_id"])
    code, _, err = run_cli(capsys, "--db", db, "package", "passphrase", "--audit", audit,
                           "--passphrase-file", _passphrase_file(tmp_path, "tiny\n"))
    assert code == 2
    assert_one_line_error(err, "at least 10 characters")
    first = run_json(capsys, "--db", db, "package", "passphrase", "--audit", audit,
                     "--passphrase-file", _passphrase_file(tmp_path))
    assert first == {"audit_id": int(audit), "changed": False}
    code, text, _ = run_cli(capsys, "--db", db, "package", "passphrase", "--audit", audit,
                            "--passphrase-file", _passphrase_file(tmp_path, "a new one, longer\n"))
    assert code == 0 and text.startswith("Changed") and "phone call" in text
    code, _, err = run_cli(capsys, "--db", db, "package", "export", "--audit", audit,
                           "--reviewer", "Ann", "--out", str(tmp_path / "x.cfapkg"),
                           "--passphrase-file", _passphrase_file(tmp_path))
    assert_one_line_error(err, "That is not this audit's package passphrase")
    from audit_app.services.change_log import list_changes

    master = open_database(db)
    changes = list_changes(master, audit_id=int(audit))
    master.close()
    assert [c.detail for c in changes if c.field == "passphrase"] == [
        "Package passphrase changed; the passphrase itself is not kept",
        "Package passphrase set; the passphrase itself is not kept"]
    assert PASSPHRASE not in str(changes) and "a new one" not in str(changes)
