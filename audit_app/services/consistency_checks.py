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


def checks_by_case(db: Database, *, audit_id: int) -> dict[int, tuple[ConsistencyFlag, ...]]:
    """Every sampled case's flags in one read (the review screen works them out once per
    change, not once per case opened). Cases without flags are left out; nothing for a
    purged audit. Filter with `blind_view` for a member scoring blind."""
    data = load_audit_data(db, audit_id=audit_id)
    if data.case_data_deleted is not None:
        return {}
    flags = audit_checks(data, effective_answers(data, [case.case_id for case in data.cases]))
    case_of = {case.reference: case.case_id for case in data.cases}
    found: dict[int, list[ConsistencyFlag]] = {}
    for flag in flags:
        found.setdefault(case_of[flag.reference], []).append(flag)
    return {case_id: tuple(case_flags) for case_id, case_flags in found.items()}


def blind_view(flags: tuple[ConsistencyFlag, ...]) -> tuple[ConsistencyFlag, ...]:
    """What a member scoring blind may see: the flags drawn from the extract only."""
    return tuple(f for f in flags if f.kind in EXTRACT_CHECKS)
