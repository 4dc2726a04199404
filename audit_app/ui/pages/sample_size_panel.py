"""The sample size calculator beside the draw: what size a precision needs, and what a size buys."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QWidget,
)

from audit_app.core.errors import UserError
from audit_app.core.sample_size import margin_for_size, required_sample_size

CONFIDENCE_LEVELS = (("90%", 0.90), ("95%", 0.95), ("99%", 0.99))


class SampleSizePanel(QGroupBox):
    """Population size, confidence, margin and expected proportion (finite population corrected)."""

    use_size = Signal(int)

    def __init__(self, population: int, parent: QWidget | None = None) -> None:
        super().__init__("Sample size calculator", parent)
        self.population = max(1, population)
        self.chosen_size = 1
        self.suggested = 1
        self.confidence = QComboBox()
        self.confidence.setAccessibleName("Confidence level")
        for label, value in CONFIDENCE_LEVELS:
            self.confidence.addItem(label, value)
        self.confidence.setCurrentIndex(1)
        self.margin = QDoubleSpinBox()
        self.margin.setAccessibleName("Margin of error")
        self.margin.setRange(1.0, 50.0)
        self.margin.setSingleStep(1.0)
        self.margin.setValue(10.0)
        self.margin.setPrefix("± ")
        self.margin.setSuffix(" %")
        self.proportion = QDoubleSpinBox()
        self.proportion.setAccessibleName("Expected compliance")
        self.proportion.setRange(1.0, 99.0)
        self.proportion.setValue(50.0)
        self.proportion.setSuffix(" %")
        self.proportion.setToolTip("Use 50% if unsure: it gives the largest (safest) size.")
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.use_button = QPushButton("Use this size")
        self.use_button.setAccessibleName("Use the suggested sample size")
        self.use_button.clicked.connect(lambda: self.use_size.emit(self.suggested))
        self.buys = QLabel()
        self.buys.setObjectName("hint")
        self.buys.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Confidence:", self.confidence)
        form.addRow("Margin of error:", self.margin)
        form.addRow("Expected compliance:", self.proportion)
        form.addRow(self.suggestion)
        form.addRow(self.use_button)
        form.addRow(self.buys)
        self.confidence.currentIndexChanged.connect(self.recalculate)
        self.margin.valueChanged.connect(self.recalculate)
        self.proportion.valueChanged.connect(self.recalculate)
        self.recalculate()

    def set_chosen_size(self, size: int) -> None:
        self.chosen_size = size
        self.recalculate()

    def recalculate(self) -> None:
        confidence = float(self.confidence.currentData())
        proportion = self.proportion.value() / 100
        try:
            advice = required_sample_size(population=self.population, confidence=confidence,
                                          margin=self.margin.value() / 100,
                                          expected_proportion=proportion)
            margin = margin_for_size(size=min(self.chosen_size, self.population),
                                     population=self.population, confidence=confidence,
                                     expected_proportion=proportion)
        except UserError as error:
            self.suggestion.setText(error.message)
            return
        self.suggested = advice.suggested_size
        self.suggestion.setText(f"Suggested size: <b>{advice.suggested_size:,}</b> of "
                                f"{self.population:,} cases")
        self.buys.setText(f"A sample of {self.chosen_size:,} estimates a compliance rate to "
                          f"within ±{margin * 100:.1f} percentage points at "
                          f"{self.confidence.currentText()} confidence.")
