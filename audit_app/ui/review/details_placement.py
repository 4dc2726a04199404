"""Where the case's details sit on the review page: beside the criteria when there is room,
or as a "Case details" tab beside Score, Moderation and Change log when the page is narrow.

A 1280x720 laptop at 150% scaling leaves the page about 850 logical pixels: three panes
side by side would cut off the case header's buttons and the details' values alike.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QSplitter, QTabWidget, QWidget

# Below this page width (logical pixels) the details move into a tab; below this height
# the line of keyboard shortcuts steps aside (F1 and the menus still give them).
NARROW_PAGE_WIDTH = 1000
SHORT_PAGE_HEIGHT = 560
SIDE_SHARE = 0.22  # of a narrow page, for the list of cases
DETAILS_MINIMUM_WIDTH = 180  # beside the criteria: its values wrap, so narrow reads fine
DETAILS_TAB = "Case &details"


class DetailsPlacement(QObject):
    """Watches the page's width and moves `details` between the splitter and the tabs."""

    def __init__(self, page: QWidget, splitter: QSplitter, tabs: QTabWidget,
                 details: QWidget, keys: QWidget) -> None:
        super().__init__(page)
        self.splitter = splitter
        self.tabs = tabs
        self.details = details
        self.keys = keys
        details.setMinimumWidth(DETAILS_MINIMUM_WIDTH)
        self.in_tab = False
        self._wide_sizes: list[int] = []
        page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.place(narrow=watched.width() < NARROW_PAGE_WIDTH)
            self.keys.setVisible(watched.height() >= SHORT_PAGE_HEIGHT)
        return False

    def place(self, *, narrow: bool) -> None:
        if narrow == self.in_tab:
            return
        self.in_tab = narrow
        if narrow:
            self._wide_sizes = self.splitter.sizes()
            current = self.tabs.currentWidget()
            self.tabs.addTab(self.details, DETAILS_TAB)  # taken out of the splitter
            self.tabs.setCurrentWidget(current)
            width = sum(self._wide_sizes)
            side = int(width * SIDE_SHARE)
            self.splitter.setSizes([side, width - side])
        else:
            self.tabs.removeTab(self.tabs.indexOf(self.details))
            self.splitter.addWidget(self.details)
            self.details.show()
            if len(self._wide_sizes) == self.splitter.count():
                self.splitter.setSizes(self._wide_sizes)
