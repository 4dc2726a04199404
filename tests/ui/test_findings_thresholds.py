"""The Findings page's Thresholds… dialog changes the status shown, and the By outcome table."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from audit_app.core.thresholds import Thresholds
from audit_app.services.change_log import list_changes
from audit_app.services.database import Database
from audit_app.services.findings import compute_findings
from audit_app.services.outcome_findings import outcome_table_for
from audit_app.services.records import AuditSummary
from audit_app.services.thresholds import get_thresholds
from audit_app.ui.pages.findings_page import FindingsPage
from tests.helpers.findings_page import shown_page, wait_for_findings


def shown_statuses(page: FindingsPage) -> dict[str, str]:
    model = page.criteria_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    status = headers.index("Status")
    return {model.index(row, 0).data(): model.index(row, status).data()
            for row in range(model.rowCount())}


def answer_dialog(qtbot: QtBot, page: FindingsPage, green: int, amber: int) -> None:
    """Once the dialog is open: type the values and press OK, as a person would."""
    def answer() -> None:
        dialog = page.thresholds.dialog
        assert dialog is not None and dialog.isVisible()
        dialog.green.setValue(green)
        dialog.amber.setValue(amber)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, answer)


def test_the_dialog_sets_thresholds_and_the_status_follows(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    findings = compute_findings(scored_db, audit_id=scored_audit.id)
    before = shown_statuses(page)
    assert before == {c.code: Thresholds().status(c.compliance.rate) or "—"
                      for c in findings.criteria}
    assert "Green from 90% · Amber from 75%" in page.thresholds.summary.text()
    answer_dialog(qtbot, page, green=30, amber=10)
    qtbot.mouseClick(page.thresholds.button, Qt.MouseButton.LeftButton)
    # Saved in the background; the page redraws when `changed` says the thresholds moved.
    qtbot.waitUntil(lambda: "Green from 30%" in page.thresholds.summary.text())
    wait_for_findings(qtbot, page)
    qtbot.waitUntil(lambda: page.findings is not None
                    and page.findings.thresholds == Thresholds(30, 10))
    assert get_thresholds(scored_db, audit_id=scored_audit.id) == Thresholds(30, 10)
    after = shown_statuses(page)
    assert after == {c.code: Thresholds(30, 10).status(c.compliance.rate) or "—"
                     for c in findings.criteria}
    assert after != before
    assert "Green from 30% · Amber from 10%" in page.thresholds.summary.text()
    overall = Thresholds(30, 10).status(findings.headline.overall.rate)
    assert page.cards["overall"].value.text().endswith(overall)
    assert [row.status for row in page.chart.rows] == [
        Thresholds(30, 10).status(c.compliance.rate) for c in findings.criteria]
    assert any(c.field == "thresholds" for c in list_changes(scored_db,
                                                             audit_id=scored_audit.id))


def test_ok_waits_until_amber_is_below_green(qtbot: QtBot) -> None:
    from audit_app.ui.pages.rag_status import ThresholdsDialog

    dialog = ThresholdsDialog(Thresholds())
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and dialog.problem.text() == ""
    dialog.amber.setValue(95)
    assert not ok.isEnabled() and dialog.problem.text() == "Amber must start below Green."
    dialog.green.setValue(100)
    assert ok.isEnabled() and dialog.chosen() == (100, 95)


def test_by_outcome_table_shows_the_service_cells(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit)
    assert page.findings is not None
    table = outcome_table_for(scored_db, page.findings)
    widget = page.by_outcome.table
    cells = [cell for row in table.rows for cell in row.cells]
    assert any(cell.small and cell.compliance.denominator for cell in cells)
    assert any(not cell.small for cell in cells)  # both kinds are shown
    assert widget.columnCount() == len(table.outcomes) + 1
    assert widget.rowCount() == len(table.rows)
    for row_number, row in enumerate(table.rows):
        assert widget.item(row_number, 0).text() == row.code
        for column, cell in enumerate(row.cells, start=1):
            text = widget.item(row_number, column).text()
            if cell.small:
                assert not any(word in text for word in ("Green", "Amber", "Red"))
            else:
                assert text.endswith(Thresholds().status(cell.compliance.rate))
