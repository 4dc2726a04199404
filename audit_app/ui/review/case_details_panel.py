"""The case's imported details, as the reviewer reads them beside the criteria."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from audit_app.core.case_fields import CASE_FIELDS, outcome_label
from audit_app.core.timeliness import case_intervals
from audit_app.services.records import CaseRow
from audit_app.ui.review.style import scaled_font
from audit_app.ui.wrapping_label import WrappingLabel

NARROW_EMS = 22  # below this many letters' width, labels go above their values


def display_value(key: str, value: Any) -> str:
    """How a stored field reads on screen: dates in UK order, flags as Yes/No."""
    if value is None or value == "":
        return ""
    if key == "outcome_code":
        return outcome_label(int(value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return text[:1].upper() + text[1:] if key in ("risk_level", "victim_supports") else text


class CaseDetailsPanel(QScrollArea):
    """Labelled canonical fields (blank ones left out), then the extract's other columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        # Narrow at 150% scaling: values wrap (and long rows go label-above-value) rather
        # than run off to the right behind a sideways scroll bar.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Case details")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._forms: list[QFormLayout] = []
        self.show_case(None)

    def show_case(self, case: CaseRow | None) -> None:
        self._forms = []
        body = QWidget()
        body.setObjectName("card")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel(case.reference if case else "No case selected")
        title.setFont(scaled_font(self, 1.3, bold=True))
        title.setWordWrap(True)
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(title)
        if case is not None:
            layout.addLayout(self._form([(f.label, display_value(f.key, case.fields.get(f.key)))
                                         for f in CASE_FIELDS if f.key != "reference"]))
            intervals = case_intervals(case.fields)
            if intervals:
                layout.addWidget(self._section_title("Time taken, from the extract's dates"))
                layout.addLayout(self._form([(m.rule.label, m.reading) for m in intervals]))
            if case.extra:
                layout.addWidget(self._section_title("Other columns in the extract"))
                layout.addLayout(self._form(sorted(case.extra.items())))
        layout.addStretch(1)
        old = self.takeWidget()
        if old is not None:
            old.deleteLater()
        self.setWidget(body)
        self._fit_forms()

    @property
    def narrow(self) -> bool:
        """Too narrow for a label column beside the values (high contrast, 150%)."""
        return self.viewport().width() < NARROW_EMS * self.fontMetrics().horizontalAdvance("M")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_forms()

    def _fit_forms(self) -> None:
        # Narrow: every label above its value, so no value is squeezed to a few letters
        # and cut at the right edge; wide: side by side, long rows wrapping.
        policy = (QFormLayout.RowWrapPolicy.WrapAllRows if self.narrow
                  else QFormLayout.RowWrapPolicy.WrapLongRows)
        changed = [form for form in self._forms if form.rowWrapPolicy() != policy]
        for form in changed:
            form.setRowWrapPolicy(policy)
        body = self.widget()
        layout = body.layout() if body is not None else None
        if changed and layout is not None:
            layout.activate()  # lay the rows out again now, not on the next event

    def _section_title(self, text: str) -> QLabel:
        title = QLabel(text)
        title.setObjectName("sectionTitle")
        title.setFont(scaled_font(self, 1.05, bold=True))
        title.setWordWrap(True)
        return title

    def _form(self, pairs: list[tuple[str, str]]) -> QFormLayout:
        form = QFormLayout()
        form.setVerticalSpacing(6)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for label, value in pairs:
            if not value:
                continue
            name = WrappingLabel(label)
            name.setObjectName("muted")
            shown = WrappingLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setAccessibleName(f"{label}: {value}")
            form.addRow(name, shown)
        self._forms.append(form)
        return form
