"""The Findings page's By outcome section: compliance per criterion for each outcome code.

It sits under the group breakdowns on the Breakdowns tab (a splitter between them), so
the tab bar keeps room at 150% scaling.

A cross table (criteria down, outcome codes across); each cell reads '67% (4 of 6)' with
its status fill, or 'small: 2 of 3' with no fill where fewer than five cases were scored.
The tooltip gives the cell's 95% Wilson interval.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.findings import Findings
from audit_app.core.outcome_table import SMALL_CELL, OutcomeTable, cell_text
from audit_app.core.thresholds import Thresholds
from audit_app.services.database import Database
from audit_app.services.outcome_findings import outcome_table_for
from audit_app.ui.pages.rag_status import STATUS_FILLS


def breakdowns_tab(breakdowns: QWidget, by_outcome: OutcomeSection) -> QSplitter:
    """The Breakdowns tab: groups above, the criterion x outcome table below."""
    split = QSplitter(Qt.Orientation.Vertical)
    split.addWidget(breakdowns)
    split.addWidget(by_outcome)
    split.setStretchFactor(0, 1)
    split.setStretchFactor(1, 1)
    return split


class OutcomeSection(QWidget):
    """Compliance by outcome code; `show_findings` fills it."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.table_data: OutcomeTable | None = None
        self.note = QLabel("")
        self.note.setObjectName("pageSubtitle")
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 0, self)
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move in the table
        self.table.setAccessibleName("Compliance by outcome code")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().hide()  # the criterion code names each row
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)

    def show_findings(self, findings: Findings, table: OutcomeTable | None = None) -> None:
        """`table` as the page read it in the background; read here only when not given."""
        if table is None:
            table = outcome_table_for(self._db, findings)
        self.table_data = table
        self.note.setText(
            "By outcome code: fully met of scored cases with that code; 'small': fewer than "
            f"{SMALL_CELL} cases scored, so no status." if table.outcomes else
            "No sampled cases to show" + (" (the case data was deleted)."
                                          if findings.case_data_deleted else "."))
        self._fill(table, findings.thresholds)

    def _fill(self, table: OutcomeTable, thresholds: Thresholds) -> None:
        self.table.clear()
        self.table.setRowCount(len(table.rows))
        self.table.setColumnCount(len(table.outcomes) + 1)
        self.table.setHorizontalHeaderLabels(
            ["Criterion", *(f"{name}\n{count} case{'' if count == 1 else 's'}" for name, count
                            in zip(table.outcomes, table.cases, strict=True))])
        for row_number, row in enumerate(table.rows):
            code = QTableWidgetItem(row.code)
            code.setToolTip(row.question)
            self.table.setItem(row_number, 0, code)
            for column, cell in enumerate(row.cells, start=1):
                item = QTableWidgetItem(cell_text(cell))
                interval = cell.compliance.interval
                status = "" if cell.small else thresholds.status(cell.compliance.rate)
                if status:
                    item.setText(f"{item.text()} {status}")
                    item.setBackground(QBrush(QColor(STATUS_FILLS[status])))
                if interval is not None:
                    item.setToolTip(f"{cell.outcome}, {row.code}: 95% interval "
                                    f"{interval[0]:.0%} – {interval[1]:.0%}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row_number, column, item)
