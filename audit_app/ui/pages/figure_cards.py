"""The Findings page's headline cards: one number and its caption each, on one row, or
two rows of three when the page is narrow (a 1280x720 laptop at 150% scaling)."""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

CARD_MINIMUM_WIDTH = 150  # below this per card, the six cards go on two rows of three


class CardGrid(QWidget):
    """The headline cards on one row, or two rows of three when the page is narrow."""

    def __init__(self, cards: list[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards = cards
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(8)
        self.columns = 0
        self._place(len(cards))

    def _place(self, columns: int) -> None:
        if columns == self.columns:
            return
        self.columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for index, card in enumerate(self.cards):
            self.grid.addWidget(card, index // columns, index % columns)
        for column in range(len(self.cards)):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        wide = event.size().width() >= CARD_MINIMUM_WIDTH * len(self.cards)
        self._place(len(self.cards) if wide else (len(self.cards) + 1) // 2)
        super().resizeEvent(event)


class FigureCard(QFrame):
    """One headline number with its caption."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.value = QLabel("—")
        self.value.setObjectName("figureValue")
        self.caption = QLabel(caption)
        self.caption.setObjectName("figureCaption")
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)

    def show_figure(self, value: str, caption: str | None = None) -> None:
        self.value.setText(value)
        if caption is not None:
            self.caption.setText(caption)
