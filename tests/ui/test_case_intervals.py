"""The review screen's case details show how long the case took, from the extract's dates."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from audit_app.services.records import CaseRow
from audit_app.ui.review.case_details_panel import CaseDetailsPanel


def _texts(panel: CaseDetailsPanel) -> list[str]:
    return [label.text() for label in panel.widget().findChildren(QLabel)]


def test_the_time_taken_is_shown_with_the_standard(qtbot: QtBot) -> None:
    panel = CaseDetailsPanel()
    qtbot.addWidget(panel)
    finalised = dt.date(2026, 11, 6)  # a Friday
    panel.show_case(CaseRow(1, "DA/0001", {
        "date_recorded": dt.date(2026, 10, 1), "date_finalised": finalised,
        "nfa_notification_date": finalised + dt.timedelta(days=7)}))
    texts = _texts(panel)
    assert "Time taken, from the extract's dates" in texts
    assert "Recording to finalisation" in texts and "36 days" in texts
    told = texts[texts.index("Finalisation to the victim being told") + 1]
    assert told.startswith("5 working days (7 days): later than the 1 working day")


def test_no_time_section_without_two_dates(qtbot: QtBot) -> None:
    panel = CaseDetailsPanel()
    qtbot.addWidget(panel)
    panel.show_case(CaseRow(1, "DA/0001", {"date_finalised": dt.date(2026, 11, 6)}))
    assert "Time taken, from the extract's dates" not in _texts(panel)
