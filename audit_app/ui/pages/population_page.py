"""The Population page: every imported case, paged from the database, with search."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from audit_app.services.audits import AuditStanding, audit_standing
from audit_app.services.database import Database
from audit_app.ui.models.case_table import CaseTableModel
from audit_app.ui.pages.population_columns import (
    FullTextDelegate,
    arrange,
    column_menu,
    remember_columns,
    shown_columns,
    toggled,
)
from audit_app.ui.pages.standing_notice import StandingNotice

SEARCH_DELAY_MS = 300
EMPTY_HINT = "No cases yet. Import the extract of closed cases to start."
NO_MATCH = "No cases match this search. Try fewer letters, or clear the search to see every case."


class PopulationPage(QWidget):
    """Cases of the open audit; the Import button asks the window for the import wizard."""

    import_requested = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.standing: AuditStanding | None = None
        self.model = CaseTableModel(db, self)
        self.title = QLabel("Population")
        self.title.setObjectName("pageTitle")
        self.count_label = QLabel("")
        self.count_label.setObjectName("pageSubtitle")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search reference, offence, area, team, officer…")
        self.search_edit.setAccessibleName("Search cases")
        self.search_edit.setClearButtonEnabled(True)
        # Narrower on a small screen (150% scaling) rather than under the buttons beside it.
        self.search_edit.setMinimumWidth(140)
        self.search_edit.setMaximumWidth(420)
        self.search_edit.setToolTip("Search reference, offence, area, team, officer")
        self.import_button = QPushButton("Import extract…")
        self.import_button.setObjectName("primaryButton")
        self.import_button.setAccessibleName("Import extract")
        self.import_button.clicked.connect(self.import_requested)
        self.columns_button = QPushButton("Columns…")
        self.columns_button.setAccessibleName("Choose columns")
        self.columns_button.setToolTip("Choose which columns the table shows")
        self.columns_button.clicked.connect(
            lambda: self._show_column_menu(self.columns_button.mapToGlobal(
                QPoint(0, self.columns_button.height()))))

        # Debounce: search once the user pauses, not on every keystroke.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self.flush_search)

        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move in the table
        self.table.setObjectName("populationTable")
        self.table.setAccessibleName("Cases in the population")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setItemDelegate(FullTextDelegate(self.table))
        header_view = self.table.horizontalHeader()
        header_view.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header_view.setStretchLastSection(True)
        header_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header_view.customContextMenuRequested.connect(
            lambda point: self._show_column_menu(header_view.mapToGlobal(point)))
        self.table.setWordWrap(False)
        self.shown: list[str] = []
        self.set_columns(shown_columns(), remember=False)

        self.no_match = QLabel(NO_MATCH)
        self.no_match.setObjectName("hint")
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.setWordWrap(True)

        self.empty_hint = QLabel(EMPTY_HINT)
        self.empty_hint.setObjectName("hint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        header = QHBoxLayout()
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.count_label)
        header.addStretch(1)
        header.addWidget(self.search_edit)
        header.addWidget(self.columns_button)
        header.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(header)
        self.notice = StandingNotice()
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_hint, 1)
        layout.addWidget(self.no_match, 1)
        self.model.modelReset.connect(self._update_counts)
        self.model.rowsInserted.connect(self._update_counts)
        self._update_counts()

    # --- columns --------------------------------------------------------------------

    def set_columns(self, keys: list[str], *, remember: bool = True) -> None:
        """Show these fields, in this order; load only them from the database."""
        self.shown = list(keys)
        self.model.set_loaded_columns(self.shown)
        arrange(self.table, self.shown)
        if remember:
            remember_columns(self.shown)

    def column_menu(self) -> QMenu:
        return column_menu(self.table, self.shown,
                           lambda key, on: self.set_columns(toggled(self.shown, key, on)))

    def _show_column_menu(self, where: QPoint) -> None:
        menu = self.column_menu()
        menu.exec(where)
        menu.deleteLater()

    def set_audit(self, audit_id: int | None) -> None:
        self.standing = audit_standing(self._db, audit_id=audit_id) if audit_id is not None else None
        self.notice.show_standing(self.standing)
        # A closed audit's population is final; a purged one's is gone.
        writable = self.standing is not None and self.standing.is_open
        deleted = self.standing is not None and self.standing.case_data_deleted
        self.import_button.setEnabled(writable)
        self.import_button.setToolTip(
            "" if writable or self.standing is None
            else "The case data was deleted: nothing more can be imported." if deleted
            else "This audit is closed: its population can no longer change.")
        self.empty_hint.setText("The cases were deleted under the retention rule." if deleted
                                else EMPTY_HINT if writable or self.standing is None
                                else "No cases were imported before this audit was closed.")
        self.model.set_audit(audit_id)

    def reload(self) -> None:
        self.model.reload()

    def flush_search(self) -> None:
        """Apply a pending search now (used when the user presses Enter)."""
        if self._search_timer.isActive():
            self._search_timer.stop()
        self._apply_search()

    def _apply_search(self) -> None:
        self.model.set_search(self.search_edit.text())

    def _update_counts(self) -> None:
        total = self.model.total
        searching = bool(self.search_edit.text().strip())
        noun = "matching case" if searching else "case"
        self.count_label.setText(f"{total:,} {noun}{'' if total == 1 else 's'}")
        self.empty_hint.setVisible(total == 0 and not searching)
        self.no_match.setVisible(total == 0 and searching)
        self.table.setVisible(total > 0)
