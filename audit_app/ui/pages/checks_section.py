"""The Findings page's Checks tab: cases whose verdict, answers or outcome code disagree.

Each row is a consistency flag (`core.consistency`) for the panel to look at when it
moderates: an appropriate verdict with a key criterion found not met, or an outcome code
at odds with the victim's support recorded in the extract. Nothing is changed for them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTabWidget, QVBoxLayout, QWidget

from audit_app.core.consistency import ConsistencyFlag
from audit_app.core.findings import Findings
from audit_app.ui.models.row_table import Column
from audit_app.ui.pages.tables import sortable_table

TAB_TITLE = "Checks"
NOTE = ("For moderation: cases where an appropriate verdict sits beside a key criterion "
        "found not met, or where the outcome code disagrees with the victim's support "
        "recorded in the extract. The panel decides; nothing is changed.")
NONE_FOUND = ("No checks: every appropriate verdict has its key criteria met or not "
              "applicable, and every outcome code agrees with the extract.")

CHECK_COLUMNS: list[Column[ConsistencyFlag]] = [
    Column("Reference", lambda f: f.reference),
    Column("Check", lambda f: f.kind.label),
    Column("Detail", lambda f: f.detail),
]


class ChecksSection(QWidget):
    """A note, then one row per flag in sample order; adds itself to `tabs` as "Checks"."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self._tabs = tabs
        self.note = QLabel(NOTE)
        self.note.setObjectName("pageSubtitle")
        self.note.setWordWrap(True)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Checks summary")
        self.model, self.proxy, self.table = sortable_table(
            CHECK_COLUMNS, "Checks for moderation", self, stretch_column=2)
        self.table.setWordWrap(True)
        # Rows follow the wrapped detail as the column width changes.
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        self._index = tabs.addTab(self, TAB_TITLE)
        tabs.setTabToolTip(self._index, "Cases to look at when the panel moderates")

    def show_checks(self, findings: Findings) -> None:
        flags = findings.checks
        self.model.set_rows(list(flags))
        self._tabs.setTabText(self._index, f"{TAB_TITLE} ({len(flags)})" if flags else TAB_TITLE)
        if findings.case_data_deleted is not None:
            self.status.setText("The checks named cases, so they were deleted with the case data.")
        elif not flags:
            self.status.setText(NONE_FOUND)
        else:
            cases = len({flag.reference for flag in flags})
            self.status.setText(f"{len(flags)} check{'' if len(flags) == 1 else 's'} on "
                                f"{cases} case{'' if cases == 1 else 's'}.")
        self.table.setVisible(bool(flags))

    def rows(self) -> list[ConsistencyFlag]:
        return self.model.rows
