"""The release check: every piece of text a partner copy would hold, read before it leaves.

Counts at the top, then a table of each text as it will leave, what was replaced in it and
any word that still looks personal; "Only text that still looks personal" narrows it. The
person approving types their name (recorded in the change log; the workbook names them
by role) and presses "Approve and write", or Cancel and nothing is written.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from audit_app.ui.models.row_table import ROW_ROLE, Column, RowTableModel

SUSPECT_COLOUR = "#fff1c2"
COLUMN_SHARES = (0.22, 0.37, 0.24)  # of the table's width; the last column takes the rest
MAX_FITTED_ROWS = 2000


def _replaced(item: Any) -> str:
    return "; ".join(f"{r.found} → {r.token}" for r in item.replacements)


def _suspects(item: Any) -> str:
    return ", ".join(item.suspects)


COLUMNS: list[Column[Any]] = [
    Column("Where", lambda item: item.place),
    Column("Text as it will leave", lambda item: item.scrubbed,
           highlight=lambda item: SUSPECT_COLOUR if item.suspects else None),
    Column("Replaced", _replaced,
           tooltip="The original words stay on this laptop; the partner sees the role in "
                   "brackets"),
    Column("Doubtful", _suspects,
           highlight=lambda item: SUSPECT_COLOUR if item.suspects else None,
           tooltip="Capitalised words that are neither ordinary English nor policing terms: "
                   "often a name nobody recorded in the extract"),
]


class _SuspectFilter(QSortFilterProxyModel):
    """Shows every row, or only those with words that still look personal."""

    only_suspect = False

    def set_only_suspect(self, only: bool) -> None:
        self.beginFilterChange()
        self.only_suspect = only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if not self.only_suspect:
            return True
        item = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        return bool(item.suspects)


def summary_text(check: Any) -> str:
    tokens = sorted(check.counts_by_token.items(), key=lambda pair: (-pair[1], pair[0]))
    made = ", ".join(f"{count} × {token}" for token, count in tokens[:6])
    lines = [f"{check.text_count} pieces of text would leave in the partner copy. "
             f"{check.replacement_count} replacements were made" + (f" ({made})." if made
                                                                    else ".")]
    if check.suspect_count:
        many = check.suspect_count != 1
        lines.append(f"{check.suspect_count} still look{'' if many else 's'} personal "
                     f"(highlighted): read {'them' if many else 'it'} before you approve. "
                     "If a name remains, cancel, change the text in the audit and check again.")
    else:
        lines.append("Nothing else looks personal. Read a few to be sure before you approve.")
    return "\n".join(lines)


class ReleaseCheckDialog(QDialog):
    """Shows one release check; `approver()` is the name typed when it was approved."""

    def __init__(self, check: Any, *, approver: str = "", names_kept: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = check
        self.setWindowTitle("Release check: partner copy")
        self.counts = QLabel(summary_text(check))
        self.counts.setWordWrap(True)
        self.counts.setObjectName("releaseCounts")
        self.only_suspect = QCheckBox("Only text that still looks personal")
        self.only_suspect.setEnabled(bool(check.suspect_count))
        self.model: RowTableModel[Any] = RowTableModel(COLUMNS, self)
        self.model.set_rows(check.items)
        self.proxy = _SuspectFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move in the table
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Every piece of text in the partner copy")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # Columns share the width (see _fit_columns): a sideways scroll would hide a column
        # at 150% scaling on a small laptop.
        header.setMinimumSectionSize(40)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.viewport().installEventFilter(self)
        self.only_suspect.toggled.connect(self._filter)
        self.approver_name = QLineEdit(approver)
        self.approver_name.setPlaceholderText("Your name, as the change log should record it")
        self.approver_name.setAccessibleName("Approved by")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.approve_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.approve_button.setText("Approve and write")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.approver_name.textChanged.connect(self._enable)
        form = QFormLayout()
        form.addRow("Approved by:", self.approver_name)
        note = QLabel("The change log records your name; the partner copy "
                      + ("names you too." if names_kept else "names you as the panel chair."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.only_suspect)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._enable()
        self.resize(1120, 620)
        if check.suspect_count:
            self.only_suspect.setChecked(True)

    def approver(self) -> str:
        return " ".join(self.approver_name.text().split())

    def _enable(self) -> None:
        self.approve_button.setEnabled(bool(self.approver()))

    def _filter(self, only: bool) -> None:
        self.proxy.set_only_suspect(only)
        self._fit_rows()

    def _fit_rows(self) -> None:
        # Wrapped rows are measured one by one: only for a table a person can read through.
        if self.proxy.rowCount() <= MAX_FITTED_ROWS:
            self.table.resizeRowsToContents()

    def _fit_columns(self) -> None:
        width = self.table.viewport().width()
        for column, share in enumerate(COLUMN_SHARES):
            self.table.setColumnWidth(column, int(width * share))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The table's viewport resized (after the layout placed it): share out its width.
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_columns()
            self._fit_rows()
        return super().eventFilter(watched, event)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None and (self.width() > screen.width() or
                                   self.height() > screen.height()):
            self.resize(min(self.width(), screen.width() - 40),
                        min(self.height(), screen.height() - 40))
        self._fit_rows()
