"""Text contrast meets WCAG AA: the formula, the stylesheet's colours, the review page's
colours and the palette the app sets.

Normal text needs 4.5:1, large text (18pt, or 14pt bold) 3:1, and the border that shows
where a button or a text box is 3:1 (WCAG 2.x 1.4.3 and 1.4.11). Disabled controls are
exempt, as WCAG says.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThreadPool
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from audit_app.core.contrast import (
    LARGE_TEXT_MINIMUM,
    NORMAL_TEXT_MINIMUM,
    contrast_ratio,
    is_dark,
    parse_colour,
    relative_luminance,
)
from audit_app.ui import release_check_dialog, theme
from audit_app.ui.app import load_stylesheet, make_application
from audit_app.ui.models.row_table import Column, RowTableModel
from audit_app.ui.pages import comparison_panel, findings_columns, rag_status, sample_view
from audit_app.ui.review import checks_line, style
from tests.helpers.contrast import colour_in, stylesheet_rules

colours = st.tuples(*[st.integers(0, 255)] * 3)

# Where text with no background of its own is drawn: the window, the audits panel, cards
# and group boxes, table rows (plain and alternate), headers, the status bar, text boxes.
APP_SURFACES = ("QMainWindow", "#auditListPanel", "QGroupBox", "QTableView",
                "QHeaderView::section", "QStatusBar", "QLineEdit", "#figureCard")
CONTROL_BORDERS = ("QPushButton", "QLineEdit", "QPushButton:focus")


def test_published_examples() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.005)  # just fails AA
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.005)  # WebAIM's pass
    assert contrast_ratio("#595959", "white") == pytest.approx(7.0, abs=0.01)
    assert relative_luminance("#fff") == pytest.approx(1.0)
    assert parse_colour("#2f6f8f") == (0x2F, 0x6F, 0x8F)
    assert is_dark("#000000") and not is_dark("#f6f7f9")
    with pytest.raises(ValueError):
        parse_colour("palette(window)")


@given(colours, colours)
def test_ratio_is_symmetric_and_between_1_and_21(first: tuple[int, int, int],
                                                 second: tuple[int, int, int]) -> None:
    ratio = contrast_ratio(first, second)
    assert 1.0 <= ratio <= 21.0 + 1e-9
    assert ratio == pytest.approx(contrast_ratio(second, first))
    assert contrast_ratio(first, first) == pytest.approx(1.0)


def _surfaces(rules: list[tuple[str, dict[str, str]]], selectors: tuple[str, ...]) -> set[str]:
    found = {colour_in(d[name]) for s, d in rules if s in selectors
             for name in ("background", "alternate-background-color") if name in d}
    found.discard(None)
    assert len(found) >= 3
    return found  # type: ignore[return-value]


def _minimum_for(declarations: dict[str, str]) -> float:
    size = float(declarations.get("font-size", "0pt").removesuffix("pt") or 0)
    bold = declarations.get("font-weight", "") in ("600", "700", "bold")
    return LARGE_TEXT_MINIMUM if size >= 18 or (size >= 14 and bold) else NORMAL_TEXT_MINIMUM


def _text_problems(rules: list[tuple[str, dict[str, str]]], surfaces: set[str],
                   default_text: str) -> list[str]:
    """Each (selector, text, background) under its minimum: a rule's own background, else
    every surface; a rule with a background and no colour draws its selector's text."""
    own_text = {selector: colour_in(d["color"]) for selector, d in rules if "color" in d}
    problems = []
    for selector, declarations in rules:
        if ":disabled" in selector:
            continue  # WCAG exempts inactive controls
        background = colour_in(declarations.get("background", "")) or colour_in(
            declarations.get("selection-background-color", ""))
        text = next((colour_in(declarations[name]) for name in
                     ("color", "selection-color", "placeholder-text-color") if name in declarations),
                    None)
        if text is None and background is None:
            continue
        base = selector.split(":")[0]
        text = text or own_text.get(base) or default_text
        minimum = _minimum_for(declarations)
        for behind in [background] if background else sorted(surfaces):
            if contrast_ratio(text, behind) < minimum:
                problems.append(f"{selector}: {text} on {behind} is "
                                f"{contrast_ratio(text, behind):.2f}:1")
    return problems


def test_the_stylesheet_text_meets_aa() -> None:
    rules = stylesheet_rules(load_stylesheet())
    default_text = next(colour_in(d["color"]) for s, d in rules if s == "QWidget")
    assert default_text is not None
    assert _text_problems(rules, _surfaces(rules, APP_SURFACES), default_text) == []


def test_control_borders_stand_out_3_to_1() -> None:
    """The edge of a button or a text box, and the focus ring, on every surface."""
    rules = stylesheet_rules(load_stylesheet())
    surfaces = _surfaces(rules, APP_SURFACES)
    borders = {selector: colour_in(d["border"]) for selector, d in rules
               if selector in CONTROL_BORDERS and "border" in d}
    assert set(borders) == set(CONTROL_BORDERS)
    problems = [f"{selector}: {border} on {behind} is {contrast_ratio(border, behind):.2f}:1"
                for selector, border in borders.items() for behind in surfaces
                if border and contrast_ratio(border, behind) < LARGE_TEXT_MINIMUM]
    assert problems == []


def test_the_review_page_colours_meet_aa() -> None:
    rules = stylesheet_rules(style.PAGE_STYLE)
    surfaces = {style.SURFACE, style.CARD, style.ACCENT_SOFT}
    problems = _text_problems(rules, surfaces, style.INK)
    for answer, (ink, background) in style.ANSWER_COLOURS.items():
        for text, behind in ((ink, background), (style.INK, style.CARD)):
            if contrast_ratio(text, behind) < NORMAL_TEXT_MINIMUM:
                problems.append(f"{answer.label}: {text} on {behind}")
    for status, chip in style.STATUS_COLOURS.items():  # white text on the status chip
        if contrast_ratio("#ffffff", chip) < NORMAL_TEXT_MINIMUM:
            problems.append(f"{status.label}: white on {chip}")
    if contrast_ratio(checks_line.TEXT, checks_line.BACKGROUND) < NORMAL_TEXT_MINIMUM:
        problems.append("checks line")
    assert problems == []


@pytest.fixture
def light_app(qapp: QApplication) -> Iterator[QApplication]:
    """The app as it starts on a light desktop; the test's application put back after."""
    app = qapp
    palette, stylesheet = QPalette(app.palette()), app.styleSheet()
    yield make_application()
    # The test's windows are closed by now: delete them before the restyle walks them.
    QThreadPool.globalInstance().waitForDone(10_000)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.setPalette(palette)
    app.setStyleSheet(stylesheet)
    theme.set_high_contrast(False)


PAIRS = ((QPalette.ColorRole.WindowText, QPalette.ColorRole.Window),
         (QPalette.ColorRole.Text, QPalette.ColorRole.Base),
         (QPalette.ColorRole.Text, QPalette.ColorRole.AlternateBase),
         (QPalette.ColorRole.ButtonText, QPalette.ColorRole.Button),
         (QPalette.ColorRole.HighlightedText, QPalette.ColorRole.Highlight),
         (QPalette.ColorRole.PlaceholderText, QPalette.ColorRole.Base),
         (QPalette.ColorRole.ToolTipText, QPalette.ColorRole.ToolTipBase),
         (QPalette.ColorRole.Link, QPalette.ColorRole.Base))


def test_the_palette_the_app_sets_meets_aa(light_app: QApplication) -> None:
    """Qt's own pale selection and grey placeholder text fall short; the app's do not."""
    assert not theme.high_contrast()
    palette = light_app.palette()
    problems = []
    for text, behind in PAIRS:
        ratio = contrast_ratio(palette.color(text).name(), palette.color(behind).name())
        if ratio < NORMAL_TEXT_MINIMUM:
            problems.append(f"{text.name} on {behind.name}: {ratio:.2f}:1")
    assert problems == []


ROW_FILLS = {"urgent": findings_columns.URGENT_COLOUR, "replaced": sample_view.REPLACED_COLOUR,
             "significant": comparison_panel.SIGNIFICANT_COLOUR,
             "suspect": release_check_dialog.SUSPECT_COLOUR, **rag_status.STATUS_FILLS}


@pytest.mark.parametrize("name", sorted(ROW_FILLS))
def test_a_highlighted_row_brings_its_own_dark_text(qapp: QApplication, name: str) -> None:
    """A row fill stays light under any theme, so the model gives its text colour too (else
    a high-contrast palette's white text would sit on it)."""
    fill = ROW_FILLS[name]
    model: RowTableModel[str] = RowTableModel(
        [Column("Case", str, highlight=lambda row: fill if row == "marked" else None)])
    model.set_rows(["plain", "marked"])
    marked, plain = model.index(1, 0), model.index(0, 0)
    text = model.data(marked, Qt.ItemDataRole.ForegroundRole).color().name()
    assert model.data(marked, Qt.ItemDataRole.BackgroundRole).color().name() == fill
    assert contrast_ratio(text, fill) >= NORMAL_TEXT_MINIMUM
    assert model.data(plain, Qt.ItemDataRole.ForegroundRole) is None  # the palette's own
