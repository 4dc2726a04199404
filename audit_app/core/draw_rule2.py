"""Draw rule 2: draw keys mixed from the seed and a digest of each reference kept at import.

Rule 1 (every draw made before rule 2) hashes "seed:reference" with SHA-256 for every
case at every draw, which is most of the time a draw from a million cases takes. Rule 2
hashes each reference once, when it is imported, and keeps the digest with the case;
a draw then only mixes the seed into the digest's first 64 bits, which numpy does for a
million cases in milliseconds:

    d   = the first 8 bytes of SHA-256(reference as UTF-8), read as a big-endian number
    key = SplitMix64(seed XOR d)

SplitMix64 is the output function of the generator of Steele, Lea and Flood, "Fast
splittable pseudorandom number generators" (OOPSLA 2014), with the constants of
Vigna's reference code (https://prng.di.unimi.it/splitmix64.c): add the golden gamma
0x9E3779B97F4A7C15, then two xor-shift-multiply rounds and a final xor-shift, all
modulo 2**64. It is a bijection, so distinct digests never share a key; cases are taken
smallest key first, ties (only possible if two references' digests share their first 64
bits) broken by reference.

The population fingerprint is the same under both rules (`core.sampling`): one SHA-256
over the sorted (reference, stratum) lines, no hashing per case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from audit_app.core.draw_rule1 import sha256  # the quicker of the two SHA-256s on short text

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

RULE_VERSION = 2
GOLDEN_GAMMA = 0x9E3779B97F4A7C15
MIX_1 = 0xBF58476D1CE4E5B9
MIX_2 = 0x94D049BB133111EB
_MASK = (1 << 64) - 1
_EVERY = _MASK  # a bound no key lies above: "all of them are candidates"
DIGEST_BYTES = 32


def reference_digest(reference: str) -> str:
    """The SHA-256 of a reference, in hex: what is stored with each case at import."""
    return sha256(reference.encode()).hexdigest()


def mix(seed: int, digest_prefix: int) -> int:
    """SplitMix64(seed XOR d) for one case, in plain Python (the published algorithm)."""
    z = ((seed ^ digest_prefix) + GOLDEN_GAMMA) & _MASK
    z = ((z ^ (z >> 30)) * MIX_1) & _MASK
    z = ((z ^ (z >> 27)) * MIX_2) & _MASK
    return z ^ (z >> 31)


def digests_from_hex(joined: str) -> NDArray[Any]:
    """Hex digests written one after another -> an array of four big-endian 64-bit words each."""
    import numpy as np

    return np.frombuffer(bytes.fromhex(joined), dtype=">u8").reshape(-1, 4)


def digests_of(references: Sequence[str]) -> NDArray[Any]:
    """The digests of references not read from the database (tests, small populations)."""
    return digests_from_hex("".join(map(reference_digest, references)))


def empty_digests() -> NDArray[Any]:
    import numpy as np

    return np.zeros((0, 4), dtype=">u8")


def mixed_keys(seed: int, digests: NDArray[Any]) -> NDArray[np.uint64]:
    """Every case's key at once: SplitMix64 on numpy's wrapping 64-bit arithmetic."""
    import numpy as np

    z = digests[:, 0].astype(np.uint64)
    z ^= np.uint64(seed & _MASK)
    z += np.uint64(GOLDEN_GAMMA)
    z ^= z >> np.uint64(30)
    z *= np.uint64(MIX_1)
    z ^= z >> np.uint64(27)
    z *= np.uint64(MIX_2)
    z ^= z >> np.uint64(31)
    return z


def bound(wanted: int, size: int, margin: float) -> int:
    """A key that, all but certainly, lies above the `wanted`-th smallest of `size` keys
    (as `core.sampling._bound` for rule 1, on 64-bit keys)."""
    if wanted >= size:
        return _EVERY
    share = max(0.0, (wanted + margin * (wanted ** 0.5 + 1)) / size)
    return _EVERY if share >= 1 else int(share * 2**64)


def smallest(keys: NDArray[np.uint64], references: Sequence[str], strata: Sequence[str],
             sizes: Mapping[str, int], wanted: Mapping[str, int],
             margin: float) -> list[tuple[tuple[int, str], int]]:
    """Per stratum, the `wanted[stratum]` cases with the smallest keys: ((key, reference), index).

    Only the cases under a bound are looked at one by one; a stratum whose bound is
    every key, or that has too few cases under it (all but impossible), is sorted whole.
    """
    import numpy as np

    bounds = {name: bound(count, sizes.get(name, 0), margin) for name, count in wanted.items()}
    whole = {name for name, limit in bounds.items() if limit == _EVERY}
    candidates: dict[str, list[tuple[tuple[int, str], int]]] = {name: [] for name in wanted}
    partial = [limit for name, limit in bounds.items() if name not in whole]
    if partial:
        below = np.flatnonzero(keys <= np.uint64(max(partial)))
        for i, key in zip(below.tolist(), keys[below].tolist(), strict=True):
            name = strata[i]
            if name in bounds and name not in whole and key <= bounds[name]:
                candidates[name].append(((key, references[i]), i))
    short = whole | {name for name in wanted if len(candidates[name]) < wanted[name]}
    if short:
        members = [i for i, name in enumerate(strata) if name in short]
        for name in short:
            candidates[name] = []
        for i, key in zip(members, keys[members].tolist(), strict=True):
            candidates[strata[i]].append(((key, references[i]), i))
    chosen: list[tuple[tuple[int, str], int]] = []
    for name, count in wanted.items():
        chosen += sorted(candidates[name])[:count]
    return chosen


def in_draw_order(keys: NDArray[np.uint64], references: Sequence[str],
                  members: Sequence[int]) -> list[str]:
    """The references at `members` in key order (ties by reference)."""
    return [r for _, r in sorted(zip(keys[list(members)].tolist(),
                                     (references[i] for i in members), strict=True))]
