"""The Findings page of a purged audit: the kept figures, and a notice saying why only those."""

from __future__ import annotations

import datetime as dt

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from audit_app.core.findings import Findings
from audit_app.services import retention
from audit_app.services.actions import add_action
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.records import AuditSummary
from audit_app.services.sampling import get_sample
from audit_app.services.scoring import set_case_details
from audit_app.ui.pages.findings_columns import pooled_rate_text
from tests.helpers.findings_page import shown_page


def purged(db: Database, audit: AuditSummary) -> Findings:
    """Flag one case urgent, agree one action, purge; returns the findings from just before."""
    first = get_sample(db, audit_id=audit.id)[0].case
    set_case_details(db, audit_id=audit.id, case_id=first.id, reviewer="Panel Member",
                     urgent_safeguarding=True)
    add_action(db, audit_id=audit.id, description="Brief supervisors on DASH", owner="DI Jones",
               due_date=None, status="open", case_reference=first.reference)
    before = compute_findings(db, audit_id=audit.id)
    retention.close_audit(db, audit_id=audit.id)
    retention.set_retention(db, audit_id=audit.id, retain_until=dt.date(2020, 3, 31))
    retention.purge_audit(db, audit_id=audit.id)
    return before


def test_a_purged_audit_shows_the_kept_figures_and_why(
        qtbot: QtBot, qtmodeltester: ModelTester, scored_db: Database,
        scored_audit: AuditSummary) -> None:
    before = purged(scored_db, scored_audit)
    head = before.headline
    assert head.cases_sampled == 20 and head.urgent_safeguarding >= 1
    page = shown_page(qtbot, scored_db, scored_audit)

    assert page.kept_notice.isVisible()
    notice = page.kept_notice.text()
    assert notice.startswith("The case data was deleted on ")
    assert "which kept it until 31 March 2020" in notice
    assert "These are the findings kept at that time" in notice
    assert page.cards["sampled"].value.text() == "20"
    assert page.cards["reviewed"].value.text() == str(head.cases_reviewed)
    # Kept figures are read against today's thresholds: the status word follows the rate.
    status = before.thresholds.status(head.overall.rate)
    assert status and page.cards["overall"].value.text() == f"{pooled_rate_text(head.pooled)} {status}"
    assert page.cards["urgent"].value.text() == str(head.urgent_safeguarding)
    assert page.cards["urgent"].property("alert") is False  # history, not a call to act
    assert not page.urgent_banner.isVisible()

    assert [row.code for row in page.chart.rows] == [c.code for c in before.criteria]
    assert [page.criteria_model.row_at(i).compliance for i in range(len(before.criteria))] == [
        c.compliance for c in before.criteria]
    assert page.breakdown_model.rowCount() == len(before.breakdowns)
    assert page.agreement_model.rowCount() == len(before.agreement)
    assert page.case_model.rowCount() == 0 and page.text_model.rowCount() == 0
    assert "deleted with the case data" in page.verdicts_label.text()
    assert before.agreed_verdicts is not None  # the kept counts, agreed apart from provisional
    assert page.verdicts_label.text().startswith(before.agreed_verdicts.headline().rstrip("."))
    for model in (page.criteria_model, page.breakdown_model, page.case_model, page.text_model,
                  page.agreement_model):
        qtmodeltester.check(model)
    page.grab()  # paints without error

    panel = page.actions_panel
    kept_action = panel.model.row_at(0)
    assert (kept_action.description, kept_action.owner, kept_action.case_reference) == (
        "Brief supervisors on DASH", "DI Jones", "")
    panel.table.selectRow(0)
    assert panel.add() is None and panel.edit_selected() is None
    assert panel.add_button.isHidden() and panel.edit_button.isHidden()
    assert panel.empty_hint.text().startswith("The actions as kept")

    page.show_findings(before)  # an audit that still has its cases: no notice, editable
    assert not page.kept_notice.isVisible()
    assert not panel.add_button.isHidden()
