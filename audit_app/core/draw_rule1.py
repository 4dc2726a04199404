"""Draw rule 1: every case's draw key is the SHA-256 of "seed:reference".

Every draw made before rule 2 was made this way, and is re-checked this way; it costs
one SHA-256 per case per draw.
"""

from __future__ import annotations

import hashlib
import heapq
import importlib
import math
import sys
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import compress
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from audit_app.core.sampling import Population


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


def draw_key(seed: int, reference: str) -> str:
    return hashlib.sha256(f"{seed}:{reference}".encode()).hexdigest()


def _key(seed: int, reference: str) -> bytes:
    # The raw digest sorts exactly as its hex form does, and is cheaper to make.
    return sha256(f"{seed}:{reference}".encode()).digest()


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
