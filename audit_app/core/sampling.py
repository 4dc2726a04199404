"""Drawing a sample: simple random, systematic or stratified; seeded and reproducible.

Reproducibility does not rest on any library's random generator. Every case gets a
*draw key*, the SHA-256 of "seed:reference"; a random sample is the cases with the
smallest keys. So the same population, seed and method give the same cases in the same
order on any machine, in any database, whatever order the rows were stored in, and a
partner can re-check a draw with a few lines of any language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import importlib
import math
import secrets
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from itertools import compress
from typing import Any, cast

from audit_app.core.errors import UserError

BLANK = "(blank)"


def _sha256_constructor() -> Callable[[bytes], Any]:
    """CPython's own SHA-256 where it has one, else OpenSSL's through hashlib.

    The digests are the same (a test checks); CPython's costs a quarter less per call on
    inputs this short, which is most of the time of a draw from a million cases.
    """
    for name in ("_sha2", "_sha256"):  # _sha2 from Python 3.12
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return cast(Callable[[bytes], Any], module.sha256)
    return hashlib.sha256


sha256 = _sha256_constructor()
_KEY_BITS = 256
_EVERY_KEY = b"\xff" * 33  # above every 32-byte digest: "all of them are candidates"


class SampleMethod(StrEnum):
    RANDOM = "random"
    SYSTEMATIC = "systematic"
    STRATIFIED = "stratified"


class Allocation(StrEnum):
    PROPORTIONAL = "proportional"
    EQUAL = "equal"


class DrawKeys:
    """The first 64 bits of every case's draw key, eight bytes a case.

    Made block by block while the population is read (the database reads the next block
    meanwhile), so the draw itself only compares numbers. Only the full key decides the
    order; these prefixes just narrow down which cases need it.
    """

    __slots__ = ("prefixes", "seed")

    def __init__(self, seed: int, prefixes: array[int] | None = None) -> None:
        self.seed = seed
        self.prefixes: array[int] = prefixes if prefixes is not None else array("Q")

    def add(self, references: Sequence[str]) -> None:
        prefix = f"{self.seed}:"
        block = array("Q")
        block.frombytes(b"".join([sha256((prefix + r).encode()).digest()[:8]
                                  for r in references]))
        if sys.byteorder == "little":  # the digest's first bytes are the most significant
            block.byteswap()
        self.prefixes.extend(block)

    def __len__(self) -> int:
        return len(self.prefixes)

    def select(self, keep: Iterable[bool]) -> DrawKeys:
        return DrawKeys(self.seed, array("Q", compress(self.prefixes, keep)))


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
    keys: DrawKeys | None = None  # made while reading, for one seed

    def __post_init__(self) -> None:
        if len(self.references) != len(self.strata):
            raise ValueError("a population needs one stratum per reference")
        if self.keys is not None and len(self.keys) != len(self.references):
            raise ValueError("a population needs one draw key per reference")

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
        keep = [r not in references for r in self.references]
        return Population(list(compress(self.references, keep)), list(compress(self.strata, keep)),
                          self.keys.select(keep) if self.keys is not None else None)

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


def draw_key(seed: int, reference: str) -> str:
    return hashlib.sha256(f"{seed}:{reference}".encode()).hexdigest()


def _key(seed: int, reference: str) -> bytes:
    # The raw digest sorts exactly as its hex form does, and is cheaper to make.
    return sha256(f"{seed}:{reference}".encode()).digest()


def population_fingerprint(population: Population) -> str:
    """SHA-256 over the sorted (reference, stratum) pairs of the in-scope population.

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


def _bound(wanted: int, size: int, margin: float) -> bytes:
    """A key that, all but certainly, lies above the `wanted`-th smallest of `size` keys.

    Keys are uniform, so the k-th smallest of n sits near k/n of the key range with a
    spread of about sqrt(k)/n; `margin` spreads above (six) is never reached in practice.
    The bound only saves work: a stratum with too few keys below it is read again in full.
    """
    if wanted >= size:
        return _EVERY_KEY
    share = max(0.0, (wanted + margin * (math.sqrt(wanted) + 1)) / size)
    if share >= 1:
        return _EVERY_KEY
    return int(share * 2**_KEY_BITS).to_bytes(_KEY_BITS // 8, "big")


def smallest_keys(population: Population, counts: Mapping[str, int], seed: int, *,
                  margin: float = 6.0) -> list[tuple[bytes, int]]:
    """Per stratum, the `counts[stratum]` cases with the smallest draw keys: (key, index).

    Every case has to be hashed, but nothing needs sorting: one pass keeps only the
    cases whose key is below a bound that the wanted ones lie under, so a stratified
    draw of 80 from a million cases looks closely at a few hundred.
    """
    wanted = {name: count for name, count in counts.items() if count > 0}
    if not wanted:
        return []
    references, strata = population.references, population.strata
    sizes = population.stratum_sizes()
    bounds = {name: _bound(count, sizes.get(name, 0), margin) for name, count in wanted.items()}
    top = max(bounds.values())
    prefix = f"{seed}:"
    made = population.keys_for(seed)
    if made is not None:  # keys made while reading: compare their first 64 bits first
        top_prefix = int.from_bytes(top[:8], "big")
        below = [(key, i) for i in [i for i, v in enumerate(made.prefixes) if v <= top_prefix]
                 if (key := sha256((prefix + references[i]).encode()).digest()) < top]
    else:
        # The hot loop: one comprehension, no per-case objects except the few below `top`.
        below = [(key, i) for i, r in enumerate(references)
                 if (key := sha256((prefix + r).encode()).digest()) < top]
    candidates: dict[str, list[tuple[bytes, int]]] = {name: [] for name in wanted}
    for key, i in below:
        name = strata[i]
        if name in bounds and key < bounds[name]:
            candidates[name].append((key, i))
    chosen: list[tuple[bytes, int]] = []
    short: set[str] = set()
    for name, count in wanted.items():
        if len(candidates[name]) >= count:
            chosen += heapq.nsmallest(count, candidates[name])
        else:
            short.add(name)
    if short:  # all but impossible: read those strata again, every case
        members = [i for i, name in enumerate(strata) if name in short]
        again: dict[str, list[tuple[bytes, int]]] = {name: [] for name in short}
        for i in members:
            again[strata[i]].append((_key(seed, references[i]), i))
        for name in short:
            chosen += heapq.nsmallest(wanted[name], again[name])
    return chosen


def draw_order(population: Population, stratum: str, seed: int) -> list[str]:
    """The references of one stratum in draw order: the order replacements are taken in."""
    members = [r for r, s in zip(population.references, population.strata, strict=True)
               if s == stratum]
    return sorted(members, key=lambda r: _key(seed, r))


def _numbered(population: Population, picked: Iterable[int], start: int = 1) -> list[DrawnUnit]:
    return [DrawnUnit(population.references[i], population.strata[i], position)
            for position, i in enumerate(picked, start)]


def _in_key_order(chosen: list[tuple[bytes, int]]) -> list[int]:
    # References are unique within an audit, so keys never tie.
    return [i for _, i in sorted(chosen)]


def draw_random(population: Population, size: int, seed: int) -> list[DrawnUnit]:
    _check_size(population, size)
    whole = Population(population.references, [""] * len(population), population.keys)
    return _numbered(population, _in_key_order(smallest_keys(whole, {"": size}, seed)))


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
                    quotas: Mapping[str, int] | None = None) -> list[DrawnUnit]:
    """Allocate `size` across strata, take the smallest draw keys in each, in key order."""
    counts = stratum_quotas(population.stratum_sizes(), size, allocation, quotas)
    if quotas is None:
        _check_size(population, size)
    return _numbered(population, _in_key_order(smallest_keys(population, counts, seed)))


def draw(population: Population, *, size: int, seed: int, method: SampleMethod,
         allocation: Allocation = Allocation.PROPORTIONAL,
         quotas: Mapping[str, int] | None = None,
         always_include: Collection[str] = ()) -> list[DrawnUnit]:
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
        drawn = draw_stratified(rest, sum(quotas.values()), seed, allocation, quotas)
    elif remaining == 0:
        drawn = []
    elif method is SampleMethod.RANDOM:
        drawn = draw_random(rest, remaining, seed)
    elif method is SampleMethod.SYSTEMATIC:
        drawn = draw_systematic(rest, remaining, seed)
    else:
        drawn = draw_stratified(rest, remaining, seed, allocation)
    strata = dict(zip(population.references, population.strata, strict=True)) if certain else {}
    head = [DrawnUnit(r, strata[r], i) for i, r in enumerate(certain, 1)]
    return head + [DrawnUnit(d.reference, d.stratum, d.position + len(head)) for d in drawn]


def _check_size(population: Population, size: int) -> None:
    if size < 1:
        raise UserError("The sample size must be at least 1")
    if size > len(population):
        raise UserError(f"A sample of {size} is larger than the {len(population)} cases in scope")
