"""`audit-app package | backup | restore | retention`: a panel on many laptops, headless."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_app.services import sampling
from audit_app.services.database import open_database
from audit_app.services.frameworks import get_framework
from audit_app.services.scoring import get_review, record_answer
from tests.unit.test_cli import assert_one_line_error, run_cli, run_json


def test_member_scores_offline_and_the_chair_merges(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    chair, member = str(tmp_path / "chair.sqlite3"), str(tmp_path / "bea.sqlite3")
    audit_id = run_json(capsys, "--db", chair, "demo")["audit_id"]
    out_file = str(tmp_path / "bea.cfapkg")
    made = run_json(capsys, "--db", chair, "package", "export", "--audit", str(audit_id),
                    "--reviewer", "Bea CPS", "--out", out_file)
    assert made["cases"] == 40
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
    code, _, err = run_cli(capsys, "--db", db, "package", "import", str(junk))
    assert code == 2
    assert_one_line_error(err, "not a review package")
    audit_id = run_json(capsys, "--db", db, "audit", "create", "--name", "A", "--framework",
                        "da-nfa-review")["id"]
    run_json(capsys, "--db", db, "retention", "close", "--audit", str(audit_id))
    run_json(capsys, "--db", db, "retention", "set", "--audit", str(audit_id), "--until",
             "2999-01-01")
    code, _, err = run_cli(capsys, "--db", db, "retention", "purge", "--audit", str(audit_id))
    assert code == 2
    assert_one_line_error(err, "cannot be purged yet")
