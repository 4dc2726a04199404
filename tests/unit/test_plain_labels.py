"""The plain labels every screen, command and sheet takes from core: one source of truth."""

from __future__ import annotations

import pytest

from audit_app.core.answers import Answer, ReviewStatus, Verdict, stored_value_label
from audit_app.core.case_fields import (
    CASE_FIELDS,
    describe_case_condition,
    field_in_sentence,
    field_label,
)
from audit_app.core.sampling import ALLOCATION_LABELS, METHOD_LABELS, Allocation, SampleMethod
from audit_app.services.acting import COMMAND_LINE, UNNAMED_MEMBER, current_actor, name_actor
from audit_app.services.package_items import describe_item, item_label
from tests.helpers.visible_text import SNAKE_CASE


def test_every_field_has_a_plain_label_and_a_kept_column_gets_one() -> None:
    assert all(not SNAKE_CASE.search(field_label(field.key)) for field in CASE_FIELDS)
    assert field_label("risk_level") == "Risk level"
    assert field_label("force_system_id") == "Force system id"
    assert [field_in_sentence(key) for key in ("risk_level", "marac_referral", "idva_referral")] \
        == ["risk level", "MARAC referral", "IDVA referral"]


@pytest.mark.parametrize(("condition", "words"), [
    ("outcome_code in (9, 10, 14)", "Outcome code is one of 9, 10, 14"),
    ("risk_level == 'high' and area == 'North'", "Risk level is high and Area is North"),
    ("", ""),
    ("outcome_code in (", "outcome_code in ("),  # no longer reads: shown as typed
])
def test_a_condition_reads_with_field_labels(condition: str, words: str) -> None:
    assert describe_case_condition(condition) == words


def test_every_method_and_allocation_has_a_label() -> None:
    assert set(METHOD_LABELS) == set(SampleMethod)
    assert set(ALLOCATION_LABELS) == set(Allocation)
    assert ALLOCATION_LABELS[Allocation.PROPORTIONAL] == "In proportion to the population"


def test_stored_codes_read_as_their_labels() -> None:
    for kind in (Answer, Verdict, ReviewStatus):
        for member in kind:
            assert stored_value_label(member.value) == member.label
    assert [stored_value_label(v) for v in (True, False, None, "on file")] == \
        ["Yes", "No", "", "on file"]
    assert describe_item({"value": "partly_met", "note": "late"}) == "Partly met – late"
    assert [item_label(i) for i in ("@learning_points", "@urgent_safeguarding", "2.7")] == \
        ["Learning points", "Urgent safeguarding", "2.7"]


def test_who_a_change_is_by(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDIT_APP_USER", raising=False)
    monkeypatch.setenv("USER", "root")
    assert current_actor() == UNNAMED_MEMBER  # never the login name
    monkeypatch.setenv("AUDIT_APP_USER", " Sam  Secretary ")
    assert current_actor() == "Sam Secretary"
    name_actor("Dana   Chair")
    assert current_actor() == "Dana Chair"
    name_actor(COMMAND_LINE)
    assert current_actor() == COMMAND_LINE
