"""The condition builder: pick-lists that write the expression, on a real demo database."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from audit_app.core.case_fields import FIELDS_BY_KEY
from audit_app.core.condition_rows import RowTest
from audit_app.core.expressions import compile_condition
from audit_app.db.cases import case_fields
from audit_app.db.models import CaseRecord
from audit_app.services.database import Database
from audit_app.services.field_values import vocabulary_values
from audit_app.services.records import AuditSummary
from audit_app.ui.condition_builder import ConditionBuilder
from audit_app.ui.condition_row import ConditionRowWidget
from audit_app.ui.framework_forms import CriterionForm


def _pick(qtbot: QtBot, builder: ConditionBuilder, row: ConditionRowWidget, field: str,
          test: RowTest) -> None:
    with qtbot.waitSignal(builder.values_ready, timeout=10_000):
        row.field_combo.setCurrentIndex(row.field_combo.findData(field))
    row.test_combo.setCurrentIndex(row.test_combo.findData(test.value))


def _cases(db: Database, audit_id: int) -> list[dict[str, Any]]:
    with db.reading() as session:
        return [case_fields(r) for r in session.scalars(select(CaseRecord).where(
            CaseRecord.audit_id == audit_id, CaseRecord.removed.is_(False)))]


def test_picking_a_field_test_and_values_sets_the_draw_scope(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    from tests.helpers.sample_page import sample_page

    page = sample_page(qtbot, scored_db, scored_audit.id)
    page.summary = None  # no "replace the sample?" question for this check
    dialog = page.open_draw_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    scope = dialog.scope_builder
    assert "Every case" in scope.status.text()

    scope.add_button.click()
    row = scope.rows[0]
    _pick(qtbot, scope, row, "outcome_code", RowTest.ONE_OF)
    listed = [row.picker.list.item(i).text() for i in range(row.picker.list.count())]
    cases = _cases(scored_db, scored_audit.id)
    sixteen = sum(1 for case in cases if case["outcome_code"] == 16)
    assert f"16 — Evidential difficulties: victim does not support or withdrew ({sixteen:,})" \
        in listed
    assert "Choose a field" in scope.status.text()  # no value picked yet

    row.picker.check(16)
    with qtbot.waitSignal(scope.count_ready, timeout=10_000):
        row.picker.check(15)
    assert dialog.where_edit.text() == "outcome_code in (16, 15)"
    matching = sum(1 for case in cases if case["outcome_code"] in (15, 16))
    assert scope.status.text() == f"Matches {matching:,} of {len(cases):,} cases."

    scope.add_button.click()  # a second row, any of the two
    _pick(qtbot, scope, scope.rows[1], "risk_level", RowTest.ONE_OF)
    scope.rows[1].picker.check("high")
    scope.join_combo.setCurrentIndex(1)
    expected = "outcome_code in (16, 15) or risk_level == 'high'"
    assert scope.expression() == expected
    assert dialog.conditions.tabText(1) == "Which cases (2)"  # seen from the other tabs
    with qtbot.waitSignal(scope.count_ready, timeout=10_000):
        scope.refresh_count()
    predicate = compile_condition(expected, fields=set(FIELDS_BY_KEY))
    assert f"Matches {sum(1 for c in cases if predicate(c)):,} of" in scope.status.text()

    dialog.always_builder.add_button.click()  # unfinished: the draw says so and waits
    dialog.accept()
    assert dialog.request is None and "Always include" in dialog.problem_label.text()
    dialog.always_builder.rows[0].remove_button.click()
    dialog.accept()
    assert dialog.request is not None and dialog.request.where == expected
    assert dialog.request.include_always == ""


def test_the_advanced_box_round_trips_and_keeps_what_rows_cannot_show(qtbot: QtBot) -> None:
    builder = ConditionBuilder("Scope", values=lambda field, _c: vocabulary_values(field))
    qtbot.addWidget(builder)
    builder.set_expression("risk_level == 'high' or marac_referral == true")
    assert not builder.advanced.isChecked() and len(builder.rows) == 2
    assert builder.condition_rows().rows[1].values == (True,)
    assert builder.join_combo.currentData() == "any of"
    assert builder.expression() == "risk_level == 'high' or marac_referral == true"  # as written

    builder.advanced.setChecked(True)
    assert not builder.expression_edit.isHidden() and builder.rows[0].isHidden()
    builder.expression_edit.setText("not arrested == true")
    builder.advanced.setChecked(False)  # cannot be rows: it stays an expression, and says why
    assert builder.advanced.isChecked()
    assert "cannot be shown as pick-lists" in builder.status.text()

    builder.expression_edit.setText("arrested == true and outcome_code >= 10")
    builder.advanced.setChecked(False)
    assert not builder.advanced.isChecked() and builder.expression_edit.isHidden()
    rows = builder.condition_rows().rows
    assert [(r.field, r.test, r.values) for r in rows] == [
        ("arrested", RowTest.ONE_OF, (True,)), ("outcome_code", RowTest.AT_LEAST, (10,))]
    builder.rows[1].number_edit.setValue(12)  # a change to the rows writes the expression
    assert builder.expression() == "arrested == true and outcome_code >= 12"
    builder.rows[0].remove_button.click()
    assert builder.expression() == "outcome_code >= 12"

    builder.set_expression("shoe_size > 9")  # an unknown field: the box, and the reason
    assert builder.advanced.isChecked() and "Unknown field" in builder.status.text()
    builder.set_expression("arrested == true")  # the next rule shown is rows again
    assert not builder.advanced.isChecked() and len(builder.rows) == 1


def test_applies_when_is_picked_from_known_values_and_saved_as_written(qtbot: QtBot) -> None:
    form = CriterionForm()
    qtbot.addWidget(form)
    changes: list[bool] = []
    form.changed.connect(lambda: changes.append(True))
    rule = "victim_supports in ('never', 'withdrawn')"
    form.load({"code": "1.1", "question": "Was the victim's decision recorded?",
               "applies_when": rule})
    changes.clear()
    builder = form.applies_builder
    assert len(builder.rows) == 1 and not builder.advanced.isChecked()
    picker = builder.rows[0].picker
    qtbot.waitUntil(lambda: picker.list.count() == 3, timeout=10_000)
    assert [picker.list.item(i).text() for i in range(3)] == ["Yes", "Never", "Withdrawn"]
    assert "Rule understood" in form.rule_status.text()
    data: dict[str, Any] = {}
    form.store(data)
    assert data["applies_when"] == rule

    picker.check("withdrawn", False)
    assert changes
    form.store(data)
    assert data["applies_when"] == "victim_supports == 'never'"
    picker.find_edit.setText("Area")  # finding narrows the list; nothing matches
    assert all(picker.list.item(i).isHidden() for i in range(3))


def test_a_text_field_with_no_known_values_takes_a_typed_one(qtbot: QtBot) -> None:
    builder = ConditionBuilder("Applies", values=lambda field, _c: vocabulary_values(field))
    qtbot.addWidget(builder)
    builder.add_button.click()
    _pick(qtbot, builder, builder.rows[0], "area", RowTest.NOT_ONE_OF)
    picker = builder.rows[0].picker
    picker.find_edit.setText("North's east")
    picker.find_edit.returnPressed.emit()
    assert builder.expression() == "area != \"North's east\""


def test_the_framework_editor_offers_the_open_audits_values(
        qtbot: QtBot, scored_db: Database, scored_audit: AuditSummary) -> None:
    from audit_app.ui.framework_editor import FrameworkEditorDialog

    editor = FrameworkEditorDialog(scored_db, audit_id=scored_audit.id)
    qtbot.addWidget(editor)
    editor.new_framework()  # editable, with one criterion
    editor.tree.setCurrentItem(editor.tree.topLevelItem(0).child(0).child(0))
    builder = editor.criterion_form.applies_builder
    builder.add_button.click()
    _pick(qtbot, builder, builder.rows[0], "outcome_code", RowTest.ONE_OF)
    picker = builder.rows[0].picker
    texts = [picker.list.item(i).text() for i in range(picker.list.count())]
    in_audit = {case["outcome_code"] for case in _cases(scored_db, scored_audit.id)} - {None}
    assert all(text.endswith(")") for text in texts[:len(in_audit)])  # counted first
    assert len(texts) == len(in_audit | set(range(1, 23)))


def test_every_control_of_the_builder_is_named(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QListWidget

    builder = ConditionBuilder("Scope", values=lambda field, _c: vocabulary_values(field))
    qtbot.addWidget(builder)
    builder.set_expression("arrested == true and crime_date < 2024-01-01 and outcome_code >= 3")
    controls = [w for kind in (QAbstractButton, QAbstractSpinBox, QComboBox, QLineEdit, QListWidget)
                for w in builder.findChildren(kind)]
    assert len(controls) > 10
    unnamed = [w for w in controls if not w.accessibleName()
               and not isinstance(w.parentWidget(), (QAbstractSpinBox, QComboBox))]
    assert not unnamed
