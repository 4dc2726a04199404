"""The demo: invented audits for trying the app without touching real data, and for the
tests and screenshots. Everything is derived from one seed, so two demos made with the
same seed hold the same cases, sample and scores.

`create_demo` makes this quarter's audit alone (what the tests use); with `with_history`,
last quarter's audit first and the panel's record of both (`services.demo_record`).
"""

from __future__ import annotations

from audit_app.services.audits import get_audit, list_audits
from audit_app.services.database import Database
from audit_app.services.demo_audit import (
    DEMO_AUDIT_NAME,
    DEMO_FRAMEWORK,
    DEMO_SCOPE,
    REVIEWERS,
    build_audit,
    demo_themes,
)
from audit_app.services.demo_record import create_demo_with_history
from audit_app.services.records import AuditSummary

__all__ = ["DEMO_AUDIT_NAME", "DEMO_FRAMEWORK", "DEMO_SCOPE", "REVIEWERS", "create_demo",
           "create_demo_if_empty", "demo_themes"]


def create_demo(db: Database, *, seed: int = 2026, population: int = 2000,
                sample_size: int = 40, with_history: bool = False) -> AuditSummary:
    """Create the demo audit and return it (a new audit each call). `with_history` adds
    last quarter's audit first and the panel's record of both (meetings, agreed verdicts,
    escalations, themes, actions): the full demo `audit-app demo --with-history` and
    `python3 dev.py run` make. Without it, the one audit the tests use."""
    if with_history:
        return create_demo_with_history(db, seed=seed, population=population,
                                        sample_size=sample_size)
    return get_audit(db, build_audit(db, name=DEMO_AUDIT_NAME, seed=seed,
                                     population=population, sample_size=sample_size).audit_id)


def create_demo_if_empty(db: Database, *, seed: int = 2026,
                         with_history: bool = False) -> AuditSummary | None:
    """The demo audit, only when the database holds no audit at all (first run)."""
    if list_audits(db):
        return None
    return create_demo(db, seed=seed, with_history=with_history)
