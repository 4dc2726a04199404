"""Properties of the sampling methods: subsets, no duplicates, allocation, reproducibility."""

from __future__ import annotations

import hashlib
import itertools
import random

import numpy  # noqa: F401  # imported once here, not inside the first timed example
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from audit_app.core.errors import UserError
from audit_app.core.sampling import (
    Allocation,
    DrawKeys,
    Population,
    SampleMethod,
    allocate,
    draw,
    draw_key,
    population_fingerprint,
    sha256,
    smallest_keys,
    stratum_label,
)

STRATA = ["14", "15", "16", "18"]


@st.composite
def populations(draw_: st.DrawFn, min_size: int = 1) -> Population:
    count = draw_(st.integers(min_value=min_size, max_value=300))
    strata = draw_(st.lists(st.sampled_from(STRATA), min_size=count, max_size=count))
    return Population([f"CR/{i:05d}" for i in range(count)], strata)


@st.composite
def population_and_size(draw_: st.DrawFn) -> tuple[Population, int]:
    units = draw_(populations())
    return units, draw_(st.integers(min_value=1, max_value=len(units)))


def unstratified(references: list[str]) -> Population:
    return Population.unstratified(references)


def shuffled(population: Population, seed: int) -> Population:
    pairs = list(zip(population.references, population.strata, strict=True))
    random.Random(seed).shuffle(pairs)
    return Population.of(pairs)


def with_keys(population: Population, seed: int) -> Population:
    keys = DrawKeys(seed)
    keys.add(population.references)
    return Population(population.references, population.strata, keys)


methods = st.sampled_from(list(SampleMethod))
allocations = st.sampled_from(list(Allocation))
seeds = st.integers(min_value=1, max_value=2**62)


@given(population_and_size(), seeds, methods, allocations)
def test_sample_is_a_subset_without_duplicates_of_the_right_size(
        case: tuple[Population, int], seed: int, method: SampleMethod,
        allocation: Allocation) -> None:
    units, size = case
    drawn = draw(units, size=size, seed=seed, method=method, allocation=allocation)
    refs = [d.reference for d in drawn]
    assert len(refs) == size
    assert len(set(refs)) == size
    assert set(refs) <= set(units.references)
    assert [d.position for d in drawn] == list(range(1, size + 1))
    stratum = dict(zip(units.references, units.strata, strict=True))
    assert all(d.stratum == stratum[d.reference] for d in drawn)


@given(population_and_size(), seeds, methods)
def test_same_seed_same_sample_whatever_the_input_order(
        case: tuple[Population, int], seed: int, method: SampleMethod) -> None:
    units, size = case
    first = draw(units, size=size, seed=seed, method=method)
    again = draw(shuffled(units, seed), size=size, seed=seed, method=method)
    assert [d.reference for d in first] == [d.reference for d in again]


@given(population_and_size(), seeds, methods, allocations)
def test_keys_made_while_reading_give_the_same_sample(
        case: tuple[Population, int], seed: int, method: SampleMethod,
        allocation: Allocation) -> None:
    units, size = case
    plain = draw(units, size=size, seed=seed, method=method, allocation=allocation)
    keyed = draw(with_keys(units, seed), size=size, seed=seed, method=method,
                 allocation=allocation)
    assert keyed == plain
    # keys made for another seed are not used by mistake
    assert draw(with_keys(units, seed + 1), size=size, seed=seed, method=method,
                allocation=allocation) == plain


@given(populations(), seeds, st.data(), st.sampled_from([-6.0, -2.0, 0.0, 6.0]))
def test_smallest_keys_are_the_brute_force_answer(units: Population, seed: int,
                                                  data: st.DataObject, margin: float) -> None:
    # A negative margin puts the bound below where the wanted keys lie, so the path that
    # reads a short stratum again in full is exercised too.
    sizes = units.stratum_sizes()
    counts = {name: data.draw(st.integers(0, size), label=name) for name, size in sizes.items()}
    for population in (units, with_keys(units, seed)):
        got = smallest_keys(population, counts, seed, margin=margin)
        expected = []
        for name, count in counts.items():
            members = [r for r, s in zip(units.references, units.strata, strict=True) if s == name]
            expected += sorted(members, key=lambda r: draw_key(seed, r))[:count]
        assert sorted(units.references[i] for _, i in got) == sorted(expected)
        assert all(key.hex() == draw_key(seed, units.references[i]) for key, i in got)


@settings(max_examples=50)
@given(populations(min_size=40), seeds,
       st.sampled_from([SampleMethod.RANDOM, SampleMethod.STRATIFIED]))
def test_different_seeds_give_different_samples(units: Population, seed: int,
                                                method: SampleMethod) -> None:
    size = len(units) // 4
    assume(size >= 10)
    first = {d.reference for d in draw(units, size=size, seed=seed, method=method)}
    second = {d.reference for d in draw(units, size=size, seed=seed + 1, method=method)}
    assert first != second


def test_systematic_sample_is_evenly_spaced() -> None:
    units = unstratified([f"R{i:04d}" for i in range(1000)])
    drawn = draw(shuffled(units, 3), size=10, seed=77, method=SampleMethod.SYSTEMATIC)
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
def test_stratified_counts_follow_the_allocation(case: tuple[Population, int], seed: int,
                                                 allocation: Allocation) -> None:
    units, size = case
    drawn = draw(units, size=size, seed=seed, method=SampleMethod.STRATIFIED,
                 allocation=allocation)
    sizes: dict[str, int] = {}
    for stratum in units.strata:
        sizes[stratum] = sizes.get(stratum, 0) + 1
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
    units = Population.of((f"R{i:03d}", "high" if i % 10 == 0 else "standard")
                          for i in range(1, 101))
    drawn = draw(units, size=10, seed=7, method=SampleMethod.RANDOM,
                 always_include=["R010", "R005"])
    assert [(d.reference, d.stratum) for d in drawn[:2]] == [("R005", "standard"),
                                                             ("R010", "high")]
    assert len({d.reference for d in drawn}) == 10
    assert drawn[2:] == [type(d)(d.reference, d.stratum, d.position + 2) for d in draw(
        units.without({"R005", "R010"}), size=8, seed=7, method=SampleMethod.RANDOM)]


def test_too_many_always_included_is_a_user_error() -> None:
    units = unstratified([f"R{i}" for i in range(1, 11)])
    with pytest.raises(UserError, match="must always be included"):
        draw(units, size=2, seed=1, method=SampleMethod.RANDOM,
             always_include=units.references[:3])


def test_sample_larger_than_population_is_a_user_error() -> None:
    units = unstratified([f"R{i}" for i in range(1, 6)])
    with pytest.raises(UserError, match="larger than the 5 cases"):
        draw(units, size=6, seed=1, method=SampleMethod.RANDOM)


def test_draw_key_is_plain_sha256_of_seed_and_reference() -> None:
    # A partner can check this with any SHA-256 tool: echo -n "42:CR/1" | sha256sum
    assert draw_key(42, "CR/1") == hashlib.sha256(b"42:CR/1").hexdigest()


def test_random_sample_known_answer_is_stable_across_releases() -> None:
    references = [f"CR/{i:04d}" for i in range(1, 1001)]
    drawn = draw(unstratified(references), size=5, seed=20261123, method=SampleMethod.RANDOM)
    expected = sorted(references, key=lambda r: hashlib.sha256(
        f"20261123:{r}".encode()).hexdigest())[:5]
    assert [d.reference for d in drawn] == expected


def test_stratified_sample_known_answer_is_the_smallest_keys_of_each_stratum() -> None:
    references = [f"CR/{i:04d}" for i in range(1, 1001)]
    strata = ["16" if i % 4 == 0 else "14" for i in range(1, 1001)]  # 250 and 750
    drawn = draw(Population(references, strata), size=8, seed=99,
                 method=SampleMethod.STRATIFIED)

    def smallest(name: str, count: int) -> list[str]:
        members = [r for r, s in zip(references, strata, strict=True) if s == name]
        return sorted(members, key=lambda r: hashlib.sha256(f"99:{r}".encode()).hexdigest())[:count]

    chosen = smallest("16", 2) + smallest("14", 6)
    in_key_order = sorted(chosen, key=lambda r: hashlib.sha256(f"99:{r}".encode()).hexdigest())
    assert [d.reference for d in drawn] == in_key_order


def test_cpythons_sha256_gives_hashlibs_digests() -> None:
    for text in ["", "1:CR/1", "20261123:CR/0000001/25", "é" * 100, "x" * 1000]:
        assert sha256(text.encode()).digest() == hashlib.sha256(text.encode()).digest()


def test_draw_keys_hold_the_first_64_bits_of_each_key() -> None:
    keys = DrawKeys(42)
    keys.add(["CR/1", "CR/2"])
    keys.add(["CR/3"])
    assert list(keys.prefixes) == [int(draw_key(42, r)[:16], 16) for r in ["CR/1", "CR/2", "CR/3"]]
    assert list(keys.select([True, False, True]).prefixes) == [keys.prefixes[0], keys.prefixes[2]]


def test_stratum_labels_read_the_same_for_every_kind_of_value() -> None:
    import datetime as dt

    assert stratum_label([16, "North"]) == "16 / North"
    assert stratum_label([True, False]) == "Yes / No"
    assert stratum_label([None, ""]) == "(blank) / (blank)"
    assert stratum_label([dt.date(2026, 3, 1), dt.datetime(2026, 3, 2, 9, 30)]) == \
        "2026-03-01 / 2026-03-02"


@given(populations())
def test_fingerprint_ignores_order_but_sees_any_change(units: Population) -> None:
    base = population_fingerprint(units)
    assert population_fingerprint(shuffled(units, 1)) == base
    assert population_fingerprint(Population(units.references[1:], units.strata[1:])) != base
    changed = Population(units.references, [units.strata[0] + "x", *units.strata[1:]])
    assert population_fingerprint(changed) != base


def test_fingerprint_known_answer() -> None:
    # Written out so a partner can re-make it: sorted "reference<US>stratum", each
    # followed by <RS>, SHA-256 of the UTF-8.
    units = Population(["CR/2", "CR/10", "CR/1"], ["14", "16", "14"])
    text = "CR/1\x1f14\x1eCR/10\x1f16\x1eCR/2\x1f14\x1e"
    assert population_fingerprint(units) == hashlib.sha256(text.encode()).hexdigest()
