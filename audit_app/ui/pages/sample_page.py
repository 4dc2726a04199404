"""The Sample page: the sample record, population vs sample per stratum, and the cases drawn."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.case_fields import describe_case_condition, field_in_sentence
from audit_app.core.sampling import ALLOCATION_LABELS, METHOD_LABELS
from audit_app.services.audits import AuditStanding
from audit_app.services.database import Database
from audit_app.services.field_values import count_condition, population_values
from audit_app.services.sampling import (
    SampleRow,
    SampleSummary,
    SampleVerification,
    draw_sample,
    preview_strata,
    replace_case,
    verify_sample,
)
from audit_app.services.scoring import ProgressRow
from audit_app.ui.errors import report_error
from audit_app.ui.models.row_table import RowTableModel
from audit_app.ui.operations import ChangeOp, Changes, CoalescingQuery, QueryOp, operation_signals
from audit_app.ui.pages.draw_sample_dialog import DrawSampleDialog
from audit_app.ui.pages.replace_confirm import confirm_new_draw, confirm_replacing
from audit_app.ui.pages.sample_view import (
    SAMPLE_COLUMNS,
    STRATA_COLUMNS,
    SampleView,
    read_sample_view,
)
from audit_app.ui.pages.standing_notice import StandingNotice
from audit_app.ui.pages.tables import make_table_view
from audit_app.ui.screen_fit import scrolling
from audit_app.ui.tasks import BackgroundTask
from audit_app.ui.wrapping_label import WrappingLabel

VERIFY_TIP = "Re-draw from the sample record and confirm it matches."

class SamplePage(QWidget):
    """Shows the current draw and draws a new one in the background.

    Everything shown is read in the background (`read_sample_view`), when the page is
    given an audit and whenever `changed` says its audit's cases, standing or scores moved
    (if hidden, when it is next shown)."""

    sample_drawn = Signal(object)  # SampleSummary
    replaced = Signal(object)  # the replacement SampleRow, or None when none was left
    verified = Signal(object)  # SampleVerification
    loaded = Signal()  # a read arrived and is shown

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._audit_id: int | None = None
        self.standing: AuditStanding | None = None
        self.summary: SampleSummary | None = None
        self._case_count = 0
        self._scored = False
        self._progress: tuple[ProgressRow, ...] = ()
        self._stale = False  # something it shows moved while it was hidden
        self._then: list[Callable[[], object]] = []  # to run once the next read is shown
        self._view: CoalescingQuery[tuple[int, SampleView]] = CoalescingQuery(
            self, self._arrived, self._failed)
        operation_signals().changed.connect(self._changed)
        self.last_task: BackgroundTask | None = None  # draw, replace or verify: for tests to wait on

        self.title = QLabel("Sample")
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("pageSubtitle")
        self.subtitle.setWordWrap(True)  # at 150% it wraps rather than run under the buttons
        self.draw_button = QPushButton("Draw sample…")
        self.draw_button.setObjectName("primaryButton")
        self.draw_button.setAccessibleName("Draw sample")
        self.draw_button.clicked.connect(self.open_draw_dialog)
        self.replace_button = QPushButton("Replace case…")
        self.replace_button.setAccessibleName("Replace the selected case")
        self.replace_button.setToolTip("A case that cannot be reviewed (file missing, sealed, out "
                                       "of scope) is replaced by the next case of its stratum.")
        self.replace_button.clicked.connect(self.replace_selected)
        self.verify_button = QPushButton("Verify draw")
        self.verify_button.setAccessibleName("Verify the draw")
        self.verify_button.setToolTip(VERIFY_TIP)
        self.verify_button.clicked.connect(self.verify)

        self.record_labels: dict[str, QLabel] = {}
        record_form = QFormLayout()
        for key, caption in (("method", "Method"), ("seed", "Seed"), ("population", "Population"),
                             ("filter", "Filter"), ("always", "Always included"),
                             ("excluded", "Excluded"), ("replaced", "Replacements"),
                             ("drawn", "Drawn"), ("fingerprint", "Fingerprint")):
            value = WrappingLabel("—")  # never a line cut off, whatever the theme and scale
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.record_labels[key] = value
            record_form.addRow(f"{caption}:", value)
        record_box = QGroupBox("Sample record")
        record_box.setLayout(record_form)

        self.strata_model: RowTableModel[tuple[str, int, int]] = RowTableModel(STRATA_COLUMNS, self)
        self.strata_table = make_table_view("Population and sample per stratum")
        self.strata_table.setModel(self.strata_model)
        strata_header = self.strata_table.horizontalHeader()
        strata_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        strata_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        strata_box = QGroupBox("Population vs sample per stratum")
        strata_layout = QVBoxLayout(strata_box)
        strata_layout.addWidget(self.strata_table)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(record_box)
        left_layout.addWidget(strata_box, 1)

        self.sample_model: RowTableModel[SampleRow] = RowTableModel(SAMPLE_COLUMNS, self)
        self.sample_table = make_table_view("Cases in the sample")
        self.sample_table.setObjectName("sampleTable")
        self.sample_table.setModel(self.sample_model)
        header = self.sample_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((44, 130, 160, 110, 250, 120)):
            self.sample_table.setColumnWidth(column, width)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scrolling(left))  # scrolls at 150% rather than squeezing the record
        splitter.addWidget(self.sample_table)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([360, 700])

        self.empty_hint = QLabel("No sample yet. Draw one once the population is imported.")
        self.empty_hint.setObjectName("hint")
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.splitter = splitter

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(12)
        top.addWidget(self.subtitle, 1)  # the spare room: it wraps only when short of it
        top.addWidget(self.verify_button)
        top.addWidget(self.replace_button)
        top.addWidget(self.draw_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(top)
        self.notice = StandingNotice()
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.empty_hint)
        self._show(None, [])

    def set_audit(self, audit_id: int | None) -> None:
        if audit_id != self._audit_id:  # nothing of the last audit stays while this one loads
            self._audit_id = audit_id
            self._view.discard()
            self.standing, self._scored, self._progress = None, False, ()
            self.notice.show_standing(None)
            self._show(None, [])
            self.empty_hint.setText("Reading the sample…")
        self.reload()

    @property
    def loading(self) -> bool:
        """True while the page's read is under way."""
        return self._view.running

    def reload(self) -> None:
        """Read the audit's sample in the background; the page follows when it arrives."""
        self._stale = False
        if self._audit_id is None:
            self._show(None, [])
            return
        db, audit_id = self._db, self._audit_id
        self._view.request(lambda _control: (audit_id, read_sample_view(db, audit_id)))

    def _arrived(self, found: tuple[int, SampleView]) -> None:
        audit_id, view = found
        if audit_id != self._audit_id:
            return
        self.standing, self._case_count, self._scored = view.standing, view.case_count, view.scored
        self._progress = view.progress
        self.notice.show_standing(view.standing)
        self._show(view.summary, view.rows)
        then, self._then = self._then, []
        for step in then:
            step()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self._then = []
        report_error(self, error)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """Its audit's cases or standing moved (a draw, an import, a close), or its scores
        (which decide whether a new draw asks first): read again now, or when next shown."""
        if changes.concerns(self._audit_id) and (changes.cases or changes.audits
                                                 or changes.answers or changes.verdicts):
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale and not event.spontaneous():
            self.reload()
        super().showEvent(event)

    def _show(self, summary: SampleSummary | None, rows: list[SampleRow]) -> None:
        self.summary = summary
        self.sample_model.set_rows(rows)
        self.splitter.setVisible(summary is not None)
        self.empty_hint.setVisible(summary is None)
        # A closed audit's sample is final; a purged one's cases are gone, so the record
        # stays for reference but the draw cannot be re-checked.
        writable = self.standing is not None and self.standing.is_open
        deleted = self.standing is not None and self.standing.case_data_deleted
        self.draw_button.setEnabled(self._audit_id is not None and writable)
        self.replace_button.setEnabled(summary is not None and writable)
        self.verify_button.setEnabled(summary is not None and not deleted)
        self.verify_button.setToolTip("The cases were deleted, so the draw cannot be re-checked."
                                      if deleted else VERIFY_TIP)
        self.empty_hint.setText("No sample yet. Draw one once the population is imported."
                                if writable or self.standing is None
                                else "No sample was drawn before this audit was closed.")
        if summary is None:
            self.subtitle.setText("")
            self.strata_model.set_rows([])
            return
        self.subtitle.setText(
            f"{summary.size} cases were drawn from {summary.population_size:,}; they were "
            "deleted with the case data" if deleted
            else f"{summary.size} cases drawn from {summary.population_size:,}")
        method = METHOD_LABELS.get(summary.method, summary.method)  # type: ignore[call-overload]
        if summary.strata_fields:
            allocation = ALLOCATION_LABELS.get(summary.allocation, summary.allocation)  # type: ignore[call-overload]
            method += (f" by {', '.join(field_in_sentence(key) for key in summary.strata_fields)}"
                       f" ({allocation.lower()})")
        self.record_labels["method"].setText(method)
        self.record_labels["seed"].setText(str(summary.seed))
        self.record_labels["population"].setText(f"{summary.population_size:,} cases in scope")
        self.record_labels["filter"].setText(describe_case_condition(summary.where)
                                             or "None (all cases)")
        self.record_labels["always"].setText(describe_case_condition(summary.include_always)
                                             or "None")
        self.record_labels["excluded"].setText(
            f"{summary.excluded_reviewed:,} reviewed in earlier audits"
            if summary.exclude_reviewed else "None")
        self.record_labels["replaced"].setText(
            "; ".join(f"{r.original_reference} → {r.replacement_reference or 'none left'} "
                      f"({r.reason})" for r in summary.replacements) or "None")
        self.record_labels["drawn"].setText(
            f"{summary.drawn_at.strftime('%d/%m/%Y %H:%M')} by {summary.drawn_by}")
        self.record_labels["fingerprint"].setText(summary.fingerprint[:16])
        self.record_labels["fingerprint"].setToolTip(summary.fingerprint)
        self.strata_model.set_rows(list(summary.strata))

    # --- drawing --------------------------------------------------------------------

    def open_draw_dialog(self) -> DrawSampleDialog | None:
        """Ask for the parameters (warning first if scores exist), then draw in the background."""
        if self._audit_id is None or not self.draw_button.isEnabled():
            return None
        if self.summary is not None and self._scored and not confirm_new_draw(self):
            return None
        audit_id = self._audit_id
        dialog = DrawSampleDialog(
            self._case_count, self,
            preview=lambda request, cancelled: preview_strata(
                self._db, audit_id=audit_id, size=request.size,
                strata_fields=request.strata_fields if request.method == "stratified" else (),
                allocation=request.allocation, where=request.where,
                include_always=request.include_always,
                exclude_reviewed=request.exclude_reviewed, cancelled=cancelled),
            field_values=lambda field, _cancelled: population_values(
                self._db, audit_id=audit_id, field=field),
            count_matching=lambda condition, cancelled: count_condition(
                self._db, audit_id=audit_id, condition=condition, cancelled=cancelled))
        dialog.setObjectName("drawSampleDialog")
        dialog.accepted.connect(lambda: self._draw(dialog))
        dialog.open()
        return dialog

    def _draw(self, dialog: DrawSampleDialog) -> None:
        request = dialog.request
        audit_id = self._audit_id
        if request is None or audit_id is None:
            return
        db = self._db
        self.last_task = ChangeOp(
            self, lambda control: draw_sample(
                db, audit_id=audit_id, size=request.size, method=request.method,
                strata_fields=request.strata_fields, seed=request.seed,
                allocation=request.allocation, where=request.where,
                include_always=request.include_always,
                exclude_reviewed=request.exclude_reviewed,
                progress=control.progress, cancelled=control.cancelled),
            Changes(audit_id=audit_id, cases=True)).success(self._drawn).with_progress(
            "Drawing sample", "Drawing the sample…").run()

    # --- replacing and verifying ------------------------------------------------------

    def selected_row(self) -> SampleRow | None:
        index = self.sample_table.currentIndex()  # the view shows the model unsorted
        if not index.isValid() or not 0 <= index.row() < self.sample_model.rowCount():
            return None
        return self.sample_model.row_at(index.row())

    def replace_selected(self, reason: str | None = None) -> BackgroundTask | None:
        """Replace the selected case; the next case of its stratum is found in the background
        (it re-reads the whole population) and `replaced` reports it."""
        row = self.selected_row()
        audit_id = self._audit_id
        if audit_id is None or row is None:
            QMessageBox.information(self, "Replace case", "Select the case to replace first.")
            return None
        if row.status == "replaced":
            QMessageBox.information(self, "Replace case",
                                    f"{row.case.reference} has already been replaced.")
            return None
        reviews = [r for r in self._progress if r.case_id == row.case.id]  # as last read
        if not confirm_replacing(self, row.case.reference, reviews):
            return None
        if reason is None:
            reason, ok = QInputDialog.getText(
                self, "Replace case", f"Why can {row.case.reference} not be reviewed?\n"
                "(e.g. file missing, sealed by the court, out of scope)")
            if not ok:
                return None
        reference, why = row.case.reference, reason

        def shown(result: object) -> None:
            self.sample_drawn.emit(self.summary)
            if result is None:
                QMessageBox.information(self, "Replace case",
                                        f"{reference} is marked replaced; its stratum has "
                                        "no case left to take its place.")
            self.replaced.emit(result)

        def done(result: object) -> None:
            self._then.append(lambda: shown(result))
            self.reload()

        db = self._db
        self.last_task = ChangeOp(
            self, lambda control: replace_case(
                db, audit_id=audit_id, reference=reference, reason=why,
                progress=control.progress, cancelled=control.cancelled),
            Changes(audit_id=audit_id, cases=True)).success(done).with_progress(
            "Replacing a case", f"Finding the next case of {reference}'s stratum…").run()
        return self.last_task

    def verify(self) -> BackgroundTask | None:
        """Re-draw from the stored record in the background; `verified` reports the answer."""
        audit_id = self._audit_id
        if audit_id is None:
            return None

        def done(result: object) -> None:
            assert isinstance(result, SampleVerification)
            text = "\n\n".join(result.messages)
            if result.ok:
                QMessageBox.information(self, "Draw verified", text)
            else:
                QMessageBox.warning(self, "The draw does not match", text)
            self.verified.emit(result)

        db = self._db
        self.last_task = QueryOp(
            self, lambda control: verify_sample(db, audit_id=audit_id, progress=control.progress,
                                                cancelled=control.cancelled),
            done).with_progress("Verifying the draw", "Re-drawing the sample from its record…").run()
        return self.last_task

    def _drawn(self, summary: object) -> None:
        self._then.append(lambda: self.sample_drawn.emit(summary))
        self.reload()
