"""Windows and dialogs fit a 1280x720 laptop; the audits list keeps its width on every page."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.records import AuditSummary
from audit_app.ui import settings
from audit_app.ui.app import make_application
from audit_app.ui.framework_editor import FrameworkEditorDialog
from audit_app.ui.main_window import FINDINGS, POPULATION, REVIEW, SAMPLE, MainWindow
from audit_app.ui.screen_fit import (
    MAIN_WINDOW_SIZE,
    fit_to_screen,
    fitted_size,
    install_dialog_fitting,
)
from audit_app.ui.workspace_pages import sidebar_width
from tests.helpers.screen import LAPTOP


def screen_area() -> QRect:
    screen = QGuiApplication.primaryScreen()
    assert screen is not None
    return screen.availableGeometry()


def within_screen(widget: QWidget) -> bool:
    return screen_area().contains(widget.frameGeometry())


def test_the_tests_run_on_a_1280x720_laptop(qapp: QApplication) -> None:
    assert screen_area().size() == QSize(*LAPTOP)


def test_the_first_window_opens_within_the_screen(qtbot: QtBot, sqlite_db: Database) -> None:
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.show()
    assert MAIN_WINDOW_SIZE.width() > LAPTOP[0]  # it asks for more than the laptop has
    assert window.frameGeometry() == screen_area()  # the whole laptop, title bar and all
    assert within_screen(window)
    assert window.minimumWidth() <= LAPTOP[0] / 1.5 and window.minimumHeight() <= LAPTOP[1] / 1.5


def test_a_window_saved_on_a_bigger_screen_comes_back_within_this_one(
        qtbot: QtBot, sqlite_db: Database) -> None:
    big = MainWindow(sqlite_db)
    qtbot.addWidget(big)
    big.setMinimumSize(0, 0)
    big.setGeometry(600, 400, 1900, 1000)  # as on a large monitor
    settings.WINDOW_GEOMETRY.write(big.saveGeometry())
    window = MainWindow(sqlite_db)
    qtbot.addWidget(window)
    window.show()
    assert within_screen(window)


def test_a_dialog_that_asks_for_more_than_the_screen_opens_within_it(qtbot: QtBot) -> None:
    install_dialog_fitting(make_application())
    dialog = QDialog()
    qtbot.addWidget(dialog)
    QVBoxLayout(dialog).addWidget(QLabel("A generous dialog"))
    dialog.resize(1600, 1000)
    dialog.move(300, 200)
    dialog.show()
    assert within_screen(dialog)
    assert dialog.width() <= LAPTOP[0] and dialog.height() <= LAPTOP[1]


def test_the_framework_editor_fits_the_laptop(qtbot: QtBot, sqlite_db: Database) -> None:
    editor = FrameworkEditorDialog(sqlite_db)
    qtbot.addWidget(editor)
    editor.show()
    assert within_screen(editor)
    assert editor.width() <= LAPTOP[0] and editor.height() <= LAPTOP[1]


def test_fit_to_screen_keeps_a_small_window_as_it_asked(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    assert fit_to_screen(widget, QSize(400, 300)) == QSize(400, 300)
    assert widget.size() == QSize(400, 300)


@given(st.integers(1, 5000), st.integers(1, 5000), st.integers(200, 4000),
       st.integers(200, 3000))
def test_a_fitted_size_never_exceeds_the_area_nor_what_was_asked(
        wanted_width: int, wanted_height: int, area_width: int, area_height: int) -> None:
    size = fitted_size(QSize(wanted_width, wanted_height), QRect(0, 0, area_width, area_height))
    assert size.width() == min(wanted_width, area_width)
    assert size.height() == min(wanted_height, area_height)


def test_the_audits_list_keeps_its_width_on_every_page(qtbot: QtBot, scored_db: Database,
                                                        scored_audit: AuditSummary) -> None:
    window = MainWindow(scored_db)
    qtbot.addWidget(window)
    window.show()
    window.open_audit(scored_audit.id)
    width = sidebar_width(window)
    assert 160 <= width <= LAPTOP[0] * 0.25
    seen = []
    for page in (POPULATION, SAMPLE, FINDINGS, POPULATION, SAMPLE, REVIEW, FINDINGS):
        window.tabs.setCurrentIndex(page)
        for _ in range(3):
            QApplication.processEvents()  # the page built and laid out
        if window.audit_list.isVisible():  # the Review page sets the list aside
            seen.append(window.audit_list.width())
    assert seen == [width] * len(seen) and len(seen) == 6


def test_a_scrolling_panel_gives_height_not_width(qtbot: QtBot) -> None:
    from audit_app.ui.screen_fit import scrolling

    body = QWidget()
    layout = QVBoxLayout(body)
    for number in range(30):
        layout.addWidget(QLabel(f"Line {number} of the sample record"))
    area = scrolling(body)
    qtbot.addWidget(area)
    area.resize(area.minimumSizeHint().width(), 200)
    area.show()
    assert area.minimumSizeHint().width() >= body.minimumSizeHint().width()
    assert area.verticalScrollBar().maximum() > 0  # it scrolls rather than squeezing
    assert body.height() >= body.minimumSizeHint().height()


def test_a_tab_bar_too_wide_for_its_window_explains_its_arrows(qtbot: QtBot) -> None:
    install_dialog_fitting(make_application())
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    for number in range(12):
        tabs.addTab(QWidget(), f"Section number {number}")
    tabs.resize(300, 200)
    tabs.show()
    qtbot.waitExposed(tabs)
    arrows = [b for b in tabs.tabBar().findChildren(QToolButton) if b.isVisible()]
    assert len(arrows) == 2
    assert sorted(b.toolTip() for b in arrows) == ["Show the tabs to the left",
                                                    "Show the tabs to the right"]
