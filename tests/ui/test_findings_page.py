"""The Findings page shows the service's figures, the chart, the urgent list and actions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.records import AuditSummary
from audit_app.services.sampling import get_sample
from audit_app.services.scoring import set_case_details
from tests.helpers.findings_page import shown_page


def test_headline_figures_match_the_service(qtbot: QtBot, scored_db: Database,
                                            scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    findings = compute_findings(scored_db, audit_id=scored_audit.id)
    head = findings.headline
    assert page.findings == findings
    assert page.cards["sampled"].value.text() == "20"
    assert page.cards["reviewed"].value.text() == str(head.cases_reviewed)
    assert page.cards["complete"].value.text() == str(head.cases_complete)
    assert head.overall.rate is not None
    assert page.cards["overall"].value.text().startswith(f"{head.overall.rate:.0%}")
    # Issue 16: the interval is held on one line (no-break spaces, word joiners by the dash).
    caption = page.cards["overall"].caption.text().replace("\u00a0", " ").replace("\u2060", "")
    assert "95% interval" in caption and "case as the unit" in caption
    assert head.pooled.interval is not None
    assert f"{head.pooled.interval[0]:.0%}–{head.pooled.interval[1]:.0%}" in caption


def test_breakdowns_show_cases_scored_and_case_level_intervals(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    model = page.breakdown_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[2:4] == ["Cases sampled", "Cases scored"]
    assert page.findings is not None
    for row_number, row in enumerate(page.findings.breakdowns):
        scored = model.index(row_number, 3).data()
        assert scored == str(row.cases_scored)
        interval = model.index(row_number, headers.index("95% interval")).data()
        if row.pooled.cases == 1:
            assert interval == "one case: no interval"
        elif row.pooled.interval is not None:
            assert interval == f"{row.pooled.interval[0]:.0%} – {row.pooled.interval[1]:.0%}"


def test_chart_and_table_have_a_row_per_criterion(qtbot: QtBot, qtmodeltester: ModelTester,
                                                  scored_db: Database,
                                                  scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    assert page.findings is not None
    codes = [c.code for c in page.findings.criteria]
    assert [row.code for row in page.chart.rows] == codes
    assert page.criteria_proxy.rowCount() == len(codes)
    first = page.findings.criteria[0]
    assert page.chart.rows[0].rate == first.compliance.rate
    assert page.chart.rows[0].interval == first.compliance.interval
    assert page.chart.height() > 20 * len(codes) // 2
    page.chart.grab()  # paints without error
    for model in (page.criteria_model, page.breakdown_model, page.case_model, page.text_model,
                  page.agreement_model):
        qtmodeltester.check(model)


def test_urgent_safeguarding_cases_come_first(qtbot: QtBot, scored_db: Database,
                                              scored_audit: AuditSummary) -> None:
    last_in_sample = get_sample(scored_db, audit_id=scored_audit.id)[-1].case
    set_case_details(scored_db, audit_id=scored_audit.id, case_id=last_in_sample.id,
                     reviewer="Panel Member", urgent_safeguarding=True)
    page = shown_page(qtbot, scored_db, scored_audit)
    assert page.findings is not None
    urgent = page.findings.urgent_cases
    assert last_in_sample.reference in [case.reference for case in urgent]
    assert page.urgent_banner.isVisible()
    assert urgent[0].reference in page.urgent_banner.text()
    first_row = page.case_model.row_at(0)
    assert first_row.urgent_safeguarding
    assert page.cards["urgent"].property("alert") is True


def test_learning_and_good_practice_are_listed(qtbot: QtBot, scored_db: Database,
                                               scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    assert page.findings is not None
    assert page.verdicts_label.text().startswith("Verdicts agreed by the panel: ")
    kinds = {kind for kind, _entry in page.text_model.rows}
    assert kinds == {"Learning point", "Good practice"}
    assert page.text_model.rowCount() == (len(page.findings.learning_points)
                                          + len(page.findings.good_practice))


def test_add_and_edit_an_action(qtbot: QtBot, scored_db: Database,
                                scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    panel = page.actions_panel
    assert panel.model.rowCount() == 0
    assert not panel.empty_hint.isHidden()

    dialog = panel.add()
    assert dialog is not None
    dialog.description.setPlainText("Brief supervisors on evidence-led prosecution")
    dialog.owner.setText("DI Jones")
    dialog.has_due.setChecked(True)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)  # saved, then redrawn, in the background
    action = panel.model.row_at(0)
    assert action.owner == "DI Jones" and action.status == "open" and action.due_date is not None

    panel.table.selectRow(0)
    edit = panel.edit_selected()
    assert edit is not None
    edit.status.setCurrentIndex(edit.status.findData("done"))
    edit.has_due.setChecked(False)
    edit.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: panel.model.row_at(0).status == "done")
    action = panel.model.row_at(0)
    assert action.status == "done" and action.due_date is None
    assert compute_findings(scored_db, audit_id=scored_audit.id).actions == (action,)


def test_an_action_needs_a_description(qtbot: QtBot, scored_db: Database,
                                       scored_audit: AuditSummary,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from audit_app.ui.pages import actions_panel

    shown: list[str] = []
    monkeypatch.setattr(actions_panel, "show_user_error", lambda _parent, error: shown.append(str(error)))
    page = shown_page(qtbot, scored_db, scored_audit)
    dialog = page.actions_panel.add()
    assert dialog is not None
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: bool(shown))
    assert "description" in shown[0]
    assert dialog.isVisible()
    assert compute_findings(scored_db, audit_id=scored_audit.id).actions == ()


def test_urgent_cells_are_highlighted(qtbot: QtBot, scored_db: Database,
                                      scored_audit: AuditSummary) -> None:
    from PySide6.QtCore import Qt

    case = get_sample(scored_db, audit_id=scored_audit.id)[0].case
    set_case_details(scored_db, audit_id=scored_audit.id, case_id=case.id, reviewer="Panel Member",
                     urgent_safeguarding=True)
    page = shown_page(qtbot, scored_db, scored_audit)
    urgent = page.case_model.index(0, 0)
    calm = page.case_model.index(page.case_model.rowCount() - 1, 0)
    assert page.case_model.data(urgent, Qt.ItemDataRole.BackgroundRole) is not None
    assert page.case_model.data(calm, Qt.ItemDataRole.BackgroundRole) is None
