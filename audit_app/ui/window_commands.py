"""The main window's menus and the commands they run: files, packages, retention.

`MainWindow` builds on this; the pages and the audit being open are its business.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow

from audit_app.ui import settings
from audit_app.ui.workspace_pages import REVIEW

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QTabWidget, QWidget

    from audit_app.services.database import Database
    from audit_app.ui.about import AboutDialog
    from audit_app.ui.audit_list import AuditListPanel
    from audit_app.ui.help_guide import GuideDialog
    from audit_app.ui.help_keys import KeyboardMapDialog
    from audit_app.ui.meeting.window import MeetingWindow
    from audit_app.ui.restore_dialog import RestoreDialog
    from audit_app.ui.retention_dialog import RetentionDialog
    from audit_app.ui.reviewer_control import ReviewerControl
    from audit_app.ui.training_dialog import TrainingDialog


class WindowCommands(QMainWindow):
    """Menus, shortcuts and the file and package commands; each command's module (and the
    services behind it) is imported when the command first runs, not at start."""

    audit_id: int | None
    audit_is_open: bool
    audit_list: AuditListPanel
    reviewer_control: ReviewerControl
    tabs: QTabWidget
    guide: GuideDialog | None = None

    @property
    def db(self) -> Database:
        raise NotImplementedError

    def new_audit(self) -> object:
        raise NotImplementedError

    def _audit_changed(self) -> None:
        raise NotImplementedError

    def _page_changed(self, index: int) -> None:
        raise NotImplementedError

    def show_findings_section(self, section: str) -> None:
        raise NotImplementedError

    # --- menus ----------------------------------------------------------------------

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str, slot: object,
                name: str) -> QAction:
        from PySide6.QtGui import QAction, QKeySequence  # after the first paint (ui/app.py)

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
            "&Backups…", "Ctrl+Alt+B", self.backup_settings, "backupSettingsAction")
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
        from audit_app.ui.panel_documents import PanelDocumentsMenu

        self.panel_documents = PanelDocumentsMenu(self, file_menu, lambda: self.db,
                                                  lambda: self.audit_id)
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
        # Straight to a Findings tab: the panel's follow-up between meetings.
        self.findings_tab_actions = {section: self._action(
            text, keys, lambda _=False, s=section: self.show_findings_section(s), name)
            for text, keys, section, name in (
                ("&Escalations", "Ctrl+5", "escalations", "showEscalationsAction"),
                ("Ac&tions register", "Ctrl+6", "actions", "showActionsAction"),
                ("Learning t&hemes", "Ctrl+7", "themes", "showThemesAction"))}
        view_menu.addActions(list(self.findings_tab_actions.values()))
        view_menu.addSeparator()
        self.show_audits_action = self._action("Show audits list on the Review page", "Ctrl+Shift+L",
                                               lambda: self._page_changed(self.tabs.currentIndex()),
                                               "showAuditsAction")
        self.show_audits_action.setCheckable(True)
        view_menu.addAction(self.show_audits_action)
        view_menu.addAction(self._action("Re&fresh", "F5",
                                         self._audit_changed, "refreshAction"))
        self.meeting_action = self._action("&Meeting mode…", "Ctrl+M", self.show_meeting,
                                           "meetingModeAction")
        view_menu.addAction(self.meeting_action)
        view_menu.addAction(self._action("Reviewing &as…", "Ctrl+Shift+R",
                                         lambda: self.reviewer_control.ask(),
                                         "reviewerAction"))
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self._action("&User guide", "F1", self.show_guide, "userGuideAction"))
        help_menu.addAction(self._action("&Keyboard shortcuts", "Ctrl+/", self.show_keyboard_map,
                                         "keyboardMapAction"))
        help_menu.addAction(self._action("&Training with calibration cases…", "Ctrl+Shift+T",
                                         self.show_training, "trainingAction"))
        help_menu.addSeparator()
        help_menu.addAction(self._action("&About", "Ctrl+F1", self.show_about, "aboutAction"))
        self._update_actions()

    def _update_actions(self) -> None:
        has_audit = self.audit_id is not None
        for action in (self.export_action, self.conflicts_action, self.retention_action,
                       *self.findings_tab_actions.values()):
            action.setEnabled(has_audit)
        self.panel_documents.update(has_audit)
        # What writes to the audit, or makes a sheet or package to score it, waits for an
        # open audit; reading and exporting the findings do not.
        for action in (self.import_action, self.export_sheet_action, self.import_sheet_action,
                       self.export_package_action, self.import_package_action,
                       self.passphrase_action, self.meeting_action):
            action.setEnabled(has_audit and self.audit_is_open)

    # --- files ----------------------------------------------------------------------

    def import_extract(self, path: str | None = None) -> None:
        from audit_app.ui import exports

        if self.audit_id is not None and self.audit_is_open:
            exports.open_import_wizard(self, self.db, self.audit_id,
                                       path=path or None)

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
        from audit_app.ui import exports

        if self.audit_id is not None:
            exports.export_workbook(self, self.db, self.audit_id)

    def export_scoresheet(self) -> None:
        from audit_app.ui import exports

        if self.audit_id is not None:
            exports.export_scoresheet(self, self.db, self.audit_id, self.reviewer_control.name)

    def import_scoresheet(self) -> None:
        from audit_app.ui import exports

        if self.audit_id is not None:
            exports.import_scoresheet(self, self.db)

    # --- a panel on many laptops ----------------------------------------------------

    def export_package(self) -> None:
        from audit_app.ui import panel_work

        if self.audit_id is not None:
            panel_work.export_package(self, self.db, self.audit_id, self.reviewer_control.name)

    def import_package(self) -> None:
        from audit_app.ui import panel_work

        if self.audit_id is not None:
            panel_work.import_package(self, self.db)

    def change_package_passphrase(self) -> None:
        from audit_app.ui import panel_work

        if self.audit_id is not None:
            panel_work.change_package_passphrase(self, self.db, self.audit_id,
                                                 self.reviewer_control.name)

    def show_conflicts(self) -> None:
        from audit_app.ui import panel_work

        if self.audit_id is not None:
            panel_work.ConflictsDialog(self.db, self.audit_id, self).open()

    def open_package(self) -> None:
        from audit_app.ui import panel_work

        panel_work.open_package(self, self.db, on_done=self._opened_package)

    def _opened_package(self, audit_id: int) -> None:
        self.audit_list.refresh(then=lambda: self._show_opened_package(audit_id))

    def _show_opened_package(self, audit_id: int) -> None:
        self.audit_list.select_audit(audit_id)
        self.tabs.setCurrentIndex(REVIEW)

    def restore_backup(self) -> RestoreDialog | None:
        from audit_app.ui import restore_dialog

        dialog = restore_dialog.open_restore_dialog(self, self.db)
        if dialog is not None:
            database = self.db.file_path
            dialog.accepted.connect(lambda: self._restored(database))
        return dialog

    def _restored(self, database: Path | None) -> None:
        """The database file now holds the backup: start afresh on it."""
        from audit_app.ui import restore_dialog

        if database is not None:
            restore_dialog.start_again(database)
        self.close()

    # --- help -----------------------------------------------------------------------

    def show_guide(self) -> GuideDialog:
        from audit_app.ui.help_guide import GuideDialog

        if self.guide is None:
            self.guide = GuideDialog(self)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()
        return self.guide

    def show_keyboard_map(self) -> KeyboardMapDialog:
        from audit_app.ui.help_keys import KeyboardMapDialog, keyboard_map

        dialog = KeyboardMapDialog(keyboard_map(self, self.built_pages()), self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def built_pages(self) -> dict[str, QWidget]:
        """The pages built so far, by title (a page's keys exist once it is built)."""
        raise NotImplementedError

    def show_training(self) -> TrainingDialog | None:
        """Training needs a name (answers are the member's own): ask first if none is set."""
        from PySide6.QtCore import Qt  # not at import: the first paint goes without it

        from audit_app.ui.training_dialog import TrainingDialog

        name = self.reviewer_control.name
        if not name:
            asking = self.reviewer_control.ask()
            asking.accepted.connect(lambda: self.show_training()
                                    if self.reviewer_control.name else None)
            return None
        dialog = TrainingDialog(self.db, name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def show_meeting(self) -> MeetingWindow | None:
        from PySide6.QtCore import Qt

        from audit_app.ui.meeting.window import MeetingWindow

        if self.audit_id is None:
            return None
        window = MeetingWindow(self.db, self.audit_id, self.reviewer_control.name, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.show()
        return window

    def show_about(self) -> AboutDialog:
        from audit_app.ui.about import show_about

        return show_about(self, self.show_guide)

    def show_retention(self) -> RetentionDialog | None:
        from audit_app.ui.retention_dialog import RetentionDialog

        if self.audit_id is None:
            return None
        dialog = RetentionDialog(self.db, self.audit_id, self)  # its ChangeOps tell the pages
        dialog.open()
        return dialog

    def backup_settings(self) -> None:
        from audit_app.ui import panel_work

        panel_work.BackupSettingsDialog(self).open()

    def edit_frameworks(self) -> None:
        from audit_app.ui.framework_editor import FrameworkEditorDialog

        FrameworkEditorDialog(self.db, self, audit_id=self.audit_id).open()
