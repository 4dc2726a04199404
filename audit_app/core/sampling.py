"""Drawing a sample: simple random, systematic or stratified; seeded and reproducible.

Reproducibility does not rest on any library's random generator. Every case gets a
*draw key*; a random sample is the cases with the smallest keys. Under rule 1 the key is
the SHA-256 of "seed:reference"; under rule 2 (draws made since) it is mixed from the seed
and the reference's digest kept at import (`core.draw_rule2`). So the same population,
seed and method give the same cases in the same order on any machine, in any database,
whatever order the rows were stored in, and a partner can re-check a draw with a few
lines of any language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from itertools import compress
from typing import Any

from audit_app.core import draw_rule2
from audit_app.core.draw_rule1 import DrawKeys, _key, draw_key, smallest_keys
from audit_app.core.draw_rule1 import sha256 as sha256  # still offered here
from audit_app.core.errors import UserError

BLANK = "(blank)"


class SampleMethod(StrEnum):
    RANDOM = "random"
    SYSTEMATIC = "systematic"
    STRATIFIED = "stratified"


class Allocation(StrEnum):
    PROPORTIONAL = "proportional"
    EQUAL = "equal"


# How a draw is named wherever a person reads it (screens, command line, workbook).
METHOD_LABELS: dict[SampleMethod, str] = {
    SampleMethod.RANDOM: "Simple random",
    SampleMethod.SYSTEMATIC: "Systematic (every k-th case)",
    SampleMethod.STRATIFIED: "Stratified",
}
ALLOCATION_LABELS: dict[Allocation, str] = {
    Allocation.PROPORTIONAL: "In proportion to the population",
    Allocation.EQUAL: "The same number from each group",
}


@dataclass(frozen=True)
class Population:
    """The in-scope cases of a draw: each case's reference and its stratum label.

    Two parallel lists rather than an object per case: a draw reads a million cases, and
    building a million small objects would take longer than the draw itself. References
    are unique (a reference names one case in an audit); the stratum is "" when the draw
    is not stratified.
    """

    references: Sequence[str]
    strata: Sequence[str]
    keys: DrawKeys | None = None  # rule 1: made while reading, for one seed
    digests: Any = None  # rule 2: each reference's SHA-256 as 4 big-endian words (numpy)

    def __post_init__(self) -> None:
        if len(self.references) != len(self.strata):
            raise ValueError("a population needs one stratum per reference")
        if self.keys is not None and len(self.keys) != len(self.references):
            raise ValueError("a population needs one draw key per reference")
        if self.digests is not None and len(self.digests) != len(self.references):
            raise ValueError("a population needs one digest per reference")

    @classmethod
    def of(cls, cases: Iterable[tuple[str, str]]) -> Population:
        """From (reference, stratum) pairs."""
        pairs = list(cases)
        return cls([r for r, _ in pairs], [s for _, s in pairs])

    @classmethod
    def unstratified(cls, references: Sequence[str]) -> Population:
        return cls(references, [""] * len(references))

    def __len__(self) -> int:
        return len(self.references)

    @cached_property
    def _sizes(self) -> dict[str, int]:
        return dict(Counter(self.strata))

    def stratum_sizes(self) -> dict[str, int]:
        """Cases per stratum (counted once: a million cases take a while to count)."""
        return dict(self._sizes)

    def without(self, references: Collection[str]) -> Population:
        return self.select([r not in references for r in self.references])

    def select(self, keep: Sequence[bool]) -> Population:
        """The cases where `keep` is true, with their keys or digests."""
        digests = None
        if self.digests is not None:
            import numpy as np

            digests = self.digests[np.fromiter(keep, dtype=bool, count=len(keep))]
        return Population(list(compress(self.references, keep)), list(compress(self.strata, keep)),
                          self.keys.select(keep) if self.keys is not None else None, digests)

    def reference_digests(self) -> Any:
        """Rule 2's digests: as read with the cases, or made here when they were not."""
        if self.digests is None:
            object.__setattr__(self, "digests", draw_rule2.digests_of(self.references))
        return self.digests

    def keys_for(self, seed: int) -> DrawKeys | None:
        return self.keys if self.keys is not None and self.keys.seed == seed else None


@dataclass(frozen=True)
class DrawnUnit:
    reference: str
    stratum: str
    position: int


def value_label(value: Any) -> str:
    """How one field value names a stratum: the same text on every database."""
    if value is None or value == "":
        return BLANK
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def stratum_label(values: Sequence[Any]) -> str:
    return " / ".join(value_label(v) for v in values)


def new_seed() -> int:
    """A fresh seed small enough to read out over the phone and type back in."""
    return secrets.randbelow(999_999_999) + 1


def population_fingerprint(population: Population) -> str:
    """SHA-256 over the sorted (reference, stratum) pairs of the in-scope population (the
    same under both draw rules: it hashes no case on its own).

    Any added, removed or re-classified case changes it, so a re-draw can prove it ran
    on the same population.
    """
    # "\x1f" sorts below every printable character, so sorting the joined strings sorts
    # by (reference, stratum); strings sort much faster than tuples.
    pairs = [f"{r}\x1f{s}" for r, s in zip(population.references, population.strata, strict=True)]
    pairs.sort()
    digest = hashlib.sha256()
    for start in range(0, len(pairs), 65_536):  # a piece at a time: less memory, same text
        digest.update(("\x1e".join(pairs[start:start + 65_536]) + "\x1e").encode())
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


def smallest_in_strata(population: Population, counts: Mapping[str, int], seed: int,
                       rule: int = 1, *,
                       margin: float = 6.0) -> list[tuple[Any, int]]:
    """Per stratum, the cases with the smallest draw keys under the draw's rule: (key, index)."""
    if rule == 1:
        return list(smallest_keys(population, counts, seed, margin=margin))
    wanted = {name: count for name, count in counts.items() if count > 0}
    if not wanted:
        return []
    keys = draw_rule2.mixed_keys(seed, population.reference_digests())
    return list(draw_rule2.smallest(keys, population.references, population.strata,
                                    population.stratum_sizes(), wanted, margin))


def draw_order(population: Population, stratum: str, seed: int,
               rule: int = 1) -> list[str]:
    """The references of one stratum in draw order: the order replacements are taken in."""
    if rule != 1:
        members = [i for i, s in enumerate(population.strata) if s == stratum]
        keys = draw_rule2.mixed_keys(seed, population.reference_digests())
        return draw_rule2.in_draw_order(keys, population.references, members)
    members_ = [r for r, s in zip(population.references, population.strata, strict=True)
                if s == stratum]
    return sorted(members_, key=lambda r: _key(seed, r))


def _numbered(population: Population, picked: Iterable[int], start: int = 1) -> list[DrawnUnit]:
    return [DrawnUnit(population.references[i], population.strata[i], position)
            for position, i in enumerate(picked, start)]


def _in_key_order(chosen: list[tuple[Any, int]]) -> list[int]:
    # References are unique within an audit, so keys never tie (rule 2's carry the reference).
    return [i for _, i in sorted(chosen)]


def draw_random(population: Population, size: int, seed: int,
                rule: int = 1) -> list[DrawnUnit]:
    _check_size(population, size)
    whole = Population(population.references, [""] * len(population), population.keys,
                       population.digests)
    return _numbered(population, _in_key_order(smallest_in_strata(whole, {"": size}, seed, rule)))


def draw_systematic(population: Population, size: int, seed: int) -> list[DrawnUnit]:
    """Every k-th case in reference order, k = N/size (fractional), from a seeded start."""
    _check_size(population, size)
    references = population.references
    ordered = sorted(range(len(references)), key=references.__getitem__)
    interval = Fraction(len(ordered), size)
    start = Fraction(int(draw_key(seed, "systematic-start"), 16) % 1_000_000, 1_000_000) * interval
    return _numbered(population, [ordered[int(start + i * interval)] for i in range(size)])


def stratum_quotas(sizes: Mapping[str, int], size: int, allocation: Allocation,
                   quotas: Mapping[str, int] | None = None) -> dict[str, int]:
    """Per-stratum counts: the user's own quotas (checked) or an allocation rule."""
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


def draw_stratified(population: Population, size: int, seed: int,
                    allocation: Allocation = Allocation.PROPORTIONAL,
                    quotas: Mapping[str, int] | None = None,
                    rule: int = 1) -> list[DrawnUnit]:
    """Allocate `size` across strata, take the smallest draw keys in each, in key order."""
    counts = stratum_quotas(population.stratum_sizes(), size, allocation, quotas)
    if quotas is None:
        _check_size(population, size)
    return _numbered(population, _in_key_order(smallest_in_strata(population, counts, seed, rule)))


def draw(population: Population, *, size: int, seed: int, method: SampleMethod,
         allocation: Allocation = Allocation.PROPORTIONAL,
         quotas: Mapping[str, int] | None = None,
         always_include: Collection[str] = (),
         rule: int = 1) -> list[DrawnUnit]:
    """Draw `size` cases; `always_include` cases (references) come first and count towards it."""
    if size < 1:
        raise UserError("The sample size must be at least 1")
    certain = sorted(always_include)
    if len(certain) > size:
        raise UserError(f"{len(certain)} cases must always be included, more than the sample "
                        f"size of {size}")
    rest = population.without(set(certain)) if certain else population
    remaining = size - len(certain)
    if quotas is not None:
        drawn = draw_stratified(rest, sum(quotas.values()), seed, allocation, quotas, rule=rule)
    elif remaining == 0:
        drawn = []
    elif method is SampleMethod.RANDOM:
        drawn = draw_random(rest, remaining, seed, rule)
    elif method is SampleMethod.SYSTEMATIC:  # the same under both rules: no key per case
        drawn = draw_systematic(rest, remaining, seed)
    else:
        drawn = draw_stratified(rest, remaining, seed, allocation, rule=rule)
    strata = dict(zip(population.references, population.strata, strict=True)) if certain else {}
    head = [DrawnUnit(r, strata[r], i) for i, r in enumerate(certain, 1)]
    return head + [DrawnUnit(d.reference, d.stratum, d.position + len(head)) for d in drawn]


def _check_size(population: Population, size: int) -> None:
    if size < 1:
        raise UserError("The sample size must be at least 1")
    if size > len(population):
        raise UserError(f"A sample of {size} is larger than the {len(population)} cases in scope")
