"""The panel's Word documents, written for real and read back with python-docx."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.errors import UserError
from audit_app.core.panel_documents import EMPTY, PROTECTIVE_MARKING, Rate
from audit_app.core.statistics import wilson_interval
from audit_app.db.models import CaseRecord
from audit_app.services import actions, scoring
from audit_app.services.database import Database
from audit_app.services.panel_documents import (
    write_feedback_files,
    write_minutes_file,
    write_summary_file,
)
from audit_app.services.panel_year_report import write_year_report_file
from tests.helpers.audits import VICTIMS, BuiltAudit
from tests.helpers.docx_text import docx_parts, docx_text
from tests.helpers.retention import purge
from tests.helpers.verdict_audits import CHAIR, agreed_audit

PHONE = "07700 900461"
SUPERVISORS = ("Sgt Evangeline Thorncastle", "Insp Ottoline Marchbanks")
SECTIONS = ("1. Attendance and declarations of interest", "2. The population picture",
            "3. Headline", "4. Cases discussed", "5. Urgent safeguarding escalations",
            "6. Learning themes", "7. Actions", "8. Good practice to share")


@pytest.fixture
def panel_audit(sqlite_db: Database) -> BuiltAudit:
    """Agreed verdicts (4 appropriate of 5 judged), the panel's rationale and learning
    naming the victim, a phone number and the supervisor, two supervisors, an overdue
    action and one not yet due."""
    built = agreed_audit(sqlite_db)
    scoring.set_case_details(
        sqlite_db, audit_id=built.audit_id, case_id=built.case_ids[4], reviewer=CHAIR,
        kind="consensus", rationale=f"{VICTIMS[0]} withdrew; call {PHONE} before closing.",
        learning_points=f"{SUPERVISORS[0]} should have seen the risk to {VICTIMS[0]}.",
        good_practice="Early referral to the IDVA service.")
    with sqlite_db.transaction() as session:
        for case_id in built.case_ids[:4]:
            record = session.get(CaseRecord, case_id)
            assert record is not None
            record.supervisor = SUPERVISORS[1]
    actions.add_action(sqlite_db, audit_id=built.audit_id, owner="Head of Public Protection",
                       description="Remind supervisors to record the NFA rationale",
                       due_date=dt.date(2020, 1, 31))
    actions.add_action(sqlite_db, audit_id=built.audit_id, owner="DCI Safeguarding",
                       description="Audit MARAC referrals", due_date=dt.date(2099, 3, 1))
    return built


def _private(path: Path) -> bool:
    return os.name != "posix" or (path.stat().st_mode & 0o777) == 0o600


def test_minutes_hold_every_section_the_headline_and_only_pseudonyms(
        sqlite_db: Database, panel_audit: BuiltAudit, tmp_path: Path) -> None:
    path = tmp_path / "minutes.docx"
    result = write_minutes_file(sqlite_db, audit_id=panel_audit.audit_id, path=path)
    parts, text = docx_parts(path), docx_text(path)
    assert result.paths == (path,) and _private(path)
    assert not any(p.name.startswith(".cfa-partial-") for p in tmp_path.iterdir())
    assert [h for h in parts["headings"] if h[:2] in {s[:2] for s in SECTIONS}] == list(SECTIONS)
    assert "4 of 5 panel-agreed cases = 80% (95% interval" in text
    assert PROTECTIVE_MARKING in parts["header"]
    assert "CASE-" in text
    assert not any(reference in text for reference in panel_audit.references)
    assert not any(name in text for name in (*VICTIMS, PHONE, *SUPERVISORS))
    assert "[phone]" in text and "Early referral to the IDVA service." in text
    # What the app cannot record yet is said plainly, not left as a gap.
    for key in ("attendance", "declarations", "themes", "outstanding_actions"):
        assert EMPTY[key] in parts["body"]
    assert "Open (overdue)" in parts["tables"] and "Head of Public Protection" in text
    assert "Inappropriate" in parts["tables"]


def test_the_internal_copy_shows_real_references_and_text(
        sqlite_db: Database, panel_audit: BuiltAudit, tmp_path: Path) -> None:
    path = tmp_path / "internal.docx"
    result = write_minutes_file(sqlite_db, audit_id=panel_audit.audit_id, path=path,
                                pseudonymise=False)
    text = docx_text(path)
    assert not result.pseudonymised
    assert panel_audit.references[4] in text and PHONE in text
    assert "CASE-" not in text


def test_a_letter_per_supervisor_names_only_its_addressee(
        sqlite_db: Database, panel_audit: BuiltAudit, tmp_path: Path) -> None:
    result = write_feedback_files(sqlite_db, audit_id=panel_audit.audit_id,
                                  folder=tmp_path / "letters")
    assert len(result.paths) == 2 and all(_private(path) for path in result.paths)
    assert sorted(result.addressees) == sorted(SUPERVISORS)
    for path, addressee in zip(result.paths, result.addressees, strict=True):
        assert not any(name.split()[-1] in path.name for name in SUPERVISORS)
        text = docx_text(path)
        assert text.count(addressee) == 1, "the addressee line alone names them"
        others = [name for name in SUPERVISORS if name != addressee]
        assert not any(name in text for name in others)
        assert not any(reference in text for reference in panel_audit.references)
    letter = docx_text(result.paths[result.addressees.index(SUPERVISORS[0])])
    assert "Early referral to the IDVA service." in letter
    assert "[officer] should have seen the risk" in letter


def test_letters_by_team(sqlite_db: Database, panel_audit: BuiltAudit, tmp_path: Path) -> None:
    result = write_feedback_files(sqlite_db, audit_id=panel_audit.audit_id,
                                  folder=tmp_path / "teams", by="team")
    assert result.addressees == ("Safeguarding",)
    assert "To: Safeguarding team" in docx_text(result.paths[0])
    # A second run with fewer addressees leaves no letter of the first run behind.
    (tmp_path / "teams" / "feedback-02-team.docx").write_bytes(b"from an earlier run")
    (tmp_path / "teams" / "notes.docx").write_bytes(b"the user's own")
    again = write_feedback_files(sqlite_db, audit_id=panel_audit.audit_id,
                                 folder=tmp_path / "teams", by="team")
    assert "1 letter from an earlier run was removed." in again.summary
    assert sorted(p.name for p in (tmp_path / "teams").iterdir()) == [
        "feedback-01-team.docx", "notes.docx"]
    with pytest.raises(UserError, match="supervisor or by team"):
        write_feedback_files(sqlite_db, audit_id=panel_audit.audit_id,
                             folder=tmp_path / "x", by="area")


def test_summary_sheet_is_short_and_names_no_case_detail(
        sqlite_db: Database, panel_audit: BuiltAudit, tmp_path: Path) -> None:
    path = tmp_path / "summary.docx"
    write_summary_file(sqlite_db, audit_id=panel_audit.audit_id, path=path)
    parts, text = docx_parts(path), docx_text(path)
    assert parts["headings"] == ["Panel summary", "Headline", "Criteria met least often",
                                 "Top learning themes", "Open items"]
    assert "80% (95% interval" in text and _private(path)
    assert "2 open (1 overdue)." in text
    assert "1 case flagged; 0 escalations open." in text
    assert not any(name in text for name in (*VICTIMS, PHONE, *SUPERVISORS))
    assert not any(reference in text for reference in panel_audit.references)


def test_year_report_sets_the_years_audits_side_by_side(
        sqlite_db: Database, panel_audit: BuiltAudit, tmp_path: Path) -> None:
    second = agreed_audit(sqlite_db)
    path = tmp_path / "year.docx"
    year = dt.date.today().year
    result = write_year_report_file(sqlite_db, year=year, path=path)
    parts, text = docx_parts(path), docx_text(path)
    assert "(2 audits)" in result.summary and _private(path)
    assert f"Scrutiny panel yearly report {year}" in parts["headings"]
    code = panel_audit.codes[0]
    rows = [cell for cell in parts["tables"] if cell.startswith(f"{code} ")]
    assert rows, "each scored criterion has its trend row"
    verdicts = parts["tables"].index("Decisions judged appropriate (panel-agreed verdicts)")
    assert parts["tables"][verdicts + 1:verdicts + 3] == ["80% (38%–96%) of 5"] * 2
    assert any("% (" in cell and "of " in cell for cell in parts["tables"])
    assert "Remind supervisors to record the NFA rationale" in text
    assert not any(reference in text
                   for reference in (*panel_audit.references, *second.references))
    empty = tmp_path / "empty.docx"
    write_year_report_file(sqlite_db, year=2001, path=empty)
    assert EMPTY["audits"] in docx_parts(empty)["body"]


@pytest.mark.parametrize("name", ["minutes.xlsx", "missing/minutes.docx", "folder"])
def test_a_bad_path_is_refused_and_nothing_is_written(
        sqlite_db: Database, panel_audit: BuiltAudit, tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    (out / "folder").mkdir(parents=True)
    with pytest.raises(UserError):
        write_minutes_file(sqlite_db, audit_id=panel_audit.audit_id, path=out / name)
    assert [p.name for p in out.rglob("*")] == ["folder"]


def test_every_document_of_the_demo_audit(sqlite_db: Database, tmp_path: Path) -> None:
    from audit_app.services.demo import create_demo
    from audit_app.services.sampling import get_sample

    audit = create_demo(sqlite_db, seed=7, population=300, sample_size=20)
    references = [row.case.reference for row in get_sample(sqlite_db, audit_id=audit.id)]
    minutes = write_minutes_file(sqlite_db, audit_id=audit.id, path=tmp_path / "m.docx")
    summary = write_summary_file(sqlite_db, audit_id=audit.id, path=tmp_path / "s.docx")
    letters = write_feedback_files(sqlite_db, audit_id=audit.id, folder=tmp_path / "l")
    year = write_year_report_file(sqlite_db, year=dt.date.today().year,
                                  path=tmp_path / "y.docx")
    for path in (*minutes.paths, *summary.paths, *letters.paths, *year.paths):
        text = docx_text(path)
        assert PROTECTIVE_MARKING in text and _private(path)
        assert not any(reference in text for reference in references), path.name
    text = docx_text(tmp_path / "m.docx")
    assert "Cases in the imported extract" in text and "300" in text
    assert "not yet agreed by the panel" in text  # the demo's verdicts are members' so far


@given(count=st.integers(0, 400), extra=st.integers(0, 400))
def test_a_rate_reads_with_its_interval_and_n(count: int, extra: int) -> None:
    n = count + extra
    rate = Rate(count, n, wilson_interval(count, n) if n else None)
    text = rate.text()
    if not n:
        assert text == "no cases yet" and rate.short_text() == "–"
        return
    assert text.endswith(f", {count} of {n}") and "(95% interval " in text
    assert rate.short_text().endswith(f" of {n}")


def test_a_purged_audit_says_why_no_case_is_listed(
        sqlite_db: Database, panel_audit: BuiltAudit, tmp_path: Path) -> None:
    purge(sqlite_db, panel_audit.audit_id)
    write_minutes_file(sqlite_db, audit_id=panel_audit.audit_id, path=tmp_path / "m.docx")
    body = docx_parts(tmp_path / "m.docx")["body"]
    assert any(line.startswith("The case data was deleted") for line in body)
    assert "80% (95% interval" in "\n".join(body), "the kept findings still lead"
    with pytest.raises(UserError, match="deleted under the retention rule"):
        write_feedback_files(sqlite_db, audit_id=panel_audit.audit_id,
                             folder=tmp_path / "letters")
    assert not (tmp_path / "letters").exists()
