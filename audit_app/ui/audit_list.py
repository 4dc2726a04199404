"""The left-hand list of audits and the New audit dialog.

Light to import: the services behind the list (and so SQLAlchemy) load on first use, so
the app can show the list peeked at start-up before the database is open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.audit_summary import AuditSummary
from audit_app.core.statuses import AuditStatus

if TYPE_CHECKING:
    from audit_app.services.database import Database
    from audit_app.services.records import FrameworkSummary
    from audit_app.ui.operations import Changes, CoalescingQuery, TaskControl

AUDIT_ID_ROLE = 0x0101  # Qt.ItemDataRole.UserRole + 1, without building the `Qt` namespace
STANDING_WORDS: dict[str, str] = {AuditStatus.CLOSED: "Closed", AuditStatus.PURGED: "Case data deleted"}


def audit_caption(audit: AuditSummary) -> str:
    """Three lines: the name, where it stands (unless open) and the framework, the counts."""
    counts = [f"{audit.case_count:,} cases"]
    if audit.sample_size:
        counts.append(f"sample {audit.sample_size}")
    if audit.reviews_total:
        counts.append(f"{audit.reviews_complete}/{audit.reviews_total} reviews done")
    standing = STANDING_WORDS.get(audit.status)
    framework = f"{audit.framework_title} v{audit.framework_version}"
    return (f"{audit.name}\n{f'{standing} · ' if standing else ''}{framework}\n"
            f"{' · '.join(counts)}")


class NewAuditDialog(QDialog):
    """Name the audit and choose its framework; creates it on OK."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        # Imported here, as the list's module is part of the app's first paint.
        from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QFormLayout, QLineEdit

        from audit_app.services.frameworks import list_frameworks

        super().__init__(parent)
        self._db = db
        self.created: AuditSummary | None = None
        self._creating = False
        self.setWindowTitle("New audit")
        self.setMinimumWidth(460)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. DA NFA review Q3 2026")
        self.name_edit.setAccessibleName("Audit name")
        self.framework_combo = QComboBox()
        self.framework_combo.setAccessibleName("Criteria framework")
        # Each framework's newest version first, in the list's own order (so the first
        # framework's newest is the default), earlier versions after them, newest first.
        summaries = list_frameworks(db)
        newest = {f.key: max(g.version for g in summaries if g.key == f.key) for f in summaries}

        def place(framework: FrameworkSummary) -> tuple[bool, int]:
            older = framework.version != newest[framework.key]
            return older, -framework.version if older else 0

        for framework in sorted(summaries, key=place):
            self.framework_combo.addItem(f"{framework.title} (v{framework.version}, "
                                         f"{framework.criterion_count} criteria)",
                                         f"{framework.key}@{framework.version}")
        self.description_edit = QLineEdit()
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setPlaceholderText("Optional")
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Framework:", self.framework_combo)
        form.addRow("&Description:", self.description_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Create audit")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update_ok()

    def _update_ok(self) -> None:
        ready = (bool(self.name_edit.text().strip()) and self.framework_combo.count() > 0
                 and not self.creating)
        self.ok_button.setEnabled(ready)

    @property
    def creating(self) -> bool:
        """True while the audit is being created in the background (the dialog stays open)."""
        return self._creating

    def _set_creating(self, creating: bool) -> None:
        self._creating = creating
        self.ok_button.setText("Creating…" if creating else "Create audit")
        for edit in (self.name_edit, self.framework_combo, self.description_edit):
            edit.setEnabled(not creating)
        self._update_ok()

    def accept(self) -> None:
        """Create the audit off the GUI thread; the dialog closes once it exists, or stays
        open saying why not."""
        from audit_app.services.audits import create_audit
        from audit_app.ui.operations import ChangeOp, Changes

        if self.creating:
            return
        db, name = self._db, self.name_edit.text()
        framework = str(self.framework_combo.currentData())
        description = self.description_edit.text().strip()
        self._set_creating(True)
        ChangeOp(self, lambda _: create_audit(db, name=name, framework=framework,
                                              description=description),
                 lambda audit: Changes(audit_id=audit.id, audits=True)
                 ).success(self._created).failure(self._refused).run()

    def _created(self, audit: AuditSummary) -> None:
        self.created = audit
        self._set_creating(False)
        super().accept()

    def _refused(self, error: BaseException) -> None:
        self._set_creating(False)
        from audit_app.ui.errors import report_error

        report_error(self, error)  # plain words for a UserError


class AuditListPanel(QWidget):
    """Audits, newest first; selecting one opens it in the workspace.

    `AuditListPanel()` is the list peeked at start-up (`show_audits`), disabled until
    `set_database` gives it the open database."""

    audit_selected = Signal(int)
    new_audit_requested = Signal()

    def __init__(self, db: Database | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.setObjectName("auditListPanel")
        title = QLabel("Audits")
        title.setObjectName("panelTitle")
        self.list_widget = QListWidget()
        self.list_widget.setObjectName("auditList")
        self.list_widget.setAccessibleName("Audits")
        # Three fixed lines per audit, long names elided (the tooltip has them in full).
        # Enum properties by name: the list is in the first paint, which needs no `Qt`
        # namespace (PySide builds all its 93 enums at its first use; ui/app.py).
        self.list_widget.setWordWrap(False)
        self.list_widget.setProperty("textElideMode", "ElideRight")
        self.list_widget.setSpacing(2)
        self.list_widget.setProperty("horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        self.list_widget.currentItemChanged.connect(self._selection_changed)
        self.new_button = QPushButton("New audit…")
        self.new_button.setAccessibleName("New audit")
        self.new_button.clicked.connect(self.new_audit_requested)
        self.empty_hint = QLabel("No audits yet.\nCreate one to import a population.")
        self.empty_hint.setObjectName("hint")
        self.empty_hint.setProperty("alignment", "AlignCenter")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 6, 10)
        layout.addWidget(title)
        layout.addWidget(self.list_widget, 1)
        layout.addWidget(self.empty_hint, 1)
        layout.addWidget(self.new_button)
        self._stale = False  # counts moved while hidden: reload when next shown
        self._then: list[Callable[[], object]] = []  # to run once the newest read shows
        # Made with the database: a peeked list (the first paint) needs neither.
        self._reads: CoalescingQuery[list[AuditSummary]] | None = None
        self.setEnabled(False)  # a peeked list is to look at, not to choose from
        if db is not None:
            self.set_database(db)

    def set_database(self, db: Database) -> None:
        """The database is open: the list may be chosen from (`refresh` reloads it), and
        it follows changes."""
        from audit_app.ui.operations import CoalescingQuery, operation_signals

        self._db = db
        if self._reads is None:
            self._reads = CoalescingQuery(self, self._arrived, self._read_failed)
            operation_signals().changed.connect(self._changed)
        self.setEnabled(True)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """A review completed or reopened moves the counts; new or closed audits reach the
        list through the window, which re-opens the audit."""
        if not changes.verdicts or self._db is None:
            return
        if self.isVisible():
            self.refresh_in_background()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale and self._db is not None:
            self._stale = False
            self.refresh_in_background()
        super().showEvent(event)

    def read_now(self) -> None:
        """Reload names and counts on the GUI thread: only before the window's first paint
        (`MainWindow(db)`); 20-40 ms on a 3,000-case demo on a busy machine
        (benchmarks/gui_thread_reads.py), so everything after uses `refresh`."""
        from audit_app.services.audits import list_audits

        assert self._db is not None, "the list reloads only from an open database"
        assert self._reads is not None
        self._reads.discard()  # a background read started earlier would be older
        self.show_audits(list_audits(self._db))

    def refresh(self, then: Callable[[], object] | None = None) -> None:
        """Reload names and counts off the GUI thread, keeping the selection; `then` runs
        once the list shows them (a new audit or an opened package to select, the last
        audit to reopen at start-up). Whatever the list shows meanwhile (the list peeked at
        start-up) stays until they arrive."""
        if then is not None:
            self._then.append(then)
        self.refresh_in_background()

    def after_refresh(self, then: Callable[[], object]) -> None:
        """Run `then` once the refresh under way has shown its list (at once if none is)."""
        if self.refreshing:
            self._then.append(then)
        else:
            then()

    def _arrived(self, audits: list[AuditSummary]) -> None:
        self.show_audits(audits)
        waiting, self._then = self._then, []
        for then in waiting:
            then()

    def _read_failed(self, error: BaseException) -> None:
        from audit_app.ui.errors import report_error

        self._then = []  # nothing to select in a list that could not be read
        report_error(self, error)

    @property
    def refreshing(self) -> bool:
        """True while a background refresh is under way."""
        return self._reads is not None and self._reads.running

    def refresh_in_background(self) -> None:
        """Reload names and counts off the GUI thread; the list follows when they arrive
        (after a review is completed elsewhere, an import, a draw, a close, F5, or as the
        pages are switched)."""
        from audit_app.services.audits import list_audits

        db, reads = self._db, self._reads
        assert db is not None and reads is not None, "the list reloads only from an open database"

        def read(_control: TaskControl) -> list[AuditSummary]:
            return list_audits(db)

        reads.request(read)

    def show_audits(self, audits: Iterable[AuditSummary]) -> None:
        """Show these audits, keeping the selection; emits nothing."""
        keep = self.current_audit_id()
        self.list_widget.blockSignals(True)
        self.list_widget.clear()
        for audit in audits:
            item = QListWidgetItem(audit_caption(audit))
            item.setData(AUDIT_ID_ROLE, audit.id)
            item.setToolTip(audit.description or audit.name)
            self.list_widget.addItem(item)
            if audit.id == keep:
                self.list_widget.setCurrentItem(item)
        self.list_widget.blockSignals(False)
        self.empty_hint.setVisible(self.list_widget.count() == 0)
        self.list_widget.setVisible(self.list_widget.count() > 0)

    def current_audit_id(self) -> int | None:
        item = self.list_widget.currentItem()
        return int(item.data(AUDIT_ID_ROLE)) if item is not None else None

    def select_audit(self, audit_id: int) -> bool:
        """Select (and so open) an audit; False if it is not in the list."""
        for row in range(self.list_widget.count()):
            item = self.list_widget.item(row)
            if item.data(AUDIT_ID_ROLE) == audit_id:
                self.list_widget.setCurrentItem(item)
                return True
        return False

    def _selection_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.audit_selected.emit(int(current.data(AUDIT_ID_ROLE)))
