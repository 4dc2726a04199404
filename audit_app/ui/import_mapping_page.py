"""The import wizard's mapping page: a drop-down per case field, shareable ticks, profiles.

Beside each field is the first value its column holds, so a wrong match shows at a
glance; a personal column's value is not shown. Every column left over is shown with what
it looks like (personal, free text or other) and why; none reaches a partner unless
ticked, and a personal one cannot be ticked. Free text (notes, comments, MO) starts
ticked as personal, since prose about a case names people: untick it to share it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from audit_app.core.case_fields import CASE_FIELDS
from audit_app.core.column_mapping import check_mapping
from audit_app.core.column_privacy import ColumnClass, ColumnPrivacy, classify_columns
from audit_app.core.errors import UserError
from audit_app.core.value_parsing import cell_text
from audit_app.services.mapping_profiles import MappingProfile, list_mapping_profiles
from audit_app.ui.import_wizard_pages import step_title
from audit_app.ui.operations import QueryOp

if TYPE_CHECKING:
    from audit_app.ui.import_wizard import ImportWizard

NOT_MAPPED = "(not in this file)"
SHARE_COLUMN, PERSONAL_COLUMN, NAME_COLUMN, REASON_COLUMN = 0, 1, 2, 3
PERSONAL_SAMPLE = "(personal: not shown)"
SAMPLE_CHARS = 40


def first_value(rows: list[list[object]], index: int) -> str:
    """The first non-blank value of a column, cut short for a one-line label."""
    for row in rows:
        text = cell_text(row[index]) if index < len(row) else ""
        if text:
            text = " ".join(text.split())
            return text if len(text) <= SAMPLE_CHARS else text[:SAMPLE_CHARS - 1] + "…"
    return "(blank in the first rows)"


class ElidedLabel(QLabel):
    """One line that ends in '…' where the page is too narrow (at 150% scaling); the full
    text is in the tooltip."""

    def __init__(self) -> None:
        super().__init__("")
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                              max(self.width(), 20))
        super().setText(shown)


class MappingPage(QWizardPage):
    """A drop-down per case field (the guess preselected) and a shareable tick per other column."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(step_title(3, "Match the columns"))
        self.setSubTitle("Check the column for each case field; its first value is beside it.")
        self.combos: dict[str, QComboBox] = {}
        self.samples: dict[str, ElidedLabel] = {}
        self.headers_model = QStandardItemModel(self)
        self._listed_headers: list[str] = []
        fields = QWidget()
        self.form = QFormLayout(fields)
        for field in CASE_FIELDS:
            combo = QComboBox()
            combo.setModel(self.headers_model)
            combo.setAccessibleName(field.label)
            combo.setMinimumContentsLength(12)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._mapping_changed)
            sample = ElidedLabel()
            sample.setObjectName("sampleValue")
            sample.setAccessibleName(f"First value for {field.label}")
            sample.setMinimumWidth(48)
            font = sample.font()
            font.setItalic(True)  # a value from the file, not a control
            sample.setFont(font)
            self.combos[field.key], self.samples[field.key] = combo, sample
            row = QHBoxLayout()
            row.addWidget(combo, 3)
            row.addWidget(sample, 2)
            self.form.addRow(field.label + (" *" if field.required else "") + ":", row)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(fields)
        self.columns_table = QTableWidget(0, 4)
        self.columns_table.setTabKeyNavigation(False)  # Tab moves on; arrows move in it
        self.columns_table.setObjectName("otherColumns")
        self.columns_table.setAccessibleName("Other columns: tick those a partner may see")
        self.columns_table.setHorizontalHeaderLabels(["Share", "Personal", "Column",
                                                      "What it looks like"])
        self.columns_table.verticalHeader().hide()
        self.columns_table.setWordWrap(True)
        self.columns_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.columns_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.columns_table.horizontalHeader()
        header.setSectionResizeMode(SHARE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PERSONAL_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(REASON_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.columns_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.columns_table.itemChanged.connect(self._personal_toggled)
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
        others = QWidget()
        others_layout = QVBoxLayout(others)
        others_layout.addWidget(QLabel(
            "Columns left over are kept with each case. Tick Share for one a partner may see; "
            "personal columns are never shown or shared. Headings not matched? Add your "
            "force's headings to header-synonyms.yaml in the app's data folder (see "
            "“Importing an extract” in the guide).", wordWrap=True))
        others_layout.addWidget(self.columns_table, 1)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Case fields and other columns")
        self.tabs.addTab(scroll, "Case fields")
        self.tabs.addTab(others, "Other columns")
        profiles = QFormLayout()
        profile_label = QLabel("&Use a saved mapping:")
        profile_label.setBuddy(self.profile_combo)
        save_label = QLabel("Sa&ve this mapping as:")
        save_label.setBuddy(self.profile_edit)
        profiles.addRow(profile_label, self.profile_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(profiles)
        layout.addWidget(self.tabs, 1)
        saving = QFormLayout()
        saving.addRow(save_label, self.profile_edit)
        layout.addLayout(saving)
        layout.addWidget(self.problem)
        self.columns: list[ColumnPrivacy] = []  # every header, classified under the mapping
        self._ticked: set[str] = set()  # shareable choices, kept while the mapping changes
        self._personal: set[str] = set()  # columns the user keeps as personal

    def initializePage(self) -> None:
        preview = self._wizard.preview
        assert preview is not None
        self._ticked = set()
        self._personal = set(preview.suggested_personal)
        for combo in self.combos.values():
            combo.blockSignals(True)
        # One list of headers shared by every drop-down: filled once, not 30 times.
        if self._listed_headers != preview.headers:
            self._listed_headers = list(preview.headers)
            self.headers_model.clear()
            for text, data in ((NOT_MAPPED, ""), *((h, h) for h in preview.headers)):
                item = QStandardItem(text)
                item.setData(data, Qt.ItemDataRole.UserRole)
                self.headers_model.appendRow(item)
        for key, combo in self.combos.items():
            combo.setCurrentIndex(max(0, combo.findData(preview.suggested_mapping.get(key, ""))))
            combo.blockSignals(False)
        self._fill_profiles()
        self._refresh(remember=False)

    def _fill_profiles(self) -> None:
        """Read the saved mappings in the background; the drop-down waits disabled."""
        self.profile_combo.setEnabled(False)
        db = self._wizard.db
        QueryOp(self, lambda _control: list_mapping_profiles(db), self._show_profiles).run()

    def _show_profiles(self, profiles: list[MappingProfile]) -> None:
        self._profiles = {p.name: p for p in profiles}
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
        self._personal = set(profile.personal_columns if profile is not None
                             else preview.suggested_personal)
        for key, combo in self.combos.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(wanted.get(key, ""))))
            combo.blockSignals(False)
        self._refresh(remember=False)

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

    def personal_item(self, column: str) -> QTableWidgetItem:
        return self._item(self.other_columns().index(column), PERSONAL_COLUMN)

    def shareable_columns(self) -> list[str]:
        return [name for row, name in enumerate(self.other_columns())
                if self._item(row, SHARE_COLUMN).checkState() == Qt.CheckState.Checked]

    def _kept_personal(self) -> list[str]:
        return [name for row, name in enumerate(self.other_columns())
                if self._item(row, PERSONAL_COLUMN).checkState() == Qt.CheckState.Checked]

    def personal_columns(self) -> list[str]:
        """Left-over columns that look personal, or that the user keeps as personal (free text
        starts so): recorded so their values are never shown or shared."""
        kept = set(self._kept_personal())
        return [column.column for column in self.columns if column.field_key is None and (
            column.classification is ColumnClass.PERSONAL or column.column in kept)]

    def _remember_ticks(self) -> None:
        shown = set(self.other_columns())
        self._ticked = (self._ticked - shown) | set(self.shareable_columns())
        self._personal = (self._personal - shown) | set(self._kept_personal())

    def _mapping_changed(self) -> None:
        self._refresh(remember=True)

    def _refresh(self, *, remember: bool) -> None:
        """Re-classify the columns under the mapping; `remember` keeps the ticks on the table
        (False where the ticks were just set from a profile or the suggestion)."""
        preview = self._wizard.preview
        if preview is None:
            return
        if remember:
            self._remember_ticks()
        mapping = {key: header for key, header in self.mapping().items() if header}
        self.columns = self._classified(mapping)
        left_over = [column for column in self.columns if column.field_key is None]
        self.columns_table.blockSignals(True)
        self.columns_table.setRowCount(len(left_over))
        for row, column in enumerate(left_over):
            self._fill_row(row, column)
        self.columns_table.blockSignals(False)
        self.columns_table.resizeRowsToContents()
        matched = sum(1 for header in mapping.values() if header)
        self.tabs.setTabText(0, f"Case fields ({matched} matched)")
        self.tabs.setTabText(1, f"Other columns ({len(left_over)})")
        self._show_samples()
        self.problem.setText("")

    def _classified(self, mapping: dict[str, str]) -> list[ColumnPrivacy]:
        """Every header under `mapping`: mapped ones by their field, the rest as the preview
        found them (the values were sniffed once, in the background)."""
        preview = self._wizard.preview
        assert preview is not None
        as_unmapped = {column.column: column for column in preview.unmapped_columns}
        by_field = classify_columns(preview.headers, [], mapping)  # no values: header rules only
        return [column if column.field_key is not None else as_unmapped.get(column.column, column)
                for column in by_field]

    def _show_samples(self) -> None:
        """Each mapped field's first value; personal columns' values are not shown."""
        preview = self._wizard.preview
        assert preview is not None
        private = {column.column for column in self.columns
                   if column.classification is ColumnClass.PERSONAL} | set(self.personal_columns())
        # A column kept personal stays so when matched to a field (free text as the offence).
        private |= self._personal
        for key, header in self.mapping().items():
            label = self.samples[key]
            if not header:
                label.setText("")
            elif header in private:
                label.setText(PERSONAL_SAMPLE)
            else:
                label.setText(first_value(preview.sample, preview.headers.index(header)))

    def _personal_toggled(self, item: QTableWidgetItem) -> None:
        """Keeping a column personal takes away its Share tick; letting it go allows one."""
        if item.column() != PERSONAL_COLUMN:
            return
        self._remember_ticks()
        name = self._item(item.row(), NAME_COLUMN).text()
        column = next(column for column in self.columns if column.column == name)
        self.columns_table.blockSignals(True)
        self.columns_table.setItem(item.row(), SHARE_COLUMN, self._share_item(column))
        self.columns_table.blockSignals(False)
        self._show_samples()

    def _share_item(self, column: ColumnPrivacy) -> QTableWidgetItem:
        share = QTableWidgetItem()
        allowed = column.may_be_marked_shareable and column.column not in self._personal
        share.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled if allowed
                       else Qt.ItemFlag.NoItemFlags)
        share.setCheckState(Qt.CheckState.Checked if allowed and column.column in self._ticked
                            else Qt.CheckState.Unchecked)
        share.setToolTip("A partner may see this column" if allowed
                         else "Kept personal, so it is never shared")
        share.setData(Qt.ItemDataRole.AccessibleTextRole, f"Share {column.column}")
        return share

    def _fill_row(self, row: int, column: ColumnPrivacy) -> None:
        found_personal = column.classification is ColumnClass.PERSONAL
        kept_personal = found_personal or column.column in self._personal
        personal = QTableWidgetItem()
        personal.setFlags(Qt.ItemFlag.NoItemFlags if found_personal else
                          Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        personal.setCheckState(Qt.CheckState.Checked if kept_personal else Qt.CheckState.Unchecked)
        personal.setToolTip("Looks personal, so it is always kept personal" if found_personal else
                            "Kept personal: its values are never shown or shared. Untick to "
                            "allow sharing")
        personal.setData(Qt.ItemDataRole.AccessibleTextRole, f"{column.column} is personal")
        share = self._share_item(column)
        name = QTableWidgetItem(column.column)
        reason = QTableWidgetItem(column.reason)
        reason.setToolTip(column.reason)
        for position, item in ((SHARE_COLUMN, share), (PERSONAL_COLUMN, personal),
                               (NAME_COLUMN, name), (REASON_COLUMN, reason)):
            self.columns_table.setItem(row, position, item)

    def validatePage(self) -> bool:
        try:
            check_mapping({key: header for key, header in self.mapping().items() if header})
        except UserError as error:
            self.problem.setText(error.message)
            return False
        return True
