"""The framework editor: read-only saved versions, new versions, new frameworks, files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from audit_app.core.answers import Answer
from audit_app.core.framework_fields import Role, Source
from audit_app.services.database import Database
from audit_app.services.frameworks import get_framework, list_frameworks
from audit_app.ui.framework_editor import FrameworkEditorDialog


def _editor(qtbot: QtBot, db: Database) -> FrameworkEditorDialog:
    dialog = FrameworkEditorDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _finish(qtbot: QtBot, dialog: FrameworkEditorDialog) -> None:
    """A save, import or export runs in the background: wait for it to report back."""
    qtbot.waitUntil(lambda: not dialog.busy)


def _save_button(dialog: FrameworkEditorDialog) -> object:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def test_saved_versions_are_read_only(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _editor(qtbot, sqlite_db)
    assert dialog.chooser.count() == len(list_frameworks(sqlite_db)) >= 2
    assert not dialog.editable
    assert not _save_button(dialog).isEnabled()  # type: ignore[attr-defined]
    assert not dialog.criterion_form.isEnabled()


def test_new_version_keeps_the_old_one_unchanged(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _editor(qtbot, sqlite_db)
    dialog.chooser.setCurrentIndex(dialog.chooser.findData("da-nfa-review@3"))
    original = get_framework(sqlite_db, "da-nfa-review@3")
    qtbot.mouseClick(dialog.version_button, Qt.MouseButton.LeftButton)
    assert dialog.editable and dialog.working["version"] == 4
    first_criterion = dialog.tree.topLevelItem(0).child(0).child(0)
    dialog.tree.setCurrentItem(first_criterion)
    dialog.criterion_form.question.setPlainText("Was positive action taken and recorded?")
    dialog.save()
    _finish(qtbot, dialog)
    assert "Saved" in dialog.status.text()
    saved = get_framework(sqlite_db, "da-nfa-review@4")
    assert saved.criteria[0].question == "Was positive action taken and recorded?"
    # Everything else goes through unchanged: key criteria, scales, roles, sources.
    assert [c.code for c in saved.criteria if c.key] == [c.code for c in original.criteria
                                                         if c.key] != []
    assert saved.criteria[1:] == original.criteria[1:]
    assert get_framework(sqlite_db, "da-nfa-review@3") == original


def test_new_framework_is_checked_before_saving(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _editor(qtbot, sqlite_db)
    dialog.new_framework()
    form = dialog.framework_form
    form.key.setText("stop-search-review")
    form.title.setText("Stop and search review")
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    form.store(dialog.working)
    dialog.save()
    _finish(qtbot, dialog)
    assert "Not saved" in dialog.status.text() and "question" in dialog.status.text()

    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(0).child(0))
    criterion = dialog.criterion_form
    criterion.question.setPlainText("Were the grounds for the search recorded?")
    qtbot.keyClicks(criterion.applies_when, "shoe_size > 9")
    assert "Unknown field" in criterion.rule_status.text()
    criterion.applies_when.clear()
    qtbot.keyClicks(criterion.applies_when, "arrested == true")
    assert "Rule understood" in criterion.rule_status.text()
    dialog.add_criterion()
    dialog.criterion_form.question.setPlainText("Was the outcome recorded?")
    dialog.save()
    _finish(qtbot, dialog)
    saved = get_framework(sqlite_db, "stop-search-review")
    assert [c.question for c in saved.criteria] == [
        "Were the grounds for the search recorded?", "Was the outcome recorded?"]
    assert saved.criteria[0].applies_when == "arrested == true"


def test_reorder_and_remove(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _editor(qtbot, sqlite_db)
    dialog.new_framework()
    dialog.add_criterion()
    dialog.criterion_form.code.setText("1.2")
    dialog.criterion_form.question.setPlainText("Second")
    dialog.criterion_form.code.textEdited.emit("1.2")
    dialog.move_selected(-1)
    assert [c["question"] for c in dialog.working["sections"][0]["criteria"]] == ["Second", ""]
    dialog.remove_selected()
    assert [c["question"] for c in dialog.working["sections"][0]["criteria"]] == [""]


def test_export_then_import_as_a_file(qtbot: QtBot, sqlite_db: Database, tmp_path: Path) -> None:
    dialog = _editor(qtbot, sqlite_db)
    dialog.chooser.setCurrentIndex(dialog.chooser.findData("evidence-led-review@1"))
    target = tmp_path / "elp.yaml"
    dialog.export_to(target)
    _finish(qtbot, dialog)
    assert "Exported" in dialog.status.text()
    text = target.read_text(encoding="utf-8").replace("version: 1", "version: 7", 1)
    target.write_text(text, encoding="utf-8")
    dialog.import_from(target)
    _finish(qtbot, dialog)
    assert dialog.chooser.currentData() == "evidence-led-review@7"
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed", encoding="utf-8")
    dialog.import_from(broken)
    _finish(qtbot, dialog)
    assert "Not imported" in dialog.status.text()


def test_key_criterion_tick_saves_into_the_new_version(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _editor(qtbot, sqlite_db)
    dialog.chooser.setCurrentIndex(dialog.chooser.findData("da-nfa-review@3"))
    qtbot.mouseClick(dialog.version_button, Qt.MouseButton.LeftButton)
    first_criterion = dialog.tree.topLevelItem(0).child(0).child(0)  # 1.1, not key
    dialog.tree.setCurrentItem(first_criterion)
    box = dialog.criterion_form.key
    assert box.accessibleName() == "Key criterion" and not box.isChecked()
    box.setChecked(True)
    dialog.save()
    _finish(qtbot, dialog)
    assert "Saved" in dialog.status.text()
    before = [c.code for c in get_framework(sqlite_db, "da-nfa-review@3").criteria if c.key]
    after = [c.code for c in get_framework(sqlite_db, "da-nfa-review@4").criteria if c.key]
    assert after == ["1.1", *before]


def test_a_copy_of_an_earlier_version_takes_the_next_free_number(
        qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _editor(qtbot, sqlite_db)
    dialog.chooser.setCurrentIndex(dialog.chooser.findData("da-nfa-review@2"))
    qtbot.mouseClick(dialog.version_button, Qt.MouseButton.LeftButton)
    assert dialog.working["version"] == 4  # version 3 is already shipped


def test_scale_role_file_pack_and_source_are_edited(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _editor(qtbot, sqlite_db)
    dialog.chooser.setCurrentIndex(dialog.chooser.findData("da-nfa-review@3"))
    shown = dialog.criterion_form
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(0).child(0))  # 1.1, read-only
    assert shown.source_document.text().startswith("Hampshire Constabulary statement")
    assert shown.source_quote.toPlainText().startswith("The force is working")
    assert not shown.scale_boxes[Answer.NOT_APPLICABLE].isChecked()
    assert shown.pack_boxes["incident_log"].isChecked()
    qtbot.mouseClick(dialog.version_button, Qt.MouseButton.LeftButton)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(0).child(1))  # 1.2
    form = dialog.criterion_form
    assert not form.scale_boxes[Answer.MET].isEnabled()  # Met and Not met are always there
    form.scale_boxes[Answer.PARTLY_MET].setChecked(False)
    form.note_boxes[Answer.PARTLY_MET].setChecked(False)
    form.answered_by.setCurrentIndex(form.answered_by.findData("police"))
    form.pack_boxes["dash_form"].setChecked(True)
    form.source_document.setText("Body-worn video guidance, 2024 edition")
    form.source_document.textEdited.emit("Body-worn video guidance, 2024 edition")
    form.source_where.setText("Section 3")
    form.source_where.textEdited.emit("Section 3")
    form.source_quote.setPlainText("")
    dialog.save()
    _finish(qtbot, dialog)
    assert "Saved" in dialog.status.text(), dialog.status.text()
    saved = get_framework(sqlite_db, "da-nfa-review@4").criterion("1.2")
    assert saved.scale == (Answer.MET, Answer.NOT_MET, Answer.NOT_APPLICABLE,
                           Answer.NOT_EVIDENCED, Answer.NOT_IN_FILE)  # Partly met unticked
    assert saved.answered_by is Role.POLICE
    assert saved.file_pack == ("incident_log", "dash_form", "body_worn_video")  # list order
    assert saved.source == Source("Body-worn video guidance, 2024 edition", "Section 3")


def test_an_older_one_line_source_is_kept_as_one_line(qtbot: QtBot, sqlite_db: Database) -> None:
    dialog = _editor(qtbot, sqlite_db)
    dialog.chooser.setCurrentIndex(dialog.chooser.findData("da-nfa-review@2"))
    qtbot.mouseClick(dialog.version_button, Qt.MouseButton.LeftButton)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0).child(0).child(0))
    form = dialog.criterion_form
    assert form.source_document.text().startswith("HMICFRS PEEL effectiveness")
    assert form.source_where.text() == "" and form.answered_by.currentData() == "any"
    form.question.setPlainText("Was the history checked?")
    dialog.save()
    _finish(qtbot, dialog)
    saved = get_framework(sqlite_db, "da-nfa-review@4")
    earlier = get_framework(sqlite_db, "da-nfa-review@2")
    assert saved.criteria[0].source == earlier.criteria[0].source
    assert not saved.criteria[0].source.structured
    assert saved.criteria[1:] == earlier.criteria[1:]
