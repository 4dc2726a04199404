"""Consistency checks of one sampled case, for the review screen (rules in
`core.consistency_checks`)."""

from __future__ import annotations

from dataclasses import replace

from audit_app.core.consistency import ConsistencyFlag
from audit_app.core.consistency_checks import EXTRACT_CHECKS, audit_checks, effective_answers
from audit_app.services.database import Database
from audit_app.services.findings import load_audit_data


def case_checks(db: Database, *, audit_id: int, case_id: int, see_panel: bool = True
                ) -> tuple[ConsistencyFlag, ...]:
    """The flags of one sampled case (none for a case outside the sample). A member scoring
    blind (`see_panel=False`) gets only the flags drawn from the extract, since the others
    would show what the rest of the panel decided."""
    data = load_audit_data(db, audit_id=audit_id)
    cases = tuple(case for case in data.cases if case.case_id == case_id)
    if not cases or data.case_data_deleted is not None:
        return ()
    flags = audit_checks(replace(data, cases=cases), effective_answers(data, [case_id]))
    return flags if see_panel else tuple(f for f in flags if f.kind in EXTRACT_CHECKS)
