"""The review screen: sampled cases, the case's details, its criteria and the conclusion.

Panel members spend hours here, so it is keyboard-first: number keys answer the current criterion
and move on, Enter opens the note, Ctrl+Enter marks the case complete, Ctrl+Up/Down or
PgUp/PgDn change case, Ctrl+Z / Ctrl+Shift+Z undo and redo. Every edit is saved at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import Answer, ReviewStatus
from audit_app.core.audit_rows import ReviewView
from audit_app.services import audits, frameworks, sampling, scoring
from audit_app.services.audits import AuditStanding
from audit_app.services.database import Database
from audit_app.services.sampling import SampleRow
from audit_app.services.scoring import ProgressRow
from audit_app.ui.errors import report_error
from audit_app.ui.operations import CoalescingQuery, QueryOp
from audit_app.ui.pages.standing_notice import StandingNotice
from audit_app.ui.review.case_details_panel import CaseDetailsPanel
from audit_app.ui.review.case_header import CaseHeader, no_cases_message
from audit_app.ui.review.case_list import CaseListPane, case_entries
from audit_app.ui.review.case_loader import KeyHold, OpenedCase, read_case
from audit_app.ui.review.change_log_view import ChangeLogView
from audit_app.ui.review.checks_line import ChecksLine
from audit_app.ui.review.completion import CaseCompletion, show_completion_state
from audit_app.ui.review.conclusion_panel import ConclusionPanel
from audit_app.ui.review.criteria_panel import CriteriaPanel
from audit_app.ui.review.declared_notice import DeclaredNotice
from audit_app.ui.review.details_placement import DetailsPlacement
from audit_app.ui.review.edits_shown import EditsShown
from audit_app.ui.review.moderation_panel import ModerationPanel
from audit_app.ui.review.scoring_session import ScoringSession
from audit_app.ui.review.style import PAGE_STYLE, scaled_font
from audit_app.ui.theme import themed


class ReviewPage(QWidget):
    """Scoring one case at a time as one named reviewer (set_reviewer), blind to others."""

    case_shown = Signal(int)  # a case's reads arrived and it is on screen, ready to score

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id: int | None = None
        self.case_id: int | None = None
        self.reviewer = ""
        self.standing: AuditStanding | None = None
        self.answers: dict[str, tuple[Answer | None, str]] = {}
        self.review: ReviewView | None = None  # the open case's review, as shown
        self.loading: int | None = None  # the case being read in the background
        self._reads = 0  # counts case reads started, so that only the newest is shown
        self.session = ScoringSession(db, self)
        self.setObjectName("reviewPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(themed(PAGE_STYLE))
        self._build()
        self._add_shortcuts()
        self.key_hold = KeyHold(lambda: (self.criteria, self.conclusion), self)
        self.completion = CaseCompletion(self)
        self.edits_shown = EditsShown(self)  # what the session's saves show on this page
        # The sample and everyone's progress: over 16 ms at p95, so off the GUI thread.
        self._case_reads: CoalescingQuery[tuple[list[SampleRow], list[ProgressRow]]] = \
            CoalescingQuery(self, self._cases_arrived, lambda error: report_error(self, error))
        self._select_after: tuple[bool, int | None] = (False, None)

    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = CaseListPane()
        self.case_list, self.case_model = left.view, left.model
        left.case_chosen.connect(self._open_case)
        self.reviewer_label = left.reviewer_label

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(6, 12, 6, 12)
        self.header = CaseHeader()
        self.header.complete_requested.connect(self.mark_complete)
        centre_layout.addWidget(self.header)
        self.checks_line = ChecksLine(self.db)
        self.checks_line.own_initiator = self.session  # its saves reach the line directly
        centre_layout.addWidget(self.checks_line)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Case views")
        self.criteria = CriteriaPanel()
        self.conclusion = ConclusionPanel()
        self.criteria.answer_chosen.connect(self._answer_chosen)
        self.criteria.note_committed.connect(self._note_committed)
        self.criteria.reached_end.connect(self.conclusion.focus_first)
        self.conclusion.detail_edited.connect(self._detail_edited)
        self.change_log = ChangeLogView()
        self.moderation = ModerationPanel(self.db)
        self.tabs.addTab(self.criteria, "&Score")
        self.tabs.addTab(self.moderation, "&Moderation")
        self.tabs.addTab(self.change_log, "Change &log")
        self.tabs.currentChanged.connect(lambda _index: self._refresh_side_tabs())
        centre_layout.addWidget(self.tabs, 1)
        centre_layout.addStretch(0)  # takes the room only while the tabs are hidden (no case)
        keys = QLabel("Number keys answer · Enter note · F1 guidance · Ctrl+Enter complete · "
                      "PgUp/PgDn change case · Ctrl+Z undo · F8 next disagreement")
        keys.setObjectName("muted")
        keys.setFont(scaled_font(self, 0.9))
        keys.setWordWrap(True)
        keys.setAccessibleName("Keyboard shortcuts")
        centre_layout.addWidget(keys)

        self.details = CaseDetailsPanel()
        self.case_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for pane in (left, centre, self.details):
            splitter.addWidget(pane)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(1, 1)  # the side panes keep their widths
        splitter.setSizes([250, 760, 330])
        self.details_placement = DetailsPlacement(self, splitter, self.tabs, self.details, keys)
        self.notice = StandingNotice()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        notice_row = QHBoxLayout()
        notice_row.setContentsMargins(12, 10, 0, 0)
        notice_row.addWidget(self.notice)
        self.declared = DeclaredNotice()  # the reviewer declared an interest in this case
        notice_row.addWidget(self.declared)
        layout.addLayout(notice_row)
        layout.addWidget(splitter, 1)

    def _add_shortcuts(self) -> None:
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        undo = self.session.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        redo = self.session.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (undo, redo):
            action.setShortcutContext(context)
            self.addAction(action)
        self.undo_action, self.redo_action = undo, redo
        self.header.add_undo_buttons(undo, redo)
        self.session.undo_stack.indexChanged.connect(self._undo_state_changed)
        self.session.undo_stack.cleanChanged.connect(self._undo_state_changed)
        bindings = (("Ctrl+Return", self.mark_complete), ("Ctrl+Enter", self.mark_complete),
                    ("Ctrl+Down", self.next_case), ("PgDown", self.next_case),
                    ("Ctrl+Up", self.previous_case), ("PgUp", self.previous_case),
                    ("Ctrl+L", self.case_list.setFocus), ("F5", self.refresh),
                    ("Ctrl+G", lambda: self.criteria.focus_row(self.criteria.first_open_code())))
        self._shortcuts: list[QShortcut] = []
        for keys, slot in bindings:
            shortcut = QShortcut(QKeySequence(keys), self, context=context)
            shortcut.activated.connect(slot)
            self._shortcuts.append(shortcut)

    def _undo_state_changed(self, *_args: object) -> None:
        stack = self.session.undo_stack
        self.header.set_undo_state(stack.canUndo(), stack.undoText(), stack.canRedo(),
                                   stack.redoText())

    # --- interface for the main window ---------------------------------------------------

    def set_audit(self, audit_id: int) -> None:
        self._leave_case()
        self.session.wait_for_saves()  # the last case's scores land before another audit
        self.audit_id = audit_id
        self.session.start(audit_id=audit_id, reviewer=self.reviewer)
        audit = audits.get_audit(self.db, audit_id)
        framework = frameworks.get_framework(self.db, audit.framework_key,
                                             version=audit.framework_version)
        self.criteria.set_framework(framework, self.conclusion)
        self.checks_line.set_framework(framework)
        self.checks_line.set_audit(audit_id)
        self._apply_standing()
        self.case_id = None
        self.key_hold.hold()  # keys wait for the first case (dropped if there is none)
        self._reload_cases(select_first=True)

    def set_reviewer(self, name: str) -> None:
        self._leave_case()
        self.reviewer = " ".join(name.split())
        self._show_reviewer()
        self.session.start(audit_id=self.audit_id, reviewer=self.reviewer)
        self.moderation.set_viewer(self.reviewer)
        self.refresh()

    def refresh(self) -> None:
        """F5: other members' progress (and the open tab) as the database has them now."""
        if self.audit_id is None:
            return
        self.session.wait_for_saves()  # the reads below show this member's last keys too
        self._apply_standing()  # someone may have closed or reopened the audit meanwhile
        self.checks_line.recompute()  # other laptops may have scored meanwhile
        current = self.case_id
        self._leave_case()  # keys pressed while the list is read still go to this case
        self._reload_cases(select_first=current is None, select=current)

    # --- open, closed or purged ---------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.standing is not None and not self.standing.is_open

    def _apply_standing(self) -> None:
        """Closed: every score stays readable but nothing can change; purged: nothing left."""
        assert self.audit_id is not None
        self.standing = audits.audit_standing(self.db, audit_id=self.audit_id)
        self.notice.show_standing(self.standing)
        read_only = self.read_only
        self._show_reviewer()
        self.session.set_read_only(read_only)
        self._undo_state_changed()
        self.criteria.set_read_only(read_only)
        self.conclusion.set_read_only(read_only)
        self.moderation.set_read_only(read_only)
        self.header.complete.setEnabled(bool(self.reviewer) and self.case_id is not None
                                        and not read_only)

    def _show_reviewer(self) -> None:
        doing = "Reading" if self.read_only else "Scoring"
        self.reviewer_label.setText(f"{doing} as {self.reviewer}" if self.reviewer
                                    else "Choose who is scoring")

    # --- cases ---------------------------------------------------------------------------

    @property
    def cases_loading(self) -> bool:
        """True while the case list (the sample and everyone's progress) is being read."""
        return self._case_reads.running

    def _reload_cases(self, *, select_first: bool, select: int | None = None) -> None:
        """Read the case list in the background; then open the first case or `select`."""
        db, audit_id = self.db, self.audit_id
        assert audit_id is not None
        self._select_after = (select_first, select)
        self._case_reads.request(lambda _: (sampling.get_sample(db, audit_id=audit_id),
                                            scoring.review_progress(db, audit_id=audit_id)))

    def _cases_arrived(self, read: tuple[list[SampleRow], list[ProgressRow]]) -> None:
        (select_first, select), (sample, progress) = self._select_after, read
        reopen = select is not None and self.case_id == select  # not if another was chosen
        if reopen:
            self.case_id = None  # reopened below: its answers as the database has them now
        self.case_model.set_entries(case_entries(sample, progress, reviewer=self.reviewer))
        if select_first and self.case_model.entries:
            self.select_case(self.case_model.entries[0].case_id)
        elif not self.case_model.entries:
            self.criteria.setEnabled(False)
            self.conclusion.setEnabled(False)
            self.header.complete.setEnabled(False)
            self.details.show_case(None)
            self.moderation.clear()
            self.change_log.forget()
            self.header.clear()
            self.checks_line.clear()
            self.header.show_message(no_cases_message(self.standing, read_only=self.read_only))
        # The last case's answers must not linger when there is no case (or none left).
        self.tabs.setVisible(bool(self.case_model.entries))
        if reopen and select is not None:
            self.select_case(select)
        if not self.case_model.entries or self.case_id is None:
            self.key_hold.drop()  # no case opened: keys held for one have nowhere to go

    def select_case(self, case_id: int) -> None:
        row = self.case_model.row_of(case_id)
        if row >= 0:
            self.case_list.setCurrentIndex(self.case_model.index(row, 0))
            if self.case_id != case_id:  # selection unchanged but the case was not open
                self._open_case(case_id)

    def next_case(self) -> None:
        self._step_case(1)

    def previous_case(self) -> None:
        self._step_case(-1)

    def _step_case(self, step: int) -> None:
        row = self.case_model.row_of(self.case_id) if self.case_id is not None else -1
        target = row + step
        if 0 <= target < len(self.case_model.entries):
            self.select_case(self.case_model.entries[target].case_id)

    def finish_edits(self) -> None:
        """Before the window closes: text still waiting for its pause is saved, and every
        queued save lands."""
        self._leave_case()
        self.session.wait_for_saves()

    def _leave_case(self) -> None:
        """Anything typed but still waiting for its pause is saved before the case changes."""
        if self.case_id is not None and self.criteria.current_code in self.criteria.rows:
            self.criteria.rows[self.criteria.current_code].commit_note()
        if self.case_id is not None:
            self.conclusion.commit_all()

    def _open_case(self, case_id: int | None) -> None:
        """Read the case in the background; keys pressed meanwhile wait for it (KeyHold)."""
        if case_id is None or self.audit_id is None or case_id == self.case_id:
            return
        self._leave_case()
        self.case_id = case_id
        self.key_hold.hold()
        self.header.complete.setEnabled(False)
        self.declared.hide()
        self._read_case(case_id)

    def _read_case(self, case_id: int) -> None:
        """Only the newest read is shown: reads may finish out of order on the pool."""
        self.loading = case_id
        self._reads += 1
        read, db, audit_id, reviewer = self._reads, self.db, self.audit_id, self.reviewer
        assert audit_id is not None
        QueryOp(self, lambda _control: read_case(db, audit_id=audit_id, case_id=case_id,
                                                 reviewer=reviewer),
                lambda opened: self._show_case(read, opened)
                ).failure(lambda error: self._open_failed(read, error)).run()

    def _open_failed(self, read: int, error: BaseException) -> None:
        if read == self._reads and self.loading is not None:
            self.loading = None
            self.key_hold.drop()
            report_error(self, error)

    def _show_case(self, read: int, opened: OpenedCase) -> None:
        case, review = opened.case, opened.review
        if read != self._reads or self.loading is None or self.audit_id is None:
            return  # another case, audit or reviewer was chosen while this one was read
        audit_id = self.audit_id
        self.key_hold.stop()
        self.review = review
        self.answers = {code: (a.value, a.note) for code, a in review.answers.items()}
        self.criteria.show_case(case.fields, review.answers)
        self.conclusion.show_review(review)
        self.conclusion.record.show_case(self.db, audit_id, case.reference, review.review_id)
        self.conclusion.setEnabled(bool(self.reviewer))
        self.criteria.setEnabled(bool(self.reviewer))
        self.header.complete.setEnabled(bool(self.reviewer) and not self.read_only)
        self.declared.show_declared(opened.declared, (self.criteria, self.conclusion,
                                                      self.header.complete))
        self.details.show_case(case)
        entry_row = self.case_model.row_of(case.id)
        self.header.show_case(case, position=entry_row + 1, total=len(self.case_model.entries))
        self.checks_line.show_case(audit_id, case.id, self.reviewer)
        self.loading = None
        self._status_changed(review.status, urgent=review.urgent_safeguarding)
        if not self.reviewer and not self.read_only:
            self.header.show_message("Choose who is scoring before answering: each panel member "
                                     "scores as themselves.")
        self.criteria.focus_row(self.criteria.first_open_code())
        self.key_hold.release()
        self.case_shown.emit(case.id)

    def _refresh_side_tabs(self) -> None:
        """Only the visible tab is refreshed: scoring stays one short transaction per key."""
        if self.audit_id is None or self.case_id is None:
            return
        if self.tabs.currentWidget() is self.moderation:
            self.moderation.show_case(self.audit_id, self.case_id)
        if self.tabs.currentWidget() is self.change_log:
            self.change_log.show_case(self.db, self.audit_id, self.case_id, self.reviewer)

    # --- scoring -------------------------------------------------------------------------

    def _answer_chosen(self, code: str, answer: Answer | None) -> None:
        if self.case_id is None:
            return
        old = self.answers.get(code, (None, ""))
        note = self.criteria.rows[code].note.text()
        self.session.set_answer(self.case_id, code, old, (answer, note))

    def _note_committed(self, code: str, note: str) -> None:
        answer, old_note = self.answers.get(code, (None, ""))
        if self.case_id is not None and answer is not None:
            self.session.set_note(self.case_id, code, answer, old_note, note)

    def _detail_edited(self, field: str, old: object, new: object) -> None:
        if self.case_id is not None:
            self.session.set_detail(self.case_id, field, old, new)

    def _status_changed(self, status: ReviewStatus, urgent: bool | None = None) -> None:
        assert self.case_id is not None
        self.case_model.update_entry(self.case_id, status=status)
        show_completion_state(self.header.complete, status)
        applicable = self.criteria.applicable_codes()
        answered = sum(1 for code in applicable if self.answers.get(code, (None, ""))[0])
        self.header.show_progress(status, answered, len(applicable),
                                  self.conclusion.urgent.isChecked() if urgent is None else urgent)
        self._refresh_side_tabs()

    def mark_complete(self) -> None:
        """Ctrl+Enter: saved in the background (ui/review/completion.py)."""
        self.completion.request()
