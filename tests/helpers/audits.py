"""Builders for the findings, export and scoresheet tests: a real audit made through services."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from audit_app.core.answers import Answer
from audit_app.core.framework import Framework
from audit_app.db.models import ActionRecord, CaseRecord, PopulationImportRecord
from audit_app.services import scoring
from audit_app.services.audits import create_audit
from audit_app.services.database import Database
from audit_app.services.export import ExportResult, check_partner_release, export_workbook
from audit_app.services.frameworks import get_framework
from audit_app.services.sampling import draw_sample, get_sample

VICTIMS = ("Rosalind Featherstone", "Imogen Blackwood", "Harriet Quennell", "Philippa Ashdown")
SUSPECTS = ("Barnaby Pickersgill", "Crispin Wetherall", "Lucian Hargreave", "Ambrose Tolliver")
OFFICERS = ("PC Dorian Fairweather", "DC Marguerite Oakenshaw")
ADDRESS = "17 Larkspur Close"
REVIEWERS = ("Ann Reviewer", "Bob Reviewer")


@dataclass(frozen=True)
class BuiltAudit:
    audit_id: int
    framework: Framework
    case_ids: list[int]  # in sample order
    references: list[str]
    codes: list[str]  # the criteria the builder scored


def build_audit(db: Database, *, cases: int = 12, scored_criteria: int = 3,
                framework_ref: str = "da-nfa-review@2") -> BuiltAudit:
    """Cases inserted as records, a sample of all of them, two reviewers' answers on the
    first `scored_criteria` criteria (agreeing except on case 2), a consensus on case 2,
    learning text mentioning the victim by name, and one urgent case."""
    # Version 2: every criterion takes the whole scale, which the answers below cycle through
    # (version 3's yes/no items refuse "Partly met").
    audit = create_audit(db, name="DA NFA review Q3", framework=framework_ref)
    framework = get_framework(db, framework_ref)
    with db.transaction() as session:
        population = PopulationImportRecord(audit_id=audit.id, file_name="extract.xlsx",
                                            personal_columns=["Victim address"])
        session.add(population)
        session.flush()
        for index in range(cases):
            session.add(CaseRecord(
                audit_id=audit.id, import_id=population.id, source_row=index + 2,
                reference=f"DA/{index + 1:04d}", outcome_code=(16, 15, 14)[index % 3],
                risk_level=("standard", "medium", "high")[index % 3],
                area=("North", "South")[index % 2], team="Safeguarding",
                officer=OFFICERS[index % 2], supervisor="Sgt Evangeline Thorncastle",
                victim_name=VICTIMS[index % 4], suspect_name=SUSPECTS[index % 4],
                offence_description="=HYPERLINK(\"http://x\",\"click\")" if index == 0
                else "Assault ABH", extra={"Victim address": ADDRESS, "Beat": f"B{index}"}))
    draw_sample(db, audit_id=audit.id, size=cases, seed=7)
    sample = [row for row in get_sample(db, audit_id=audit.id) if row.status != "replaced"]
    codes = [criterion.code for criterion in framework.criteria[:scored_criteria]]
    scale = [Answer.MET, Answer.PARTLY_MET, Answer.NOT_MET, Answer.NOT_EVIDENCED,
             Answer.NOT_APPLICABLE]
    for position, row in enumerate(sample):
        for reviewer in REVIEWERS:
            answers = {}
            for offset, code in enumerate(codes):
                value = scale[(position + offset) % len(scale)]
                if position == 2 and reviewer == REVIEWERS[1] and offset == 0:
                    value = Answer.MET if value is not Answer.MET else Answer.NOT_MET
                answers[code] = (value.value, "Needs a note" if value in (
                    Answer.NOT_MET, Answer.NOT_EVIDENCED, Answer.PARTLY_MET) else "")
            scoring.record_answers(db, audit_id=audit.id, case_id=row.case.id,
                                   reviewer=reviewer, answers=answers)
        if position == 1:
            victim = VICTIMS[1 % 4]
            scoring.set_case_details(
                db, audit_id=audit.id, case_id=row.case.id, reviewer=REVIEWERS[0],
                learning_points=f"{victim} was not told of the decision; see {row.case.reference}",
                good_practice="@SUM(1+1) thorough BWV review", feedback="-1 call the IDVA",
                urgent_safeguarding=True, verdict="inappropriate")
    # Case 2: members disagree on the first criterion; the panel agrees "partly met" later.
    return BuiltAudit(audit.id, framework, [row.case.id for row in sample],
                      [row.case.reference for row in sample], codes)


def add_consensus(db: Database, built: BuiltAudit, position: int, value: Answer) -> None:
    scoring.record_answer(db, audit_id=built.audit_id, case_id=built.case_ids[position],
                          reviewer="Chair Person", criterion_code=built.codes[0], value=value,
                          note="Agreed at panel", kind="consensus")


def add_action(db: Database, built: BuiltAudit, description: str) -> None:
    with db.transaction() as session:
        session.add(ActionRecord(audit_id=built.audit_id, case_id=built.case_ids[0],
                                 description=description, owner="DI Team Lead"))


def partner_export(db: Database, audit_id: int, path: Path, **options: bool) -> ExportResult:
    """A partner copy as the CLI and the app make one: check, approve, write."""
    from audit_app.services.release import ReleaseApproval

    check = check_partner_release(db, audit_id=audit_id, **options)
    return export_workbook(db, audit_id=audit_id, path=path, for_partner=True,
                           approval=ReleaseApproval.of(check, "Chair Person"), **options)
