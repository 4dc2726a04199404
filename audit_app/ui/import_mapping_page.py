"""The import wizard's mapping page: a drop-down per case field, personal-data ticks, profiles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from audit_app.core.case_fields import CASE_FIELDS
from audit_app.core.column_mapping import check_mapping
from audit_app.core.errors import UserError
from audit_app.services.mapping_profiles import MappingProfile, list_mapping_profiles

if TYPE_CHECKING:
    from audit_app.ui.import_wizard import ImportWizard

NOT_MAPPED = "(not in this file)"


class MappingPage(QWizardPage):
    """A drop-down per case field (the guess preselected) and a personal-data tick per other column."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("Match the columns")
        self.setSubTitle("Check which column holds each case field. Columns left over are kept "
                         "with the case; tick those holding personal data so they never reach a partner.")
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
        self.personal_list = QListWidget()
        self.personal_list.setAccessibleName("Other columns: tick personal data")
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
        right.addWidget(QLabel("Other columns (tick personal data):"))
        right.addWidget(self.personal_list, 1)
        right.addWidget(QLabel("Save this mapping as:"))
        right.addWidget(self.profile_edit)
        columns = QHBoxLayout()
        columns.addWidget(scroll, 3)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.problem)
        self._suggested_personal: set[str] = set()

    def initializePage(self) -> None:
        preview = self._wizard.preview
        assert preview is not None
        self._suggested_personal = set(preview.suggested_personal)
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
            wanted.update({key: header for key, header in profile.mapping.items()
                           if header in preview.headers})
            self._suggested_personal = {c for c in profile.personal_columns if c in preview.headers}
            self.profile_edit.setText(profile.name)
        for key, combo in self.combos.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(wanted.get(key, ""))))
            combo.blockSignals(False)
        self.personal_list.clear()  # ticks come from the profile, not the previous choice
        self._mapping_changed()

    def mapping(self) -> dict[str, str]:
        """Every field: its header, or '' to leave it unmapped."""
        return {key: str(combo.currentData() or "") for key, combo in self.combos.items()}

    def personal_columns(self) -> list[str]:
        return [self.personal_list.item(row).text() for row in range(self.personal_list.count())
                if self.personal_list.item(row).checkState() == Qt.CheckState.Checked]

    def _mapping_changed(self) -> None:
        preview = self._wizard.preview
        if preview is None:
            return
        ticked = set(self.personal_columns()) | self._suggested_personal
        used = set(self.mapping().values())
        self.personal_list.clear()
        for header in preview.headers:
            if header and header not in used:
                item = QListWidgetItem(header)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if header in ticked else Qt.CheckState.Unchecked)
                self.personal_list.addItem(item)
        self.problem.setText("")

    def validatePage(self) -> bool:
        try:
            check_mapping({key: header for key, header in self.mapping().items() if header})
        except UserError as error:
            self.problem.setText(error.message)
            return False
        return True
