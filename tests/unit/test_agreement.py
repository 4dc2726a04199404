"""Agreement between reviewers against published worked examples."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit_app.core.agreement import (
    cohen_kappa,
    describe_kappa,
    fleiss_kappa,
    gwet_ac1,
    measure_agreement,
    measure_groups,
    percent_agreement,
)


def _units_from_counts(rows: list[list[int]]) -> list[dict[str, str]]:
    """Category counts per subject -> reviewer->category mappings (reviewer names arbitrary)."""
    units = []
    for counts in rows:
        ratings = [str(category) for category, n in enumerate(counts) for _ in range(n)]
        units.append({f"r{index}": rating for index, rating in enumerate(ratings)})
    return units


def test_cohen_kappa_textbook_example() -> None:
    # 50 items, yes/yes 20, yes/no 5, no/yes 10, no/no 15: po = 0.7, pe = 0.5, kappa = 0.4.
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_fleiss_kappa_worked_example() -> None:
    # 14 raters, 10 subjects, 5 categories: P-bar 0.378, Pe 0.213, kappa 0.210
    # (the worked example in Fleiss' kappa's standard presentation).
    rows = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    units = _units_from_counts(rows)
    assert percent_agreement(units) == pytest.approx(0.378, abs=5e-4)
    assert fleiss_kappa(units) == pytest.approx(0.210, abs=5e-4)


def test_gwet_ac1_handbook_example_with_missing_ratings() -> None:
    # Gwet's 4 raters x 12 units, 5 categories, some ratings missing (irrCAC's
    # "raw4raters" data): percent agreement 0.8182, AC1 0.7754.
    raw = [("a", "a", None, "a"), ("b", "b", "c", "b"), ("c", "c", "c", "c"),
           ("c", "c", "c", "c"), ("b", "b", "b", "b"), ("a", "b", "c", "d"),
           ("d", "d", "d", "d"), ("a", "a", "b", "a"), ("b", "b", "b", "b"),
           (None, "e", "e", "e"), (None, None, "a", "a"), (None, None, "c", None)]
    units = [{f"rater{i}": v for i, v in enumerate(row) if v is not None} for row in raw]
    assert percent_agreement(units) == pytest.approx(0.8182, abs=5e-5)
    assert gwet_ac1(units) == pytest.approx(0.7754, abs=5e-5)


def test_perfect_agreement_on_one_category() -> None:
    units = [{"ann": "met", "bob": "met"}] * 6
    agreement = measure_agreement(units, ["met", "partly_met", "not_met", "na", "not_evidenced"])
    assert agreement.percent_agreement == 1.0
    assert agreement.cohen_kappa is None and agreement.fleiss_kappa is None  # undefined
    assert agreement.gwet_ac1 == 1.0
    assert agreement.units == 6 and agreement.raters == 2


def test_single_ratings_do_not_count_as_agreement() -> None:
    agreement = measure_agreement([{"ann": "met"}, {"bob": "not_met"}])
    assert agreement.units == 0 and agreement.percent_agreement is None


def test_cohen_only_for_exactly_two_reviewers() -> None:
    units = [{"a": "x", "b": "x", "c": "y"}, {"a": "y", "b": "y", "c": "y"}]
    assert measure_agreement(units).cohen_kappa is None
    assert measure_agreement(units).fleiss_kappa is not None


@given(st.lists(st.tuples(st.sampled_from("xyz"), st.sampled_from("xyz")), min_size=1,
                max_size=60))
def test_two_rater_measures_are_bounded_and_consistent(pairs: list[tuple[str, str]]) -> None:
    units = [{"ann": first, "bob": second} for first, second in pairs]
    agreement = measure_agreement(units, ["x", "y", "z"])
    assert agreement.percent_agreement is not None
    assert 0.0 <= agreement.percent_agreement <= 1.0
    for value in (agreement.cohen_kappa, agreement.fleiss_kappa, agreement.gwet_ac1):
        assert value is None or -1.0 - 1e-9 <= value <= 1.0 + 1e-9
    if agreement.percent_agreement == 1.0 and agreement.gwet_ac1 is not None:
        assert agreement.gwet_ac1 == pytest.approx(1.0)


def test_plain_english_bands() -> None:
    assert describe_kappa(None) == "not enough data"
    assert describe_kappa(0.4) == "fair"
    assert describe_kappa(0.85) == "almost perfect"
    assert describe_kappa(-0.1) == "poor"


@given(st.dictionaries(st.sampled_from(["1.1", "1.2", "2.1"]),
                       st.lists(st.dictionaries(st.sampled_from(["ann", "bob", "cy"]),
                                                st.sampled_from("xyz"), max_size=3),
                                max_size=12)))
def test_grouped_measures_equal_separate_ones(groups: dict[str, list[dict[str, str]]]) -> None:
    pooled, per_group = measure_groups(groups, ["x", "y", "z"])
    everything = [unit for units in groups.values() for unit in units]
    assert pooled == measure_agreement(everything, ["x", "y", "z"])
    for key, units in groups.items():
        assert per_group[key] == measure_agreement(units, ["x", "y", "z"])
