"""The workbook carries the panel's record: the actions register with each agency's
response, escalations open first, learning themes; a partner copy keeps none of its
personal text."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from audit_app.services import escalations, themes
from audit_app.services.actions import add_action, update_action
from audit_app.services.audits import create_audit
from audit_app.services.database import Database
from audit_app.services.export import export_workbook
from tests.helpers.audits import REVIEWERS, VICTIMS, build_audit, partner_export

PHONE = "07700 900123"


def _rows(path: Path, sheet: str) -> list[dict[str, object]]:
    rows = list(load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_workbook_carries_register_escalations_and_themes(db: Database,
                                                              tmp_path: Path) -> None:
    earlier = create_audit(db, name="DA NFA review Q2", framework="da-nfa-review@2")
    carried = add_action(db, audit_id=earlier.id, description="Brief supervisors",
                         agency="Police", owner="DI Jones", due_date=dt.date(2020, 1, 31))
    built = build_audit(db, cases=4)
    own = add_action(db, audit_id=built.audit_id, description="Write to the CPS area lead",
                     agency="CPS", due_date=dt.date(2099, 1, 1), theme_key="cps-liaison")
    update_action(db, action_id=own, response="Meeting set", response_date=dt.date(2026, 5, 1))
    closed = escalations.add_escalation(db, audit_id=built.audit_id,
                                        case_reference=built.references[2],
                                        reason="Risk not reassessed")
    escalations.close_escalation(db, escalation_id=closed)
    escalations.add_escalation(db, audit_id=built.audit_id, case_reference=built.references[1],
                               reason="Children not referred", sent_to_role="Duty inspector",
                               sent_to_agency="Police", sent_on=dt.date(2020, 1, 1))
    themes.tag(db, audit_id=built.audit_id, case_reference=built.references[1],
               theme_key="victim-contact", kind="learning", member=REVIEWERS[0])
    path = tmp_path / "findings.xlsx"
    result = export_workbook(db, audit_id=built.audit_id, path=path)
    assert result.sheets[result.sheets.index("Actions"):][:3] == ["Actions", "Escalations",
                                                                  "Themes"]
    register = {row["Action"]: row for row in _rows(path, "Actions")}
    assert register["Brief supervisors"]["Brought forward from"] == "DA NFA review Q2"
    assert register["Brief supervisors"]["Overdue"] == "Overdue"
    assert carried
    mine = register["Write to the CPS area lead"]
    assert (mine["Agency"], mine["Response"], mine["Theme"], mine["Overdue"]) == (
        "CPS", "Meeting set", "CPS liaison", None)
    assert mine["Date of response"] == dt.datetime(2026, 5, 1)
    escalated = _rows(path, "Escalations")
    assert [row["Standing"] for row in escalated] == ["Overdue", "Closed"], "open first"
    assert escalated[0]["Reference"] == built.references[1]
    counts = {row["Theme"]: row for row in _rows(path, "Themes")}
    assert counts["Victim contact and the right to review"]["Learning (cases)"] == 1
    learning = [row for row in _rows(path, "Learning") if row["Kind"] == "Learning point"]
    assert learning[0]["Themes"] == "Victim contact and the right to review"


def test_a_partner_copy_keeps_no_name_or_phone_from_the_record(db: Database,
                                                               tmp_path: Path) -> None:
    built = build_audit(db, cases=4)
    victim = VICTIMS[1]
    escalations.add_escalation(db, audit_id=built.audit_id, case_reference=built.references[1],
                               reason=f"{victim} at risk; call her on {PHONE}")
    action = add_action(db, audit_id=built.audit_id, description="Follow up with the OIC")
    update_action(db, action_id=action, response=f"Spoke to {victim} on {PHONE}")
    path = tmp_path / "partner.xlsx"
    result = partner_export(db, built.audit_id, path, pseudonymise=True)
    assert "Escalations" in result.sheets
    with zipfile.ZipFile(path) as archive:
        text = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist()
                         if name.endswith(".xml"))
    for secret in (victim, PHONE, "07700", built.references[1]):
        assert secret not in text, secret
    [row] = _rows(path, "Escalations")
    assert str(row["Reference"]).startswith("CASE-")
    assert "at risk" in str(row["Reason"])
