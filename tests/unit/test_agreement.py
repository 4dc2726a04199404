"""Agreement between members against published worked examples, statsmodels and irrCAC."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from irrCAC.raw import CAC
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from audit_app.core.agreement import (
    NOT_DEFINED,
    cohen_kappa,
    describe_kappa,
    fleiss_kappa,
    gwet_ac1,
    measure_agreement,
    measure_groups,
    percent_agreement,
)

# Fleiss (1971), table 1: 6 psychiatrists' diagnoses of 30 patients in 5 categories;
# kappa 0.430 in the paper (0.4302445 in R's irr::kappam.fleiss).
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5]]

# Gwet's handbook, 4 raters x 12 units with missing ratings (irrCAC's `raw_4raters`).
RAW_4RATERS = [("a", "a", None, "a"), ("b", "b", "c", "b"), ("c", "c", "c", "c"),
               ("c", "c", "c", "c"), ("b", "b", "b", "b"), ("a", "b", "c", "d"),
               ("d", "d", "d", "d"), ("a", "a", "b", "a"), ("b", "b", "b", "b"),
               (None, "e", "e", "e"), (None, None, "a", "a"), (None, None, "c", None)]


def _units_from_counts(rows: list[list[int]]) -> list[dict[str, str]]:
    """Category counts per subject -> member->category mappings (member names arbitrary)."""
    units = []
    for counts in rows:
        ratings = [str(category) for category, n in enumerate(counts) for _ in range(n)]
        units.append({f"r{index}": rating for index, rating in enumerate(ratings)})
    return units


def _units_from_rows(rows: list[tuple[str | None, ...]]) -> list[dict[str, str]]:
    return [{f"rater{i}": v for i, v in enumerate(row) if v is not None} for row in rows]


def _irrcac(units: list[dict[str, str]], categories: list[str] | None = None) -> CAC:
    members = sorted({member for unit in units for member in unit})
    frame = pd.DataFrame([[unit.get(m, None) for m in members] for unit in units],
                         columns=members)
    return CAC(frame, categories=categories, digits=12)


def test_cohen_kappa_textbook_example() -> None:
    # 50 items, yes/yes 20, yes/no 5, no/yes 10, no/no 15: po = 0.7, pe = 0.5, kappa = 0.4.
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_fleiss_1971_psychiatric_diagnoses() -> None:
    units = [{f"psychiatrist{i}": str(d) for i, d in enumerate(row)} for row in FLEISS_1971]
    assert fleiss_kappa(units) == pytest.approx(0.4302445, abs=5e-8)
    table, _ = aggregate_raters(FLEISS_1971)
    assert fleiss_kappa(units) == pytest.approx(statsmodels_fleiss(table))


def test_fleiss_kappa_fourteen_raters_example() -> None:
    # 14 raters, 10 subjects, 5 categories: P-bar 0.378, Pe 0.213, kappa 0.210
    # (the worked example in Fleiss' kappa's standard presentation; statsmodels' test too).
    rows = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
    units = _units_from_counts(rows)
    assert percent_agreement(units) == pytest.approx(0.378, abs=5e-4)
    assert fleiss_kappa(units) == pytest.approx(0.210, abs=5e-4)
    assert fleiss_kappa(units) == pytest.approx(statsmodels_fleiss(rows))


def test_gwet_handbook_example_counts_only_units_rated_twice() -> None:
    units = _units_from_rows(RAW_4RATERS)
    # The handbook's figures (percent agreement 0.8182, AC1 0.7754) take category shares
    # over all 12 units, the last rated only once; irrCAC reproduces them.
    handbook = _irrcac(units).gwet()["est"]
    assert handbook["pa"] == pytest.approx(0.8182, abs=5e-5)
    assert handbook["coefficient_value"] == pytest.approx(0.7754, abs=5e-5)
    # Here a unit rated once says nothing: the same percent agreement (it already left
    # that unit out), and AC1 and kappa as irrCAC gives them on the 11 units rated twice.
    assert percent_agreement(units) == pytest.approx(0.8182, abs=5e-5)
    rated_twice = [unit for unit in units if len(unit) >= 2]
    assert gwet_ac1(units) == pytest.approx(_irrcac(rated_twice).gwet()["est"]["coefficient_value"])
    assert fleiss_kappa(units) == pytest.approx(
        _irrcac(rated_twice).fleiss()["est"]["coefficient_value"])
    assert gwet_ac1(units) != pytest.approx(0.7754, abs=5e-5)


def test_every_answer_the_same_leaves_kappa_not_defined() -> None:
    units = [{"ann": "met", "bob": "met"}] * 12
    agreement = measure_agreement(units, ["met", "partly_met", "not_met", "na", "not_evidenced"])
    assert agreement.percent_agreement == 1.0
    assert agreement.cohen_kappa is None and agreement.fleiss_kappa is None
    assert agreement.kappa_interval is None
    assert agreement.gwet_ac1 == 1.0 and agreement.ac1_interval == (1.0, 1.0)
    assert agreement.units == 12 and agreement.cases == 12 and agreement.raters == 2
    assert agreement.reading == NOT_DEFINED == "not defined"


def test_single_ratings_do_not_count() -> None:
    agreement = measure_agreement([{"ann": "met"}, {"bob": "not_met"}])
    assert agreement.units == 0 and agreement.cases == 0
    assert agreement.percent_agreement is None and agreement.fleiss_kappa is None
    assert agreement.reading == "no case rated by two members"
    # A lone rating changes nothing: the figures are those of the double-rated units.
    pairs = [{"ann": "met", "bob": "met"}, {"ann": "met", "bob": "not_met"},
             {"ann": "not_met", "bob": "not_met"}]
    with_lone = measure_agreement([*pairs, {"ann": "na"}, {"bob": "met"}], ["met", "not_met", "na"])
    alone = measure_agreement(pairs, ["met", "not_met", "na"])
    assert with_lone == alone


def test_cohen_only_for_exactly_two_members() -> None:
    units = [{"a": "x", "b": "x", "c": "y"}, {"a": "y", "b": "y", "c": "y"}]
    assert measure_agreement(units).cohen_kappa is None
    assert measure_agreement(units).fleiss_kappa is not None


def test_plain_english_bands() -> None:
    assert describe_kappa(None) == "not defined"
    assert describe_kappa(-0.1) == "poor"
    assert describe_kappa(0.0) == "slight"
    assert describe_kappa(0.4) == "fair"
    assert describe_kappa(0.6) == "moderate"
    assert describe_kappa(0.7) == "substantial"
    assert describe_kappa(0.85) == "almost perfect"


MEMBERS = ["ann", "bob", "cy", "dee", "eve", "fay"]


@st.composite
def rated_units(draw: st.DrawFn, complete: bool = False) -> tuple[list[dict[str, str]], list[str]]:
    """Units each rated by 2-6 members (all the same number when `complete`), 2-6 categories."""
    categories = [f"c{k}" for k in range(draw(st.integers(2, 6)))]
    fixed = draw(st.integers(2, 6))
    units = []
    for _ in range(draw(st.integers(2, 25))):
        count = fixed if complete else draw(st.integers(2, 6))
        members = draw(st.permutations(MEMBERS))[:count]
        units.append({m: draw(st.sampled_from(categories)) for m in members})
    return units, categories


CROSS_CHECK = settings(max_examples=40, deadline=None,
                       suppress_health_check=[HealthCheck.too_slow])


@CROSS_CHECK
@given(rated_units())
def test_matches_irrcac_with_varying_numbers_of_members(
        drawn: tuple[list[dict[str, str]], list[str]]) -> None:
    units, categories = drawn
    agreement = measure_agreement(units, categories, resamples=0)
    reference = _irrcac(units, categories)
    gwet = reference.gwet()["est"]
    assert agreement.percent_agreement == pytest.approx(gwet["pa"], abs=1e-9)
    assert agreement.gwet_ac1 == pytest.approx(gwet["coefficient_value"], abs=1e-9)
    if agreement.fleiss_kappa is None:  # irrCAC divides by zero where kappa is not defined
        assert len({rating for unit in units for rating in unit.values()}) == 1
    else:
        assert agreement.fleiss_kappa == pytest.approx(
            reference.fleiss()["est"]["coefficient_value"], abs=1e-9)


@CROSS_CHECK
@given(rated_units(complete=True))
def test_matches_statsmodels_on_complete_tables(
        drawn: tuple[list[dict[str, str]], list[str]]) -> None:
    units, categories = drawn
    table = [[sum(1 for v in unit.values() if v == c) for c in categories] for unit in units]
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 where every answer agrees
        expected = statsmodels_fleiss(table)
    found = fleiss_kappa(units)
    if found is None:
        assert math.isnan(expected) or len({v for u in units for v in u.values()}) == 1
    else:
        assert found == pytest.approx(expected, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["1.1", "1.2", "2.1"]),
                       st.dictionaries(st.integers(0, 14),
                                       st.dictionaries(st.sampled_from(["ann", "bob", "cy"]),
                                                       st.sampled_from("xyz"), max_size=3),
                                       max_size=12)))
def test_grouped_figures_equal_separate_ones(
        groups: dict[str, dict[int, dict[str, str]]]) -> None:
    pooled, per_group = measure_groups(groups, ["x", "y", "z"], resamples=20)
    every_unit = [unit for units in groups.values() for unit in units.values()]
    alone = measure_agreement(every_unit, ["x", "y", "z"], resamples=0)
    assert (pooled.units, pooled.percent_agreement, pooled.fleiss_kappa, pooled.gwet_ac1) == (
        alone.units, alone.percent_agreement, alone.fleiss_kappa, alone.gwet_ac1)
    # n is cases, not answers: a case counts once however many criteria it was rated on.
    assert pooled.cases == len({case for units in groups.values()
                                for case, unit in units.items() if len(unit) >= 2})
    for key, units in groups.items():
        separate = measure_agreement(list(units.values()), ["x", "y", "z"], resamples=0)
        found = per_group[key]
        assert (found.units, found.cases, found.percent_agreement, found.percent_interval,
                found.fleiss_kappa, found.gwet_ac1) == (
            separate.units, separate.cases, separate.percent_agreement,
            separate.percent_interval, separate.fleiss_kappa, separate.gwet_ac1)
