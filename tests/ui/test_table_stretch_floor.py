"""A stretched column (a question, a reading) is never cut to a sliver: where the other
columns leave too little room it keeps a readable width and the table scrolls sideways."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from audit_app.ui.models.row_table import Column
from audit_app.ui.pages.tables import sortable_table

_QUESTION = "Were the previous history of the victim, suspect and address checked?"


def _table(qtbot: QtBot, width: int) -> tuple[QHeaderView, int]:
    columns: list[Column[int]] = [Column("Code", lambda row: f"1.{row}"),
                                  Column("Question", lambda row: _QUESTION)]
    columns += [Column(f"A wide figure column {n}", lambda row: "100% (68%–100%)")
                for n in range(8)]
    model, _, view = sortable_table(columns, "Criteria", stretch_column=1)
    qtbot.addWidget(view)
    model.set_rows(list(range(5)))
    view.resize(width, 300)
    view.show()
    qtbot.waitExposed(view)
    floor = view.fontMetrics().averageCharWidth() * 24
    return view.horizontalHeader(), floor


def test_a_squeezed_stretch_column_keeps_a_readable_width(qtbot: QtBot) -> None:
    header, floor = _table(qtbot, 700)
    qtbot.waitUntil(lambda: header.sectionSize(1) >= floor)
    assert header.sectionResizeMode(1) == QHeaderView.ResizeMode.Interactive


def test_with_room_to_spare_the_column_stretches(qtbot: QtBot) -> None:
    header, floor = _table(qtbot, 3000)
    qtbot.waitUntil(lambda: header.sectionResizeMode(1) == QHeaderView.ResizeMode.Stretch)
    assert header.sectionSize(1) > floor
