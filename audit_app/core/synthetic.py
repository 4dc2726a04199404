"""A synthetic domestic abuse case population, for the demo audit and the benchmarks.

Every value is invented. Names are built from an obviously fictional pool ("Testperson",
"Sampleton") so nobody mistakes a demo workbook for real data. The same seed always
gives the same population, on any machine.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

# Weighted towards the outcomes a DA NFA review samples (14/15/16), with charges,
# cautions, community resolutions and no-suspect closures mixed in as real extracts are.
OUTCOME_WEIGHTS: tuple[tuple[int, int], ...] = (
    (16, 46), (15, 14), (14, 6), (1, 14), (18, 5), (3, 3), (8, 3), (10, 2), (9, 2),
    (21, 2), (20, 1), (17, 1), (2, 1),
)
RISK_WEIGHTS: tuple[tuple[str, int], ...] = (("standard", 55), ("medium", 32), ("high", 13))
OFFENCES: tuple[tuple[str, str, int], ...] = (
    ("8/1", "Assault occasioning actual bodily harm", 26),
    ("105/1", "Common assault and battery", 30),
    ("8/71", "Controlling or coercive behaviour", 12),
    ("8/65", "Stalking", 7),
    ("195/12", "Harassment", 8),
    ("58/1", "Criminal damage to a dwelling", 8),
    ("8/74", "Non-fatal strangulation", 5),
    ("92/1", "Threats to kill", 4),
)
AREAS: tuple[str, ...] = ("North BCU", "South BCU", "East BCU", "West BCU", "City BCU")
TEAMS: tuple[str, ...] = ("Response", "Neighbourhood", "Safeguarding Investigation Unit",
                          "CID", "Domestic Abuse Team")
FIRST_NAMES: tuple[str, ...] = ("Alex", "Sam", "Jo", "Chris", "Robin", "Jamie", "Taylor",
                                "Morgan", "Casey", "Drew", "Frankie", "Kit")
SYNTHETIC_SURNAMES: tuple[str, ...] = ("Testperson", "Sampleton", "Fictional", "Madeup",
                                       "Placeholder", "Demoson", "Examplar", "Notreal")
OFFICER_COUNT = 60
SUPERVISOR_COUNT = 12
FIRST_DATE = dt.date(2025, 4, 1)
DAYS_SPANNED = 365


def _weighted(rng: random.Random, choices: tuple[tuple[Any, int], ...]) -> Any:
    values = [value for value, _ in choices]
    weights = [weight for _, weight in choices]
    return rng.choices(values, weights=weights, k=1)[0]


def _officers(rng: random.Random, count: int, rank: str, first_number: int) -> list[str]:
    return [f"{rank} {first_number + index} {rng.choice(SYNTHETIC_SURNAMES)}"
            for index in range(count)]


def _victim_supports(rng: random.Random, outcome_code: int) -> str:
    """Outcome 16 means the victim never supported or withdrew; 15 means they support."""
    if outcome_code == 16:
        return rng.choices(("never", "withdrawn"), weights=(55, 45), k=1)[0]
    if outcome_code in (15, 1, 2, 3, 8):
        return "yes" if rng.random() < 0.9 else "withdrawn"
    return rng.choices(("yes", "never", "withdrawn"), weights=(40, 40, 20), k=1)[0]


def _case(rng: random.Random, number: int, officers: list[str],
          supervisors: list[str]) -> dict[str, Any]:
    outcome_code: int = _weighted(rng, OUTCOME_WEIGHTS)
    risk_level: str = _weighted(rng, RISK_WEIGHTS)
    offence_code, offence_description = _weighted(
        rng, tuple(((code, text), weight) for code, text, weight in OFFENCES))
    crime_date = FIRST_DATE + dt.timedelta(days=rng.randrange(DAYS_SPANNED))
    date_recorded = crime_date + dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 5)))
    date_finalised = date_recorded + dt.timedelta(days=rng.randint(3, 160))
    supports = _victim_supports(rng, outcome_code)
    charged = outcome_code == 1
    arrested = charged or rng.random() < (0.75 if risk_level == "high" else 0.55)
    interviewed = arrested or rng.random() < 0.3
    cps = charged or (outcome_code in (9, 15, 16) and rng.random() < 0.25)
    notified = (date_finalised + dt.timedelta(days=rng.randint(0, 30))
                if outcome_code != 1 and rng.random() < 0.8 else None)
    return {
        "reference": f"DEMO/{number:05d}/25",
        "offence_code": offence_code,
        "offence_description": offence_description,
        "da_flag": True,
        "crime_date": crime_date,
        "date_recorded": date_recorded,
        "date_finalised": date_finalised,
        "outcome_code": outcome_code,
        "risk_tool": "DASH",
        "risk_level": risk_level,
        "marac_referral": risk_level == "high" and rng.random() < 0.85,
        "children_referral": rng.random() < 0.3,
        "idva_referral": risk_level != "standard" and rng.random() < 0.7,
        "arrested": arrested,
        "interviewed": interviewed,
        "dvpn": risk_level == "high" and rng.random() < 0.2,
        "dvpo": risk_level == "high" and rng.random() < 0.1,
        "bwv_present": rng.random() < 0.8,
        "victim_supports": supports,
        "cps_referral": cps,
        "elp_flag": cps and supports != "yes" and rng.random() < 0.5,
        "charge_date": date_finalised if charged else None,
        "court_outcome": rng.choice(("Guilty plea", "Convicted after trial", "Discontinued",
                                     "Acquitted")) if charged else None,
        "officer": rng.choice(officers),
        "team": rng.choice(TEAMS),
        "area": rng.choice(AREAS),
        "supervisor": rng.choice(supervisors),
        "nfa_notification_date": notified,
        "victim_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SYNTHETIC_SURNAMES)}",
        # Outcomes 14 and 18 mean no suspect was identified.
        "suspect_name": None if outcome_code in (14, 18)
        else f"{rng.choice(FIRST_NAMES)} {rng.choice(SYNTHETIC_SURNAMES)}",
    }


def synthetic_population(count: int, *, seed: int, first_number: int = 1) -> list[dict[str, Any]]:
    """`count` invented DA cases keyed by the canonical case fields; same seed, same cases.
    References count from `first_number` (a second demo audit's cases differ from the first's)."""
    if count < 0:
        raise ValueError("count must not be negative")
    rng = random.Random(seed)
    officers = _officers(rng, OFFICER_COUNT, "PC", 1001)
    supervisors = _officers(rng, SUPERVISOR_COUNT, "DS", 201)
    population = [_case(rng, number, officers, supervisors)
                  for number in range(first_number, first_number + count)]
    return population
