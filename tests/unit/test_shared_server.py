"""Two people on one PostgreSQL server editing the same review at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import insert

from audit_app.core.errors import ConflictError
from audit_app.db.models import CaseRecord
from audit_app.services import audits, sampling
from audit_app.services.database import open_database
from audit_app.services.scoring import get_review, record_answer
from tests.helpers.postgres import PostgresCluster

pytestmark = pytest.mark.postgres


def _race(calls: list[Callable[[], object]]) -> list[BaseException | None]:
    """Run the calls in threads released together; return each one's error (or None)."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[BaseException | None] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            calls[index]()
        except BaseException as exc:  # recorded for the assertions
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


@pytest.mark.parametrize("same_criterion", [True, False])
def test_two_sessions_cannot_overwrite_each_other_silently(
        postgres_cluster: PostgresCluster, same_criterion: bool) -> None:
    url = postgres_cluster.new_database()
    ann_app, bea_app = open_database(url), open_database(url)
    try:
        audit = audits.create_audit(ann_app, name="Shared", framework="da-nfa-review")
        with ann_app.transaction() as session:
            session.execute(insert(CaseRecord), [
                {"audit_id": audit.id, "reference": f"S{i}", "extra": {}} for i in range(5)])
        sampling.draw_sample(ann_app, audit_id=audit.id, size=2, method="random", seed=2)
        case_id = sampling.get_sample(ann_app, audit_id=audit.id)[0].case.id
        target = dict(audit_id=audit.id, case_id=case_id, reviewer="Chair", kind="consensus")
        record_answer(ann_app, **target, criterion_code="1.1", value="met")
        seen = get_review(ann_app, **target).version  # both opened the case at this version

        for round_number in range(5):
            version = get_review(ann_app, **target).version if round_number else seen
            second = "1.1" if same_criterion else "1.2"
            outcomes = _race([
                lambda v=version: record_answer(ann_app, **target, criterion_code="1.1",
                                                value="not_met", note=f"Ann {v}",
                                                expected_version=v),
                lambda v=version, c=second: record_answer(bea_app, **target, criterion_code=c,
                                                value="partly_met", note=f"Bea {v}",
                                                expected_version=v),
            ])
            failures = [o for o in outcomes if o is not None]
            assert len(failures) == 1, outcomes
            assert isinstance(failures[0], ConflictError), failures[0]
            final = get_review(ann_app, **target)
            assert final.version == version + 1
    finally:
        ann_app.close()
        bea_app.close()
