"""A horizontal bar chart of compliance per criterion, with the 95% interval as a whisker.

Custom-painted rather than Qt Charts: one row per criterion, met in solid colour,
partly met in a lighter band after it, and the Wilson interval drawn across the bar. The
figure after the bar says what the bar shows: the met share, the partly met share where
there is one, and n, then the status word (Green, Amber, Red) against the panel's
thresholds: a word, not a colour, so it reads the same to everyone. Before any answer
counts, one plain line stands in for the rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

MET_COLOUR = QColor("#2f6f8f")
PARTLY_COLOUR = QColor("#9cc3d5")
INTERVAL_COLOUR = QColor("#1d2b36")
GRID_COLOUR = QColor("#d9dee3")
SMALL_SAMPLE_COLOUR = QColor("#8a6d1f")
ROW_GAP = 8
NO_ANSWERS_YET = "No answers yet: findings appear once members start scoring."


@dataclass(frozen=True)
class ChartRow:
    code: str
    question: str
    rate: float | None
    partly_rate: float | None
    interval: tuple[float, float] | None
    denominator: int
    small_sample: bool
    status: str = ""  # Green, Amber or Red against the panel's thresholds ("" for none)


class ComplianceChart(QWidget):
    """Rows of bars; the tooltip over a row gives the question and figures."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Compliance per criterion chart")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._rows: list[ChartRow] = []

    @property
    def rows(self) -> list[ChartRow]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[ChartRow]) -> None:
        self._rows = list(rows)
        self.setFixedHeight(self.sizeHint().height())
        self.setAccessibleDescription(NO_ANSWERS_YET if self.empty else "")
        self.update()

    @property
    def empty(self) -> bool:
        """No criterion has an answer that counts yet: one line says so."""
        return all(row.rate is None for row in self._rows)

    def _row_height(self) -> int:
        return QFontMetrics(self.font()).height() + ROW_GAP

    def sizeHint(self) -> QSize:
        rows = 1 if self.empty else len(self._rows) + 1
        return QSize(520, self._row_height() * rows + 8)

    def _label(self, row: ChartRow) -> str:
        return f"{row.code}  {row.question}"

    def _geometry(self) -> tuple[float, float, float]:
        metrics = QFontMetrics(self.font())
        wanted = max((metrics.horizontalAdvance(self._label(r)) for r in self._rows), default=0) + 16
        label_width = min(wanted, self.width() * 0.4)
        value_width = max((metrics.horizontalAdvance(figure_text(r)) for r in self._rows
                           if r.rate is not None), default=0) + 12
        return label_width, max(40.0, self.width() - label_width - value_width), value_width

    def row_at(self, y: float) -> int | None:
        index = int((y - self._row_height()) // self._row_height())
        return index if 0 <= index < len(self._rows) else None

    def mouseMoveEvent(self, event: object) -> None:
        index = self.row_at(event.position().y())  # type: ignore[attr-defined]
        if index is None:
            self.setToolTip("")
            return
        row = self._rows[index]
        partly = f", {row.partly_rate:.0%} partly met" if row.partly_rate else ""
        figures = "no answers that count yet" if row.rate is None else (
            f"{row.rate:.0%} met (95% interval {row.interval[0]:.0%}–{row.interval[1]:.0%})"
            f"{partly}, n={row.denominator}" if row.interval else f"{row.rate:.0%} met{partly}")
        warning = "\nSmall sample: read the figure with care." if row.small_sample else ""
        status = f"\nStatus: {row.status}" if row.status else ""
        self.setToolTip(f"{row.code} {row.question}\n{figures}{status}{warning}")

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().windowText().color()
        if self.empty:
            painter.setPen(text_colour)
            painter.drawText(self.rect().adjusted(4, 0, 0, 0), int(
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), NO_ANSWERS_YET)
            painter.end()
            return
        label_width, bar_width, _ = self._geometry()
        row_height = self._row_height()
        metrics = QFontMetrics(self.font())
        # Axis: 0, 25, 50, 75, 100% across the top, with light gridlines.
        for step in range(5):
            x = label_width + bar_width * step / 4
            painter.setPen(QPen(GRID_COLOUR, 1))
            painter.drawLine(int(x), row_height - 2, int(x), self.height() - 4)
            painter.setPen(text_colour)
            caption = f"{step * 25}%"
            painter.drawText(int(x - metrics.horizontalAdvance(caption) / 2), metrics.ascent() + 2,
                             caption)
        for index, row in enumerate(self._rows):
            top = row_height * (index + 1) + ROW_GAP / 2
            bar_height = row_height - ROW_GAP
            painter.setPen(text_colour)
            label = metrics.elidedText(self._label(row), Qt.TextElideMode.ElideRight,
                                       int(label_width - 12))
            painter.drawText(QRectF(0, top, label_width - 8, bar_height),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), label)
            if row.rate is None:
                painter.setPen(GRID_COLOUR.darker(140))
                painter.drawText(QRectF(label_width + 4, top, bar_width, bar_height),
                                 int(Qt.AlignmentFlag.AlignVCenter), "no answers yet")
                continue
            met_width = bar_width * row.rate
            painter.fillRect(QRectF(label_width, top, met_width, bar_height), MET_COLOUR)
            if row.partly_rate:
                painter.fillRect(QRectF(label_width + met_width, top, bar_width * row.partly_rate,
                                        bar_height), PARTLY_COLOUR)
            if row.interval is not None:
                low = label_width + bar_width * row.interval[0]
                high = label_width + bar_width * row.interval[1]
                middle = top + bar_height / 2
                painter.setPen(QPen(INTERVAL_COLOUR, 1.5))
                painter.drawLine(int(low), int(middle), int(high), int(middle))
                painter.drawLine(int(low), int(top + 3), int(low), int(top + bar_height - 3))
                painter.drawLine(int(high), int(top + 3), int(high), int(top + bar_height - 3))
            painter.setPen(SMALL_SAMPLE_COLOUR if row.small_sample else text_colour)
            painter.drawText(QRectF(label_width + bar_width + 8, top, self.width(), bar_height),
                             int(Qt.AlignmentFlag.AlignVCenter), figure_text(row))
        painter.end()


def figure_text(row: ChartRow) -> str:
    """What the bar shows, in words: "50% met (n=12)", "0% met + 100% partly (n=1)",
    then the status word."""
    if row.rate is None:
        return "no answers yet"
    partly = f" + {row.partly_rate:.0%} partly" if row.partly_rate else ""
    return (f"{row.rate:.0%} met{partly} (n={row.denominator})"
            + (f"  {row.status}" if row.status else ""))
