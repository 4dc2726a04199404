"""The population picture's figures: a hand-worked population, invariants over random ones,
and each statistic against an independent implementation (statsmodels, numpy, statistics)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from audit_app.core.population_picture import (
    PopulationRow,
    population_picture,
    quantile,
    working_days_between,
)
from tests.helpers.population_extract import (
    DAYS_TO_TELL,
    HIGH_RISK_WITHOUT_MARAC,
    NFA_WITHOUT_NOTIFICATION,
    OUTCOME_15_NOT_SUPPORTING,
    OUTCOME_COUNTS,
    ROWS,
)

FLAGS = {"yes": True, "no": False, "": None}


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def hand_made_rows() -> list[PopulationRow]:
    """The shared ten-case extract, as the rows the service would read."""
    return [PopulationRow(reference, int(outcome) if outcome else None, risk or None,
                          FLAGS[marac], None, FLAGS[arrested], None, None, None,
                          support or None, _date(finalised), _date(told))
            for reference, outcome, risk, marac, arrested, support, finalised, told in ROWS]


def test_hand_made_population_exact_figures() -> None:
    picture = population_picture(hand_made_rows())
    assert picture.cases == 10
    assert {o.code: o.count for o in picture.outcomes} == OUTCOME_COUNTS
    assert [o.code for o in picture.outcomes] == [1, 15, 16, 18, None]
    assert picture.outcome_16.count == 5 and picture.outcome_16.share == 0.5
    rates = {rate.key: rate for rate in picture.rates}
    assert (rates["arrested"].count, rates["arrested"].n) == (5, 8)
    assert rates["arrested"].rate == pytest.approx(0.625)
    # MARAC among high-risk cases with MARAC recorded: A1 no, A2 yes, A6 no (A5 blank).
    assert (rates["marac_referral"].count, rates["marac_referral"].n) == (1, 3)
    for absent in ("dvpn", "dvpo", "idva_referral", "bwv_present"):
        assert not rates[absent].in_extract and rates[absent].n == 0
        assert rates[absent].rate is None and rates[absent].interval is None
    delay = picture.delay
    assert delay.in_extract and delay.n == len(DAYS_TO_TELL)
    assert (delay.median, delay.lower_quartile, delay.upper_quartile) == (8.5, 3.25, 13.0)
    assert delay.over_calendar_days == 2  # 14 and 20 days
    assert delay.over_working_days == 3  # 10, 8 and 14 working days; 5 is not over
    assert delay.told_before_finalised == 0
    lists = {listing.key: listing.references for listing in picture.exceptions}
    assert lists == {"high_risk_without_marac": HIGH_RISK_WITHOUT_MARAC,
                     "outcome_15_victim_not_supporting": OUTCOME_15_NOT_SUPPORTING,
                     "nfa_without_notification": NFA_WITHOUT_NOTIFICATION}


def test_partner_picture_keeps_counts_and_drops_references() -> None:
    picture = population_picture(hand_made_rows())
    partner = picture.without_references()
    assert [e.count for e in partner.exceptions] == [2, 1, 2]
    assert all(not e.references for e in partner.exceptions)
    assert partner.outcomes == picture.outcomes and partner.rates == picture.rates
    for listing in partner.to_dict()["exceptions"]:
        assert listing["references"] == []


def test_a_mapped_but_blank_column_is_in_the_extract_with_n_zero() -> None:
    picture = population_picture(hand_made_rows(), mapped_fields={"dvpn"})
    dvpn = next(rate for rate in picture.rates if rate.key == "dvpn")
    assert dvpn.in_extract and dvpn.n == 0 and dvpn.rate is None


def test_an_empty_population_has_no_figures_and_does_not_fail() -> None:
    picture = population_picture([])
    assert picture.cases == 0 and picture.outcomes == () and picture.outcome_16.share == 0.0
    assert picture.delay.median is None and not picture.delay.in_extract
    assert all(not listing.in_extract and listing.count == 0 for listing in picture.exceptions)


@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2026-03-02", "2026-03-02", 0), ("2026-03-06", "2026-03-09", 1),  # Friday to Monday
    ("2026-03-06", "2026-03-13", 5), ("2026-03-07", "2026-03-08", 0),  # a weekend
    ("2026-03-09", "2026-03-02", -5)])
def test_working_days_by_hand(start: str, end: str, expected: int) -> None:
    assert working_days_between(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) == \
        expected


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)), st.integers(-60, 400))
def test_working_days_match_numpy(start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    # numpy counts [begin, end): the days after `start` up to `end` are [start+1, end+1).
    if days >= 0:
        expected = int(np.busday_count(start + dt.timedelta(days=1), end + dt.timedelta(days=1)))
    else:
        expected = -int(np.busday_count(end + dt.timedelta(days=1), start + dt.timedelta(days=1)))
    assert working_days_between(start, end) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-5, 90), min_size=1, max_size=60),
       st.sampled_from([0.25, 0.5, 0.75]))
def test_quantiles_match_statistics_inclusive_and_numpy(days: list[int],
                                                        fraction: float) -> None:
    ours = quantile(Counter(days), fraction)
    assert ours == pytest.approx(float(np.percentile(days, fraction * 100)))
    if len(days) > 1:
        quartiles = statistics.quantiles(days, n=4, method="inclusive")
        assert ours == pytest.approx(quartiles[int(fraction * 4) - 1])
    if fraction == 0.5:
        assert ours == pytest.approx(statistics.median(days))


flags = st.sampled_from([True, False, None])
rows = st.builds(
    PopulationRow, reference=st.text("ABC0123456789/", min_size=1, max_size=8),
    outcome_code=st.one_of(st.none(), st.integers(1, 22)),
    risk_level=st.sampled_from([None, "standard", "medium", "high"]), marac_referral=flags,
    idva_referral=flags, arrested=flags, dvpn=flags, dvpo=flags, bwv_present=flags,
    victim_supports=st.sampled_from([None, "yes", "never", "withdrawn"]),
    date_finalised=st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2026, 1, 1))),
    nfa_notification_date=st.one_of(st.none(),
                                    st.dates(dt.date(2025, 1, 1), dt.date(2026, 3, 1))))


@settings(max_examples=100, deadline=None)
@given(st.lists(rows, max_size=80))
def test_invariants_of_any_population(population: list[PopulationRow]) -> None:
    picture = population_picture(population)
    assert picture.cases == len(population)
    if population:
        assert sum(o.share for o in picture.outcomes) == pytest.approx(1.0)
    assert sum(o.count for o in picture.outcomes) == len(population)
    for rate in picture.rates:
        assert 0 <= rate.count <= rate.n <= len(population)
        if rate.n:
            assert rate.rate is not None and 0.0 <= rate.rate <= 1.0
            assert rate.interval is not None
            low, high = rate.interval
            assert 0.0 <= low <= rate.rate <= high <= 1.0
            expected = proportion_confint(rate.count, rate.n, method="wilson")
            assert (low, high) == pytest.approx(expected, abs=1e-9)
    delay = picture.delay
    assert delay.n <= len(population)
    assert max(delay.over_working_days, delay.over_calendar_days,
               delay.told_before_finalised) <= delay.n
    if delay.n:
        assert delay.lower_quartile is not None and delay.upper_quartile is not None
        assert delay.lower_quartile <= delay.median <= delay.upper_quartile  # type: ignore[operator]
    for listing in picture.exceptions:
        assert listing.count == len(listing.references) <= len(population)


def test_a_list_the_extract_cannot_support_is_not_drawn() -> None:
    """No notification column: every NFA case lacks a date, which says nothing."""
    untold = [PopulationRow(f"N{number}", 16, "high", True, None, None, None, None, None, None,
                            dt.date(2026, 3, 2), None) for number in range(5)]
    listing = {e.key: e for e in population_picture(untold).exceptions}
    assert listing["nfa_without_notification"].in_extract is False
    assert listing["nfa_without_notification"].count == 0
    assert listing["high_risk_without_marac"].in_extract is True
    mapped = population_picture(untold, mapped_fields={"nfa_notification_date"})
    assert {e.key: e.count for e in mapped.exceptions}["nfa_without_notification"] == 5
