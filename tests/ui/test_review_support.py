"""The review-screen builder makes a sampled audit."""

from __future__ import annotations

from audit_app.services.database import Database
from tests.helpers.review_audits import CASES, build_review_audit


def test_support_builds_a_sampled_audit(sqlite_db: Database) -> None:
    built = build_review_audit(sqlite_db)
    assert len(built.case_ids) == len(CASES)
