"""A Findings tab's reads of the audit the page shows: in the background, one at a time
(a CoalescingQuery), and again whenever a change concerns that audit: at once if the tab
is on screen, else the next time it is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from audit_app.ui.errors import report_error
from audit_app.ui.operations import Changes, CoalescingQuery, operation_signals

T = TypeVar("T")


class AuditReads(QObject, Generic[T]):
    """`read(audit_id)` runs off the GUI thread; `arrived(result)` shows it. A child of the
    tab, so the connection to the app's change signal goes with it."""

    def __init__(self, tab: QWidget, audit_id: Callable[[], int | None],
                 read: Callable[[int], T], arrived: Callable[[T], object]) -> None:
        super().__init__(tab)
        self._tab = tab
        self._audit_id = audit_id
        self._read = read
        self._stale = True
        self._query: CoalescingQuery[T] = CoalescingQuery(
            tab, arrived, lambda error: report_error(tab, error))
        operation_signals().changed.connect(self._changed)

    @property
    def running(self) -> bool:
        return self._query.running

    def shown(self, shown_audit_id: int | None) -> None:
        """The tab is being shown holding `shown_audit_id`'s figures (None: nothing yet)."""
        if self._stale or shown_audit_id is None or shown_audit_id != self._audit_id():
            self.reload()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.audit_id is None or changes.concerns(self._audit_id()):
            self._stale = True
            if self._tab.isVisible():
                self.reload()

    def reload(self) -> None:
        audit_id = self._audit_id()
        if audit_id is None:
            return
        self._stale = False
        read = self._read
        self._query.request(lambda _control: read(audit_id))
