"""Help > Training with calibration cases: score synthetic files, then compare with the key.

Left: the cases, with how many of each one's criteria are answered. Right: the case's
summary above the criteria its key covers, each a pick-list of the answers it takes. Each
answer is saved as it is chosen (apart from every audit: training never counts in the
figures). "Compare with the key" shows agreement with the key (Gwet's AC1) overall and per
criterion, and each difference with the key's reason.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.answers import Answer
from audit_app.core.calibration import CalibrationCase, CalibrationResult
from audit_app.core.timeliness import case_intervals
from audit_app.services import training
from audit_app.services.database import Database
from audit_app.ui.errors import report_error
from audit_app.ui.operations import ChangeOp, Changes, QueryOp
from audit_app.ui.screen_fit import fit_to_screen

DEFAULT_SET = "da-nfa-review@3"
NOT_ANSWERED = "Not answered yet"


class TrainingDialog(QDialog):
    def __init__(self, db: Database, member: str, parent: QWidget | None = None,
                 framework_ref: str = DEFAULT_SET) -> None:
        super().__init__(parent)
        self.db, self.member, self.framework_ref = db, member, framework_ref
        self.opened: training.Training | None = None
        self.pickers: dict[str, QComboBox] = {}
        self.setObjectName("trainingDialog")
        self.setWindowTitle("Training with calibration cases")
        intro = QLabel(f"Training as {member}. Score each case from its summary, then compare "
                       "your answers with the reference key. Training answers are kept apart "
                       "and never count in an audit's figures.")
        intro.setWordWrap(True)
        # One set per framework that ships calibration cases; the chosen one is scored.
        self.sets = QComboBox()
        self.sets.setAccessibleName("Calibration set")
        for choice in training.list_calibration_sets(db):
            self.sets.addItem(f"{choice.title} ({choice.cases} cases)", choice.framework_ref)
        self.sets.setCurrentIndex(max(0, self.sets.findData(framework_ref)))
        self.sets.currentIndexChanged.connect(self._set_chosen)
        sets_label = QLabel("Calibration se&t:")
        sets_label.setBuddy(self.sets)
        sets_row = QHBoxLayout()
        sets_row.addWidget(sets_label)
        sets_row.addWidget(self.sets, 1)
        self.cases = QListWidget()
        self.cases.setAccessibleName("Calibration cases")
        self.cases.setWordWrap(True)  # titles wrap in a narrow list rather than scroll
        self.cases.setSpacing(3)  # each case (reference, then title) stands apart from the next
        self.cases.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cases.currentRowChanged.connect(self._show_case)
        self.summary = QTextBrowser()
        self.summary.setAccessibleName("Case summary")
        self.criteria_box = QScrollArea()
        self.criteria_box.setWidgetResizable(True)
        self.criteria_box.setAccessibleName("Criteria to score")
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.summary)
        right.addWidget(self.criteria_box)
        right.setSizes([260, 300])
        scoring = QSplitter(Qt.Orientation.Horizontal)
        scoring.addWidget(self.cases)
        scoring.addWidget(right)
        scoring.setStretchFactor(1, 1)
        self.scoring = scoring
        self.results = QTextBrowser()
        self.results.setAccessibleName("Comparison with the key")
        self.tabs = QTabWidget()
        self.tabs.addTab(scoring, "&Score the cases")
        self.tabs.addTab(self.results, "&Compare with the key")
        self.tabs.currentChanged.connect(lambda index: self.compare() if index == 1 else None)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restart_button = QPushButton("Start &again…")
        buttons.addButton(self.restart_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.restart_button.clicked.connect(self.start_again)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(sets_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(1100, 700))
        # The case list a quarter of the width, whatever the screen and its scaling.
        scoring.setSizes([self.width() // 4, self.width() * 3 // 4])
        self.criteria_box.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.reload()

    def reload(self) -> None:
        db, member, ref = self.db, self.member, self.framework_ref
        QueryOp(self, lambda _task: training.open_training(db, member=member, framework_ref=ref),
                self._loaded).run()

    def _set_chosen(self) -> None:
        self.framework_ref = str(self.sets.currentData())
        # Nothing of the last set stays answerable while the new one loads.
        self.opened, self.pickers = None, {}
        self.cases.clear()  # the new set opens on its first case
        self.summary.clear()
        self.criteria_box.setWidget(QWidget())
        self.tabs.setCurrentIndex(0)
        self.reload()

    def _loaded(self, opened: training.Training) -> None:
        row = max(self.cases.currentRow(), 0)
        self.opened = opened
        self.cases.blockSignals(True)
        self.cases.clear()
        for case in opened.calibration.cases:
            self.cases.addItem(self._case_label(case))
        self.cases.blockSignals(False)
        self.cases.setCurrentRow(min(row, self.cases.count() - 1))
        self._show_case(self.cases.currentRow())

    def _case_label(self, case: CalibrationCase) -> str:
        assert self.opened is not None
        done = sum(1 for code in case.key if (case.reference, code) in self.opened.answers)
        return f"{case.reference} ({done} of {len(case.key)})\n{case.title}"

    def _show_case(self, row: int) -> None:
        if self.opened is None or row < 0:
            return
        case = self.opened.calibration.cases[row]
        timing = "".join(f"<li>{html.escape(m.rule.label)}: {html.escape(m.reading)}</li>"
                         for m in case_intervals(case.fields))
        self.summary.setHtml(
            f"<h3>{html.escape(case.reference)}: {html.escape(case.title)}</h3>"
            + "".join(f"<p>{html.escape(part)}</p>" for part in _paragraphs(case.summary))
            + (f"<p><b>From the extract's dates</b></p><ul>{timing}</ul>" if timing else ""))
        self.criteria_box.setWidget(self._criteria(case))

    def _criteria(self, case: CalibrationCase) -> QWidget:
        assert self.opened is not None
        framework = self.opened.framework
        criteria = {c.code: c for c in framework.criteria}
        body = QWidget()
        column = QVBoxLayout(body)
        self.pickers = {}
        for code in case.key:
            criterion = criteria[code]
            question = QLabel(f"<b>{html.escape(code)}</b> "
                              f"{html.escape(' '.join(criterion.question.split()))}")
            question.setWordWrap(True)
            picker = QComboBox()
            picker.addItem(NOT_ANSWERED, None)
            for answer in criterion.answers(framework.scale):
                picker.addItem(answer.label, answer.value)
            given = self.opened.answers.get((case.reference, code))
            picker.setCurrentIndex(max(picker.findData(given[0].value), 0) if given else 0)
            picker.setAccessibleName(f"Answer to {code}")
            question.setBuddy(picker)
            picker.currentIndexChanged.connect(
                lambda _i, c=case, k=code, p=picker: self._answered(c, k, p))
            column.addWidget(question)  # the question above its answer: fits any width
            column.addWidget(picker, 0, Qt.AlignmentFlag.AlignLeft)
            column.addSpacing(6)
            self.pickers[code] = picker
        column.addStretch(1)
        return body

    def _answered(self, case: CalibrationCase, code: str, picker: QComboBox) -> None:
        assert self.opened is not None
        value = picker.currentData()
        db, member, ref = self.db, self.member, self.framework_ref
        # Saved by the serial writer, off the GUI thread, in the order the answers were
        # given; the screen shows the answer at once and reloads what is stored on a refusal.
        ChangeOp(self, lambda _task: training.record_training_answer(
            db, member=member, framework_ref=ref, reference=case.reference,
            criterion_code=code, value=value), Changes()).in_order().failure(
                self._not_saved).run()
        if value is None:
            self.opened.answers.pop((case.reference, code), None)
        else:
            self.opened.answers[(case.reference, code)] = (Answer(value), "")
        item = self.cases.currentItem()
        if item is not None:
            item.setText(self._case_label(case))

    def _not_saved(self, error: BaseException) -> None:
        report_error(self, error)
        self.reload()

    def compare(self) -> None:
        db, member, ref = self.db, self.member, self.framework_ref
        QueryOp(self, lambda _task: training.training_result(db, member=member,
                                                             framework_ref=ref),
                self._show_result).run()

    def _show_result(self, result: CalibrationResult) -> None:
        self.results.setHtml(result_html(self.member, result))

    def start_again(self) -> None:
        asked = QMessageBox.question(
            self, "Start again",
            f"Remove {self.member}'s training answers and start the cases again? Audits are "
            "not affected.")
        if asked == QMessageBox.StandardButton.Yes:
            db, member, ref = self.db, self.member, self.framework_ref
            ChangeOp(self, lambda _task: training.start_training_again(
                db, member=member, framework_ref=ref), Changes()).in_order().success(
                    self._started_again).failure(self._not_saved).run()

    def _started_again(self, _result: object) -> None:
        self.tabs.setCurrentIndex(0)
        self.reload()


def _paragraphs(text: str) -> list[str]:
    return [" ".join(text.split())] if text else []


def _number(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.0f}%" if percent else f"{value:.2f}"


def result_html(member: str, result: CalibrationResult) -> str:
    """The comparison as a page: the headline, a table per criterion, each difference."""
    if not result.answered:
        return "<p>No training answers yet: score a case first.</p>"
    parts = [f"<h3>{html.escape(member)}: {result.agreed} of {result.answered} answers agree "
             f"with the key ({_number(result.percent, percent=True)})</h3>",
             f"<p>Agreement with the key beyond chance (Gwet's AC1): {_number(result.ac1)}. "
             f"{result.answered} of the {result.keyed} keyed answers are given"
             + ("." if result.finished else "; finish every case for a full picture.") + "</p>",
             "<table cellpadding='4'><tr><th align='left'>Criterion</th><th>Compared</th>"
             "<th>Agree</th><th>AC1</th></tr>"]
    parts += [f"<tr><td>{c.code}</td><td align='right'>{c.compared}</td>"
              f"<td align='right'>{c.agreed}</td><td align='right'>{_number(c.ac1)}</td></tr>"
              for c in result.criteria]
    parts.append("</table>")
    if result.differences:
        parts.append("<h4>Where you differ from the key, and why</h4><ul>")
        parts += [f"<li><b>{html.escape(d.reference)} {html.escape(d.code)}</b>: you said "
                  f"{d.given.label}; the key says {d.keyed.answer.label}. "
                  f"{html.escape(d.keyed.why)}</li>" for d in result.differences]
        parts.append("</ul>")
    return "".join(parts)
