"""Framework editor: create a framework or a new version of one; import and export files.

A saved version is never edited in place (audits freeze the version they started on):
the editor shows it read-only and "New version" copies it with the next version number.
The working copy is the framework's file form (a dict), checked by the same
`framework_from_dict` the importer uses, so what saves here is what a file would give.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import Answer
from audit_app.core.errors import UserError
from audit_app.core.framework import framework_from_dict, framework_to_dict
from audit_app.services.database import Database
from audit_app.services.field_values import rule_values
from audit_app.services.frameworks import (
    export_framework,
    get_framework,
    import_framework,
    list_frameworks,
    save_framework,
)
from audit_app.services.records import FrameworkSummary
from audit_app.ui.errors import report_error
from audit_app.ui.framework_forms import CriterionForm, FrameworkForm, SectionForm
from audit_app.ui.operations import ChangeOp, Changes, QueryOp
from audit_app.ui.screen_fit import fit_to_screen

_ROLE = Qt.ItemDataRole.UserRole


def _blank_framework() -> dict[str, Any]:
    return {
        "id": "new-framework", "version": 1, "title": "New framework", "description": "",
        "scale": [a.value for a in Answer],
        "sections": [{"code": "1", "title": "First section", "criteria": [
            {"code": "1.1", "question": "", "guidance": "", "source": "",
             "note_required_for": ["not_met", "not_evidenced"]}]}],
    }


class FrameworkEditorDialog(QDialog):
    """Browse frameworks read-only; create one or a new version; import and export files."""

    saved = Signal(str)  # "key vN"

    def __init__(self, db: Database, parent: QWidget | None = None, *,
                 audit_id: int | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("Frameworks")
        fit_to_screen(self, QSize(1100, 700))
        self.working: dict[str, Any] = {}
        self.editable = False
        self._loading = False

        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Framework")
        # Long titles must not push the dialog wider than a small screen at 150%.
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.chooser.setMinimumContentsLength(24)
        self.chooser.currentIndexChanged.connect(self._show_chosen)
        new_button = QPushButton("&New framework")
        new_button.clicked.connect(self.new_framework)
        self.version_button = QPushButton("New &version")
        self.version_button.clicked.connect(self.new_version)
        self.import_button = import_button = QPushButton("&Import…")
        import_button.clicked.connect(self._import_file)
        self.export_button = export_button = QPushButton("E&xport…")
        export_button.clicked.connect(self._export_file)
        self.busy = False  # a save, import or export is under way in the background
        self.compare_button = QPushButton("Co&mpare versions…")
        self.compare_button.setToolTip("What changed between two versions of this framework "
                                       "(Alt+M)")
        self.compare_button.clicked.connect(self.compare_versions)
        top = QHBoxLayout()
        chooser_label = QLabel("&Framework:")
        chooser_label.setBuddy(self.chooser)
        top.addWidget(chooser_label)
        top.addWidget(self.chooser, 1)
        for button in (new_button, self.version_button, import_button, export_button):
            top.addWidget(button)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Sections and criteria"])
        self.tree.setAccessibleName("Sections and criteria")
        self.tree.currentItemChanged.connect(self._select)
        self.add_section_button = QPushButton("Add &section")
        self.add_section_button.clicked.connect(self.add_section)
        self.add_criterion_button = QPushButton("Add c&riterion")
        self.add_criterion_button.clicked.connect(self.add_criterion)
        self.remove_button = QPushButton("Remo&ve")
        self.remove_button.clicked.connect(self.remove_selected)
        self.up_button = QPushButton("Move &up")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QPushButton("Move &down")
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        tree_buttons = QGridLayout()  # two rows, so the tree can be narrow
        for index, button in enumerate((self.add_section_button, self.add_criterion_button,
                                        self.remove_button, self.up_button, self.down_button)):
            tree_buttons.addWidget(button, index // 3, index % 3)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.tree, 1)
        left_layout.addLayout(tree_buttons)

        self.framework_form = FrameworkForm()
        self.section_form = SectionForm()
        # A rule's values come from the open audit's population, when there is one.
        self.criterion_form = CriterionForm(field_values=None if audit_id is None else (
            lambda field, _cancelled: rule_values(db, audit_id=audit_id, field=field)))
        self.forms = QStackedWidget()
        for form in (self.framework_form, self.section_form, self.criterion_form):
            self.forms.addWidget(form)
            form.changed.connect(self._form_changed)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.forms)
        splitter.setSizes([380, 720])

        self.status = QLabel()
        self.status.setObjectName("editorStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Close)
        # Beside Save and Close: the top row is full at 150% on a small screen.
        self.buttons.addButton(self.compare_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._reload_chooser()

    # --- choosing ---------------------------------------------------------------------

    def _reload_chooser(self, select: str | None = None) -> None:
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for summary in list_frameworks(self.db):
            ref = f"{summary.key}@{summary.version}"
            self.chooser.addItem(f"{summary.title} (version {summary.version}, "
                                 f"{summary.criterion_count} criteria)", ref)
        self.chooser.blockSignals(False)
        # Opens on the newest version of the first framework, the one new audits use.
        refs = [str(self.chooser.itemData(i)) for i in range(self.chooser.count())]
        first_key = refs[0].partition("@")[0] if refs else ""
        newest = max((i for i, ref in enumerate(refs) if ref.partition("@")[0] == first_key),
                     key=lambda i: int(refs[i].rpartition("@")[2]), default=0)
        index = self.chooser.findData(select) if select else newest
        self.chooser.setCurrentIndex(max(0, index))
        self._show_chosen()

    def _show_chosen(self) -> None:
        ref = self.chooser.currentData()
        if ref:
            self._load(framework_to_dict(get_framework(self.db, str(ref))), editable=False)
            self.status.setText("Saved versions are read-only, so audits keep the criteria they "
                                "started with. Use New version to change this framework.")

    def _load(self, data: dict[str, Any], *, editable: bool) -> None:
        self.working = data
        self.editable = editable
        self._rebuild_tree()
        for widget in (self.framework_form, self.section_form, self.criterion_form,
                       self.add_section_button, self.add_criterion_button, self.remove_button,
                       self.up_button, self.down_button):
            widget.setEnabled(editable)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(editable)

    def _rebuild_tree(self, select_path: tuple[int, ...] = ()) -> None:
        self._loading = True
        self.tree.clear()
        root = QTreeWidgetItem([f"{self.working.get('title', '')} "
                                f"(version {self.working.get('version', '')})"])
        root.setData(0, _ROLE, ())
        self.tree.addTopLevelItem(root)
        target = root
        for s_index, section in enumerate(self.working.get("sections", [])):
            s_item = QTreeWidgetItem([f"{section.get('code', '')}  {section.get('title', '')}"])
            s_item.setData(0, _ROLE, (s_index,))
            root.addChild(s_item)
            if select_path == (s_index,):
                target = s_item
            for c_index, criterion in enumerate(section.get("criteria", [])):
                question = " ".join(str(criterion.get("question", "")).split()) or "(no question)"
                c_item = QTreeWidgetItem([f"{criterion.get('code', '')}  {question}"])
                c_item.setData(0, _ROLE, (s_index, c_index))
                c_item.setToolTip(0, question)
                s_item.addChild(c_item)
                if select_path == (s_index, c_index):
                    target = c_item
        self.tree.expandAll()
        self._loading = False
        self.tree.setCurrentItem(target)
        self._select(target, None)

    def _path(self) -> tuple[int, ...]:
        item = self.tree.currentItem()
        return tuple(item.data(0, _ROLE)) if item is not None else ()

    def _node(self, path: tuple[int, ...]) -> dict[str, Any]:
        if not path:
            return self.working
        section: dict[str, Any] = self.working["sections"][path[0]]
        return section if len(path) == 1 else section["criteria"][path[1]]

    def _select(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if self._loading or current is None:
            return
        path = tuple(current.data(0, _ROLE))
        self._loading = True
        form = (self.framework_form, self.section_form, self.criterion_form)[len(path)]
        form.load(self._node(path))
        self.forms.setCurrentWidget(form)
        self._loading = False

    def _form_changed(self) -> None:
        if self._loading or not self.editable:
            return
        path = self._path()
        form = (self.framework_form, self.section_form, self.criterion_form)[len(path)]
        form.store(self._node(path))
        item = self.tree.currentItem()
        node = self._node(path)
        if item is not None and len(path) == 1:
            item.setText(0, f"{node.get('code', '')}  {node.get('title', '')}")
        elif item is not None and len(path) == 2:
            question = " ".join(str(node.get("question", "")).split()) or "(no question)"
            item.setText(0, f"{node.get('code', '')}  {question}")

    # --- editing ----------------------------------------------------------------------

    def new_framework(self) -> None:
        self._load(_blank_framework(), editable=True)
        self.status.setText("A new framework: give it an id, a title, sections and criteria, "
                            "then Save.")

    def new_version(self) -> None:
        data = copy.deepcopy(self.working)
        # The next free number: a copy of an earlier version must not collide with a later one.
        known = [s.version for s in list_frameworks(self.db) if s.key == data.get("id")]
        data["version"] = max([int(data.get("version", 1)), *known]) + 1
        data["changes"] = ""
        self._load(data, editable=True)
        self.status.setText(f"Version {data['version']} of {data['id']}: edit, then Save. "
                            "Audits already started keep their version.")

    def add_section(self) -> None:
        sections = self.working.setdefault("sections", [])
        number = len(sections) + 1
        sections.append({"code": str(number), "title": "New section", "criteria": [
            {"code": f"{number}.1", "question": "", "guidance": "", "source": "",
             "note_required_for": ["not_met", "not_evidenced"]}]})
        self._rebuild_tree((len(sections) - 1,))

    def add_criterion(self) -> None:
        path = self._path()
        s_index = path[0] if path else len(self.working.get("sections", [])) - 1
        if s_index < 0:
            self.add_section()
            return
        section = self.working["sections"][s_index]
        criteria = section.setdefault("criteria", [])
        criteria.append({"code": f"{section.get('code', '')}.{len(criteria) + 1}",
                         "question": "", "guidance": "", "source": "",
                         "note_required_for": ["not_met", "not_evidenced"]})
        self._rebuild_tree((s_index, len(criteria) - 1))

    def remove_selected(self) -> None:
        path = self._path()
        if not path:
            return
        if len(path) == 1:
            del self.working["sections"][path[0]]
            self._rebuild_tree()
        else:
            del self.working["sections"][path[0]]["criteria"][path[1]]
            self._rebuild_tree((path[0],))

    def move_selected(self, step: int) -> None:
        path = self._path()
        if not path:
            return
        siblings = (self.working["sections"] if len(path) == 1
                    else self.working["sections"][path[0]]["criteria"])
        index = path[-1]
        target = index + step
        if not 0 <= target < len(siblings):
            return
        siblings[index], siblings[target] = siblings[target], siblings[index]
        self._rebuild_tree((*path[:-1], target))

    def _working(self, busy: bool, said: str) -> None:
        """A save, import or export started (its buttons wait) or ended."""
        self.busy = busy
        self.status.setText(said)
        for button in (self.import_button, self.export_button):
            button.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            self.editable and not busy)

    def save(self) -> None:
        """Save the new framework or version in the background; the status line says how it went."""
        if not self.editable or self.busy:
            return
        try:
            framework, db = framework_from_dict(self.working), self.db
        except UserError as exc:
            self.status.setText(f"Not saved: {exc.message}")
            return
        self._working(True, "Saving…")
        ChangeOp(self, lambda _: save_framework(db, framework), Changes(frameworks=True)).success(
            self._saved).failure(lambda error: self._refused("Not saved", error)).run()

    def _saved(self, summary: FrameworkSummary) -> None:
        self.saved.emit(f"{summary.key} v{summary.version}")
        self._reload_chooser(f"{summary.key}@{summary.version}")
        self._working(False, f"Saved {summary.title}, version {summary.version} "
                       f"({summary.criterion_count} criteria).")

    def _refused(self, what: str, error: BaseException) -> None:
        """A refusal reads as before on the status line; anything else is a bug, reported."""
        self._working(False, f"{what}: {error.message}" if isinstance(error, UserError) else "")
        if not isinstance(error, UserError):
            report_error(self, error)

    def compare_versions(self) -> QDialog:
        from audit_app.ui.framework_diff_view import FrameworkDiffDialog

        key, _, version = str(self.chooser.currentData() or "@0").rpartition("@")
        dialog = FrameworkDiffDialog(self.db, key, int(version or 0), self)
        dialog.open()
        return dialog

    # --- files ------------------------------------------------------------------------

    def _import_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import framework", "",
                                              "Framework files (*.yaml *.yml)")
        if name:
            self.import_from(Path(name))

    def import_from(self, path: Path) -> None:
        """Import a framework file in the background; the status line says how it went."""
        db = self.db
        self._working(True, "Importing…")
        ChangeOp(self, lambda _: import_framework(db, path), Changes(frameworks=True)
                 ).success(self._imported).failure(
                     lambda error: self._refused("Not imported", error)).run()

    def _imported(self, summary: FrameworkSummary) -> None:
        self._reload_chooser(f"{summary.key}@{summary.version}")
        self._working(False, f"Imported {summary.title}, version {summary.version}.")

    def _export_file(self) -> None:
        ref = self.chooser.currentData()
        if not ref:
            return
        name, _ = QFileDialog.getSaveFileName(self, "Export framework",
                                              f"{str(ref).replace('@', '-v')}.yaml",
                                              "Framework files (*.yaml)")
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """Write the chosen version to a file in the background (a read: nothing changes)."""
        ref, db = str(self.chooser.currentData()), self.db
        self._working(True, "Exporting…")
        QueryOp(self, lambda _: export_framework(db, ref, path),
                lambda _none: self._working(False, f"Exported to {path}.")).failure(
                    lambda error: self._refused("Not exported", error)).run()
