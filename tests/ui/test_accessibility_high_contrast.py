"""Under the platform's high-contrast theme the app stays readable.

A high-contrast palette (black window, white text, yellow selection) is applied before the
app starts, as the desktop would; the stylesheets then take their colours from it. Every
page is drawn and, for each piece of text on it (labels, buttons, tabs, text boxes), the
pixels really drawn are measured: the text must stand 4.5:1 from what is behind it. The
same measure on the light theme shows it finds what it should.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, QThreadPool
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from audit_app.core.contrast import NORMAL_TEXT_MINIMUM
from audit_app.services.database import Database
from audit_app.ui import theme
from audit_app.ui.app import make_application
from audit_app.ui.main_window import REVIEW, MainWindow
from tests.helpers.accessibility import accessible_name, open_window, settle
from tests.helpers.contrast import rendered_contrast, widget_rect
from tests.helpers.review_page import wait_for_case

HIGH_CONTRAST = {
    QPalette.ColorRole.Window: "#000000", QPalette.ColorRole.Base: "#000000",
    QPalette.ColorRole.AlternateBase: "#1a1a1a", QPalette.ColorRole.Button: "#000000",
    QPalette.ColorRole.WindowText: "#ffffff", QPalette.ColorRole.Text: "#ffffff",
    QPalette.ColorRole.ButtonText: "#ffffff", QPalette.ColorRole.Highlight: "#ffff00",
    QPalette.ColorRole.HighlightedText: "#000000", QPalette.ColorRole.PlaceholderText: "#c0c0c0",
    QPalette.ColorRole.ToolTipBase: "#000000", QPalette.ColorRole.ToolTipText: "#ffffff",
    QPalette.ColorRole.Link: "#ffff00", QPalette.ColorRole.Mid: "#000000",  # as some themes do
}


def high_contrast_palette() -> QPalette:
    palette = QPalette()
    for role, colour in HIGH_CONTRAST.items():
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, role, QColor(colour))
    return palette


@pytest.fixture(params=["light", "high contrast"])
def themed_app(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """The app started under a light or a high-contrast desktop palette; put back after."""
    palette, stylesheet = QPalette(qapp.palette()), qapp.styleSheet()
    if request.param == "high contrast":
        qapp.setPalette(high_contrast_palette())
    make_application()
    yield request.param
    # The test's windows are closed by now: delete them before the restyle walks them.
    QThreadPool.globalInstance().waitForDone(10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    qapp.setPalette(palette)
    qapp.setStyleSheet(stylesheet)
    theme.set_high_contrast(False)


def _shows_text(widget: QWidget) -> bool:
    if isinstance(widget, QLabel):
        return bool(widget.text().strip()) and widget.pixmap().isNull()
    if isinstance(widget, QAbstractButton):
        return bool(widget.text().strip())
    if isinstance(widget, QLineEdit):
        return bool(widget.text() or widget.placeholderText())
    return isinstance(widget, QTabBar)


def _texts(window: QWidget) -> list[QWidget]:
    """What shows text: labels, buttons, tab bars and text boxes, enabled and on screen."""
    return [widget for widget in window.findChildren(QWidget)
            if widget.isVisibleTo(window) and widget.isEnabled() and _shows_text(widget)]


def _faint_texts(window: MainWindow, where: str) -> list[str]:
    image = window.grab().toImage()
    problems = []
    for widget in _texts(window):
        if widget.visibleRegion().boundingRect() != widget.rect():
            continue  # partly scrolled out of sight: what is measured is not all its own
        for rect, text in _text_areas(widget, window, image):
            if rect.width() < 4 or rect.height() < 4:
                continue  # scrolled out of sight
            ratio = rendered_contrast(image, rect)
            if ratio < NORMAL_TEXT_MINIMUM:
                problems.append(f"{where}: {type(widget).__name__} {text[:40]!r} {ratio:.2f}:1")
    return problems


def _text_areas(widget: QWidget, window: QWidget, image: QImage) -> list[tuple[QRect, str]]:
    """Where `widget` draws text, in `image`: each tab of a tab bar on its own, inside its
    border (a chosen tab's underline is not its text)."""
    whole = widget_rect(widget, window, image)
    if not isinstance(widget, QTabBar):
        text = widget.text() if isinstance(widget, (QLabel, QAbstractButton, QLineEdit)) \
            else accessible_name(widget)
        return [(whole, text)]
    ratio = image.devicePixelRatio()
    areas = []
    for index in range(widget.count()):
        tab = widget.tabRect(index).adjusted(4, 4, -4, -4)  # the text, not the underline
        corner = widget.mapTo(window, tab.topLeft())
        rect = QRect(QPoint(round(corner.x() * ratio), round(corner.y() * ratio)), tab.size() * ratio)
        areas.append((rect.intersected(whole), widget.tabText(index)))
    return areas


def test_the_stylesheet_follows_a_high_contrast_palette(themed_app: str) -> None:
    stylesheet = QApplication.instance().styleSheet()  # type: ignore[union-attr]
    if themed_app == "high contrast":
        assert theme.high_contrast()
        assert "palette(window)" in stylesheet and "#f6f7f9" not in stylesheet
    else:
        assert not theme.high_contrast() and "#f6f7f9" in stylesheet


def test_the_measure_finds_faint_text(qtbot: QtBot, qapp: QApplication) -> None:
    """White text on a white card is caught; dark text on it is not."""
    card = QWidget()
    qtbot.addWidget(card)
    card.setStyleSheet("background: #ffffff;")
    card.setAutoFillBackground(True)
    label = QLabel("Compliance 82%", card)
    label.setStyleSheet("color: #f4f4f4; font-size: 14pt;")
    card.resize(200, 40)
    card.show()
    image = card.grab().toImage()
    assert rendered_contrast(image, widget_rect(label, card, image)) < 1.2
    label.setStyleSheet("color: #1f2a33; font-size: 14pt;")
    image = card.grab().toImage()
    assert rendered_contrast(image, widget_rect(label, card, image)) > 12


def test_every_page_reads_clearly(qtbot: QtBot, themed_app: str, scored_db: Database) -> None:
    window = open_window(qtbot, scored_db)
    problems: list[str] = []
    measured = 0
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle()
        if index == REVIEW:
            wait_for_case(qtbot, window.review_host.review_page)  # type: ignore[arg-type]
        measured += len(_texts(window))
        problems += _faint_texts(window, f"{themed_app}, {window.tabs.tabText(index)}")
    assert measured > 100 and problems == []


def test_each_colour_becomes_the_role_it_plays(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text on a card reads as text on base; white on the accent button as highlighted text;
    a chosen tab (no background of its own) keeps the window's text colour."""
    assert theme.themed("QLabel { color: #5b6873; }") == "QLabel { color: #5b6873; }"  # light
    monkeypatch.setattr(theme, "_state", {"high_contrast": True})
    assert theme.themed("QLineEdit { color: #1f2a33; background: #ffffff; "
                        "border: 1px solid #808b96; placeholder-text-color: #5b6873; }") == (
        "QLineEdit { color: palette(text); background: palette(base); "
        "border: 1px solid palette(placeholder-text); placeholder-text-color: palette(placeholder-text); }")
    assert theme.themed("QPushButton#primary { background: #2f6f8f; color: #ffffff; }") == (
        "QPushButton#primary { background: palette(highlight); color: palette(highlighted-text); }")
    assert theme.themed("QTabBar::tab:selected { color: #10222e; border-bottom: 2px solid #2f6f8f; }"
                        ) == ("QTabBar::tab:selected { color: palette(window-text); "
                              "border-bottom: 2px solid palette(highlight); }")
    assert theme.themed("color: #1e6b4a; font-weight: 600;") == (
        "color: palette(window-text); font-weight: 600;")


@pytest.mark.parametrize(("variable", "window", "expected"), [
    ("", "#f0f0f0", False), ("", "#101010", True), ("1", "#f0f0f0", True), ("0", "#101010", False)])
def test_high_contrast_is_asked_for_by_the_palette_or_the_variable(
        qapp: QApplication, monkeypatch: pytest.MonkeyPatch, variable: str, window: str,
        expected: bool) -> None:
    monkeypatch.setenv(theme.HIGH_CONTRAST_VARIABLE, variable)
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor(window))
    assert theme.wants_high_contrast(palette) is expected
