"""Compliance per criterion for each outcome code, checked against hand counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from audit_app.core.answers import Answer
from audit_app.core.findings_compute import findings_from_data
from audit_app.core.outcome_table import NOT_RECORDED, cell_text, outcome_table
from audit_app.core.statistics import wilson_interval
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings, load_audit_data
from audit_app.services.outcome_findings import outcome_table_for, outcome_table_from_data
from tests.helpers.audits import build_audit

SCALE = [Answer.MET, Answer.PARTLY_MET, Answer.NOT_MET, Answer.NOT_EVIDENCED,
         Answer.NOT_APPLICABLE]


def test_a_small_table_by_hand() -> None:
    # Cases 1-6 have outcome 16, case 7 outcome 15, case 8 none recorded.
    outcomes = {1: 16, 2: 16, 3: 16, 4: 16, 5: 16, 6: 16, 7: 15, 8: None}
    met, not_met, na = Answer.MET, Answer.NOT_MET, Answer.NOT_APPLICABLE
    effective = {(1, "A"): met, (2, "A"): met, (3, "A"): not_met, (4, "A"): met,
                 (5, "A"): na, (6, "A"): met, (7, "A"): not_met, (8, "A"): met}
    table = outcome_table(outcomes, [("A", "Question A"), ("B", "Question B")], effective)
    assert table.outcomes == ("Outcome 15", "Outcome 16", NOT_RECORDED)
    assert table.cases == (1, 6, 1)
    fifteen, sixteen, unrecorded = table.rows[0].cells
    assert (sixteen.compliance.met, sixteen.compliance.denominator) == (4, 5)  # N/A left out
    assert sixteen.compliance.interval == wilson_interval(4, 5) and not sixteen.small
    assert cell_text(sixteen) == "80% (4 of 5)"
    assert (fifteen.compliance.met, fifteen.compliance.denominator) == (0, 1) and fifteen.small
    assert cell_text(fifteen) == "small: 0 of 1"
    assert unrecorded.compliance.met == 1
    assert all(cell.compliance.denominator == 0 for cell in table.rows[1].cells)
    assert cell_text(table.rows[1].cells[0]) == "–"
    assert table.to_dict()["criteria"][0]["cells"][1] == {
        "outcome": "Outcome 16", "met": 4, "scored": 5, "compliance": 0.8,
        "ci_low": pytest.approx(wilson_interval(4, 5)[0]),
        "ci_high": pytest.approx(wilson_interval(4, 5)[1]), "small": False}


def hand_counts(references: list[str], codes: list[str]) -> dict[tuple[str, str], tuple[int, int]]:
    """What `build_audit` scored, counted from its own rules: position p's answer on the
    o-th criterion is SCALE[(p + o) % 5]; case 2's first criterion awaits moderation; the
    case inserted k-th (reference DA/000k) has outcome (16, 15, 14)[(k - 1) % 3]."""
    counts: dict[tuple[str, str], tuple[int, int]] = {}
    for position, reference in enumerate(references):
        outcome = f"Outcome {(16, 15, 14)[(int(reference.split('/')[1]) - 1) % 3]}"
        for offset, code in enumerate(codes):
            answer = SCALE[(position + offset) % 5]
            if (position == 2 and offset == 0) or answer is Answer.NOT_APPLICABLE:
                continue
            met, scored = counts.get((code, outcome), (0, 0))
            counts[(code, outcome)] = (met + (answer is Answer.MET), scored + 1)
    return counts


def test_on_a_real_audit_against_a_hand_count(sqlite_db: Database, tmp_path: Path) -> None:
    built = build_audit(sqlite_db)
    data = load_audit_data(sqlite_db, audit_id=built.audit_id)
    findings = findings_from_data(data)
    table = outcome_table_from_data(data, findings)
    assert table == outcome_table_for(sqlite_db, compute_findings(sqlite_db,
                                                                  audit_id=built.audit_id))
    assert table.outcomes == ("Outcome 14", "Outcome 15", "Outcome 16")
    assert table.cases == (4, 4, 4)
    expected = hand_counts(built.references, built.codes)
    for row in table.rows:
        for cell in row.cells:
            counted = (cell.compliance.met, cell.compliance.denominator)
            assert counted == expected.get((row.code, cell.outcome), (0, 0)), (row.code,
                                                                             cell.outcome)
    assert sum(sum(c.compliance.denominator for c in row.cells) for row in table.rows) == \
        sum(scored for _met, scored in expected.values())
