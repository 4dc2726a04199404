"""The condition rows fit a narrow dialog (150% scaling): the values wrap under the field,
a field name too long for its box is cut with an ellipsis and said whole, and the rows
are never squeezed to a sliver in the framework editor."""

from __future__ import annotations

from PySide6.QtWidgets import QScrollArea
from pytestqt.qtbot import QtBot

from audit_app.core.condition_rows import RowTest
from audit_app.ui.condition_row import ConditionRowWidget
from audit_app.ui.framework_forms import CriterionForm

_LONGEST = "Children's services referral"


def _row(qtbot: QtBot, width: int, field: str = _LONGEST) -> ConditionRowWidget:
    row = ConditionRowWidget()
    qtbot.addWidget(row)
    row.field_combo.setCurrentIndex(row.field_combo.findText(field))
    row.show()
    row.resize(width, row.sizeHint().height())
    qtbot.waitUntil(lambda: row.width() == width)
    row.resize(width, row.sizeHint().height())  # the height of the lines it now takes
    row.layout().activate()  # lay out now, as the event loop would next
    return row


def test_a_wide_row_keeps_field_test_and_values_on_one_line(qtbot: QtBot) -> None:
    row = _row(qtbot, 700)
    assert not row.two_lines
    field, values = row.field_combo.geometry(), row.values.geometry()
    # One line: the two overlap vertically (their heights may differ with the app's style).
    assert values.top() < field.bottom() and field.top() < values.bottom()
    assert row.field_combo.shown_text() == _LONGEST


def test_a_narrow_row_puts_the_values_under_the_field_and_reads_the_field_whole(
        qtbot: QtBot) -> None:
    row = _row(qtbot, 440)  # the Draw sample dialog's rows at 150% on 1280x720
    assert row.two_lines
    field, values = row.field_combo.geometry(), row.values.geometry()
    assert values.top() >= field.bottom()
    assert values.width() >= field.width()  # the values get the line to themselves
    assert row.field_combo.shown_text() == _LONGEST
    assert row.values.isVisible()


def test_a_field_name_too_long_for_its_box_is_cut_with_an_ellipsis_and_said_whole(
        qtbot: QtBot) -> None:
    row = _row(qtbot, 250)
    shown = row.field_combo.shown_text()
    assert shown.endswith("…") and _LONGEST.startswith(shown[:-1])
    assert row.field_combo.toolTip() == _LONGEST
    row.field_combo.showPopup()
    try:  # the list opens wide enough to read every field's name
        assert row.field_combo.view().width() >= \
            row.field_combo.fontMetrics().horizontalAdvance(_LONGEST)
    finally:
        row.field_combo.hidePopup()


def test_a_test_that_takes_no_value_leaves_no_empty_line(qtbot: QtBot) -> None:
    row = _row(qtbot, 440, "Risk level")
    two_line_height = row.sizeHint().height()
    row.test_combo.setCurrentIndex(row.test_combo.findData(RowTest.BLANK.value))
    row.layout().activate()
    assert not row.values.isVisible()
    assert row.sizeHint().height() < two_line_height


def test_the_framework_editors_rows_are_never_squeezed_to_a_sliver(qtbot: QtBot) -> None:
    form = CriterionForm()
    qtbot.addWidget(form)
    form.load({"code": "1.1", "question": "Was the victim's decision recorded?",
               "guidance": "Met: recorded.\n" * 12,
               "applies_when": "victim_supports in ('never', 'withdrawn') or area == 'North' "
                               "or arrested == true"})
    form.resize(560, 330)  # the editor's form at 150% on 1280x720
    form.show()
    qtbot.waitExposed(form)
    builder = form.applies_builder
    rows = builder.rows
    assert len(rows) == 3 and all(row.two_lines for row in rows)
    area = builder._rows_area
    qtbot.waitUntil(lambda: area.height() >= sum(row.height() for row in rows))
    assert not area.verticalScrollBar().isVisible()
    page = form.tabs.currentWidget()  # the tab scrolls instead
    assert isinstance(page, QScrollArea) and page.verticalScrollBar().maximum() > 0
