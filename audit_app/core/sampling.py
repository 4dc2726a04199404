"""Drawing a sample: simple random, systematic or stratified; seeded and reproducible.

Reproducibility does not rest on any library's random generator. Every case gets a
*draw key*, the SHA-256 of "seed:reference"; a random sample is the cases with the
smallest keys. So the same population, seed and method give the same cases in the same
order on any machine, in any database, whatever order the rows were stored in, and a
partner can re-check a draw with a few lines of any language.
"""

from __future__ import annotations

import hashlib
import heapq
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

from audit_app.core.errors import UserError


class SampleMethod(StrEnum):
    RANDOM = "random"
    SYSTEMATIC = "systematic"
    STRATIFIED = "stratified"


class Allocation(StrEnum):
    PROPORTIONAL = "proportional"
    EQUAL = "equal"


class SamplingUnit(NamedTuple):
    """One in-scope case: its id, reference and the stratum it falls in.

    A named tuple, not a dataclass: a million of these are built for one draw.
    """

    case_id: int
    reference: str
    stratum: str = ""


@dataclass(frozen=True)
class DrawnUnit:
    case_id: int
    reference: str
    stratum: str
    position: int


def new_seed() -> int:
    """A fresh seed small enough to read out over the phone and type back in."""
    return secrets.randbelow(999_999_999) + 1


def draw_key(seed: int, reference: str) -> str:
    return hashlib.sha256(f"{seed}:{reference}".encode()).hexdigest()


def population_fingerprint(units: Sequence[SamplingUnit]) -> str:
    """SHA-256 over the sorted (reference, stratum) pairs of the in-scope population.

    Any added, removed or re-classified case changes it, so a re-draw can prove it ran
    on the same population.
    """
    # "\x1f" sorts below every printable character, so sorting the joined strings sorts
    # by (reference, stratum); strings sort much faster than tuples.
    pairs = sorted([f"{u.reference}\x1f{u.stratum}" for u in units])
    pairs.append("")
    return hashlib.sha256("\x1e".join(pairs).encode()).hexdigest()


def allocate(stratum_sizes: Mapping[str, int], size: int, allocation: Allocation) -> dict[str, int]:
    """How many to draw per stratum: largest-remainder rounding, never more than a stratum has.

    Whatever a full stratum cannot take is shared among the others in the same way.
    """
    total = sum(stratum_sizes.values())
    if size > total:
        raise UserError(f"A sample of {size} is larger than the {total} cases in scope")
    result = {name: 0 for name in stratum_sizes}
    remaining = size
    open_strata = {n: s for n, s in stratum_sizes.items() if s > 0}
    while remaining > 0 and open_strata:
        weights = (open_strata if allocation is Allocation.PROPORTIONAL
                   else {n: 1 for n in open_strata})
        weight_total = sum(weights.values())
        quotas = {n: Fraction(remaining * w, weight_total) for n, w in weights.items()}
        shares = {n: int(q) for n, q in quotas.items()}
        leftover = remaining - sum(shares.values())
        # Largest remainder first; ties go to the larger stratum, then by name (stable).
        order = sorted(open_strata, key=lambda n: (-(quotas[n] - shares[n]), -open_strata[n], n))
        for name in order[:leftover]:
            shares[name] += 1
        for name, share in shares.items():
            room = stratum_sizes[name] - result[name]
            take = min(share, room)
            result[name] += take
            remaining -= take
        open_strata = {n: stratum_sizes[n] - result[n] for n in open_strata
                       if stratum_sizes[n] - result[n] > 0}
    return result


def _by_key(units: Sequence[SamplingUnit], seed: int) -> list[SamplingUnit]:
    return sorted(units, key=lambda u: (draw_key(seed, u.reference), u.reference))


def _smallest(units: Sequence[SamplingUnit], count: int, seed: int) -> list[SamplingUnit]:
    """The `count` units with the smallest draw keys, in key order (no full sort needed)."""
    if count <= 0:
        return []
    prefix = f"{seed}:"
    sha256 = hashlib.sha256
    keys = [sha256((prefix + u.reference).encode()).hexdigest() for u in units]
    # References are unique within an audit, so keys never tie.
    return [units[i] for _, i in heapq.nsmallest(count, zip(keys, range(len(units)), strict=True))]


def draw_order(units: Sequence[SamplingUnit], seed: int) -> list[SamplingUnit]:
    """Every unit in draw order: the order replacements are taken in."""
    return _by_key(units, seed)


def _numbered(units: Sequence[SamplingUnit], start: int = 1) -> list[DrawnUnit]:
    return [DrawnUnit(u.case_id, u.reference, u.stratum, i) for i, u in enumerate(units, start)]


def draw_random(units: Sequence[SamplingUnit], size: int, seed: int) -> list[DrawnUnit]:
    _check_size(units, size)
    return _numbered(_smallest(units, size, seed))


def draw_systematic(units: Sequence[SamplingUnit], size: int, seed: int) -> list[DrawnUnit]:
    """Every k-th case in reference order, k = N/size (fractional), from a seeded start."""
    _check_size(units, size)
    ordered = sorted(units, key=lambda u: u.reference)
    interval = Fraction(len(ordered), size)
    start = Fraction(int(draw_key(seed, "systematic-start"), 16) % 1_000_000, 1_000_000) * interval
    return _numbered([ordered[int(start + i * interval)] for i in range(size)])


def group_strata(units: Sequence[SamplingUnit]) -> dict[str, list[SamplingUnit]]:
    strata: dict[str, list[SamplingUnit]] = {}
    for unit in units:
        strata.setdefault(unit.stratum, []).append(unit)
    return strata


def stratum_quotas(units: Sequence[SamplingUnit], size: int, allocation: Allocation,
                   quotas: Mapping[str, int] | None = None,
                   strata: Mapping[str, Sequence[SamplingUnit]] | None = None) -> dict[str, int]:
    """Per-stratum counts: the user's own quotas (checked) or an allocation rule."""
    groups = strata if strata is not None else group_strata(units)
    sizes = {name: len(members) for name, members in groups.items()}
    if quotas is None:
        return allocate(sizes, size, allocation)
    result = {name: 0 for name in sizes}
    for name, count in quotas.items():
        if name not in sizes:
            raise UserError(f"There is no stratum '{name}' in scope")
        if count < 0 or count > sizes[name]:
            raise UserError(f"Stratum '{name}' has {sizes[name]} cases; cannot draw {count}")
        result[name] = count
    return result


def draw_stratified(units: Sequence[SamplingUnit], size: int, seed: int,
                    allocation: Allocation = Allocation.PROPORTIONAL,
                    quotas: Mapping[str, int] | None = None) -> list[DrawnUnit]:
    """Allocate `size` across strata, take the smallest draw keys in each, in key order."""
    strata = group_strata(units)
    counts = stratum_quotas(units, size, allocation, quotas, strata)
    if quotas is None:
        _check_size(units, size)
    chosen: list[SamplingUnit] = []
    for name, members in strata.items():
        chosen.extend(_smallest(members, counts.get(name, 0), seed))
    return _numbered(_by_key(chosen, seed))


def draw(units: Sequence[SamplingUnit], *, size: int, seed: int, method: SampleMethod,
         allocation: Allocation = Allocation.PROPORTIONAL,
         quotas: Mapping[str, int] | None = None,
         always_include: Sequence[SamplingUnit] = ()) -> list[DrawnUnit]:
    """Draw `size` cases; `always_include` cases come first and count towards the size."""
    if size < 1:
        raise UserError("The sample size must be at least 1")
    certain = sorted(always_include, key=lambda u: u.reference)
    if len(certain) > size:
        raise UserError(f"{len(certain)} cases must always be included, more than the sample "
                        f"size of {size}")
    certain_ids = {u.case_id for u in certain}
    rest = [u for u in units if u.case_id not in certain_ids]
    remaining = size - len(certain)
    if quotas is not None:
        drawn = draw_stratified(rest, sum(quotas.values()), seed, allocation, quotas)
    elif remaining == 0:
        drawn = []
    elif method is SampleMethod.RANDOM:
        drawn = draw_random(rest, remaining, seed)
    elif method is SampleMethod.SYSTEMATIC:
        drawn = draw_systematic(rest, remaining, seed)
    else:
        drawn = draw_stratified(rest, remaining, seed, allocation)
    head = _numbered(certain)
    return head + [DrawnUnit(d.case_id, d.reference, d.stratum, d.position + len(head))
                   for d in drawn]


def _check_size(units: Sequence[SamplingUnit], size: int) -> None:
    if size < 1:
        raise UserError("The sample size must be at least 1")
    if size > len(units):
        raise UserError(f"A sample of {size} is larger than the {len(units)} cases in scope")
