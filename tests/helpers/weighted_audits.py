"""An audit drawn from three strata with an always-include rule, for the weighting tests."""

from __future__ import annotations

from collections import defaultdict

from audit_app.core.answers import Answer
from audit_app.db.models import CaseRecord, PopulationImportRecord
from audit_app.services import scoring
from audit_app.services.audits import create_audit
from audit_app.services.database import Database
from audit_app.services.sampling import draw_sample, get_sample

# Met counts (of two scored answers) given to each stratum's randomly drawn cases in draw
# order, and to the two cases the rule picked.
MET_BY_STRATUM = {"A": (2, 2, 1), "B": (1, 0, 1), "C": (0, 0, 1)}
MET_IF_PICKED = 2


def three_strata(db: Database, *, method: str = "stratified", size: int = 11,
                 score: bool = True) -> int:
    """60 cases: area A 10, B 20, C 30; two of C's are high risk and always included.
    Equal allocation of the other 9: 3 from each of A (10), B (20) and C (28 left)."""
    audit = create_audit(db, name="Three strata", framework="da-nfa-review")
    with db.transaction() as session:
        extract = PopulationImportRecord(audit_id=audit.id, file_name="extract.xlsx")
        session.add(extract)
        session.flush()
        areas = ["A"] * 10 + ["B"] * 20 + ["C"] * 30
        for index, area in enumerate(areas):
            session.add(CaseRecord(audit_id=audit.id, import_id=extract.id,
                                   source_row=index + 2, reference=f"T/{index:03d}", area=area,
                                   risk_level="high" if index in (40, 50) else "standard"))
    draw_sample(db, audit_id=audit.id, size=size, method=method,
                strata_fields=["area"] if method == "stratified" else [], seed=11,
                allocation="equal", include_always="risk_level == 'high'")
    if score:
        seen: dict[str, int] = defaultdict(int)
        for row in get_sample(db, audit_id=audit.id):
            if row.position <= 2:
                met = MET_IF_PICKED
            else:
                met = MET_BY_STRATUM[row.stratum][seen[row.stratum]]
                seen[row.stratum] += 1
            answers = {"1.1": (Answer.MET if met >= 1 else Answer.NOT_MET).value,
                       "1.2": (Answer.MET if met >= 2 else Answer.NOT_MET).value}
            scoring.record_answers(db, audit_id=audit.id, case_id=row.case.id,
                                   reviewer="A Member",
                                   answers={code: (value, "") for code, value in answers.items()})
    return audit.id
