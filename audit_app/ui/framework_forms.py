"""The framework editor's three forms: the framework, a section, a criterion.

Each form loads from and stores into the framework's file form (a dict), so what the
editor saves is what a file would hold. The criterion form keeps its parts on three tabs
(the question; the answers and who gives them; the source and file pack) so that no tab
is taller than a laptop screen.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import Answer
from audit_app.core.framework_fields import FILE_PACK_LABELS, Role
from audit_app.services.field_values import vocabulary_values
from audit_app.ui.condition_builder import ConditionBuilder, ValuesLoader
from audit_app.ui.framework_key_box import key_criterion_box, load_key, store_key
from audit_app.ui.screen_fit import scrolling

# Met and Not met are on every criterion's scale; only the others can be left off.
_OPTIONAL_ANSWERS = (Answer.PARTLY_MET, Answer.NOT_APPLICABLE, Answer.NOT_EVIDENCED)


def _form(page: QWidget) -> QFormLayout:
    """A form that puts each label above its field when the window is narrow (150% text)."""
    form = QFormLayout(page)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    return form


class _GuidanceEdit(QPlainTextEdit):
    """Asks for a few lines only: where the form must scroll (150% scaling) it opens on
    the guidance's first lines and the rule below, not on a tall box; spare room still
    goes to it."""

    def sizeHint(self) -> QSize:
        lines = self.fontMetrics().lineSpacing() * 6
        return QSize(super().sizeHint().width(), lines + 2 * self.frameWidth() + 8)


def _filler() -> QWidget:
    filler = QWidget()
    filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
    return filler


def _set_quietly(box: QCheckBox, checked: bool) -> None:
    box.blockSignals(True)
    box.setChecked(checked)
    box.blockSignals(False)


class FrameworkForm(QWidget):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout(self)
        self.key = QLineEdit()
        self.key.setAccessibleName("Framework short name")
        self.key.setToolTip("A short name for the command line and file names: lower-case "
                            "letters, digits and hyphens")
        self.version = QSpinBox()
        self.version.setRange(1, 999)
        self.version.setAccessibleName("Version")
        self.title = QLineEdit()
        self.title.setAccessibleName("Framework title")
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)  # Tab moves on, as in every other box
        self.description.setAccessibleName("Framework description")
        self.applies_to = QLineEdit()
        self.applies_to.setAccessibleName("Which cases it is for")
        form.addRow("S&hort name:", self.key)
        form.addRow("&Version:", self.version)
        form.addRow("&Title:", self.title)
        form.addRow("&Description:", self.description)
        form.addRow("For &cases:", self.applies_to)
        for line in (self.key, self.title, self.applies_to):
            line.textEdited.connect(self.changed)
        self.description.textChanged.connect(self.changed)
        self.version.valueChanged.connect(self.changed)

    def load(self, data: dict[str, Any]) -> None:
        self.key.setText(str(data.get("id", "")))
        self.version.setValue(int(data.get("version", 1)))
        self.title.setText(str(data.get("title", "")))
        self.description.setPlainText(str(data.get("description", "")))
        self.applies_to.setText(str(data.get("applies_to", "")))
        for line in (self.key, self.title, self.applies_to):
            line.setCursorPosition(0)  # a long line shows its beginning, not its end

    def store(self, data: dict[str, Any]) -> None:
        data["id"] = self.key.text().strip()
        data["version"] = self.version.value()
        data["title"] = self.title.text()
        data["description"] = self.description.toPlainText()
        data["applies_to"] = self.applies_to.text()


class SectionForm(QWidget):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        form = QFormLayout(self)
        self.code = QLineEdit()
        self.code.setAccessibleName("Section code")
        self.title = QLineEdit()
        self.title.setAccessibleName("Section title")
        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)  # Tab moves on, as in every other box
        self.description.setAccessibleName("Section description")
        form.addRow("&Code:", self.code)
        form.addRow("&Title:", self.title)
        form.addRow("&Description:", self.description)
        self.code.textEdited.connect(self.changed)
        self.title.textEdited.connect(self.changed)
        self.description.textChanged.connect(self.changed)

    def load(self, data: dict[str, Any]) -> None:
        self.code.setText(str(data.get("code", "")))
        self.title.setText(str(data.get("title", "")))
        self.description.setPlainText(str(data.get("description", "")))

    def store(self, data: dict[str, Any]) -> None:
        data["code"] = self.code.text().strip()
        data["title"] = self.title.text()
        data["description"] = self.description.toPlainText()


class CriterionForm(QWidget):
    changed = Signal()

    def __init__(self, *, field_values: ValuesLoader | None = None) -> None:
        super().__init__()
        self._field_values = field_values or (lambda field, _cancelled: vocabulary_values(field))
        self.tabs = QTabWidget()
        # Scrolls at 150% rather than squeeze the "applies only when" rows to a sliver.
        self.tabs.addTab(scrolling(self._question_tab()), "Question")
        self.tabs.addTab(self._answers_tab(), "Answers")
        self.tabs.addTab(self._source_tab(), "Source and file pack")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _question_tab(self) -> QWidget:
        page = QWidget()
        form = _form(page)
        self.code = QLineEdit()
        self.code.setAccessibleName("Criterion code")
        self.question = QPlainTextEdit()
        self.question.setAccessibleName("Question")
        self.question.setTabChangesFocus(True)
        # A question is a sentence or two; guidance gets the room.
        self.question.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.guidance = _GuidanceEdit()
        self.guidance.setAccessibleName("Guidance")
        self.guidance.setTabChangesFocus(True)
        # Picked from the fields' known values, and the open audit's population if any.
        self.applies_builder = ConditionBuilder(
            "Applies only when", values=self._field_values,
            empty_text="Applies to every case.",
            understood_text="Rule understood: other cases are scored N/A automatically.")
        self.applies_when = self.applies_builder.expression_edit
        self.applies_when.setPlaceholderText("e.g. victim_supports in ('never', 'withdrawn')")
        self.rule_status = self.applies_builder.status
        self.rule_status.setObjectName("ruleStatus")
        self.key = key_criterion_box()
        form.addRow("&Code:", self.code)
        form.addRow("&Question:", self.question)
        form.addRow("&Guidance:", self.guidance)
        form.addRow("&Applies only when:", self.applies_builder)
        form.addRow("", self.key)
        self.key.toggled.connect(self.changed)
        self.code.textEdited.connect(self.changed)
        self.question.textChanged.connect(self.changed)
        self.guidance.textChanged.connect(self.changed)
        self.applies_builder.changed.connect(self.changed)
        return page

    def _answers_tab(self) -> QWidget:
        page = QWidget()
        form = _form(page)
        self.scale_boxes: dict[Answer, QCheckBox] = {}
        answers = QVBoxLayout()
        for answer in Answer:
            box = QCheckBox(answer.label)
            box.setAccessibleName(f"Criterion can be answered {answer.label}")
            # Met and Not met are always on the scale (a criterion must be able to fail).
            box.setEnabled(answer in _OPTIONAL_ANSWERS)
            box.toggled.connect(self.changed)
            self.scale_boxes[answer] = box
            answers.addWidget(box)
        self.note_boxes: dict[Answer, QCheckBox] = {}
        notes = QVBoxLayout()
        for answer in Answer:
            box = QCheckBox(answer.label)
            box.setAccessibleName(f"Note required for {answer.label}")
            box.toggled.connect(self.changed)
            self.note_boxes[answer] = box
            notes.addWidget(box)
        self.answered_by = QComboBox()
        self.answered_by.setAccessibleName("Answered by")
        for role in Role:
            self.answered_by.addItem(role.label, role.value)
        self.answered_by.currentIndexChanged.connect(self.changed)
        hint = QLabel("Untick an answer that cannot apply: a yes or no question cannot be "
                      "partly met.")
        hint.setWordWrap(True)
        form.addRow("Answers it can take:", answers)
        form.addRow("", hint)
        form.addRow("Note required for:", notes)
        form.addRow("Answered &by:", self.answered_by)
        return page

    def _source_tab(self) -> QWidget:
        page = QWidget()
        form = _form(page)
        self.source_document = QLineEdit()
        self.source_document.setAccessibleName("Source document")
        self.source_document.setPlaceholderText("The document, with its edition or date")
        self.source_where = QLineEdit()
        self.source_where.setAccessibleName("Where in the source")
        self.source_where.setPlaceholderText("Section, paragraph or recommendation")
        self.source_quote = QPlainTextEdit()
        self.source_quote.setAccessibleName("Quote from the source")
        self.source_quote.setTabChangesFocus(True)
        self.source_quote.setMaximumHeight(self.fontMetrics().lineSpacing() * 5)
        self.pack_boxes: dict[str, QCheckBox] = {}
        pack = QGridLayout()
        for index, (item, label) in enumerate(FILE_PACK_LABELS.items()):
            box = QCheckBox(label)
            box.setAccessibleName(f"File pack holds {label}")
            box.toggled.connect(self.changed)
            self.pack_boxes[item] = box
            pack.addWidget(box, index // 2, index % 2)
        form.addRow("D&ocument:", self.source_document)
        form.addRow("&Where:", self.source_where)
        form.addRow("Quo&te:", self.source_quote)
        form.addRow("File pack needs:", pack)
        form.addRow(_filler())  # extra height goes below the form, not between its rows
        for line in (self.source_document, self.source_where):
            line.textEdited.connect(self.changed)
        self.source_quote.textChanged.connect(self.changed)
        return page

    def load(self, data: dict[str, Any]) -> None:
        self.code.setText(str(data.get("code", "")))
        self.question.setPlainText(str(data.get("question", "")))
        self.guidance.setPlainText(str(data.get("guidance", "")))
        self._load_source(data.get("source"))
        scale = set(data.get("scale") or [a.value for a in Answer])
        for answer, box in self.scale_boxes.items():
            _set_quietly(box, answer.value in scale or answer not in _OPTIONAL_ANSWERS)
        needed = set(data.get("note_required_for", []))
        for answer, box in self.note_boxes.items():
            _set_quietly(box, answer.value in needed)
        self.answered_by.blockSignals(True)
        self.answered_by.setCurrentIndex(max(0, self.answered_by.findData(
            str(data.get("answered_by", Role.ANY.value)))))
        self.answered_by.blockSignals(False)
        pack = set(data.get("file_pack") or [])
        for item, box in self.pack_boxes.items():
            _set_quietly(box, item in pack)
        self.applies_builder.blockSignals(True)  # loading is no edit
        self.applies_builder.set_expression(str(data.get("applies_when", "")))
        self.applies_builder.blockSignals(False)
        load_key(self.key, data)

    def _load_source(self, source: Any) -> None:
        # An older version's one-line source shows as the document, with no place or quote.
        parts = source if isinstance(source, dict) else {"document": source or ""}
        self.source_document.setText(str(parts.get("document", "")))
        self.source_document.setCursorPosition(0)
        self.source_where.setText(str(parts.get("where", "")))
        self.source_where.setCursorPosition(0)
        self.source_quote.blockSignals(True)
        self.source_quote.setPlainText(str(parts.get("quote", "")))
        self.source_quote.blockSignals(False)

    def store(self, data: dict[str, Any]) -> None:
        data["code"] = self.code.text().strip()
        data["question"] = self.question.toPlainText()
        data["guidance"] = self.guidance.toPlainText()
        data["source"] = self._stored_source()
        data["note_required_for"] = [a.value for a, box in self.note_boxes.items()
                                     if box.isChecked()]
        scale = [a.value for a, box in self.scale_boxes.items() if box.isChecked()]
        _put(data, "scale", scale if len(scale) < len(Answer) else None)
        role = str(self.answered_by.currentData())
        _put(data, "answered_by", role if role != Role.ANY.value else None)
        _put(data, "file_pack", [item for item, box in self.pack_boxes.items() if box.isChecked()])
        _put(data, "applies_when", self.applies_builder.expression())
        store_key(self.key, data)

    def _stored_source(self) -> str | dict[str, str]:
        document = self.source_document.text()
        where = self.source_where.text()
        quote = self.source_quote.toPlainText()
        if not (where.strip() or quote.strip()):
            return document  # the one-line form, as older versions have it
        parts = {"document": document, "where": where}
        if quote.strip():
            parts["quote"] = quote
        return parts


def _put(data: dict[str, Any], name: str, value: Any) -> None:
    """Set a part of the file form, leaving it out when empty (as the shipped files do)."""
    if value:
        data[name] = value
    else:
        data.pop(name, None)
