"""The Findings page's "Compare with…" control: a real second audit, the comparison read in
the background and shown as a table with the service's figures."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from audit_app.core.framework import Framework
from audit_app.services.audits import create_audit
from audit_app.services.comparison import compare_audits
from audit_app.services.database import Database
from audit_app.services.demo import create_demo
from audit_app.services.frameworks import get_framework, save_framework
from audit_app.services.records import AuditSummary
from audit_app.ui.pages.comparison_panel import CHOOSE, ComparisonPanel
from audit_app.ui.pages.findings_page import FindingsPage
from tests.helpers.findings_page import wait_for_findings


def shown_page(qtbot: QtBot, db: Database, audit_id: int) -> FindingsPage:
    page = FindingsPage(db)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show()
    page.set_audit(audit_id)
    wait_for_findings(qtbot, page)
    page.sections.setCurrentWidget(page.comparison_panel)
    return page


def wait_for_choices(qtbot: QtBot, panel: ComparisonPanel, count: int) -> None:
    qtbot.waitUntil(lambda: panel.audit_choice.count() == count and panel._task is None)


def choose(qtbot: QtBot, panel: ComparisonPanel, earlier_id: int) -> None:
    index = panel.audit_choice.findData(earlier_id)
    assert index > 0
    with qtbot.waitSignal(panel.comparison_shown):
        panel.audit_choice.setCurrentIndex(index)


def test_compare_with_an_earlier_audit_shows_the_services_figures(
        qtbot: QtBot, qtmodeltester: ModelTester, scored_db: Database,
        scored_audit: AuditSummary) -> None:
    later = create_demo(scored_db, seed=11, population=300, sample_size=20)
    page = shown_page(qtbot, scored_db, later.id)
    panel = page.comparison_panel
    wait_for_choices(qtbot, panel, 2)
    assert panel.audit_choice.itemText(0) == CHOOSE
    assert panel.audit_choice.findData(later.id) == -1  # never itself
    assert f"audit {scored_audit.id}" in panel.audit_choice.itemText(1)
    assert panel.model.rowCount() == 0 and "Choose an earlier audit" in panel.notice.text()

    choose(qtbot, panel, scored_audit.id)
    expected = compare_audits(scored_db, audit_id=later.id, earlier_audit_id=scored_audit.id)
    assert panel.comparison == expected
    assert panel.model.rows == list(expected.rows)
    assert expected.overall is not None
    assert panel.notice.text() == f"{expected.notice}\n{expected.overall.sentence}"
    first = expected.rows[0]
    texts = [panel.model.index(0, column).data() for column in range(panel.model.columnCount())]
    assert texts[0] == first.criterion_code and texts[1] == first.question
    if first.before.rate is not None:
        assert texts[2] == f"{first.before.rate:.0%} of {first.before.denominator}"
    assert texts[6] in ("Yes", "No", "—")
    assert "_" not in "".join(texts[2:])  # plain words on screen
    qtmodeltester.check(panel.model)

    panel.audit_choice.setCurrentIndex(0)  # back to nothing chosen
    assert panel.comparison is None and panel.model.rowCount() == 0


def test_fits_1280_by_720_without_sideways_scrolling(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    later = create_demo(scored_db, seed=11, population=300, sample_size=20)
    page = shown_page(qtbot, scored_db, later.id)
    panel = page.comparison_panel
    wait_for_choices(qtbot, panel, 2)
    choose(qtbot, panel, scored_audit.id)
    qtbot.waitUntil(lambda: panel.table.isVisible())
    assert panel.table.horizontalScrollBar().maximum() == 0
    assert panel.audit_choice.geometry().right() <= panel.width()


def version_two(framework: Framework) -> Framework:
    first, *rest = framework.sections
    reworded = replace(first.criteria[0], question="Was the history checked and shared?")
    return replace(framework, version=framework.version + 1, sections=(
        replace(first, criteria=(reworded, *first.criteria[1:])), *rest))


def test_says_when_framework_versions_differ(qtbot: QtBot, scored_db: Database,
                                             scored_audit: AuditSummary) -> None:
    version_one = get_framework(scored_db, "da-nfa-review")
    save_framework(scored_db, version_two(version_one))
    later = create_audit(scored_db, name="Q4 review", framework="da-nfa-review")
    page = shown_page(qtbot, scored_db, later.id)
    panel = page.comparison_panel
    wait_for_choices(qtbot, panel, 2)
    choose(qtbot, panel, scored_audit.id)
    shared = len(version_one.criteria) - 1
    assert panel.notice.text().startswith(
        "This audit uses version 4 of the framework, the earlier one version 3: only the "
        f"{shared} criteria in both are compared.\nAll shared criteria pooled over cases:")
    assert panel.model.rowCount() == shared


def test_alone_there_is_nothing_to_choose(qtbot: QtBot, scored_db: Database,
                                          scored_audit: AuditSummary) -> None:
    page = shown_page(qtbot, scored_db, scored_audit.id)
    panel = page.comparison_panel
    qtbot.waitUntil(lambda: panel._task is None)
    assert panel.audit_choice.count() == 1 and not panel.audit_choice.isEnabled()
    assert panel.notice.text() == "There is no other audit to compare with yet."
