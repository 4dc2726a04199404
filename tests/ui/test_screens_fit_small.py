"""Small fixes seen on the screenshots at 1280x720 and 150%: plain stratum names, a
sample count that wraps rather than run under the buttons, no buttons that can do
nothing, the actions' "none yet" seen above an empty table, long lines shown from
their beginning."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui import panel_work
from audit_app.ui.framework_forms import FrameworkForm
from audit_app.ui.models.formatting import stratum_text
from audit_app.ui.pages.actions_panel import ActionsPanel


def test_strata_read_as_names_not_stored_values() -> None:
    assert stratum_text("standard") == "Standard"
    assert stratum_text("14 / City BCU") == "14 / City BCU"
    assert stratum_text("high / west BCU") == "High / West BCU"
    assert stratum_text(None) == "—" and stratum_text("", "All cases") == "All cases"


def test_the_sample_count_wraps_beside_the_buttons_instead_of_running_under_them(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    from tests.helpers.sample_page import sample_page

    page = sample_page(qtbot, scored_db, scored_audit.id)
    page.subtitle.setText("40 cases were drawn from 1,575; they were deleted with the case data")
    page.resize(560, 480)  # the page at 150% on 1280x720
    page.show()
    qtbot.waitExposed(page)
    page.layout().activate()
    subtitle: QLabel = page.subtitle
    assert page.width() == 560  # the page does not insist on more
    assert subtitle.geometry().right() < page.verify_button.geometry().left()
    assert subtitle.wordWrap() or subtitle.width() >= \
        subtitle.fontMetrics().horizontalAdvance(subtitle.text())
    lines = subtitle.heightForWidth(subtitle.width()) // subtitle.fontMetrics().lineSpacing()
    assert subtitle.height() >= lines * subtitle.fontMetrics().lineSpacing()


def test_no_conflicts_means_no_keep_or_take_buttons(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    dialog = panel_work.ConflictsDialog(scored_db, scored_audit.id)
    qtbot.addWidget(dialog)
    assert dialog.intro.text() == panel_work.NO_CONFLICTS
    assert dialog.keep_master.isHidden() and dialog.keep_package.isHidden()
    assert dialog.width() < 900  # a sentence and Close, not a wide empty dialog


def test_no_actions_yet_is_said_above_the_empty_table(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    panel = ActionsPanel(scored_db)
    qtbot.addWidget(panel)
    panel.set_actions(scored_audit.id, [])
    panel.resize(800, 300)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel.empty_hint.isVisible()
    assert panel.empty_hint.geometry().bottom() < panel.table.geometry().top()


def test_a_long_line_of_the_framework_form_shows_its_beginning(qtbot: QtBot) -> None:
    form = FrameworkForm()
    qtbot.addWidget(form)
    form.load({"id": "demo", "version": 1, "title": "A review",
               "applies_to": "Closed cases that ended with no further action " * 4})
    assert form.applies_to.cursorPosition() == 0


def test_the_review_case_list_is_never_narrower_than_a_whole_reference(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QSplitter

    from audit_app.ui.review.case_list import TYPICAL_ITEM, CaseListPane

    splitter = QSplitter()
    pane = CaseListPane()
    splitter.addWidget(pane)
    splitter.addWidget(QLabel("The criteria"))
    qtbot.addWidget(splitter)
    splitter.resize(700, 400)
    splitter.setSizes([60, 640])  # as a narrow page's share once left it
    splitter.show()
    qtbot.waitExposed(splitter)
    view = pane.view
    room = view.viewport().width() - view.iconSize().width()
    assert room >= view.fontMetrics().horizontalAdvance(TYPICAL_ITEM)
