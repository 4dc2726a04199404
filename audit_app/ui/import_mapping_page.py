"""The import wizard's mapping page: a drop-down per case field, shareable ticks, profiles.

Every column left over is shown with what it looks like (personal, free text or other)
and why; none reaches a partner unless ticked, and a personal one cannot be ticked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from audit_app.core.case_fields import CASE_FIELDS
from audit_app.core.column_mapping import check_mapping
from audit_app.core.column_privacy import ColumnClass, ColumnPrivacy, classify_columns
from audit_app.core.errors import UserError
from audit_app.services.mapping_profiles import MappingProfile, list_mapping_profiles

if TYPE_CHECKING:
    from audit_app.ui.import_wizard import ImportWizard

NOT_MAPPED = "(not in this file)"
SHARE_COLUMN, NAME_COLUMN, REASON_COLUMN = 0, 1, 2


class MappingPage(QWizardPage):
    """A drop-down per case field (the guess preselected) and a shareable tick per other column."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Match the columns")
        self.setSubTitle("Check which column holds each case field. Columns left over are kept "
                         "with the case but never reach a partner unless you tick them as shareable.")
        self.combos: dict[str, QComboBox] = {}
        fields = QWidget()
        self.form = QFormLayout(fields)
        for field in CASE_FIELDS:
            combo = QComboBox()
            combo.setAccessibleName(field.label)
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.combos[field.key] = combo
            self.form.addRow(field.label + (" *" if field.required else "") + ":", combo)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields)
        self.columns_table = QTableWidget(0, 3)
        self.columns_table.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
        self.columns_table.setObjectName("otherColumns")
        self.columns_table.setAccessibleName("Other columns: tick those a partner may see")
        self.columns_table.setHorizontalHeaderLabels(["Share", "Column", "What it looks like"])
        self.columns_table.verticalHeader().hide()
        self.columns_table.setWordWrap(True)
        self.columns_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.columns_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.columns_table.horizontalHeader()
        header.setSectionResizeMode(SHARE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.columns_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.profile_edit = QLineEdit()
        self.profile_edit.setAccessibleName("Save this mapping as")
        self.profile_edit.setPlaceholderText("Optional name, to reuse for the next extract")
        self.problem = QLabel("")
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.profile_combo = QComboBox()
        self.profile_combo.setAccessibleName("Use a saved mapping")
        self.profile_combo.activated.connect(self._apply_profile)
        self._profiles: dict[str, MappingProfile] = {}
        right = QVBoxLayout()
        right.addWidget(QLabel("Use a saved mapping:"))
        right.addWidget(self.profile_combo)
        right.addWidget(QLabel("Other columns (tick those a partner may see):"))
        right.addWidget(self.columns_table, 1)
        right.addWidget(QLabel("Save this mapping as:"))
        right.addWidget(self.profile_edit)
        columns = QHBoxLayout()
        columns.addWidget(scroll, 4)
        columns.addLayout(right, 5)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.problem)
        self.columns: list[ColumnPrivacy] = []  # every header, classified under the mapping
        self._ticked: set[str] = set()  # shareable choices, kept while the mapping changes

    def initializePage(self) -> None:
        preview = self._wizard.preview
        assert preview is not None
        self._ticked = set()
        for key, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_MAPPED, "")
            for header in preview.headers:
                combo.addItem(header, header)
            combo.setCurrentIndex(max(0, combo.findData(preview.suggested_mapping.get(key, ""))))
            combo.blockSignals(False)
        self._fill_profiles()
        self._mapping_changed()

    def _fill_profiles(self) -> None:
        self._profiles = {p.name: p for p in list_mapping_profiles(self._wizard.db)}
        self.profile_combo.clear()
        self.profile_combo.addItem("(the suggested matches)" if self._profiles else "(none saved yet)", "")
        for name in self._profiles:
            self.profile_combo.addItem(name, name)
        self.profile_combo.setEnabled(bool(self._profiles))

    def _apply_profile(self) -> None:
        """Lay a saved mapping over the suggestion; columns this file lacks are left as they are."""
        preview = self._wizard.preview
        profile = self._profiles.get(str(self.profile_combo.currentData() or ""))
        if preview is None:
            return
        wanted = dict(preview.suggested_mapping)
        if profile is not None:
            # A column the profile shared was left unmapped then: keep it so, not re-guessed.
            wanted = {key: header for key, header in wanted.items()
                      if header not in profile.shareable_columns}
            wanted.update({key: header for key, header in profile.mapping.items()
                           if header in preview.headers})
            self.profile_edit.setText(profile.name)
        # Ticks come from the profile, not the previous choice.
        self._ticked = set(profile.shareable_columns) if profile is not None else set()
        for key, combo in self.combos.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(wanted.get(key, ""))))
            combo.blockSignals(False)
        self._mapping_changed()

    def mapping(self) -> dict[str, str]:
        """Every field: its header, or '' to leave it unmapped."""
        return {key: str(combo.currentData() or "") for key, combo in self.combos.items()}

    def _item(self, row: int, position: int) -> QTableWidgetItem:
        item = self.columns_table.item(row, position)
        assert item is not None
        return item

    def other_columns(self) -> list[str]:
        """The left-over columns, in the order the table shows them."""
        return [self._item(row, NAME_COLUMN).text() for row in range(self.columns_table.rowCount())]

    def share_item(self, column: str) -> QTableWidgetItem:
        return self._item(self.other_columns().index(column), SHARE_COLUMN)

    def shareable_columns(self) -> list[str]:
        return [name for row, name in enumerate(self.other_columns())
                if self._item(row, SHARE_COLUMN).checkState() == Qt.CheckState.Checked]

    def personal_columns(self) -> list[str]:
        """Left-over columns that look personal: recorded so their values are never shown."""
        return [column.column for column in self.columns
                if column.field_key is None and column.classification is ColumnClass.PERSONAL]

    def _remember_ticks(self) -> None:
        shown = set(self.other_columns())
        self._ticked = (self._ticked - shown) | set(self.shareable_columns())

    def _mapping_changed(self) -> None:
        preview = self._wizard.preview
        if preview is None:
            return
        self._remember_ticks()
        mapping = {key: header for key, header in self.mapping().items() if header}
        self.columns = classify_columns(preview.headers, preview.sample, mapping)
        left_over = [column for column in self.columns if column.field_key is None]
        self.columns_table.setRowCount(len(left_over))
        for row, column in enumerate(left_over):
            self._fill_row(row, column)
        self.columns_table.resizeRowsToContents()
        self.problem.setText("")

    def _fill_row(self, row: int, column: ColumnPrivacy) -> None:
        share = QTableWidgetItem()
        allowed = column.may_be_marked_shareable
        share.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled if allowed
                       else Qt.ItemFlag.NoItemFlags)
        share.setCheckState(Qt.CheckState.Checked if allowed and column.column in self._ticked
                            else Qt.CheckState.Unchecked)
        share.setToolTip("A partner may see this column" if allowed
                         else "Looks personal, so it is never shared")
        share.setData(Qt.ItemDataRole.AccessibleTextRole, f"Share {column.column}")
        name = QTableWidgetItem(column.column)
        reason = QTableWidgetItem(column.reason)
        reason.setToolTip(column.reason)
        for position, item in ((SHARE_COLUMN, share), (NAME_COLUMN, name), (REASON_COLUMN, reason)):
            self.columns_table.setItem(row, position, item)

    def validatePage(self) -> bool:
        try:
            check_mapping({key: header for key, header in self.mapping().items() if header})
        except UserError as error:
            self.problem.setText(error.message)
            return False
        return True
