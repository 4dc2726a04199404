"""The Findings page's verdict card: the panel's first question, answered from agreed verdicts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from audit_app.core.answers import Verdict
from audit_app.core.findings import Findings
from audit_app.core.verdicts import AGREED_STATUS


class VerdictCard(QFrame):
    """The agreed-verdict rate on one line; provisional and unresolved cases below it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.headline = QLabel("")
        self.headline.setObjectName("verdictHeadline")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-weight: 600;")
        self.details = QLabel("")
        self.details.setObjectName("figureCaption")
        self.details.setWordWrap(True)
        for label in (self.headline, self.details):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(2)
        layout.addWidget(self.headline)
        layout.addWidget(self.details)

    def show_verdicts(self, findings: Findings) -> None:
        agreed = findings.agreed_verdicts
        if agreed is None:  # findings kept before agreed verdicts were counted
            self.headline.setText("Verdicts agreed by the panel were not kept with these "
                                  "findings.")
            self.details.setText("Verdicts (agreed and provisional together): " + (" · ".join(
                f"{label} {count}" for label, count in findings.verdicts) or "none"))
        else:
            self.headline.setText(agreed.headline())
            details = [agreed.provisional() or "No provisional verdicts.", *agreed.unresolved()]
            self.details.setText(" ".join(details))
        self.setAccessibleName(self.headline.text())


def cases_verdict_text(findings: Findings) -> str:
    """The Cases tab's line: verdicts the panel agreed, counted apart from provisional ones
    (the split `core.verdicts` makes); no trailing full stop."""
    agreed = findings.agreed_verdicts
    if agreed is None:  # findings kept before agreed verdicts were counted
        return "Verdicts (agreed and provisional together): " + (" · ".join(
            f"{label} {count}" for label, count in findings.verdicts) or "none yet")
    if not findings.cases:  # kept findings: the cases went with the case data
        return " ".join([agreed.headline(), agreed.provisional()]).strip().rstrip(".")
    by_verdict: dict[str, int] = {}
    provisional: dict[str, int] = {}
    for case in findings.cases:
        if case.verdict_status == AGREED_STATUS:
            by_verdict[case.verdict] = by_verdict.get(case.verdict, 0) + 1
        elif case.verdict_status.startswith("Provisional"):
            reason = case.verdict_status.removeprefix("Provisional: ")
            provisional[reason] = provisional.get(reason, 0) + 1
    agreed_text = " · ".join(f"{v.label} {by_verdict[v.label]}" for v in Verdict
                             if v.label in by_verdict) or "none yet"
    text = f"Verdicts agreed by the panel: {agreed_text}"
    if provisional:
        text += ". Provisional, not counted until the panel agrees: " + " · ".join(
            f"{reason} {count}" for reason, count in sorted(provisional.items()))
    return text
