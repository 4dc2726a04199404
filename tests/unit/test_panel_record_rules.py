"""The panel record's rules: open escalations before closed, overdue actions, theme counts,
and the theme taxonomy (shipped, traced to its sources, extended by a panel's file)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.audit_rows import ActionRow
from audit_app.core.errors import InvalidFileError
from audit_app.core.panel_record import (
    EscalationRow,
    count_themes,
    ordered_escalations,
    ordered_register,
)
from audit_app.io.theme_files import learning_themes, shipped_themes_path
from audit_app.services.frameworks import builtin_framework_files, read_framework_file

days = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2027, 12, 31))


@st.composite
def escalation_rows(draw: st.DrawFn) -> EscalationRow:
    created = draw(days)
    return EscalationRow(
        draw(st.integers(1, 10_000)), 1, "", "reason", "", "", draw(st.none() | days),
        draw(st.sampled_from(["", "Seen"])), None, draw(st.none() | days), "", "", created,
        created + dt.timedelta(days=draw(st.integers(1, 30))))


@given(st.lists(escalation_rows(), max_size=30), days)
def test_open_escalations_always_come_before_closed_ones(rows: list[EscalationRow],
                                                         today: dt.date) -> None:
    ordered = ordered_escalations(rows, today)
    assert sorted(ordered, key=id) == sorted(rows, key=id)
    seen_closed = False
    seen_not_overdue = False
    for row in ordered:
        seen_closed = seen_closed or not row.is_open
        assert not (row.is_open and seen_closed), "an open escalation after a closed one"
        if row.is_open:
            assert not (row.is_overdue(today) and seen_not_overdue), "overdue ones lead"
            seen_not_overdue = seen_not_overdue or not row.is_overdue(today)


statuses = st.sampled_from(["open", "in_progress", "done", "dropped"])


@given(statuses, st.none() | days, days)
def test_an_action_is_overdue_exactly_when_open_and_its_date_has_passed(
        status: str, due: dt.date | None, today: dt.date) -> None:
    row = ActionRow(1, "", "", "x", "", due, status, "", follow_up_by=due)
    expected = status in ("open", "in_progress") and due is not None and due < today
    assert row.is_overdue(today) == expected


@given(st.lists(st.tuples(statuses, st.none() | days), max_size=20), days)
def test_the_register_lists_open_actions_before_closed(
        specs: list[tuple[str, dt.date | None]], today: dt.date) -> None:
    rows = [ActionRow(n, "", "", "x", "", due, status, "", follow_up_by=due)
            for n, (status, due) in enumerate(specs)]
    ordered = ordered_register(rows, today)
    flags = [row.is_open for row in ordered]
    assert flags == sorted(flags, reverse=True)


@given(st.lists(st.tuples(st.integers(1, 8), st.sampled_from(["learning", "good_practice"]),
                          st.sampled_from(["a", "b", "c"])), max_size=40))
def test_a_case_counts_once_per_theme_and_kind(tags: list[tuple[int, str, str]]) -> None:
    counts = {c.theme_key: c for c in count_themes(tags, {"a": "A", "b": "B"})}
    for key in ("a", "b", "c"):
        expected = len({case for case, kind, theme in tags
                        if theme == key and kind == "learning"})
        assert counts.get(key) is None or counts[key].learning == expected
    assert list(counts)[:2] == ["a", "b"], "every named theme, in the taxonomy's order"


def test_shipped_themes_link_real_criteria_and_quote_their_sources() -> None:
    frameworks = {f.key: f for f in map(read_framework_file, builtin_framework_files())}
    quotes = {" ".join(c.source.quote.split()) for f in frameworks.values()
              for c in f.criteria if c.source.quote}
    shipped = learning_themes(Path("/nonexistent/themes.yaml"))
    assert 10 <= len(shipped) <= 14
    for theme in shipped:
        assert theme.name and theme.description and theme.recommendations
        for framework, codes in theme.criteria.items():
            known = {c.code for c in frameworks[framework].criteria}
            assert set(codes) <= known, f"{theme.key}: {framework} has no {set(codes) - known}"
        for recommendation in theme.recommendations:
            assert recommendation.document and recommendation.where
            if theme.key != "good-practice":
                assert recommendation.quote in quotes, "quoted as a criterion's source is"


def test_a_panels_file_renames_and_adds_themes(tmp_path: Path) -> None:
    own = tmp_path / "themes.yaml"
    own.write_text("themes:\n- key: timeliness\n  name: Delay\n"
                   "- key: interpreters\n  name: Interpreters\n", encoding="utf-8")
    themes = learning_themes(own)
    names = {theme.key: theme.name for theme in themes}
    assert names["timeliness"] == "Delay" and themes[-1].key == "interpreters"
    assert len(themes) == len(learning_themes(tmp_path / "none.yaml")) + 1
    own.write_text("themes:\n- key: Bad Key\n  name: x\n", encoding="utf-8")
    with pytest.raises(InvalidFileError, match="hyphens"):
        learning_themes(own)
    assert shipped_themes_path().is_file()
