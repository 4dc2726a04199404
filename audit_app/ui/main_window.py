"""The main window: audits on the left, the open audit's pages on the right, menus and status.

At start the window is shown before the database is open (`MainWindow()`, then
`attach_database`), so the user sees it at once, with the audit list peeked at
(`show_peeked_audits`) as soon as it can be read; each page is built the first time it is
shown (`LazyPages`), and a page's module is imported only then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMenuBar,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from audit_app import APP_NAME
from audit_app.core.errors import UserError
from audit_app.ui import settings
from audit_app.ui.screen_fit import (
    MAIN_WINDOW_SIZE,
    available_geometry,
    fit_to_screen,
    keep_on_screen,
    minimum_window_size,
)
from audit_app.ui.window_commands import WindowCommands
from audit_app.ui.workspace_pages import (
    FINDINGS,
    PAGE_PURPOSES,
    PAGE_TITLES,
    POPULATION,
    REVIEW,
    SAMPLE,
    LazyPages,
    sidebar_width,
)

if TYPE_CHECKING:
    from audit_app.services.database import Database
    from audit_app.services.records import AuditSummary
    from audit_app.ui.audit_list import AuditListPanel, NewAuditDialog
    from audit_app.ui.operations import Changes
    from audit_app.ui.pages.findings_page import FindingsPage
    from audit_app.ui.pages.population_page import PopulationPage
    from audit_app.ui.pages.review_host import ReviewHost
    from audit_app.ui.pages.sample_page import SamplePage
    from audit_app.ui.panel_work import PresenceLabel
    from audit_app.ui.reviewer_control import ReviewerControl

__all__ = ["FINDINGS", "POPULATION", "REVIEW", "SAMPLE", "MainWindow"]


class MainWindow(WindowCommands):
    """Thin: each page and dialog calls the services itself; the window routes between them.

    `MainWindow(db)` is ready at once, the last audit reopened; `MainWindow()` is the frame
    alone, shown while the database opens, and `attach_database` completes it; `first_paint=True`
    leaves the menus' commands and the tabs to `complete()`, once painted (ui/app.py)."""

    audit_list: AuditListPanel  # placed by `show_peeked_audits` or `attach_database`
    reviewer_control: ReviewerControl
    # Made when the first audit opens: its module (packages, backups) is not needed sooner.
    presence_label: PresenceLabel | None = None

    def __init__(self, db: Database | None = None, parent: QWidget | None = None, *,
                 first_paint: bool = False) -> None:
        super().__init__(parent)
        self._db: Database | None = None
        self.audit_id: int | None = None
        self.audit_is_open = False  # closed or purged audits take no imports or new packages
        self.setWindowTitle(APP_NAME)
        self.setMinimumSize(minimum_window_size(available_geometry(self)))

        self.no_audit_hint = QLabel("Opening the database…")
        self.no_audit_hint.setObjectName("hint")
        self.no_audit_hint.setProperty("alignment", "AlignCenter")  # by name: no `Qt` (ui/app.py)
        self.right = QStackedWidget()
        self.right.addWidget(self.no_audit_hint)

        self.splitter = QSplitter()  # side by side
        self.splitter.addWidget(QWidget())  # the audits list takes its place once the database is open
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([sidebar_width(self), 1066])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.database_label = QLabel("")
        self.database_label.setObjectName("statusText")
        self.statusBar().addWidget(self.database_label, 1)
        if first_paint:  # the menu bar's titles alone: commands and shortcuts in `complete`
            for title in ("&File", "&View", "&Help"):  # as `_build_menus` names them
                self.menuBar().addMenu(title)
        else:
            self.complete()
        self._restore_geometry()
        if db is not None:
            self.attach_database(db)

    def complete(self) -> None:
        """The pages' tabs, the menus with their shortcuts, and the one refresh path."""
        if hasattr(self, "tabs"):
            return  # complete already
        self.tabs = QTabWidget()
        self.tabs.setObjectName("workspaceTabs")
        self.tabs.setDocumentMode(True)
        self.pages = LazyPages(self.tabs, PAGE_TITLES, [self._make_population, self._make_sample,
                                                        self._make_review, self._make_findings],
                               self._page_built, PAGE_PURPOSES)
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
        self.right.addWidget(workspace)

        if self.menuBar().actions():
            self.setMenuBar(QMenuBar())  # the first paint's titles make way for the menus
        self._build_menus()
        for action in self.actions():
            action.setEnabled(self._db is not None)  # until the database is open
        from audit_app.ui.operations import operation_signals  # not for the first paint

        operation_signals().changed.connect(self._changed)  # the one refresh path

    @property
    def db(self) -> Database:
        assert self._db is not None, "the window's database is not open yet"
        return self._db

    def show_peeked_audits(self, audits: list[AuditSummary]) -> None:
        """The audit list read before the database opened: shown, but disabled until
        `attach_database` (which reloads it from the database)."""
        self._place_audit_list(None).show_audits(audits)

    def _place_audit_list(self, db: Database | None) -> AuditListPanel:
        """The audits list in the splitter's left place (made once: peeked or real)."""
        from audit_app.ui.audit_list import AuditListPanel

        if getattr(self, "audit_list", None) is not None:
            return self.audit_list
        self.audit_list = AuditListPanel(db)
        self.audit_list.setFixedWidth(sidebar_width(self))  # the same on every page
        self.audit_list.audit_selected.connect(self.open_audit)
        self.audit_list.new_audit_requested.connect(self.new_audit)
        placeholder = self.splitter.replaceWidget(0, self.audit_list)
        if placeholder is not None:
            placeholder.deleteLater()
        splitter = settings.SPLITTER_STATE.read()
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        return self.audit_list

    def attach_database(self, db: Database, *, reopen_last_audit: bool = True) -> None:
        """Complete the window on the open database: the audits list, reviewer and presence.

        With `reopen_last_audit` false the caller reopens it (`reopen_last_audit()`) once
        the window has been painted with the list."""
        from audit_app.ui.reviewer_control import ReviewerControl

        self.complete()
        self._db = db
        self._place_audit_list(db).set_database(db)
        self.no_audit_hint.setText("Choose an audit on the left, or create one with New audit (Ctrl+N).")

        self.reviewer_control = ReviewerControl(db)
        self.database_label.setText(f"Database: {db.display_name}")
        self.statusBar().addPermanentWidget(self.reviewer_control)
        self.reviewer_control.reviewer_changed.connect(self._reviewer_changed)
        for action in self.actions():
            action.setEnabled(True)
        self._update_actions()
        if self.isVisible():  # painted already: the list is read off the GUI thread
            self.audit_list.refresh(then=self.reopen_last_audit if reopen_last_audit else None)
            return
        self.audit_list.read_now()
        if reopen_last_audit:
            self.reopen_last_audit()

    def _reviewer_changed(self, name: str) -> None:
        if self.presence_label is not None:
            self.presence_label.watch(self.audit_id, name)

    # --- pages, each built on first need ---------------------------------------------

    def _make_population(self) -> QWidget:
        from audit_app.ui.pages.population_page import PopulationPage

        return PopulationPage(self.db)

    def _make_sample(self) -> QWidget:
        from audit_app.ui.pages.sample_page import SamplePage

        return SamplePage(self.db)

    def _make_review(self) -> QWidget:
        from audit_app.ui.pages.review_host import ReviewHost

        return ReviewHost(self.db)

    def _make_findings(self) -> QWidget:
        from audit_app.ui.pages.findings_page import FindingsPage

        return FindingsPage(self.db)

    def _page_built(self, index: int, page: QWidget) -> None:
        """Wire a new page to the window and bring it to the open audit."""
        if index == POPULATION:
            cast("PopulationPage", page).import_requested.connect(lambda: self.import_extract())
        elif index == REVIEW:
            host = cast("ReviewHost", page)
            self.reviewer_control.reviewer_changed.connect(host.set_reviewer)
            host.set_reviewer(self.reviewer_control.name)
        elif index == FINDINGS:
            cast("FindingsPage", page).export_requested.connect(self.export_workbook)
        if self.audit_id is not None:
            page.set_audit(self.audit_id)  # type: ignore[attr-defined]

    def built_pages(self) -> dict[str, QWidget]:
        """Every page by title, built now if an audit is open (for the keyboard map)."""
        if self.audit_id is not None:
            for index in range(len(PAGE_TITLES)):
                self.pages.page(index)
            self.review_host.ensure_page()  # the review screen inside its page, too
        return {PAGE_TITLES[index]: page for index, page in self.pages.built().items()}

    def show_findings_section(self, section: str) -> None:
        """View > Escalations, Actions register, Learning themes: that Findings tab."""
        if self.audit_id is not None:
            self.tabs.setCurrentIndex(FINDINGS)
            self.findings_page.show_section(section)

    @property
    def population_page(self) -> PopulationPage:
        return cast("PopulationPage", self.pages.page(POPULATION))

    @property
    def sample_page(self) -> SamplePage:
        return cast("SamplePage", self.pages.page(SAMPLE))

    @property
    def review_host(self) -> ReviewHost:
        return cast("ReviewHost", self.pages.page(REVIEW))

    @property
    def findings_page(self) -> FindingsPage:
        return cast("FindingsPage", self.pages.page(FINDINGS))

    # --- audits ---------------------------------------------------------------------

    def new_audit(self) -> NewAuditDialog:
        from audit_app.ui.audit_list import NewAuditDialog

        dialog = NewAuditDialog(self.db, self)
        dialog.setObjectName("newAuditDialog")
        dialog.accepted.connect(lambda: self._created(dialog))
        dialog.open()
        return dialog

    def _created(self, dialog: NewAuditDialog) -> None:
        created = dialog.created
        if created is not None:
            self.audit_list.refresh(then=lambda: self._show_created(created.id))

    def _show_created(self, audit_id: int) -> None:
        self.audit_list.select_audit(audit_id)
        self.tabs.setCurrentIndex(POPULATION)

    def open_audit(self, audit_id: int) -> None:
        from audit_app.services.audits import OPEN, get_audit
        from audit_app.ui import panel_work
        from audit_app.ui.errors import show_user_error

        try:
            audit = get_audit(self.db, audit_id)
        except UserError as error:
            show_user_error(self, error)
            return
        if audit_id != self.audit_id:
            panel_work.backup_on_open(self.db)  # a rotating copy each time an audit is opened
            presence = self.presence_label
            if presence is None:
                presence = self._add_presence_label(panel_work.PresenceLabel(self.db))
            presence.watch(audit_id, self.reviewer_control.name)
        self.audit_id = audit_id
        self.audit_is_open = audit.status == OPEN
        settings.LAST_AUDIT_ID.write(audit_id)
        self.audit_title.setText(audit.name)
        self.setWindowTitle(f"{audit.name} – {APP_NAME}")
        self.audit_subtitle.setText(f"{audit.framework_title} · version {audit.framework_version}")
        self.right.setCurrentIndex(1)
        self.pages.page(self.tabs.currentIndex())  # built now, brought to the audit as it is
        for page in self.pages.built().values():
            page.set_audit(audit_id)  # type: ignore[attr-defined]
        self._update_actions()
        if self.tabs.currentIndex() == REVIEW and self.audit_is_open:
            self.reviewer_control.ask_if_unset()  # first use: who is scoring?

    def _add_presence_label(self, label: PresenceLabel) -> PresenceLabel:
        """In the status bar left of the reviewer, as it stood when both were made at start."""
        self.presence_label = label
        bar = self.statusBar()
        bar.removeWidget(self.reviewer_control)
        bar.addPermanentWidget(label)
        bar.addPermanentWidget(self.reviewer_control)
        self.reviewer_control.show()  # removeWidget hid it
        return label

    def _audit_changed(self) -> None:
        """After an import, a draw or an edit: refresh counts and whichever page is showing."""
        self.audit_list.refresh_in_background()
        if self.audit_id is not None:
            self.open_audit(self.audit_id)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """An audit's standing or cases moved: re-open it (title, menus, pages); the list
        and every page decide for themselves about anything else."""
        if self._db is not None and changes.concerns(self.audit_id) and (changes.audits or changes.cases):
            self._audit_changed()
        if self._db is not None:
            self.reviewer_control.ask_if_unset()  # first use: a change was made, by whom?

    def _page_changed(self, index: int) -> None:
        if self._db is None:
            return
        settings.LAST_PAGE.write(index)
        # Scoring needs the width: the audits list steps aside on the Review page.
        self.audit_list.setVisible(index != REVIEW or self.show_audits_action.isChecked())
        if self.audit_id is not None:
            self.pages.page(index)  # built on its first showing
            self.audit_list.refresh_in_background()  # review counts move on while scoring
            if index == REVIEW and self.audit_is_open:
                self.reviewer_control.ask_if_unset()  # first use: who is scoring?

    # --- window state ---------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = settings.WINDOW_GEOMETRY.read()
        if not geometry.isEmpty() and self.restoreGeometry(geometry):
            fit_to_screen(self)  # the screen may be smaller than when it was saved
        else:
            area = available_geometry(self)
            size = fit_to_screen(self, MAIN_WINDOW_SIZE)
            self.move(area.x() + (area.width() - size.width()) // 2,
                      area.y() + (area.height() - size.height()) // 2)

    def showEvent(self, event: QShowEvent) -> None:
        # The title bar's height is known only now: the whole frame goes within the screen.
        if not event.spontaneous():
            keep_on_screen(self)
        super().showEvent(event)

    def reopen_last_audit(self) -> None:
        """Open the audit that was open last (else the first listed) on the page last shown."""
        if self.audit_list.refreshing and not self.audit_list.list_widget.count():
            self.audit_list.after_refresh(self.reopen_last_audit)  # nothing peeked: wait
            return
        if not self.audit_list.list_widget.count():
            self.tabs.setCurrentIndex(POPULATION)
            return
        self.tabs.setCurrentIndex(settings.LAST_PAGE.read())  # first: only this page is built
        last = settings.LAST_AUDIT_ID.read()
        if not (last and self.audit_list.select_audit(last)):
            self.audit_list.list_widget.setCurrentRow(0)

    def closeEvent(self, event: QCloseEvent) -> None:
        review = getattr(self.pages.built().get(REVIEW), "review_page", None)
        if review is not None:
            review.finish_edits()  # a note still waiting for its pause is saved too
        from audit_app.ui.operations import write_queue

        write_queue().drain()  # the last key presses land before the window goes
        settings.WINDOW_GEOMETRY.write(self.saveGeometry())
        if self._db is not None:
            if self.presence_label is not None:
                self.presence_label.stop()
            settings.SPLITTER_STATE.write(self.splitter.saveState())
        super().closeEvent(event)
