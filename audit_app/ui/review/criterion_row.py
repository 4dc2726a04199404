"""One criterion on the review screen: question, guidance on demand, the answer scale, a note.

The row is focusable and takes single keys itself (number keys answer, F1 guidance, Delete clears),
so digits typed into the note never score by accident. It only shows state; the
criteria panel and the scoring session decide what a key means for the database.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import Answer
from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.framework import Criterion
from audit_app.core.framework_fields import FILE_PACK_LABELS
from audit_app.ui.review.style import ANSWER_COLOURS, answer_button_style, scaled_font
from audit_app.ui.theme import themed

NOTE_PAUSE_MS = 700
KEYPAD = Qt.KeyboardModifier.KeypadModifier  # save a note this long after typing stops


def describe_rule(applies_when: str) -> str:
    """The applicability rule with field keys replaced by the labels reviewers know."""
    def label(match: re.Match[str]) -> str:
        field = FIELDS_BY_KEY.get(match.group(0))
        return field.label if field else match.group(0)
    return re.sub(r"[a-z_]+", label, applies_when)


def reflow(guidance: str) -> str:
    """Join the file's wrapped lines; keep breaks before 'Met:', 'Look for:' and blank lines."""
    paragraphs: list[str] = []
    for line in guidance.splitlines():
        text = line.strip()
        if not text or not paragraphs or re.match(r"^[A-Z][A-Za-z/ -]{0,30}:", text):
            paragraphs.append(text)
        else:
            paragraphs[-1] = f"{paragraphs[-1]} {text}".strip()
    return "\n".join(p for p in paragraphs if p)


def _needs_text(criterion: Criterion) -> str:
    """Who should answer, and what the file pack must hold: one short line."""
    text = f"Answered by: {criterion.answered_by.label}"
    if criterion.file_pack:
        text += " · File pack: " + ", ".join(FILE_PACK_LABELS.get(d, d)
                                            for d in criterion.file_pack)
    return text


class CriterionRow(QFrame):
    """Shows one criterion; emits what the reviewer chose, never touches the database."""

    answer_chosen = Signal(str, object)   # criterion code, Answer or None (cleared)
    note_committed = Signal(str, str)     # criterion code, note text
    move_requested = Signal(str, int)     # criterion code, +1 next / -1 previous

    def __init__(self, criterion: Criterion, scale: tuple[Answer, ...],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.criterion = criterion
        self.answer: Answer | None = None
        self.applicable = True
        self.read_only = False  # the audit is closed: answers and note show, nothing changes
        self._saved_note = ""
        self.setObjectName("criterionRow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(f"Criterion {criterion.code}: {criterion.question}")
        self._build(scale)
        self._note_timer = QTimer(self)
        self._note_timer.setSingleShot(True)
        self._note_timer.setInterval(NOTE_PAUSE_MS)
        self._note_timer.timeout.connect(self.commit_note)

    def _build(self, scale: tuple[Answer, ...]) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        top = QHBoxLayout()
        code = QLabel(self.criterion.code)
        code.setObjectName("chip")
        code.setFont(scaled_font(self, 0.9, bold=True))
        question = QLabel(self.criterion.question)
        question.setWordWrap(True)
        question.setFont(scaled_font(self, 1.05, bold=True))
        self.state_label = QLabel()
        self.state_label.setObjectName("muted")
        top.addWidget(code, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(question, 1)
        top.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        meta = QHBoxLayout()
        source = QLabel(f"Source: {self.criterion.source}" if self.criterion.source else "", self)
        source.setObjectName("muted")
        source.setFont(scaled_font(self, 0.9))
        source.setWordWrap(True)
        meta.addWidget(source, 1)
        self.guidance_toggle = QToolButton(self)
        self.guidance_toggle.setObjectName("guidanceToggle")
        self.guidance_toggle.setText("Guidance (F1)")
        self.guidance_toggle.setCheckable(True)
        self.guidance_toggle.setAccessibleName(f"Show guidance for {self.criterion.code}")
        self.guidance_toggle.setVisible(bool(self.criterion.guidance))
        self.guidance_toggle.toggled.connect(self._show_guidance)
        meta.addWidget(self.guidance_toggle)
        if self.criterion.source or self.criterion.guidance:
            layout.addLayout(meta)
        else:
            source.hide()
        self.needs = QLabel(_needs_text(self.criterion), self)
        self.needs.setObjectName("muted")
        self.needs.setFont(scaled_font(self, 0.9))
        self.needs.setWordWrap(True)
        layout.addWidget(self.needs)
        self.guidance = QLabel(reflow(self.criterion.guidance))
        self.guidance.setWordWrap(True)
        self.guidance.setObjectName("guidance")
        self.guidance.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.guidance.setVisible(False)
        layout.addWidget(self.guidance)

        buttons = QGridLayout()
        buttons.setHorizontalSpacing(6)
        buttons.setVerticalSpacing(4)
        # Six answers do not fit one line at 1280 wide or at 150%: three to a line then.
        per_line = len(scale) if len(scale) <= 5 else 3
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # lets a second click clear the answer
        self.buttons: dict[Answer, QPushButton] = {}
        # Keys stay where they are on every row; those off this criterion's scale are disabled.
        self.allowed = self.criterion.answers(scale)
        for answer in scale:
            button = QPushButton(f"{answer.shortcut}  {answer.label}")
            button.setCheckable(True)
            button.setStyleSheet(themed(answer_button_style(answer)))
            button.setAccessibleName(f"{answer.label} (key {answer.shortcut})")
            button.setToolTip(f"Press {answer.shortcut}" if answer in self.allowed
                              else f"{answer.label} is not an answer to this criterion")
            button.clicked.connect(lambda _=False, a=answer: self._clicked(a))
            self.group.addButton(button)
            self.buttons[answer] = button
            index = len(self.buttons) - 1
            buttons.addWidget(button, index // per_line, index % per_line)
        buttons.setColumnStretch(per_line, 1)
        layout.addLayout(buttons)
        self._enable_buttons()

        self.reason = QLabel()
        self.reason.setObjectName("muted")
        self.reason.setWordWrap(True)
        self.reason.setVisible(False)
        layout.addWidget(self.reason)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note (why this answer; Enter saves and moves on)")
        self.note.setAccessibleName(f"Note for {self.criterion.code}")
        self.note.textEdited.connect(lambda _text: self._note_timer.start())
        self.note.editingFinished.connect(self.commit_note)
        self.note.installEventFilter(self)
        layout.addWidget(self.note)

    # --- showing state -----------------------------------------------------------------

    def configure(self, *, applicable: bool) -> None:
        """Per case: a criterion that does not apply is greyed and shown as N/A with why."""
        self.applicable = applicable
        self.setProperty("automatic", not applicable)
        self._enable_buttons()
        self.note.setVisible(applicable)
        self.reason.setVisible(not applicable)
        if not applicable:
            self.reason.setText("N/A automatically – this criterion applies only when "
                                f"{describe_rule(self.criterion.applies_when)}.")
        self._repolish()

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        self._enable_buttons()
        self.note.setReadOnly(read_only)
        self._refresh_state()

    def _enable_buttons(self) -> None:
        for button in self.buttons.values():
            button.setEnabled(self.applicable and not self.read_only
                              and self.buttons_answer(button) in self.allowed)
            if bool(button.property("final")) != self.read_only:
                button.setProperty("final", self.read_only)
                self._repolish(button)

    def buttons_answer(self, button: QPushButton) -> Answer | None:
        return next((a for a, b in self.buttons.items() if b is button), None)

    def show_answer(self, answer: Answer | None, note: str) -> None:
        """Display a saved answer without emitting anything."""
        if not self.applicable and answer is None:
            answer = Answer.NOT_APPLICABLE
        self.answer = answer
        for value, button in self.buttons.items():
            button.setChecked(value is answer)
        self._note_timer.stop()
        self._saved_note = note
        if self.note.text() != note:
            self.note.setText(note)
            self.note.setCursorPosition(0)  # a long note opens at its start, not its end
        self._refresh_state()

    def _refresh_state(self) -> None:
        if self.answer is None:
            self.state_label.setText("Not answered")
            self.state_label.setStyleSheet("")
        else:
            ink = ANSWER_COLOURS[self.answer][0]
            self.state_label.setText(f"✓ {self.answer.label}")
            self.state_label.setStyleSheet(themed(f"color: {ink}; font-weight: 600;"))
        self.note.setProperty("missing", self.note_missing)
        self.note.setPlaceholderText(
            "" if self.read_only else "A note is required for this answer" if self.note_missing
            else "Note (why this answer; Enter saves and moves on)")
        self._repolish(self.note)

    @property
    def note_missing(self) -> bool:
        return (self.applicable and not self.read_only and self.answer is not None
                and self.criterion.needs_note(self.answer) and not self.note.text().strip())

    def set_current(self, current: bool) -> None:
        if bool(self.property("current")) != current:
            self.setProperty("current", current)
            self._repolish()

    def _repolish(self, widget: QWidget | None = None) -> None:
        target = widget or self
        target.style().unpolish(target)
        target.style().polish(target)

    def _show_guidance(self, shown: bool) -> None:
        self.guidance.setVisible(shown)

    # --- input -------------------------------------------------------------------------

    def _clicked(self, answer: Answer) -> None:
        self.choose(None if answer is self.answer else answer)

    def choose(self, answer: Answer | None) -> None:
        if not self.applicable or self.read_only or (
                answer is not None and answer not in self.allowed):
            return
        self.show_answer(answer, self.note.text())
        self.answer_chosen.emit(self.criterion.code, answer)

    def commit_note(self) -> None:
        self._note_timer.stop()
        text = self.note.text()
        self._refresh_state()
        if text != self._saved_note:
            self._saved_note = text
            self.note_committed.emit(self.criterion.code, text)

    def _note_done(self) -> None:
        self.commit_note()
        if not self.note_missing:
            self.move_requested.emit(self.criterion.code, 1)

    def event(self, event: QEvent) -> bool:
        # F1 on a criterion shows its guidance; the window's F1 (the user guide) waits.
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_F1 and not event.modifiers()):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text()
        for answer in self.buttons:
            if text == answer.shortcut and not event.modifiers() & ~KEYPAD:
                self.choose(answer)
                return
        if key == Qt.Key.Key_F1:
            self.guidance_toggle.toggle()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.choose(None)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_N) and not event.modifiers():
            self.note.setFocus(Qt.FocusReason.OtherFocusReason)
        elif key == Qt.Key.Key_Down and not event.modifiers():
            self.move_requested.emit(self.criterion.code, 1)
        elif key == Qt.Key.Key_Up and not event.modifiers():
            self.move_requested.emit(self.criterion.code, -1)
        else:
            super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not (watched is self.note and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)) or event.modifiers() & ~KEYPAD:
            return False
        if event.key() == Qt.Key.Key_Escape:
            self.commit_note()
            self.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # handled here: QLineEdit passes Return on to the row, which would refocus the note
            self._note_done()
            return True
        return False
