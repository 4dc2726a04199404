"""Windows and dialogs that fit the screen they open on.

A 1280x720 laptop at 150% scaling leaves about 853x480 logical pixels (less the task
bar), so no window may ask for a fixed 1366x768 or 1100x700. `fit_to_screen` sizes one
window to what it wants, bounded by the screen's available area, and places it within
that area; `install_dialog_fitting` does the same for every dialog as it is first shown,
so a dialog built with a generous `resize()` still opens whole on a small screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QFrame, QScrollArea, QWidget

# What the main window asks for on a first start: a common laptop's whole screen.
MAIN_WINDOW_SIZE = QSize(1366, 768)
# The smallest main window: its pages lay out down to 150% scaling on 1280x720.
MAIN_WINDOW_MINIMUM = QSize(800, 460)


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The area of the widget's screen (else the primary one) that windows may use."""
    screen = widget.screen() if widget is not None else None
    if screen is None:
        screen = QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all (a headless start): nothing to bound by
        return QRect(0, 0, MAIN_WINDOW_SIZE.width(), MAIN_WINDOW_SIZE.height())
    return screen.availableGeometry()


def fitted_size(wanted: QSize, area: QRect) -> QSize:
    """`wanted`, no larger than the area in either direction."""
    return wanted.boundedTo(area.size())


def fit_to_screen(widget: QWidget, wanted: QSize | None = None) -> QSize:
    """Resize `widget` to `wanted` (by default its present size) within its screen's
    available area, and move it so it lies wholly inside that area."""
    area = available_geometry(widget)
    size = fitted_size(wanted if wanted is not None else widget.size(), area)
    widget.setMinimumSize(widget.minimumSize().boundedTo(area.size()))
    widget.resize(size)
    keep_on_screen(widget, area)
    return size


def keep_on_screen(widget: QWidget, area: QRect | None = None) -> None:
    """Move a window back inside the available area if any part of it lies outside."""
    area = area if area is not None else available_geometry(widget)
    frame = widget.frameGeometry()
    extra = frame.size() - widget.size()  # the title bar and borders, where there are any
    width = min(frame.width(), area.width())
    height = min(frame.height(), area.height())
    x = min(max(frame.x(), area.left()), area.left() + area.width() - width)
    y = min(max(frame.y(), area.top()), area.top() + area.height() - height)
    if QPoint(x, y) != frame.topLeft():
        widget.move(x, y)
    if width < frame.width() or height < frame.height():
        widget.resize(width - extra.width(), height - extra.height())


class VerticalScrollArea(QScrollArea):
    """Scrolls up and down only: as wide as its contents need at the least, so a splitter
    or layout never squeezes it narrower than its text."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        return QSize(inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
                     + 2 * self.frameWidth(), hint.height())


def scrolling(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area that scrolls up and down only when the screen is
    too short for it (at 150% scaling), instead of squeezing its text into itself."""
    from PySide6.QtCore import Qt  # not at import: the window's first paint goes without it

    area = VerticalScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


def minimum_window_size(area: QRect) -> QSize:
    """The main window's minimum, never more than the screen can show."""
    return MAIN_WINDOW_MINIMUM.boundedTo(area.size())


# Looked up once: the filter below sees every event of the application, and most of its
# cost is the call itself, so what it does for an event that is not a Show must be minimal.
_SHOW = QEvent.Type.Show


class _DialogFitter(QObject):
    """Fits each dialog to its screen the first time it is shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() is not _SHOW:
            return False
        if not isinstance(watched, QDialog):
            _explain_tab_scroller(watched)
            return False
        if watched.isWindow():
            if not watched.property("fittedToScreen"):
                watched.setProperty("fittedToScreen", True)
                fit_to_screen(watched)
            else:
                keep_on_screen(watched)  # shown again, perhaps on a smaller screen
        return False


# A tab bar too wide for its window shows two arrow buttons Qt makes itself, named but with
# no tooltip: say what they do to whoever hovers over them.
_TAB_SCROLLERS = {"ScrollLeftButton": "Show the tabs to the left",
                  "ScrollRightButton": "Show the tabs to the right"}


def _explain_tab_scroller(watched: QObject) -> None:
    tip = _TAB_SCROLLERS.get(watched.objectName())
    if tip is not None and isinstance(watched, QWidget) and not watched.toolTip():
        watched.setToolTip(tip)


_fitter: _DialogFitter | None = None


def install_dialog_fitting(app: QApplication) -> None:
    """Once per application: every dialog opens within its screen's available area."""
    global _fitter
    if _fitter is None:
        _fitter = _DialogFitter(app)
        app.installEventFilter(_fitter)
