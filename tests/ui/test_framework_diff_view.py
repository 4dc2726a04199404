"""The framework editor's Compare versions view: what changed, grouped, and how audits pair."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from audit_app.services.database import Database
from audit_app.services.frameworks import get_framework
from audit_app.ui.framework_diff_view import FrameworkDiffDialog
from audit_app.ui.framework_editor import FrameworkEditorDialog
from tests.helpers.accessibility import naming_problems
from tests.helpers.visible_text import internal_names, visible_texts


def _words(text: str) -> str:
    return " ".join(text.split())


def _section(text: str, heading: str, following: str) -> str:
    """The part of the view's text from one group heading to the next."""
    return text[text.index(heading):text.index(following)]


def test_the_editor_opens_it_on_the_shown_version_and_the_one_before(
        qtbot: QtBot, sqlite_db: Database) -> None:
    editor = FrameworkEditorDialog(sqlite_db)
    qtbot.addWidget(editor)
    editor.show()
    editor.chooser.setCurrentIndex(editor.chooser.findData("da-nfa-review@3"))
    assert QKeySequence.mnemonic(editor.compare_button.text()) == QKeySequence("Alt+M")
    qtbot.mouseClick(editor.compare_button, Qt.MouseButton.LeftButton)
    dialog = editor.findChild(FrameworkDiffDialog)
    assert dialog is not None and dialog.isVisible()
    assert (dialog.earlier.currentData(), dialog.later.currentData()) == (2, 3)
    assert dialog.summary.text().startswith("From version 2 to version 3: 20 added, 0 removed, "
                                            "6 reworded")
    dialog.close()


def test_it_lists_added_removed_reworded_and_rescaled_criteria_in_plain_words(
        qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = FrameworkDiffDialog(sqlite_db, "da-nfa-review", 3)
    qtbot.addWidget(dialog)
    dialog.show()
    text = _words(dialog.browser.toPlainText())
    old, new = (get_framework(sqlite_db, f"da-nfa-review@{v}") for v in (2, 3))
    old_q = {c.code: _words(c.question) for c in old.criteria}
    new_q = {c.code: _words(c.question) for c in new.criteria}

    added = _section(text, "Added (20)", "Removed (0)")
    assert f"3.7 {new_q['3.7']} New: nothing earlier to compare with." in added
    assert "No criterion was removed." in _section(text, "Removed (0)", "Reworded (6)")
    reworded = _section(text, "Reworded (6)", "Re-scaled (")
    # Old and new wording side by side, then how the shipped mapping pairs them.
    assert f"3.5 {old_q['3.5']} {new_q['3.5']} Not compared: Split into bail (3.5)" in reworded
    assert f"6.1 {old_q['6.1']} {new_q['6.1']} Compared: The same Victims' Code" in reworded
    rescaled = _section(text, "Re-scaled (", "Otherwise changed (")
    assert f"5.4 {new_q['5.4']} Now also: Not in the file pack. No longer: Partly met, N/A." \
        in rescaled
    other = text[text.index("Otherwise changed ("):]
    assert f"3.2 {new_q['3.2']} Guidance, source, when it applies, file pack" in other
    seen = visible_texts(dialog)
    assert internal_names(seen, codes=["da-nfa-review"]) == []
    assert naming_problems(dialog, "Compare versions") == []


def test_a_removed_criterion_and_a_pair_without_a_mapping(qtbot: QtBot,
                                                          sqlite_db: Database) -> None:
    dialog = FrameworkDiffDialog(sqlite_db, "evidence-led-review", 3)
    qtbot.addWidget(dialog)
    dialog.show()
    text = _words(dialog.browser.toPlainText())
    removed = _section(text, "Removed (1)", "Reworded (")
    assert removed.startswith("Removed (1) Criterion Question Comparing audits 5.3 ")
    dialog.earlier.setCurrentIndex(dialog.earlier.findData(1))   # 1 to 3: no mapping ships
    assert "No mapping comes with these versions" in dialog.summary.text()
    dialog.earlier.setCurrentIndex(dialog.earlier.findData(3))
    assert dialog.summary.text() == "Choose two different versions to see what changed."
    assert dialog.browser.toPlainText() == ""
