"""How far reviewers agree: percent agreement, Cohen's and Fleiss' kappa, Gwet's AC1.

Each unit (a case scored on one criterion) is a mapping of reviewer to the category they
chose; units may have different numbers of ratings. Formulas follow Gwet, *Handbook of
Inter-Rater Reliability* (4th ed.), which handles missing ratings: agreement is averaged
over units with two or more ratings; category shares over all rated units.
Kappa is undefined (None) when chance agreement is total (every rating the same).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Unit = Mapping[str, str]  # reviewer -> category


@dataclass(frozen=True)
class Agreement:
    units: int  # units with at least two ratings
    raters: int
    percent_agreement: float | None
    cohen_kappa: float | None  # only where exactly two reviewers rated
    fleiss_kappa: float | None
    gwet_ac1: float | None

    def to_dict(self) -> dict[str, object]:
        return {"units": self.units, "raters": self.raters,
                "percent_agreement": self.percent_agreement, "cohen_kappa": self.cohen_kappa,
                "fleiss_kappa": self.fleiss_kappa, "gwet_ac1": self.gwet_ac1}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Agreement:
        return cls(int(values["units"]), int(values["raters"]),
                   _measure_or_none(values["percent_agreement"]),
                   _measure_or_none(values["cohen_kappa"]),
                   _measure_or_none(values["fleiss_kappa"]), _measure_or_none(values["gwet_ac1"]))


def _measure_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def _counts(units: Sequence[Unit]) -> list[Counter[str]]:
    return [Counter(unit.values()) for unit in units if unit]


def _observed(unit_counts: Sequence[Counter[str]]) -> float | None:
    """Mean share of agreeing rater pairs over units rated at least twice."""
    shares = []
    for counts in unit_counts:
        total = sum(counts.values())
        if total >= 2:
            agreeing = sum(n * (n - 1) for n in counts.values())
            shares.append(agreeing / (total * (total - 1)))
    return sum(shares) / len(shares) if shares else None


def _category_shares(unit_counts: Sequence[Counter[str]]) -> dict[str, float]:
    shares: dict[str, float] = {}
    for counts in unit_counts:
        total = sum(counts.values())
        for category, n in counts.items():
            shares[category] = shares.get(category, 0.0) + n / total
    return {category: share / len(unit_counts) for category, share in shares.items()}


def percent_agreement(units: Sequence[Unit]) -> float | None:
    return _observed(_counts(units))


def fleiss_kappa(units: Sequence[Unit]) -> float | None:
    return _fleiss(_counts(units))


def _fleiss(unit_counts: Sequence[Counter[str]]) -> float | None:
    observed = _observed(unit_counts)
    if observed is None:
        return None
    chance = sum(share * share for share in _category_shares(unit_counts).values())
    return None if chance >= 1 else (observed - chance) / (1 - chance)


def gwet_ac1(units: Sequence[Unit], categories: Sequence[str] | None = None) -> float | None:
    """Gwet's AC1; `categories` is the full scale (chance depends on how many there are)."""
    return _gwet(_counts(units), categories)


def _gwet(unit_counts: Sequence[Counter[str]], categories: Sequence[str] | None) -> float | None:
    observed = _observed(unit_counts)
    if observed is None:
        return None
    shares = _category_shares(unit_counts)
    category_count = len(set(categories) | set(shares)) if categories else len(shares)
    if category_count < 2:
        return 1.0 if observed == 1 else None
    chance = sum(share * (1 - share) for share in shares.values()) / (category_count - 1)
    return (observed - chance) / (1 - chance)


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two reviewers' answers on the same units."""
    if not pairs:
        return None
    total = len(pairs)
    observed = sum(1 for first, second in pairs if first == second) / total
    first_counts = Counter(first for first, _ in pairs)
    second_counts = Counter(second for _, second in pairs)
    chance = sum(first_counts[c] * second_counts[c] for c in first_counts) / (total * total)
    return None if chance >= 1 else (observed - chance) / (1 - chance)


def measure_agreement(units: Sequence[Unit], categories: Sequence[str] | None = None) -> Agreement:
    """All the measures for one set of units (one criterion, or every criterion pooled)."""
    return _measure(units, _counts(units), categories)


def measure_groups(groups: Mapping[str, Sequence[Unit]], categories: Sequence[str] | None = None
                   ) -> tuple[Agreement, dict[str, Agreement]]:
    """Each group's measures and all groups pooled, counting every unit only once."""
    counted = {key: _counts(units) for key, units in groups.items()}
    per_group = {key: _measure(units, counted[key], categories) for key, units in groups.items()}
    pooled_units = [unit for units in groups.values() for unit in units]
    pooled_counts = [counts for key in groups for counts in counted[key]]
    return _measure(pooled_units, pooled_counts, categories), per_group


def _measure(units: Sequence[Unit], unit_counts: Sequence[Counter[str]],
             categories: Sequence[str] | None) -> Agreement:
    rated = [unit for unit in units if len(unit) >= 2]
    raters = sorted({rater for unit in units for rater in unit})
    kappa_two: float | None = None
    if len(raters) == 2:
        first, second = raters
        kappa_two = cohen_kappa([(unit[first], unit[second]) for unit in rated])
    return Agreement(units=len(rated), raters=len(raters),
                     percent_agreement=_observed(unit_counts), cohen_kappa=kappa_two,
                     fleiss_kappa=_fleiss(unit_counts), gwet_ac1=_gwet(unit_counts, categories))


def describe_kappa(value: float | None) -> str:
    """Landis and Koch's (1977) plain-English bands."""
    if value is None:
        return "not enough data"
    bands = ((0.0, "poor"), (0.2, "slight"), (0.4, "fair"), (0.6, "moderate"),
             (0.8, "substantial"), (1.01, "almost perfect"))
    for upper, label in bands:
        if value <= upper:
            return label
    return "almost perfect"
