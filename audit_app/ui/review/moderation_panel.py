"""Moderation: the members' answers side by side, and the panel's agreed answers.

A member sees the comparison only once their own review of the case is complete, or the
chair has revealed the case; until then the panel says how many others have scored and
nothing more. Only the chair records agreed answers and the agreed verdict (with a
rationale); members' own answers are never changed here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import Answer, Verdict
from audit_app.core.errors import UserError
from audit_app.core.wording import plural
from audit_app.services import moderation, scoring
from audit_app.services.database import Database
from audit_app.services.moderation import BlindingState, CaseComparison
from audit_app.ui.errors import report_error
from audit_app.ui.operations import ChangeOp, Changes, QueryOp
from audit_app.ui.review.moderation_table import (
    CODE_ROLE,
    DISAGREE_BACKGROUND,
    ModerationTable,
    RationaleEdit,
)
from audit_app.ui.review.style import scaled_font
from audit_app.ui.theme import themed

__all__ = ["CODE_ROLE", "DISAGREE_BACKGROUND", "ModerationPanel"]
MINIMUM_HEIGHT = 320  # a few rows of the table and the agreed answer below them


def _read_moderation(db: Database, audit_id: int, case_id: int,
                     viewer: str) -> tuple[BlindingState, CaseComparison | None]:
    """On the thread pool: the comparison is read only if the viewer may see it."""
    state = moderation.blinding_state(db, audit_id=audit_id, case_id=case_id, viewer=viewer)
    if not state.can_see_others:
        return state, None
    return state, moderation.comparison(db, audit_id=audit_id, case_id=case_id)


class ModerationPanel(QWidget):
    """For one case: comparison table, then the chair's agreed answer and verdict."""


    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.audit_id: int | None = None
        self.case_id: int | None = None
        self.viewer = ""
        self.is_chair = False
        self.read_only = False  # the audit is closed: the comparison shows, nothing is recorded
        self.current: CaseComparison | None = None
        self._saving = False  # a decision is being saved in the background
        self._reads = self._shown = 0  # moderation reads started, and the newest one shown
        # On a short screen (150% scaling) the tab scrolls rather than crushing the table.
        body = QWidget()
        page = QScrollArea()
        page.setWidgetResizable(True)
        page.setFrameShape(QFrame.Shape.NoFrame)
        page.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(page)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 8, 4, 4)
        top = QHBoxLayout()
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setAccessibleName("Blinding")
        self.reveal = QPushButton("&Reveal to the panel")
        self.reveal.setAccessibleName("Reveal every member's scores for this case")
        self.reveal.clicked.connect(self._reveal)
        top.addWidget(self.state, 1)
        top.addWidget(self.reveal)
        layout.addLayout(top)
        self.table = ModerationTable()
        self.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move in the table
        self.table.currentCellChanged.connect(lambda row, *_: self._criterion_selected(row))
        self.table.installEventFilter(self)
        # The table above, the agreed answer below: the chair shares the height out.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        editor_scroll = QScrollArea()
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        editor_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        editor_scroll.setWidget(self._build_editor())
        self.editor_scroll = editor_scroll
        self.splitter.addWidget(editor_scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setMinimumHeight(MINIMUM_HEIGHT)
        layout.addWidget(self.splitter, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Moderation message")
        layout.addWidget(self.message)
        next_disagreement = QShortcut(QKeySequence("F8"), self,
                                      context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        next_disagreement.activated.connect(self.next_disagreement)

    def _build_editor(self) -> QWidget:
        editor = QWidget()
        grid = QVBoxLayout(editor)
        grid.setContentsMargins(0, 6, 0, 0)
        self.editor_title = QLabel("Agreed answer")
        self.editor_title.setFont(scaled_font(self, 1.05, bold=True))
        self.editor_title.setWordWrap(True)
        grid.addWidget(self.editor_title)
        self.member_notes = QLabel()
        self.member_notes.setWordWrap(True)
        self.member_notes.setTextFormat(Qt.TextFormat.PlainText)
        self.member_notes.setAccessibleName("Members' answers and notes on this criterion")
        self.member_notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(self.member_notes)
        row = QHBoxLayout()
        self.agreed = QComboBox()
        self.agreed.setAccessibleName("Agreed answer")
        self.agreed.addItem("No agreed answer", None)
        for answer in Answer:
            self.agreed.addItem(f"{answer.shortcut}  {answer.label}", answer)
        self.agreed_rationale = RationaleEdit(
            "Why the panel agreed this (needed where members differ; Enter records it, "
            "Shift+Enter starts a new line)", "Rationale for the agreed answer")
        self.agreed_rationale.returnPressed.connect(self.record_answer)
        self.record = QPushButton("Record &agreed answer")
        self.record.setToolTip("F8 jumps to the next disagreement")
        self.record.clicked.connect(self.record_answer)
        row.addWidget(self.agreed, 1)
        row.addWidget(self.record)
        grid.addLayout(row)
        grid.addWidget(self.agreed_rationale)
        verdict_row = QHBoxLayout()
        self.verdicts = QLabel()
        self.verdicts.setObjectName("muted")
        self.verdicts.setWordWrap(True)
        grid.addWidget(self.verdicts)
        self.verdict = QComboBox()
        self.verdict.setAccessibleName("Agreed verdict")
        self.verdict.addItem("Choose the agreed verdict…", None)
        for verdict in Verdict:
            self.verdict.addItem(verdict.label, verdict)
        self.verdict_rationale = RationaleEdit(
            "The panel's rationale for its verdict", "Rationale for the agreed verdict")
        self.verdict_rationale.returnPressed.connect(self.record_verdict)
        self.record_verdict_button = QPushButton("Record agreed &verdict")
        self.record_verdict_button.clicked.connect(self.record_verdict)
        verdict_row.addWidget(self.verdict, 1)
        verdict_row.addWidget(self.record_verdict_button)
        grid.addLayout(verdict_row)
        grid.addWidget(self.verdict_rationale)
        grid.addStretch(1)
        self.editor = editor
        return editor

    # --- loading -------------------------------------------------------------------------

    def set_viewer(self, name: str) -> None:
        self.viewer = " ".join(name.split())
        self.is_chair = any(r.name == self.viewer and r.is_chair
                            for r in scoring.list_reviewers(self.db))

    def set_read_only(self, read_only: bool) -> None:
        """Takes effect when a case is next shown (the review page shows it again)."""
        self.read_only = read_only

    def clear(self) -> None:
        """No case to show (none sampled, or the case data was deleted)."""
        self.audit_id = self.case_id = self.current = None
        self.table.clear_rows()
        self.editor.setVisible(False)
        self.reveal.setVisible(False)
        self.state.setText("")
        self.message.clear()

    @property
    def can_moderate(self) -> bool:
        return self.is_chair and not self.read_only

    def show_case(self, audit_id: int, case_id: int) -> None:
        self.audit_id, self.case_id = audit_id, case_id
        self.message.clear()
        self.refresh()

    @property
    def loading(self) -> bool:
        """A read of the case's moderation is still running in the background."""
        return self._shown != self._reads

    def refresh(self) -> None:
        """Read the blinding and the comparison in the background; show them when they come."""
        if self.audit_id is None or self.case_id is None:
            return
        self._reads += 1
        read, db, viewer = self._reads, self.db, self.viewer or "-"
        audit_id, case_id = self.audit_id, self.case_id
        QueryOp(self, lambda _control: _read_moderation(db, audit_id, case_id, viewer),
                lambda found: self._arrived(read, audit_id, case_id, found)).run()

    def _arrived(self, read: int, audit_id: int, case_id: int,
                 found: tuple[BlindingState, CaseComparison | None]) -> None:
        if read != self._reads:
            return  # a newer read is on its way
        self._shown = read
        if (audit_id, case_id) != (self.audit_id, self.case_id):
            return  # cleared or moved on meanwhile
        state, comparison = found
        self.reveal.setVisible(self.can_moderate and not state.revealed)
        self.editor.setEnabled(self.can_moderate)
        if not state.can_see_others:
            self.current = None
            self.table.clear_rows()
            self.splitter.setVisible(False)
            others = (f"{plural(state.other_reviews, 'other member')} "
                      f"{'has' if state.other_reviews == 1 else 'have'} scored this case"
                      if state.other_reviews else "No other member has scored this case yet")
            self.state.setText(
                f"Scoring is blind. {others}; " + (
                    "you see their answers only if your own review was complete, or the case "
                    "was revealed, before the audit closed." if self.read_only else
                    "their answers appear here once you mark your own review complete"
                    + (" or you reveal the case." if self.is_chair else " or the chair reveals it.")))
            self.editor.setVisible(False)
            return
        self.splitter.setVisible(True)
        assert comparison is not None
        self.current = comparison
        waiting = len(self.current.awaiting_moderation)
        self.state.setText(
            f"{plural(len(self.current.members), 'member')} scored this case · "
            + (f"{plural(waiting, 'disagreement')} awaiting an agreed answer, listed first"
               if waiting else "no disagreements awaiting moderation"))
        self.editor.setVisible(True)
        self.editor_title.setText("Agreed answer (final: the audit is closed)" if self.read_only
                                  else "Agreed answer" if self.is_chair
                                  else "Agreed answer (recorded by the chair)")
        self._fill_table(self.current)
        self._show_verdicts(self.current)

    def _fill_table(self, current: CaseComparison) -> None:
        self.table.fill(current)
        if self.table.currentRow() < 0 and self.table.rowCount():
            self.table.setCurrentCell(0, 0)  # the first disagreement, ready to agree

    def _show_verdicts(self, current: CaseComparison) -> None:
        given = "; ".join(f"{name}: {v.label if v else 'no verdict yet'}"
                          for name, v in current.verdicts.items())
        self.verdicts.setText(f"Members' verdicts – {given or 'none yet'}"
                              + (" (they differ)" if current.verdicts_disagree else ""))
        index = self.verdict.findData(current.consensus_verdict) if current.consensus_verdict else 0
        self.verdict.setCurrentIndex(max(index, 0))
        self.verdict_rationale.setText(current.consensus_rationale)

    def _criterion_selected(self, row: int) -> None:
        if self.current is None or not 0 <= row < len(self.table.rows):
            return
        criterion = self.table.rows[row]
        self.editor_title.setText(f"Agreed answer for {criterion.code}: {criterion.question}")
        self.member_notes.setText("\n".join(
            f"{a.reviewer}: {a.value.label}" + (f" – {a.note}" if a.note else "")
            for a in criterion.answers) or "No member has answered this criterion.")
        index = self.agreed.findData(criterion.consensus) if criterion.consensus else 0
        self.agreed.setCurrentIndex(max(index, 0))
        self.agreed_rationale.setText(criterion.consensus_rationale)

    # --- the chair's actions -------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the table, keys 1-5 pick the agreed answer and move to its rationale."""
        if (watched is self.table and self.can_moderate and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            for answer in Answer:
                if event.text() == answer.shortcut:
                    self.agreed.setCurrentIndex(self.agreed.findData(answer))
                    self.agreed_rationale.setFocus(Qt.FocusReason.ShortcutFocusReason)
                    return True
        return False

    def next_disagreement(self) -> None:
        """F8: the next criterion the members disagree on and the panel has not yet agreed."""
        if self.current is None:
            return
        count = len(self.table.rows)
        start = self.table.currentRow()
        for step in range(1, count + 1):
            row = (start + step) % count
            if self.table.rows[row].awaiting_moderation:
                self.table.setCurrentCell(row, 0)
                self.agreed.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return
        self._say("No disagreements are waiting for an agreed answer.")

    def selected_code(self) -> str | None:
        return self.table.current_code()

    def record_answer(self) -> None:
        code = self.selected_code()
        if code is None or self.audit_id is None or self.case_id is None:
            self._say("Choose a criterion in the table first.", error=True)
            return
        # Read every widget here: the save runs off the GUI thread.
        db, audit_id, case_id, chair = self.db, self.audit_id, self.case_id, self.viewer
        value = Answer(data) if (data := self.agreed.currentData()) else None
        rationale = self.agreed_rationale.text()
        self._act(lambda: moderation.record_consensus(
            db, audit_id=audit_id, case_id=case_id, chair=chair, criterion_code=code,
            value=value, rationale=rationale), f"Agreed answer for {code} recorded.")

    def record_verdict(self) -> None:
        data = self.verdict.currentData()  # Qt hands enum item data back as plain str
        verdict = Verdict(data) if data else None
        if verdict is None or self.audit_id is None or self.case_id is None:
            self._say("Choose the agreed verdict first.", error=True)
            return
        db, audit_id, case_id, chair = self.db, self.audit_id, self.case_id, self.viewer
        rationale = self.verdict_rationale.text()
        self._act(lambda: moderation.record_consensus_verdict(
            db, audit_id=audit_id, case_id=case_id, chair=chair, verdict=verdict,
            rationale=rationale), "Agreed verdict recorded.")

    def _reveal(self) -> None:
        if self.audit_id is not None and self.case_id is not None:
            db, audit_id, case_id, chair = self.db, self.audit_id, self.case_id, self.viewer
            self._act(lambda: moderation.reveal_case(db, audit_id=audit_id, case_id=case_id,
                                                     chair=chair),
                      "Revealed: every member can now see all scores for this case.")

    def _act(self, action: Callable[[], object], done: str) -> None:
        """Saved in the background; the table and message follow once it is saved."""
        if self._saving:  # one decision at a time; the focus stays where the chair typed
            return
        self._saving = True
        ChangeOp(self, lambda _control: action(),
                 Changes(audit_id=self.audit_id, answers=True, verdicts=True)).success(
            lambda _result: self._acted(done)).failure(self._not_acted).run()

    def _acted(self, done: str) -> None:
        self._saving = False
        self.refresh()
        self._say(done)

    def _not_acted(self, error: BaseException) -> None:
        self._saving = False
        if isinstance(error, UserError):
            self._say(str(error), error=True)
        else:
            report_error(self, error)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(themed(f"color: {'#b3261e' if error else '#1e6b4a'};"))
