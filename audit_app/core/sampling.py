"""Drawing a sample: simple random, systematic or stratified; seeded and reproducible.

Reproducibility does not rest on any library's random generator. Every case gets a
*draw key*, the SHA-256 of "seed:reference"; a random sample is the cases with the
smallest keys. So the same population, seed and method give the same cases in the same
order on any machine, in any database, whatever order the rows were stored in, and a
partner can re-check a draw with a few lines of any language.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from audit_app.core.errors import UserError


class SampleMethod(StrEnum):
    RANDOM = "random"
    SYSTEMATIC = "systematic"
    STRATIFIED = "stratified"


class Allocation(StrEnum):
    PROPORTIONAL = "proportional"
    EQUAL = "equal"


@dataclass(frozen=True)
class SamplingUnit:
    """One in-scope case: its id, reference and the stratum it falls in."""

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
    """SHA-256 over the sorted (reference, stratum) pairs of the in-scope population."""
    digest = hashlib.sha256()
    for reference, stratum in sorted((u.reference, u.stratum) for u in units):
        digest.update(f"{reference}\x1f{stratum}\x1e".encode())
    return digest.hexdigest()


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


def draw_random(units: Sequence[SamplingUnit], size: int, seed: int) -> list[DrawnUnit]:
    _check_size(units, size)
    chosen = _by_key(units, seed)[:size]
    return [DrawnUnit(u.case_id, u.reference, u.stratum, i) for i, u in enumerate(chosen, 1)]


def draw_systematic(units: Sequence[SamplingUnit], size: int, seed: int) -> list[DrawnUnit]:
    """Every k-th case in reference order, k = N/size (fractional), from a seeded start."""
    _check_size(units, size)
    if size == 0:
        return []
    ordered = sorted(units, key=lambda u: u.reference)
    interval = Fraction(len(ordered), size)
    start = Fraction(int(draw_key(seed, "systematic-start"), 16) % 1_000_000, 1_000_000) * interval
    picks = [ordered[int(start + i * interval)] for i in range(size)]
    return [DrawnUnit(u.case_id, u.reference, u.stratum, i) for i, u in enumerate(picks, 1)]


def draw_stratified(units: Sequence[SamplingUnit], size: int, seed: int,
                    allocation: Allocation = Allocation.PROPORTIONAL,
                    quotas: Mapping[str, int] | None = None) -> list[DrawnUnit]:
    """Allocate `size` across strata, take the smallest draw keys in each, in key order."""
    _check_size(units, size)
    strata: dict[str, list[SamplingUnit]] = {}
    for unit in units:
        strata.setdefault(unit.stratum, []).append(unit)
    counts = dict(quotas) if quotas is not None else allocate(
        {k: len(v) for k, v in strata.items()}, size, allocation)
    chosen: list[SamplingUnit] = []
    for name, members in strata.items():
        chosen.extend(_by_key(members, seed)[: counts.get(name, 0)])
    chosen = _by_key(chosen, seed)
    return [DrawnUnit(u.case_id, u.reference, u.stratum, i) for i, u in enumerate(chosen, 1)]


def draw(units: Sequence[SamplingUnit], *, size: int, seed: int, method: SampleMethod,
         allocation: Allocation = Allocation.PROPORTIONAL) -> list[DrawnUnit]:
    if method is SampleMethod.RANDOM:
        return draw_random(units, size, seed)
    if method is SampleMethod.SYSTEMATIC:
        return draw_systematic(units, size, seed)
    return draw_stratified(units, size, seed, allocation)


def _check_size(units: Sequence[SamplingUnit], size: int) -> None:
    if size < 1:
        raise UserError("The sample size must be at least 1")
    if size > len(units):
        raise UserError(f"A sample of {size} is larger than the {len(units)} cases in scope")
