"""The main window: audits on the left, the open audit's pages on the right, menus and status."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from audit_app import APP_NAME
from audit_app.core.errors import UserError
from audit_app.services.audits import OPEN, get_audit
from audit_app.services.database import Database
from audit_app.ui import exports, panel_work, settings
from audit_app.ui.about import show_about
from audit_app.ui.audit_list import AuditListPanel, NewAuditDialog
from audit_app.ui.errors import show_user_error
from audit_app.ui.operations import Changes, announce, operation_signals
from audit_app.ui.pages.findings_page import FindingsPage
from audit_app.ui.pages.population_page import PopulationPage
from audit_app.ui.pages.review_host import ReviewHost
from audit_app.ui.pages.sample_page import SamplePage
from audit_app.ui.retention_dialog import RetentionDialog
from audit_app.ui.reviewer_control import ReviewerControl

POPULATION, SAMPLE, REVIEW, FINDINGS = range(4)


class MainWindow(QMainWindow):
    """Thin: each page and dialog calls the services itself; the window routes between them."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id: int | None = None
        self.audit_is_open = False  # closed or purged audits take no imports or new packages
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(1024, 640)

        self.audit_list = AuditListPanel(db)
        self.audit_list.audit_selected.connect(self.open_audit)
        self.audit_list.new_audit_requested.connect(self.new_audit)

        self.population_page = PopulationPage(db)
        self.sample_page = SamplePage(db)
        self.review_host = ReviewHost(db)
        self.findings_page = FindingsPage(db)
        self.population_page.import_requested.connect(lambda: self.import_extract())
        self.findings_page.export_requested.connect(self.export_workbook)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("workspaceTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.population_page, "Population")
        self.tabs.addTab(self.sample_page, "Sample")
        self.tabs.addTab(self.review_host, "Review")
        self.tabs.addTab(self.findings_page, "Findings")
        self.tabs.currentChanged.connect(self._page_changed)

        self.audit_title = QLabel("")
        self.audit_title.setObjectName("auditTitle")
        self.audit_subtitle = QLabel("")
        self.audit_subtitle.setObjectName("pageSubtitle")
        workspace = QWidget()
        workspace.setObjectName("workspace")
        workspace_layout = QVBoxLayout(workspace)
        workspace_layout.setContentsMargins(0, 10, 0, 0)
        workspace_layout.setSpacing(2)
        for label in (self.audit_title, self.audit_subtitle):
            label.setContentsMargins(16, 0, 16, 0)
            workspace_layout.addWidget(label)
        workspace_layout.addWidget(self.tabs, 1)

        self.no_audit_hint = QLabel("Choose an audit on the left, or create one with New audit (Ctrl+N).")
        self.no_audit_hint.setObjectName("hint")
        self.no_audit_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.right = QStackedWidget()
        self.right.addWidget(self.no_audit_hint)
        self.right.addWidget(workspace)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.audit_list)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([300, 1066])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.reviewer_control = ReviewerControl(db)
        self.reviewer_control.reviewer_changed.connect(self.review_host.set_reviewer)
        self.review_host.set_reviewer(self.reviewer_control.name)
        self.database_label = QLabel(f"Database: {db.display_name}")
        self.database_label.setObjectName("statusText")
        self.statusBar().addWidget(self.database_label, 1)
        self.presence_label = panel_work.PresenceLabel(db)
        self.statusBar().addPermanentWidget(self.presence_label)
        self.statusBar().addPermanentWidget(self.reviewer_control)
        self.reviewer_control.reviewer_changed.connect(
            lambda name: self.presence_label.watch(self.audit_id, name))

        self._build_menus()
        operation_signals().changed.connect(self._changed)  # the one refresh path
        self._restore()

    # --- menus ----------------------------------------------------------------------

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str, slot: object,
                name: str) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setObjectName(name)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work wherever the focus is
        return action

    def _build_menus(self) -> None:
        self.new_audit_action = self._action("&New audit…", "Ctrl+N",
                                             self.new_audit, "newAuditAction")
        self.import_action = self._action("&Import extract…", "Ctrl+I", self.import_extract,
                                          "importExtractAction")
        self.export_action = self._action("&Export workbook…", "Ctrl+E", self.export_workbook,
                                          "exportWorkbookAction")
        self.export_sheet_action = self._action("Export &scoring sheet…", "Ctrl+Shift+E",
                                                self.export_scoresheet, "exportScoresheetAction")
        self.import_sheet_action = self._action("Import scoring s&heet…", "Ctrl+Shift+I",
                                                self.import_scoresheet, "importScoresheetAction")
        self.export_package_action = self._action(
            "Export review &package for a member…", "Ctrl+Alt+E", self.export_package,
            "exportPackageAction")
        self.import_package_action = self._action(
            "Import a &member's review package…", "Ctrl+Alt+I", self.import_package,
            "importPackageAction")
        self.conflicts_action = self._action("Merge &conflicts…", "Ctrl+Alt+C",
                                             self.show_conflicts, "conflictsAction")
        self.passphrase_action = self._action(
            "Package pass&phrase…", "Ctrl+Alt+P", self.change_package_passphrase,
            "packagePassphraseAction")
        self.open_package_action = self._action("&Open review package…", "Ctrl+Alt+O",
                                                self.open_package, "openPackageAction")
        self.restore_action = self._action("&Restore from backup…", "Ctrl+Alt+R",
                                           self.restore_backup, "restoreBackupAction")
        self.backup_settings_action = self._action(
            "&Backups…", "Ctrl+Alt+B", lambda: panel_work.BackupSettingsDialog(self).open(),
            "backupSettingsAction")
        # Ctrl+Alt+K ("keep until"): Ctrl+Alt+T and Ctrl+Alt+D are taken by Linux desktops.
        self.retention_action = self._action("Re&tention…", "Ctrl+Alt+K", self.show_retention,
                                             "retentionAction")
        self.frameworks_action = self._action("&Frameworks…", "Ctrl+Alt+F",
                                              self.edit_frameworks, "frameworksAction")
        self.quit_action = self._action("&Quit", "Ctrl+Q", self.close, "quitAction")
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.new_audit_action)
        file_menu.addSeparator()
        file_menu.addAction(self.import_action)
        self.recent_menu = file_menu.addMenu("Recent e&xtracts")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        for action in (self.export_action, self.export_sheet_action, self.import_sheet_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        for action in (self.export_package_action, self.import_package_action,
                       self.conflicts_action, self.passphrase_action, self.open_package_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.frameworks_action)
        file_menu.addAction(self.backup_settings_action)
        file_menu.addAction(self.restore_action)
        file_menu.addAction(self.retention_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu("&View")
        for index, title in enumerate(("&Population", "&Sample", "&Review", "&Findings")):
            view_menu.addAction(self._action(title, f"Ctrl+{index + 1}",
                                             lambda _=False, i=index: self.tabs.setCurrentIndex(i),
                                             f"showPage{index}Action"))
        view_menu.addSeparator()
        self.show_audits_action = self._action("Show audits list on the Review page", "Ctrl+Shift+L",
                                               lambda: self._page_changed(self.tabs.currentIndex()),
                                               "showAuditsAction")
        self.show_audits_action.setCheckable(True)
        view_menu.addAction(self.show_audits_action)
        view_menu.addAction(self._action("Re&fresh", "F5",
                                         self._audit_changed, "refreshAction"))
        view_menu.addAction(self._action("Reviewing &as…", "Ctrl+Shift+R", self.reviewer_control.ask,
                                         "reviewerAction"))
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&About", "Ctrl+F1",
                                         lambda: show_about(self), "aboutAction"))
        self._update_actions()

    def _update_actions(self) -> None:
        has_audit = self.audit_id is not None
        for action in (self.export_action, self.conflicts_action, self.retention_action):
            action.setEnabled(has_audit)
        # What writes to the audit, or makes a sheet or package to score it, waits for an
        # open audit; reading and exporting the findings do not.
        for action in (self.import_action, self.export_sheet_action, self.import_sheet_action,
                       self.export_package_action, self.import_package_action,
                       self.passphrase_action):
            action.setEnabled(has_audit and self.audit_is_open)

    # --- audits ---------------------------------------------------------------------

    def new_audit(self) -> NewAuditDialog:
        dialog = NewAuditDialog(self.db, self)
        dialog.setObjectName("newAuditDialog")
        dialog.accepted.connect(lambda: self._created(dialog))
        dialog.open()
        return dialog

    def _created(self, dialog: NewAuditDialog) -> None:
        if dialog.created is not None:
            self.audit_list.refresh()
            self.audit_list.select_audit(dialog.created.id)
            self.tabs.setCurrentIndex(POPULATION)

    def open_audit(self, audit_id: int) -> None:
        try:
            audit = get_audit(self.db, audit_id)
        except UserError as error:
            show_user_error(self, error)
            return
        if audit_id != self.audit_id:
            panel_work.backup_on_open(self.db)  # a rotating copy each time an audit is opened
            self.presence_label.watch(audit_id, self.reviewer_control.name)
        self.audit_id = audit_id
        self.audit_is_open = audit.status == OPEN
        settings.LAST_AUDIT_ID.write(audit_id)
        self.audit_title.setText(audit.name)
        self.setWindowTitle(f"{audit.name} – {APP_NAME}")
        self.audit_subtitle.setText(f"{audit.framework_title} · version {audit.framework_version}")
        self.right.setCurrentIndex(1)
        for page in (self.population_page, self.sample_page, self.review_host, self.findings_page):
            page.set_audit(audit_id)
        self._update_actions()

    def _audit_changed(self) -> None:
        """After an import, a draw or an edit: refresh counts and whichever page is showing."""
        self.audit_list.refresh()
        if self.audit_id is not None:
            self.open_audit(self.audit_id)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """An audit's standing or cases moved: re-open it (title, menus, pages); the list
        and every page decide for themselves about anything else."""
        if changes.concerns(self.audit_id) and (changes.audits or changes.cases):
            self._audit_changed()

    def _page_changed(self, index: int) -> None:
        settings.LAST_PAGE.write(index)
        # Scoring needs the width: the audits list steps aside on the Review page.
        self.audit_list.setVisible(index != REVIEW or self.show_audits_action.isChecked())
        if self.audit_id is not None:
            self.audit_list.refresh()  # review counts move on while the panel scores

    # --- files ----------------------------------------------------------------------

    def import_extract(self, path: str | None = None) -> None:
        if self.audit_id is not None and self.audit_is_open:
            exports.open_import_wizard(self, self.db, self.audit_id, path=path or None)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = [path for path in settings.RECENT_FILES.read() if Path(path).is_file()]
        for path in recent:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setEnabled(self.audit_id is not None and self.audit_is_open)
            action.triggered.connect(lambda _=False, p=path: self.import_extract(p))
        if not recent:
            self.recent_menu.addAction("No recent extracts").setEnabled(False)

    def export_workbook(self) -> None:
        if self.audit_id is not None:
            exports.export_workbook(self, self.db, self.audit_id)

    def export_scoresheet(self) -> None:
        if self.audit_id is not None:
            exports.export_scoresheet(self, self.db, self.audit_id, self.reviewer_control.name)

    def import_scoresheet(self) -> None:
        if self.audit_id is not None:
            exports.import_scoresheet(self, self.db)

    # --- a panel on many laptops ----------------------------------------------------

    def export_package(self) -> None:
        if self.audit_id is not None:
            panel_work.export_package(self, self.db, self.audit_id, self.reviewer_control.name)

    def import_package(self) -> None:
        if self.audit_id is not None:
            panel_work.import_package(self, self.db)

    def change_package_passphrase(self) -> None:
        if self.audit_id is not None:
            panel_work.change_package_passphrase(self, self.db, self.audit_id,
                                                 self.reviewer_control.name)

    def show_conflicts(self) -> None:
        if self.audit_id is not None:
            panel_work.ConflictsDialog(self.db, self.audit_id, self).open()

    def open_package(self) -> None:
        panel_work.open_package(self, self.db, on_done=self._opened_package)

    def _opened_package(self, audit_id: int) -> None:
        self.audit_list.refresh()
        self.audit_list.select_audit(audit_id)
        self.tabs.setCurrentIndex(REVIEW)

    def restore_backup(self) -> None:
        if panel_work.restore_from_backup(self, self.db):
            self.close()

    def show_retention(self) -> RetentionDialog | None:
        if self.audit_id is None:
            return None
        dialog = RetentionDialog(self.db, self.audit_id, self)
        audit_id = self.audit_id
        dialog.changed.connect(lambda: announce(Changes(audit_id=audit_id, audits=True,
                                                        cases=True), dialog))
        dialog.open()
        return dialog

    def edit_frameworks(self) -> None:
        from audit_app.ui.framework_editor import FrameworkEditorDialog

        FrameworkEditorDialog(self.db, self).open()

    # --- window state ---------------------------------------------------------------

    def _restore(self) -> None:
        geometry = settings.WINDOW_GEOMETRY.read()
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1366, 768)
        splitter = settings.SPLITTER_STATE.read()
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        self.audit_list.refresh()
        last = settings.LAST_AUDIT_ID.read()
        if not (last and self.audit_list.select_audit(last)) and self.audit_list.list_widget.count():
            self.audit_list.list_widget.setCurrentRow(0)
        self.tabs.setCurrentIndex(settings.LAST_PAGE.read() if self.audit_id else POPULATION)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.presence_label.stop()
        settings.WINDOW_GEOMETRY.write(self.saveGeometry())
        settings.SPLITTER_STATE.write(self.splitter.saveState())
        super().closeEvent(event)
