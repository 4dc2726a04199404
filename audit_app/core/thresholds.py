"""RAG status: the panel's own thresholds for calling a compliance rate Green, Amber or Red.

Set per audit (defaults 90% and 75%). A rate at or above `green_from` is Green, at or above
`amber_from` Amber, below that Red. The status compares the point estimate (the fully-met
rate) with the thresholds; the interval beside it says how sure that is. Every front shows
the word, never colour alone, so a colour-blind reader loses nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from audit_app.core.errors import UserError

DEFAULT_GREEN_FROM = 90
DEFAULT_AMBER_FROM = 75
GREEN, AMBER, RED = "Green", "Amber", "Red"


@dataclass(frozen=True)
class Thresholds:
    """Whole percentages: Green from `green_from`%, Amber from `amber_from`%, else Red."""

    green_from: int = DEFAULT_GREEN_FROM
    amber_from: int = DEFAULT_AMBER_FROM

    def __post_init__(self) -> None:
        check_thresholds(self.green_from, self.amber_from)

    def status(self, rate: float | None) -> str:
        """'Green', 'Amber' or 'Red' for a rate (0..1); '' when there is no rate.

        The rate is compared as every front shows it, to the nearest whole percent (halves
        up, as Excel's ROUND), so a rate shown as 90% is never called Amber.
        """
        if rate is None:
            return ""
        percent = whole_percent(rate)
        if percent >= self.green_from:
            return GREEN
        return AMBER if percent >= self.amber_from else RED

    def describe(self) -> str:
        """'Green from 90%, Amber from 75% to under 90%, Red below 75%'."""
        return (f"Green from {self.green_from}%, Amber from {self.amber_from}% to under "
                f"{self.green_from}%, Red below {self.amber_from}%")

    def method_line(self) -> str:
        return (f"Set by the panel for this audit: {self.describe()}. The status compares "
                "the point estimate (the fully-met rate, to the nearest whole percent as "
                "shown) with these thresholds, for each criterion and for the overall "
                "rate; read it beside the 95% interval, which may straddle a threshold.")

    def to_dict(self) -> dict[str, int]:
        return {"green_from": self.green_from, "amber_from": self.amber_from}

    @classmethod
    def from_dict(cls, values: Mapping[str, Any] | None) -> Thresholds:
        """Back from `to_dict`; the defaults when absent (findings kept before thresholds)."""
        if not values:
            return cls()
        return cls(int(values["green_from"]), int(values["amber_from"]))


def whole_percent(rate: float) -> int:
    """0.895 -> 90: halves up; the tiny nudge keeps 0.285 (28.499999...) from rounding down."""
    return math.floor(rate * 100 + 0.5 + 1e-9)


def check_thresholds(green_from: int, amber_from: int) -> None:
    """Refuse thresholds that cannot order Red < Amber < Green, in one plain sentence."""
    if not 0 <= amber_from < green_from <= 100:
        raise UserError(f"Amber must start below Green, both whole percentages from 0 to "
                        f"100; got Green from {green_from}% and Amber from {amber_from}%")
