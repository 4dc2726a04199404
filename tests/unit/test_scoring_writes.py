"""How scoring writes: few statements per answer, kept review states that never go stale
unnoticed, and completion as one transaction (SQLite file and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from audit_app.core.answers import Answer, ReviewStatus
from audit_app.core.errors import AuditNotOpenError, ConflictError, ValidationError
from audit_app.db.models import AnswerRecord, CaseRecord, ReviewRecord
from audit_app.services import audits, retention, scoring
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database, open_database
from audit_app.services.frameworks import get_framework
from tests.helpers.scales import edits_on_scale


@dataclass(frozen=True)
class Scene:
    audit_id: int
    supportive: int   # victim supports, standard risk: every criterion applies
    withdrawn: int    # victim withdrew, high risk: some criteria do not apply


@pytest.fixture
def scene(db: Database) -> Scene:
    audit = audits.create_audit(db, name="DA NFA review", framework="da-nfa-review")
    with db.transaction() as session:
        supportive = CaseRecord(audit_id=audit.id, reference="C1", outcome_code=15,
                                risk_level="standard", victim_supports="yes", interviewed=True,
                                elp_flag=False)
        withdrawn = CaseRecord(audit_id=audit.id, reference="C2", outcome_code=16,
                               risk_level="high", victim_supports="withdrawn", interviewed=True,
                               elp_flag=True)
        session.add_all([supportive, withdrawn])
        session.flush()
        ids = supportive.id, withdrawn.id
    return Scene(audit.id, *ids)


@contextmanager
def counted(db: Database) -> Iterator[list[str]]:
    """The SQL statements sent to the driver meanwhile, BEGIN left out."""
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if not statement.strip().upper().startswith("BEGIN"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)


def _fresh(db: Database) -> Database:
    """A second connection to the same database, as another laptop or process would have."""
    return open_database(db.url, install_frameworks=False)


def _answer(db: Database, scene: Scene, code: str, value: Answer | None, note: str | None = None,
            reviewer: str = "Ann Lee") -> None:
    scoring.record_answer(db, audit_id=scene.audit_id, case_id=scene.supportive,
                          reviewer=reviewer, criterion_code=code, value=value, note=note)


def test_a_key_press_is_at_most_three_statements_change_log_included(
        db: Database, scene: Scene) -> None:
    _answer(db, scene, "1.1", Answer.MET, "first")  # the first answer reads the review in full
    with counted(db) as statements:
        _answer(db, scene, "1.2", Answer.NOT_MET, "no call")
    assert len(statements) <= 3, statements
    with counted(db) as statements:
        _answer(db, scene, "1.2", Answer.PARTLY_MET, "call on day two")  # answer and note change
    assert len(statements) <= 3, statements
    other = _fresh(db)
    try:
        view = scoring.get_review(other, audit_id=scene.audit_id, case_id=scene.supportive,
                                  reviewer="Ann Lee")
        changes = [(c.entity, c.field, c.old_value, c.new_value)
                   for c in list_changes(other, audit_id=scene.audit_id)]
    finally:
        other.close()
    assert view.answers["1.2"].value is Answer.PARTLY_MET
    assert view.answers["1.2"].note == "call on day two"
    assert view.version == 4  # started, then three changes
    assert ("answer", "1.2", "not_met", "partly_met") in changes
    assert ("answer_note", "1.2", "no call", "call on day two") in changes


def test_many_answers_take_as_few_statements_as_one(db: Database, scene: Scene) -> None:
    codes = [c.code for c in get_framework(db, "da-nfa-review").criteria]
    scoring.record_answers(db, audit_id=scene.audit_id, case_id=scene.supportive,
                           reviewer="Ann Lee", answers={codes[0]: (Answer.MET, "")})
    with counted(db) as statements:
        changed = scoring.record_answers(
            db, audit_id=scene.audit_id, case_id=scene.supportive, reviewer="Ann Lee",
            answers={code: (Answer.NOT_MET, "seen") for code in codes})
    assert changed == len(codes)
    assert len(statements) <= 3, statements


def test_an_answer_changed_elsewhere_is_seen_before_the_next_write(
        db: Database, scene: Scene) -> None:
    _answer(db, scene, "2.1", Answer.MET, "mine")
    other = _fresh(db)
    try:
        _answer(other, scene, "2.1", Answer.NOT_MET, "theirs")
    finally:
        other.close()
    _answer(db, scene, "2.1", Answer.NOT_MET, "theirs")  # the same as now stored: no change
    _answer(db, scene, "2.1", Answer.PARTLY_MET)  # note kept: the one stored, not the one kept
    view = scoring.get_review(db, audit_id=scene.audit_id, case_id=scene.supportive,
                              reviewer="Ann Lee")
    assert view.answers["2.1"].note == "theirs"
    last = list_changes(db, audit_id=scene.audit_id)[0]  # newest first
    assert (last.field, last.old_value, last.new_value) == ("2.1", "not_met", "partly_met")


def test_an_audit_closed_elsewhere_refuses_the_next_answer(db: Database, scene: Scene) -> None:
    _answer(db, scene, "2.1", Answer.MET, "mine")
    other = _fresh(db)
    try:
        retention.close_audit(other, audit_id=scene.audit_id, actor="Chair")
    finally:
        other.close()
    with pytest.raises(AuditNotOpenError):
        _answer(db, scene, "2.2", Answer.MET)
    with pytest.raises(AuditNotOpenError):
        _answer(db, scene, "2.1", Answer.MET, "mine")  # not even a no-op passes
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(AnswerRecord)) == 1


def test_an_expected_version_from_before_a_change_is_refused(db: Database, scene: Scene) -> None:
    _answer(db, scene, "1.1", Answer.MET)
    version = scoring.get_review(db, audit_id=scene.audit_id, case_id=scene.supportive,
                                 reviewer="Ann Lee").version
    _answer(db, scene, "1.2", Answer.MET)
    with pytest.raises(ConflictError):
        scoring.record_answer(db, audit_id=scene.audit_id, case_id=scene.supportive,
                              reviewer="Ann Lee", criterion_code="1.3", value=Answer.MET,
                              expected_version=version)


def test_an_edit_after_completion_reopens_and_logs_it(db: Database, scene: Scene) -> None:
    codes = [c.code for c in get_framework(db, "da-nfa-review").criteria]
    scoring.record_answers(db, audit_id=scene.audit_id, case_id=scene.supportive,
                           reviewer="Ann Lee", answers={c: (Answer.MET, "") for c in codes})
    scoring.set_case_details(db, audit_id=scene.audit_id, case_id=scene.supportive,
                             reviewer="Ann Lee", verdict="appropriate")
    assert scoring.complete_review(db, audit_id=scene.audit_id, case_id=scene.supportive,
                                   reviewer="Ann Lee").status is ReviewStatus.COMPLETE
    _answer(db, scene, codes[0], Answer.NOT_MET)
    view = scoring.get_review(db, audit_id=scene.audit_id, case_id=scene.supportive,
                              reviewer="Ann Lee")
    assert view.status is ReviewStatus.IN_PROGRESS
    last = list_changes(db, audit_id=scene.audit_id)[0]  # newest first
    assert (last.entity, last.old_value, last.detail) == ("review", "complete",
                                                          "reopened by an edit")


def test_a_refused_completion_writes_nothing(db: Database, scene: Scene) -> None:
    # The withdrawn case has criteria that do not apply; completing now would fill them in
    # as automatic N/A, but there are gaps, so nothing at all is written.
    scoring.record_answer(db, audit_id=scene.audit_id, case_id=scene.withdrawn,
                          reviewer="Ann Lee", criterion_code="1.1", value=Answer.MET)
    before = len(list_changes(db, audit_id=scene.audit_id))
    with pytest.raises(ValidationError):
        scoring.complete_review(db, audit_id=scene.audit_id, case_id=scene.withdrawn,
                                reviewer="Ann Lee")
    assert len(list_changes(db, audit_id=scene.audit_id)) == before
    view = scoring.get_review(db, audit_id=scene.audit_id, case_id=scene.withdrawn,
                              reviewer="Ann Lee")
    assert set(view.answers) == {"1.1"}
    with pytest.raises(ValidationError):
        scoring.complete_review(db, audit_id=scene.audit_id, case_id=scene.withdrawn,
                                reviewer="Bea Fox")  # never started: no review appears
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ReviewRecord)) == 1


# Each answer one its criterion may take (a yes/no item cannot be partly met).
EDITS = st.lists(edits_on_scale(["1.1", "1.2", "2.1"], ["", "seen", "not seen", None]),
                 max_size=12)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_what_is_stored_and_logged_follows_every_edit(sqlite_db: Database, edits: list) -> None:
    db = sqlite_db
    audit = audits.create_audit(db, name=f"Audit {len(audits.list_audits(db))}",
                                framework="da-nfa-review")
    with db.transaction() as session:
        case = CaseRecord(audit_id=audit.id, reference="C1", outcome_code=15,
                          risk_level="standard", victim_supports="yes", interviewed=True,
                          elp_flag=False)
        session.add(case)
        session.flush()
        case_id = case.id
    expected: dict[str, tuple[Answer, str]] = {}
    logged = 0
    for code, value, note in edits:
        old = expected.get(code)
        if value is None:
            expected.pop(code, None)
            logged += old is not None
        else:
            new_note = (old[1] if old else "") if note is None else note
            expected[code] = (value, new_note)
            logged += (old is None or old[0] != value) + ((old[1] if old else "") != new_note)
        scoring.record_answer(db, audit_id=audit.id, case_id=case_id, reviewer="Ann Lee",
                              criterion_code=code, value=value, note=note)
    view = scoring.get_review(db, audit_id=audit.id, case_id=case_id, reviewer="Ann Lee")
    assert {c: (a.value, a.note) for c, a in view.answers.items()} == expected
    answer_changes = [c for c in list_changes(db, audit_id=audit.id)
                      if c.entity in ("answer", "answer_note")]
    assert len(answer_changes) == logged
