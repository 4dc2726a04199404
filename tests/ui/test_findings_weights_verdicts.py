"""The Findings page's Cases tab counts agreed verdicts apart from provisional ones, each
case shows its verdict status, and the Breakdowns tab shows population estimates beside
the sample's rates where weights apply."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from audit_app.core.verdicts import AGREED_STATUS, MEMBERS_DIFFER_STATUS
from audit_app.services.database import Database
from audit_app.ui.pages.findings_columns import CASE_COLUMNS, POPULATION_COLUMN, weighted_text
from tests.helpers.findings_page import shown_page, wait_for_findings
from tests.helpers.verdict_audits import agreed_audit
from tests.helpers.weighted_audits import three_strata


def test_cases_tab_counts_agreed_verdicts_apart(qtbot: QtBot, sqlite_db: Database) -> None:
    built = agreed_audit(sqlite_db)
    page = shown_page(qtbot, sqlite_db, built.audit_id)
    text = page.verdicts_label.text()
    # Agreed: 3 appropriate, 1 with observations, 1 inappropriate, 1 more information,
    # 1 unable to agree; provisional: one member, two who agree, two who differ.
    agreed, provisional = text.split(". Provisional, not counted until the panel agrees: ")
    assert agreed.startswith("Verdicts agreed by the panel: ")
    assert "Appropriate 3" in agreed and "Inappropriate 1" in agreed
    assert "one member 1" in provisional and "members differ 1" in provisional
    assert "members agree 1" in provisional
    column = [c.title for c in CASE_COLUMNS].index("Verdict status")
    model = page.case_model
    statuses = {model.row_at(row).reference: model.index(row, column).data()
                for row in range(model.rowCount())}
    assert statuses[built.references[0]] == AGREED_STATUS
    assert statuses[built.references[9]] == MEMBERS_DIFFER_STATUS
    page.grab()


def test_breakdowns_show_the_population_estimate_only_where_weighted(
        qtbot: QtBot, sqlite_db: Database) -> None:
    audit_id = three_strata(sqlite_db)
    page = shown_page(qtbot, sqlite_db, audit_id)
    assert page.findings is not None
    assert not page.breakdown_table.isColumnHidden(POPULATION_COLUMN)
    model = page.breakdown_model
    for row, finding in enumerate(page.findings.breakdowns):
        assert model.index(row, POPULATION_COLUMN).data() == weighted_text(finding.population)
    assert model.headerData(POPULATION_COLUMN, Qt.Orientation.Horizontal) == \
        "Population estimate"
    caption = page.cards["overall"].caption.text().replace("\u00a0", " ")  # kept on one line
    assert caption.startswith("overall, sample (unweighted), 95% interval")
    assert "population estimate (weighted) 36%" in caption

    plain = agreed_audit(sqlite_db)
    page.set_audit(plain.audit_id)
    page.reload()
    wait_for_findings(qtbot, page)
    assert page.breakdown_table.isColumnHidden(POPULATION_COLUMN)
