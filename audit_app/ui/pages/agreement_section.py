"""The Findings page's Agreement tab: how far members agree, criterion by criterion.

Each row gives n (cases rated by two or more members) beside percent agreement, Fleiss'
kappa and Gwet's AC1, each with its 95% interval, and a verbal reading only where there
are enough cases to support one.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from audit_app.core.agreement import MIN_CASES_TO_READ, NOT_DEFINED, Agreement, read_coefficient
from audit_app.core.agreement_bootstrap import BOOTSTRAP_SEED, RESAMPLES
from audit_app.core.findings import AgreementFinding, Findings
from audit_app.core.wording import plural
from audit_app.ui.models.row_table import Column
from audit_app.ui.pages.tables import sortable_table

NOTE = (f"Counts only cases rated by two or more members. 95% intervals in brackets: "
        f"percent agreement by Wilson's method; kappa and AC1 by resampling cases "
        f"({RESAMPLES:,} resamples, seed {BOOTSTRAP_SEED}), as is everything pooled over "
        f"criteria. Readings after Landis and Koch, only with {MIN_CASES_TO_READ} or more "
        f"cases.")


def percent_with_interval(finding: AgreementFinding) -> str:
    measures = finding.agreement
    if measures.percent_agreement is None:
        return "—"
    interval = measures.percent_interval
    return f"{measures.percent_agreement:.0%}" + (
        f" ({interval[0]:.0%}–{interval[1]:.0%})" if interval else "")


def coefficient_with_interval(value: float | None, interval: tuple[float, float] | None,
                              rated: bool) -> str:
    """'0.81 (0.24 to 1.00)'; "not defined" where kappa is not (every answer the same)."""
    if value is None:
        return NOT_DEFINED if rated else "—"
    text = _signed(value)
    return text + (f" ({_signed(interval[0])} to {_signed(interval[1])})" if interval else "")


def _signed(value: float) -> str:
    return f"{value:.2f}".replace("-", "\u2212")  # a true minus sign reads better


def _sort_value(value: float | None) -> float:
    return -2.0 if value is None else value


AGREEMENT_COLUMNS: list[Column[AgreementFinding]] = [
    Column("Criterion", lambda a: a.criterion_code or "All criteria"),
    Column("Cases", lambda a: "—" if a.agreement.cases is None else str(a.agreement.cases),
           lambda a: -1 if a.agreement.cases is None else a.agreement.cases, True,
           "n: cases rated by two or more members"),
    Column("Agreement", percent_with_interval,
           lambda a: _sort_value(a.agreement.percent_agreement), True,
           "Share of members' answers that agree, pair by pair (95% interval)"),
    Column("Fleiss' kappa", lambda a: coefficient_with_interval(
        a.agreement.fleiss_kappa, a.agreement.kappa_interval, a.agreement.rated),
        lambda a: _sort_value(a.agreement.fleiss_kappa), True,
        "Agreement beyond chance (95% interval); not defined where every answer is the "
        "same"),
    Column("Gwet's AC1", lambda a: coefficient_with_interval(
        a.agreement.gwet_ac1, a.agreement.ac1_interval, a.agreement.rated),
        lambda a: _sort_value(a.agreement.gwet_ac1), True,
        "Agreement beyond chance (95% interval), steadier than kappa when most answers "
        "are the same"),
    Column("Reading", lambda a: a.agreement.reading,
           tooltip=f"Landis and Koch's words for kappa, given with {MIN_CASES_TO_READ} or "
                   "more cases"),
]


def pooled_reading(agreement: Agreement) -> str:
    """Every criterion pooled, in words: "Across all criteria (12 cases): kappa 0.62 –
    substantial agreement; AC1 0.81 – almost perfect agreement." With too few cases the
    words come with a caution rather than not at all."""
    if not agreement.rated:
        return "No case has been rated by two or more members yet."
    cases = f" ({plural(agreement.cases, 'case')})" if agreement.cases is not None else ""
    text = (f"Across all criteria{cases}: kappa {read_coefficient(agreement.fleiss_kappa)}; "
            f"AC1 {read_coefficient(agreement.gwet_ac1)}.")
    if agreement.cases is not None and agreement.cases < MIN_CASES_TO_READ:
        text += " Too few cases for a firm reading: take it as a first sign only."
    return text


class AgreementSection(QWidget):
    """A short note on method above one row per criterion (every criterion pooled first)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note = QLabel(NOTE)
        self.note.setObjectName("pageSubtitle")
        self.note.setWordWrap(True)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Agreement in plain words")
        self.model, self.proxy, self.table = sortable_table(
            AGREEMENT_COLUMNS, "Agreement between members", self,
            stretch_column=len(AGREEMENT_COLUMNS) - 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def show_agreement(self, findings: Findings) -> None:
        self.model.set_rows(list(findings.agreement))
        pooled = next((a.agreement for a in findings.agreement if not a.criterion_code), None)
        self.summary.setText(pooled_reading(pooled) if pooled is not None else "")
        self.summary.setVisible(pooled is not None)

    def rows(self) -> Sequence[AgreementFinding]:
        return self.model.rows
