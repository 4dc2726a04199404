"""Compare versions: what changed between two versions of one framework, criterion by
criterion, and how an audit comparison across them pairs each criterion.

It reads the same diff the command line's `framework diff` prints (`core.framework_diff`)
and the shipped version mapping the audit comparison uses (`services.frameworks`), so the
editor, the command line and the comparison agree."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from audit_app.core.framework_diff import (
    FrameworkDiff,
    diff_frameworks,
    pairing_in_words,
    scale_change_words,
)
from audit_app.core.version_mapping import VersionMapping
from audit_app.core.wording import plural
from audit_app.services.database import Database
from audit_app.services.frameworks import get_framework, list_frameworks, shipped_mapping
from audit_app.ui.screen_fit import fit_to_screen


def _cell(text: str) -> str:
    return html.escape(" ".join(text.split()))


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    head = "".join(f"<th align='left'>{_cell(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td valign='top'>{_cell(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return (f"<table width='100%' border='1' cellspacing='0' cellpadding='4'>"
            f"<tr>{head}</tr>{body}</table>")


def _group(title: str, count: int, headers: Sequence[str], rows: Sequence[Sequence[str]],
           none: str) -> str:
    heading = f"<h3>{_cell(title)} ({count})</h3>"
    return heading + (_table(headers, rows) if rows else f"<p>{_cell(none)}</p>")


def diff_html(diff: FrameworkDiff, mapping: VersionMapping | None,
              questions: dict[str, str]) -> str:
    """The diff grouped as a reader looks for it: added, removed, reworded (old and new
    side by side), re-scaled and otherwise changed, each with how audits compare."""
    compare = "Comparing audits"
    parts = [
        _group("Added", len(diff.added), ("Criterion", "Question", compare),
               [(c.code, c.question, pairing_in_words(c.code, "added", mapping))
                for c in diff.added], "No criterion was added."),
        _group("Removed", len(diff.removed), ("Criterion", "Question", compare),
               [(c.code, c.question, pairing_in_words(c.code, "removed", mapping))
                for c in diff.removed], "No criterion was removed."),
        _group("Reworded", len(diff.reworded), ("Criterion", "Was", "Now", compare),
               [(r.code, r.old_question, r.new_question,
                 pairing_in_words(r.code, "reworded", mapping)) for r in diff.reworded],
               "No criterion was reworded."),
        _group("Re-scaled", len(diff.rescaled), ("Criterion", "Question", "Answers"),
               [(r.code, questions.get(r.code, ""), scale_change_words(r))
                for r in diff.rescaled], "No criterion's answers changed."),
        _group("Otherwise changed", len(diff.other), ("Criterion", "Question", "What changed"),
               [(code, questions.get(code, ""), ", ".join(parts).capitalize())
                for code, parts in diff.other], "Nothing else changed."),
    ]
    return "".join(parts)


class FrameworkDiffDialog(QDialog):
    """Pick two versions of one framework; see what changed between them."""

    def __init__(self, db: Database, framework_key: str, shown_version: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.framework_key = framework_key
        versions = sorted((s for s in list_frameworks(db) if s.key == framework_key),
                          key=lambda s: s.version)
        self.title = versions[-1].title if versions else framework_key
        self.setWindowTitle(f"Compare versions: {self.title}")
        fit_to_screen(self, QSize(1000, 680))

        self.earlier = QComboBox()
        self.earlier.setAccessibleName("Earlier version")
        self.later = QComboBox()
        self.later.setAccessibleName("Later version")
        for combo in (self.earlier, self.later):
            for summary in versions:
                combo.addItem(f"Version {summary.version} "
                              f"({plural(summary.criterion_count, 'criterion', 'criteria')})",
                              summary.version)
        # Default: the version shown in the editor against the one before it.
        numbers = [s.version for s in versions]
        later_index = numbers.index(shown_version) if shown_version in numbers else len(numbers) - 1
        self.later.setCurrentIndex(max(0, later_index))
        self.earlier.setCurrentIndex(max(0, later_index - 1))
        earlier_label = QLabel("&Earlier version:")
        earlier_label.setBuddy(self.earlier)
        later_label = QLabel("&Later version:")
        later_label.setBuddy(self.later)
        pickers = QGridLayout()
        pickers.addWidget(earlier_label, 0, 0)
        pickers.addWidget(self.earlier, 0, 1)
        pickers.addWidget(later_label, 0, 2)
        pickers.addWidget(self.later, 0, 3)
        pickers.setColumnStretch(1, 1)
        pickers.setColumnStretch(3, 1)

        self.summary = QLabel()
        self.summary.setObjectName("diffSummary")
        self.summary.setWordWrap(True)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Changes between the versions")
        self.browser.setOpenLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(pickers)
        layout.addWidget(self.summary)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.earlier.currentIndexChanged.connect(self.refresh)
        self.later.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        old_version, new_version = self.earlier.currentData(), self.later.currentData()
        if self.later.count() < 2 or old_version is None or new_version is None:
            self.summary.setText("This framework has only one version: there is nothing to "
                                 "compare yet.")
            self.browser.clear()
            return
        if old_version == new_version:
            self.summary.setText("Choose two different versions to see what changed.")
            self.browser.clear()
            return
        ref = f"{self.framework_key}@"
        old = get_framework(self.db, f"{ref}{old_version}")
        new = get_framework(self.db, f"{ref}{new_version}")
        diff = diff_frameworks(old, new)
        mapping = shipped_mapping(self.framework_key, int(old_version), int(new_version))
        self.summary.setText(self._summary_text(diff, old_version, new_version, mapping))
        questions = {c.code: c.question for c in new.criteria}
        self.browser.setHtml(diff_html(diff, mapping, questions))

    @staticmethod
    def _summary_text(diff: FrameworkDiff, old_version: int, new_version: int,
                      mapping: VersionMapping | None) -> str:
        if diff.unchanged:
            return (f"Version {new_version} asks the same criteria as version {old_version}, "
                    "on the same answers.")
        counts = ", ".join(f"{len(items)} {word}" for word, items in (
            ("added", diff.added), ("removed", diff.removed), ("reworded", diff.reworded),
            ("re-scaled", diff.rescaled), ("otherwise changed", diff.other)))
        pairing = ("The mapping that comes with these versions says which reworded criteria "
                   "an audit comparison still sets side by side." if mapping is not None else
                   "No mapping comes with these versions: comparing audits sets side by side "
                   "only criteria with the same number and question.")
        return f"From version {old_version} to version {new_version}: {counts}. {pairing}"
