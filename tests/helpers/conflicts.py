"""Merge conflicts as a panel meets them: a member's package and this database both
changed one answer and the learning points of one case."""

from __future__ import annotations

from pathlib import Path

from audit_app.services import packages, sampling, scoring
from audit_app.services.audits import get_audit
from audit_app.services.database import Database, open_database
from audit_app.services.frameworks import get_framework

PASSPHRASE = "correct horse battery staple"  # at least ten characters


def make_conflicts(db: Database, audit_id: int, member: str, tmp_path: Path) -> None:
    """Two open conflicts on the audit's last sampled case, for `member`."""
    case_id = sampling.get_sample(db, audit_id=audit_id)[-1].case.id
    audit = get_audit(db, audit_id)
    code = get_framework(db, audit.framework_key, version=audit.framework_version).criteria[0].code

    def score(target: Database, audit: int, case: int, value: str, words: str) -> None:
        scoring.record_answer(target, audit_id=audit, case_id=case, reviewer=member,
                              criterion_code=code, value=value, note=words)
        scoring.set_case_details(target, audit_id=audit, case_id=case, reviewer=member,
                                 learning_points=words)

    score(db, audit_id, case_id, "met", "first")
    out = packages.export_package(db, passphrase=PASSPHRASE, audit_id=audit_id, reviewer=member,
                                  path=tmp_path / "out.cfapkg")
    laptop = open_database(tmp_path / "laptop.sqlite3")
    try:
        copy = packages.open_package(laptop, passphrase=PASSPHRASE, path=out.path)
        score(laptop, copy.id, sampling.get_sample(laptop, audit_id=copy.id)[-1].case.id,
              "not_met", "from the laptop")
        back = packages.export_package(laptop, passphrase=PASSPHRASE, audit_id=copy.id,
                                       reviewer=member, path=tmp_path / "back.cfapkg")
    finally:
        laptop.close()
    score(db, audit_id, case_id, "partly_met", "from the chair")
    assert packages.import_package(db, passphrase=PASSPHRASE, path=back.path).conflicts >= 2
