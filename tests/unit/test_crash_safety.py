"""Kill a real process with SIGKILL mid-work: nothing committed is lost, nothing corrupts."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import insert

from audit_app.db.models import CaseRecord
from audit_app.services import audits, sampling
from audit_app.services.database import open_database
from audit_app.services.frameworks import get_framework
from audit_app.services.scoring import get_review

PASSPHRASE = "correct horse battery staple"  # at least ten characters

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

SCORER = textwrap.dedent("""
    import itertools, sys
    from audit_app.services.database import open_database
    from audit_app.services.scoring import record_answer
    db = open_database(sys.argv[1])
    audit_id, codes, cases = int(sys.argv[2]), sys.argv[3].split(","), sys.argv[4].split(",")
    values = itertools.cycle(["met", "partly_met", "not_met", "na"])
    for case_id in cases:
        for code in codes:
            value = next(values)
            record_answer(db, audit_id=audit_id, case_id=int(case_id), reviewer="Killed Reviewer",
                          criterion_code=code, value=value, note="n" if value != "met" else "")
            print(case_id, code, value, flush=True)
""")


def _prepared(tmp_path: Path) -> tuple[Path, int, list[str], list[int]]:
    path = tmp_path / "crash.sqlite3"
    db = open_database(path)
    audit = audits.create_audit(db, name="Crash", framework="da-nfa-review@2")  # all answers on all
    with db.transaction() as session:
        session.execute(insert(CaseRecord), [
            {"audit_id": audit.id, "reference": f"K{i:03d}", "outcome_code": 16, "extra": {}}
            for i in range(50)])
    sampling.draw_sample(db, audit_id=audit.id, size=20, method="random", seed=1)
    codes = [c.code for c in get_framework(db, "da-nfa-review@2").criteria]
    case_ids = [r.case.id for r in sampling.get_sample(db, audit_id=audit.id)]
    db.close()
    return path, audit.id, codes, case_ids


def test_kill_during_scoring_loses_no_committed_answer(tmp_path: Path) -> None:
    path, audit_id, codes, case_ids = _prepared(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-c", SCORER, str(path), str(audit_id), ",".join(codes),
         ",".join(map(str, case_ids))],
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    confirmed: list[tuple[int, str, str]] = []
    deadline = time.monotonic() + 60
    while len(confirmed) < 40 and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        case_id, code, value = line.split()
        confirmed.append((int(case_id), code, value))
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()  # the killed child's pipe, else a ResourceWarning
    assert len(confirmed) >= 40, "the scorer did not get going"

    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    db = open_database(path)
    for case_id, code, value in confirmed:
        review = get_review(db, audit_id=audit_id, case_id=case_id, reviewer="Killed Reviewer")
        assert review.answers[code].value.value == value
    db.close()


MERGER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from audit_app.services.database import open_database
    from audit_app.services.packages import import_package
    db = open_database(sys.argv[1])
    print("merging", flush=True)
    import_package(db, path=Path(sys.argv[2]), passphrase=sys.argv[3], actor="Chair")
    print("merged", flush=True)
""")


def test_kill_during_a_merge_leaves_the_database_as_before(tmp_path: Path) -> None:
    from audit_app.services import packages
    from audit_app.services.scoring import record_answers

    path, audit_id, codes, case_ids = _prepared(tmp_path)
    chair = open_database(path)
    outgoing = packages.export_package(chair, passphrase=PASSPHRASE, audit_id=audit_id, reviewer="Member",
                                       path=tmp_path / "out.cfapkg")
    chair.close()
    laptop = open_database(tmp_path / "laptop.sqlite3")
    copy = packages.open_package(laptop, passphrase=PASSPHRASE, path=outgoing.path)
    for row in sampling.get_sample(laptop, audit_id=copy.id):
        record_answers(laptop, audit_id=copy.id, case_id=row.case.id, reviewer="Member",
                       answers={code: ("not_met", "note " * 40) for code in codes})
    back = packages.export_package(laptop, passphrase=PASSPHRASE, audit_id=copy.id, reviewer="Member",
                                   path=tmp_path / "back.cfapkg")
    laptop.close()

    process = subprocess.Popen([sys.executable, "-c", MERGER, str(path), str(back.path), PASSPHRASE],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "merging"
    time.sleep(0.4)  # well inside a merge of hundreds of answers
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()  # the killed child's pipe, else a ResourceWarning

    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    db = open_database(path)
    answered = sum(len(get_review(db, audit_id=audit_id, case_id=c, reviewer="Member").answers)
                   for c in case_ids)
    merged = packages.list_conflicts(db, audit_id=audit_id, open_only=False)
    db.close()
    # all of the merge or none of it: never a part
    assert answered in (0, len(case_ids) * len(codes)), answered
    assert merged == []
