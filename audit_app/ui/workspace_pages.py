"""The open audit's pages as tabs, each page built the first time it is shown or asked for.

Building every page (and importing its module) at start cost about a second before the
window appeared; a panel member often uses one or two pages in a session.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from audit_app.ui.screen_fit import available_geometry

PageFactory = Callable[[], QWidget]
POPULATION, SAMPLE, REVIEW, FINDINGS = range(4)
PAGE_TITLES = ["Population", "Sample", "Review", "Findings"]
# One plain sentence under each page's title: what the page is for (ui/help_guide.py).
PAGE_PURPOSES = [
    "The cases in the force's extract: import it here, then check what came in.",
    "The cases chosen for review: draw a fair sample anyone can re-check.",
    "Score each sampled case against the framework, then agree the answers as a panel.",
    "What the panel found: how often each criterion was met, and what to do about it.",
]
SIDEBAR_CHARACTERS = 40  # an audit's name on one line, mostly
SIDEBAR_SHARE = 0.22  # of the screen's width at most, so the pages keep the rest


def sidebar_width(window: QWidget) -> int:
    """The audits list's one width, on every page: from the font, bounded by the screen
    (a fixed width, so a page with wide contents never squeezes or jumps it)."""
    wanted = window.fontMetrics().averageCharWidth() * SIDEBAR_CHARACTERS
    return max(160, min(wanted, int(available_geometry(window).width() * SIDEBAR_SHARE)))


class LazyPages:
    """Tabs whose pages are made by `factories[index]()` on first need.

    Each tab holds a bare holder widget; the page goes into it when built, so the tab bar
    and its titles exist from the start and building never moves the current tab.
    `on_built(index, page)` runs once per page, before it is shown, to wire it up."""

    def __init__(self, tabs: QTabWidget, titles: list[str], factories: list[PageFactory],
                 on_built: Callable[[int, QWidget], None],
                 purposes: list[str] | None = None) -> None:
        from audit_app.ui.help_guide import page_purpose_label  # not for the first paint

        self.tabs = tabs
        self._factories = factories
        self._on_built = on_built
        self._pages: dict[int, QWidget] = {}
        self._holders: list[QWidget] = []
        for index, title in enumerate(titles):
            holder = QWidget()
            layout = QVBoxLayout(holder)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(0)
            if purposes:
                layout.addWidget(page_purpose_label(purposes[index]))
            self._holders.append(holder)
            tabs.addTab(holder, title)

    def built(self) -> dict[int, QWidget]:
        """The pages built so far, by tab index."""
        return dict(self._pages)

    def page(self, index: int) -> QWidget:
        """The page at `index`, built now if it was not yet."""
        page = self._pages.get(index)
        if page is None:
            page = self._factories[index]()
            self._pages[index] = page
            self._on_built(index, page)
            layout = self._holders[index].layout()
            assert layout is not None
            layout.addWidget(page)
            page.show()  # shown as its holder is, now rather than on the next event
        return page
