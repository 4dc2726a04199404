"""Opening a case off the GUI thread, without losing a key pressed while it loads.

The review page reads a case and the reviewer's review in the background (`QueryOp`).
Until they arrive, the criteria and conclusion still show the case being left, so a
key or click there must not reach them: `KeyHold` keeps key presses aimed at the scoring
area and replays them, in order, to whatever has focus once the new case is shown (the
first open criterion). Clicks there are dropped, since they would land on the old case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from audit_app.core.audit_rows import ReviewView
from audit_app.services import cases, meetings, scoring
from audit_app.services.database import Database
from audit_app.services.records import CaseRow

_CLICKS = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
           QEvent.Type.MouseButtonDblClick)


@dataclass(frozen=True)
class OpenedCase:
    """What the review page shows for one case: its fields and this reviewer's review."""

    case: CaseRow
    review: ReviewView
    # When this reviewer declared an interest in the case (and whether at a meeting).
    declared: tuple[dt.date, bool] | None = None


def read_case(db: Database, *, audit_id: int, case_id: int, reviewer: str) -> OpenedCase:
    """Runs on the thread pool: three short reads, each in its own session."""
    case = cases.get_case(db, audit_id=audit_id, case_id=case_id)
    review = scoring.get_review(db, audit_id=audit_id, case_id=case_id,
                                reviewer=reviewer or "-")
    declared = meetings.declared_on(db, audit_id=audit_id, case_id=case_id,
                                    member=reviewer) if reviewer else None
    return OpenedCase(case, review, declared)


class KeyHold(QObject):
    """While holding, key presses for the scoring area wait; `release` replays them."""

    def __init__(self, areas: Callable[[], tuple[QWidget, ...]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._areas = areas
        self._held: list[QKeyEvent] = []
        self.holding = False

    def hold(self) -> None:
        """A new case is loading. Keys held for a case that never showed are dropped: they
        were meant for that case, and must not be saved against another one."""
        self._held.clear()
        if not self.holding:
            app = QApplication.instance()
            assert app is not None
            app.installEventFilter(self)
            self.holding = True

    def stop(self) -> None:
        """The case has arrived: hold nothing more (drawing it sends many events)."""
        self._stop()

    def release(self) -> None:
        """The case is shown: replay the held keys to the widget that now has focus."""
        self._stop()
        held, self._held = self._held, []
        for event in held:
            target = QApplication.focusWidget()
            if target is None or not self._in_area(target):
                break
            QApplication.sendEvent(target, event)

    def drop(self) -> None:
        self._stop()
        self._held.clear()

    def _stop(self) -> None:
        if self.holding:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self.holding = False

    def _in_area(self, widget: QWidget) -> bool:
        return any(area is widget or area.isAncestorOf(widget) for area in self._areas())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()  # every event in the app passes here: the cheap test first
        if not ((kind == QEvent.Type.KeyPress or kind in _CLICKS)
                and isinstance(watched, QWidget) and self._in_area(watched)):
            return False
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self._held.append(QKeyEvent(event.type(), event.key(), event.modifiers(),
                                        event.text(), event.isAutoRepeat(), event.count()))
            return True
        return True  # a click on the case being left
