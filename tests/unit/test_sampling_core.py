"""Properties of the sampling methods: subsets, no duplicates, allocation, reproducibility."""

from __future__ import annotations

import hashlib
import itertools
import random

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audit_app.core.errors import UserError
from audit_app.core.sampling import (
    Allocation,
    SampleMethod,
    SamplingUnit,
    allocate,
    draw,
    draw_key,
    population_fingerprint,
)

STRATA = ["14", "15", "16", "18"]


@st.composite
def populations(draw_: st.DrawFn, min_size: int = 1) -> list[SamplingUnit]:
    count = draw_(st.integers(min_value=min_size, max_value=300))
    strata = draw_(st.lists(st.sampled_from(STRATA), min_size=count, max_size=count))
    return [SamplingUnit(i + 1, f"CR/{i:05d}", s) for i, s in enumerate(strata)]


@st.composite
def population_and_size(draw_: st.DrawFn) -> tuple[list[SamplingUnit], int]:
    units = draw_(populations())
    return units, draw_(st.integers(min_value=1, max_value=len(units)))


methods = st.sampled_from(list(SampleMethod))
allocations = st.sampled_from(list(Allocation))
seeds = st.integers(min_value=1, max_value=2**62)


@given(population_and_size(), seeds, methods, allocations)
def test_sample_is_a_subset_without_duplicates_of_the_right_size(
        case: tuple[list[SamplingUnit], int], seed: int, method: SampleMethod,
        allocation: Allocation) -> None:
    units, size = case
    drawn = draw(units, size=size, seed=seed, method=method, allocation=allocation)
    ids = [d.case_id for d in drawn]
    assert len(ids) == size
    assert len(set(ids)) == size
    assert set(ids) <= {u.case_id for u in units}
    assert [d.position for d in drawn] == list(range(1, size + 1))


@given(population_and_size(), seeds, methods)
def test_same_seed_same_sample_whatever_the_input_order(
        case: tuple[list[SamplingUnit], int], seed: int, method: SampleMethod) -> None:
    units, size = case
    first = draw(units, size=size, seed=seed, method=method)
    shuffled = units[:]
    random.Random(seed).shuffle(shuffled)
    again = draw(shuffled, size=size, seed=seed, method=method)
    assert [d.reference for d in first] == [d.reference for d in again]


@settings(max_examples=50)
@given(populations(min_size=40), seeds,
       st.sampled_from([SampleMethod.RANDOM, SampleMethod.STRATIFIED]))
def test_different_seeds_give_different_samples(units: list[SamplingUnit], seed: int,
                                                method: SampleMethod) -> None:
    size = len(units) // 4
    assume(size >= 10)
    first = {d.reference for d in draw(units, size=size, seed=seed, method=method)}
    second = {d.reference for d in draw(units, size=size, seed=seed + 1, method=method)}
    assert first != second


def test_systematic_sample_is_evenly_spaced() -> None:
    units = [SamplingUnit(i, f"R{i:04d}", "") for i in range(1000)]
    drawn = draw(units, size=10, seed=77, method=SampleMethod.SYSTEMATIC)
    numbers = [int(d.reference[1:]) for d in drawn]
    assert all(b - a == 100 for a, b in itertools.pairwise(numbers))


@given(st.dictionaries(st.sampled_from([*STRATA, "a", "b"]), st.integers(0, 500), min_size=1),
       st.integers(min_value=0, max_value=3000), allocations)
def test_allocation_sums_to_size_and_never_exceeds_a_stratum(
        sizes: dict[str, int], size: int, allocation: Allocation) -> None:
    assume(size <= sum(sizes.values()))
    quotas = allocate(sizes, size, allocation)
    assert sum(quotas.values()) == size
    assert all(0 <= quotas[name] <= sizes[name] for name in sizes)


@given(st.dictionaries(st.sampled_from(STRATA), st.integers(1, 500), min_size=1),
       st.integers(min_value=1, max_value=200))
def test_proportional_allocation_is_within_one_of_the_exact_share(
        sizes: dict[str, int], size: int) -> None:
    total = sum(sizes.values())
    assume(size <= total)
    quotas = allocate(sizes, size, Allocation.PROPORTIONAL)
    for name, count in sizes.items():
        assert abs(quotas[name] - size * count / total) < 1


@given(population_and_size(), seeds, allocations)
def test_stratified_counts_follow_the_allocation(case: tuple[list[SamplingUnit], int], seed: int,
                                                 allocation: Allocation) -> None:
    units, size = case
    drawn = draw(units, size=size, seed=seed, method=SampleMethod.STRATIFIED,
                 allocation=allocation)
    sizes: dict[str, int] = {}
    for unit in units:
        sizes[unit.stratum] = sizes.get(unit.stratum, 0) + 1
    expected = allocate(sizes, size, allocation)
    got: dict[str, int] = {}
    for d in drawn:
        got[d.stratum] = got.get(d.stratum, 0) + 1
    assert {k: v for k, v in expected.items() if v} == got


def test_equal_allocation_caps_small_strata_and_shares_the_rest() -> None:
    assert allocate({"a": 2, "b": 100, "c": 100}, 30, Allocation.EQUAL) == {"a": 2, "b": 14, "c": 14}


def test_largest_remainder_known_answer() -> None:
    # 40 over 1000/600/400 -> 20, 12, 8 exactly; 7 over 3 equal strata -> 3, 2, 2 (tie by name)
    assert allocate({"x": 1000, "y": 600, "z": 400}, 40, Allocation.PROPORTIONAL) == \
        {"x": 20, "y": 12, "z": 8}
    assert sorted(allocate({"a": 10, "b": 10, "c": 10}, 7, Allocation.PROPORTIONAL).values()) == \
        [2, 2, 3]


def test_always_included_cases_come_first_and_count_towards_the_size() -> None:
    units = [SamplingUnit(i, f"R{i:03d}", "") for i in range(1, 101)]
    certain = [units[4], units[9]]
    drawn = draw(units, size=10, seed=7, method=SampleMethod.RANDOM, always_include=certain)
    assert [d.reference for d in drawn[:2]] == ["R005", "R010"]
    assert len({d.case_id for d in drawn}) == 10


def test_too_many_always_included_is_a_user_error() -> None:
    units = [SamplingUnit(i, f"R{i}", "") for i in range(1, 11)]
    with pytest.raises(UserError, match="must always be included"):
        draw(units, size=2, seed=1, method=SampleMethod.RANDOM, always_include=units[:3])


def test_sample_larger_than_population_is_a_user_error() -> None:
    units = [SamplingUnit(i, f"R{i}", "") for i in range(1, 6)]
    with pytest.raises(UserError, match="larger than the 5 cases"):
        draw(units, size=6, seed=1, method=SampleMethod.RANDOM)


def test_draw_key_is_plain_sha256_of_seed_and_reference() -> None:
    # A partner can check this with any SHA-256 tool: echo -n "42:CR/1" | sha256sum
    assert draw_key(42, "CR/1") == hashlib.sha256(b"42:CR/1").hexdigest()


def test_random_sample_known_answer_is_stable_across_releases() -> None:
    units = [SamplingUnit(i, f"CR/{i:04d}", "") for i in range(1, 1001)]
    drawn = draw(units, size=5, seed=20261123, method=SampleMethod.RANDOM)
    expected = sorted(units, key=lambda u: hashlib.sha256(
        f"20261123:{u.reference}".encode()).hexdigest())[:5]
    assert [d.reference for d in drawn] == [u.reference for u in expected]


@given(populations())
def test_fingerprint_ignores_order_but_sees_any_change(units: list[SamplingUnit]) -> None:
    base = population_fingerprint(units)
    assert population_fingerprint(list(reversed(units))) == base
    assert population_fingerprint(units[1:]) != base
    changed = [SamplingUnit(u.case_id, u.reference, u.stratum + "x") if i == 0 else u
               for i, u in enumerate(units)]
    assert population_fingerprint(changed) != base
