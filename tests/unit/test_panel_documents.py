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
from audit_app.services import (
    actions,
    escalations,
    information_requests,
    meetings,
    scoring,
    themes,
)
from audit_app.services.database import Database
from audit_app.services.panel_documents import (
    write_feedback_files,
    write_minutes_file,
    write_summary_file,
)
from audit_app.services.panel_year_report import write_year_report_file
from tests.helpers.audits import REVIEWERS, VICTIMS, BuiltAudit
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


NAMED = "Mr Zebedee Quillfeather"  # a person named in free text, not a member


@pytest.fixture
def recorded_audit(sqlite_db: Database, panel_audit: BuiltAudit) -> BuiltAudit:
    """The panel audit with its meeting and record: attendance, a declaration, dissent, a
    carried case, escalations (one overdue), a request, learning themes, and an action
    whose response names a person and a phone number."""
    audit, cases, refs = panel_audit.audit_id, panel_audit.case_ids, panel_audit.references
    meeting = meetings.create_meeting(sqlite_db, audit_id=audit, held_on=dt.date(2026, 3, 5),
                                      title="Spring panel", chair=CHAIR)
    meetings.record_attendance(sqlite_db, meeting_id=meeting.meeting_id, member=REVIEWERS[0],
                               role="Independent member", agency="Women's Aid")
    meetings.record_attendance(sqlite_db, meeting_id=meeting.meeting_id, member=REVIEWERS[1],
                               present=False, role="Member", agency="Probation")
    meetings.record_attendance(sqlite_db, meeting_id=meeting.meeting_id, member="Dr Observer",
                               role="Observer", agency="University", guest=True)
    meetings.declare_interest(sqlite_db, audit_id=audit, case_id=cases[1], member=REVIEWERS[1],
                              reason="Knows the family")
    meetings.record_dissent(sqlite_db, audit_id=audit, case_id=cases[4], member=REVIEWERS[0],
                            reason=f"{NAMED} said so; ring {PHONE}")
    meetings.set_agenda_status(sqlite_db, meeting_id=meeting.meeting_id, case_id=cases[6],
                               status="carried", reason="Awaiting the MARAC minutes")
    overdue = escalations.add_escalation(
        sqlite_db, audit_id=audit, case_reference=refs[4], sent_to_role="Detective Inspector",
        sent_to_agency="Public Protection", sent_on=dt.date(2020, 1, 2),
        reason=f"{VICTIMS[0]} and {NAMED} still at the address; call {PHONE}")
    answered = escalations.add_escalation(
        sqlite_db, audit_id=audit, case_reference=refs[0], reason="Child at risk",
        sent_to_role="Team manager", sent_to_agency="Children's services",
        sent_on=dt.date(2026, 3, 5))
    escalations.respond_escalation(sqlite_db, escalation_id=answered,
                                   response="Strategy meeting held", response_on=dt.date(2026, 3, 6))
    escalations.close_escalation(sqlite_db, escalation_id=answered, closed_on=dt.date(2026, 3, 7))
    assert overdue
    information_requests.add_request(
        sqlite_db, audit_id=audit, case_reference=refs[6], question="Was a DASH completed?",
        answerer_role="Safeguarding lead", answerer_agency="Children's services",
        answerer_name=NAMED)
    themes.tag(sqlite_db, audit_id=audit, case_reference=refs[4], theme_key="risk-assessment",
               kind="learning")
    themes.tag(sqlite_db, audit_id=audit, case_reference=refs[4], theme_key="victim-contact",
               kind="good practice")
    actions.add_action(sqlite_db, audit_id=audit, description="Brief the safeguarding hub",
                       owner="Head of Public Protection", agency="Police",
                       theme_key="risk-assessment", due_date=dt.date(2099, 1, 1),
                       response=f"Done; {NAMED} on {PHONE} briefed",
                       response_date=dt.date(2026, 4, 1))
    return panel_audit


def test_minutes_hold_the_panels_record_without_retyping(
        sqlite_db: Database, recorded_audit: BuiltAudit, tmp_path: Path) -> None:
    path = tmp_path / "minutes.docx"
    write_minutes_file(sqlite_db, audit_id=recorded_audit.audit_id, path=path)
    parts, text = docx_parts(path), docx_text(path)
    cells = parts["tables"]
    assert "Spring panel" in text and "5 March 2026" in text
    assert REVIEWERS[0] in cells and "Women's Aid" in cells and "Apologies" in cells
    assert "Present (guest)" in cells and "Knows the family" in cells
    assert f"{REVIEWERS[0]} did not agree:" in text
    assert "Awaiting the MARAC minutes" in cells and "Was a DASH completed?" in cells
    assert "Safeguarding lead, Children's services" in cells
    assert "Carried to the next meeting" in cells
    # Escalations: the open, overdue one first; the answered one with its response's date.
    assert cells.index("Overdue") < cells.index("Closed")
    assert "Detective Inspector, Public Protection" in cells
    assert "Strategy meeting held (6 Mar 2026)" in cells
    assert "Risk assessment" in cells and "Victim contact" in text
    assert "Police" in cells and "1 Apr 2026" in text
    assert EMPTY["themes"] not in parts["body"] and EMPTY["attendance"] not in parts["body"]


def test_pseudonymised_minutes_and_summary_scrub_every_new_field(
        sqlite_db: Database, recorded_audit: BuiltAudit, tmp_path: Path) -> None:
    """A name and a phone number in an escalation's reason, a dissent's reason and an
    action's response stay out of the circulated copies; they stay in the internal one."""
    minutes, summary = tmp_path / "m.docx", tmp_path / "s.docx"
    write_minutes_file(sqlite_db, audit_id=recorded_audit.audit_id, path=minutes)
    write_summary_file(sqlite_db, audit_id=recorded_audit.audit_id, path=summary)
    for path in (minutes, summary):
        text = docx_text(path)
        assert not any(secret in text for secret in (NAMED, PHONE, VICTIMS[0]))
        assert not any(reference in text for reference in recorded_audit.references)
    assert docx_text(minutes).count("[phone]") >= 3
    assert "1 escalation open." in docx_text(summary)
    assert "Risk assessment" in docx_parts(summary)["tables"]
    internal = tmp_path / "internal.docx"
    write_minutes_file(sqlite_db, audit_id=recorded_audit.audit_id, path=internal,
                       pseudonymise=False)
    assert NAMED in docx_text(internal) and recorded_audit.references[4] in docx_text(internal)


def test_minutes_of_a_chosen_meeting_and_a_wrong_one_refused(
        sqlite_db: Database, recorded_audit: BuiltAudit, tmp_path: Path) -> None:
    later = meetings.create_meeting(sqlite_db, audit_id=recorded_audit.audit_id,
                                    held_on=dt.date(2026, 4, 9), title="Follow-up panel")
    latest, first = tmp_path / "latest.docx", tmp_path / "first.docx"
    write_minutes_file(sqlite_db, audit_id=recorded_audit.audit_id, path=latest)
    assert "Follow-up panel" in docx_text(latest)
    assert EMPTY["attendance"] in docx_parts(latest)["body"]
    write_minutes_file(sqlite_db, audit_id=recorded_audit.audit_id, path=first,
                       meeting_id=later.meeting_id - 1)
    assert "Spring panel" in docx_text(first)
    with pytest.raises(UserError, match="is not a meeting of audit"):
        write_minutes_file(sqlite_db, audit_id=recorded_audit.audit_id,
                           path=tmp_path / "x.docx", meeting_id=later.meeting_id + 1)


def test_letters_carry_the_themes_and_say_what_is_not_yet_agreed(
        sqlite_db: Database, recorded_audit: BuiltAudit, tmp_path: Path) -> None:
    result = write_feedback_files(sqlite_db, audit_id=recorded_audit.audit_id,
                                  folder=tmp_path / "letters")
    letter = docx_text(result.paths[result.addressees.index(SUPERVISORS[0])])
    assert "(Themes: Risk assessment)" in letter
    assert "The panel has not yet agreed its learning" in letter
    minutes = tmp_path / "m.docx"
    write_minutes_file(sqlite_db, audit_id=recorded_audit.audit_id, path=minutes)
    assert any(line.startswith(EMPTY["not_agreed"]) for line in docx_parts(minutes)["body"])


def test_year_report_follows_themes_and_agencies_responses(
        sqlite_db: Database, recorded_audit: BuiltAudit, tmp_path: Path) -> None:
    path = tmp_path / "year.docx"
    write_year_report_file(sqlite_db, year=dt.date.today().year, path=path)
    cells = docx_parts(path)["tables"]
    assert cells[cells.index("Risk assessment") + 1] == "1"
    assert "Police" in cells and any(cell.startswith("Done; ") for cell in cells)
    assert NAMED not in docx_text(path) and PHONE not in docx_text(path)


def test_the_next_audit_carries_open_questions_and_actions_under_its_own_pseudonyms(
        sqlite_db: Database, recorded_audit: BuiltAudit, tmp_path: Path) -> None:
    second = agreed_audit(sqlite_db)
    path = tmp_path / "next.docx"
    write_minutes_file(sqlite_db, audit_id=second.audit_id, path=path)
    parts, text = docx_parts(path), docx_text(path)
    cells = parts["tables"]
    assert "Was a DASH completed?" in cells and "Carried to the next meeting" in cells
    assert "Brief the safeguarding hub" in cells, "open actions are brought forward"
    assert EMPTY["outstanding_actions"] not in parts["body"]
    assert not any(reference in text
                   for reference in (*recorded_audit.references, *second.references))
    assert NAMED not in text and PHONE not in text
