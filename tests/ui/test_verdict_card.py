"""The Findings page's verdict card: agreed rate, provisional apart, unresolved cases listed."""

from __future__ import annotations

import json

from pytestqt.qtbot import QtBot

from audit_app.core.answers import Verdict
from audit_app.core.findings import Findings
from audit_app.services import scoring
from audit_app.services.database import Database
from audit_app.services.demo import create_demo
from audit_app.services.findings import compute_findings
from tests.helpers.findings_page import shown_page, wait_for_findings
from tests.helpers.verdict_audits import agreed_audit


def test_demo_card_says_nothing_is_agreed_yet(qtbot: QtBot, sqlite_db: Database) -> None:
    audit = create_demo(sqlite_db)
    page = shown_page(qtbot, sqlite_db, audit.id)
    card = page.verdict_card
    assert card.isVisible()
    assert card.headline.text().endswith("no verdicts agreed by the panel yet.")
    assert card.details.text().startswith("Provisional (not yet agreed by the panel): 8 cases")


def test_card_follows_the_panels_verdicts(qtbot: QtBot, sqlite_db: Database) -> None:
    built = agreed_audit(sqlite_db)
    page = shown_page(qtbot, sqlite_db, built.audit_id)
    card = page.verdict_card
    assert "4 of 5 panel-agreed cases = 80%" in card.headline.text()
    assert f"More information needed (not counted): {built.references[6]}" in \
        card.details.text()
    # The panel agrees case 8 (members said appropriate): it leaves the provisional count.
    scoring.set_case_details(sqlite_db, audit_id=built.audit_id, case_id=built.case_ids[8],
                             reviewer="Chair Person", kind="consensus",
                             verdict=Verdict.INAPPROPRIATE)
    page.reload()
    wait_for_findings(qtbot, page)
    assert "4 of 6 panel-agreed cases = 67%" in card.headline.text()
    assert card.details.text().startswith("Provisional (not yet agreed by the panel): 2 cases")
    assert card.accessibleName() == card.headline.text()


def test_findings_kept_before_agreed_verdicts_say_so(qtbot: QtBot, sqlite_db: Database) -> None:
    built = agreed_audit(sqlite_db)
    page = shown_page(qtbot, sqlite_db, built.audit_id)
    old = compute_findings(sqlite_db, audit_id=built.audit_id).to_dict()
    del old["agreed_verdicts"]
    page.show_findings(Findings.from_dict(json.loads(json.dumps(old))))
    assert "not kept" in page.verdict_card.headline.text()
    assert page.verdict_card.details.text().startswith(
        "Verdicts (agreed and provisional together): ")
