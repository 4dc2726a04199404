"""The calm standing notice on the review screen when the chosen reviewer declared an
interest in the case shown: it says so, and the scoring controls are off until another
reviewer or case is chosen (the services refuse such scores anyway)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QWidget

from audit_app.ui.pages.standing_notice import StandingNotice


def declared_text(declared: tuple[dt.date, bool]) -> str:
    day, at_meeting = declared
    when = f"at the meeting on {day:%d %B %Y}" if at_meeting else f"on {day:%d %B %Y}"
    return f"You declared an interest in this case {when}: you cannot score it."


class DeclaredNotice(StandingNotice):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Declared interest")  # styled as the standing notice (app.qss)

    def show_declared(self, declared: tuple[dt.date, bool] | None,
                      controls: tuple[QWidget, ...]) -> None:
        """Shown (and `controls` turned off) for a declared case; hidden otherwise."""
        self.setText(declared_text(declared) if declared else "")
        self.setVisible(declared is not None)
        if declared is not None:
            for control in controls:
                control.setEnabled(False)
