"""Review states kept between a reviewer's answers, so the next key press writes at once.

Each state is what `db.reviews.store_answers` needs (the review's id, version and status,
its answers, the framework's criteria and scale). A kept state is only a guess: every
write checks the review's version in the same statement that moves it on, and on a miss
the caller reads the review afresh. States are kept per engine (one open database), a few
dozen at most, and only outside `db.batch()`, whose work may still be rolled back.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Mapping
from typing import NamedTuple

from sqlalchemy import Engine

from audit_app.db.reviews import ReviewState
from audit_app.services.database import Database

# Enough for every review of a large audit that the people at this computer write: a
# state is a few kilobytes.
KEPT_PER_DATABASE = 2048


class ReviewKey(NamedTuple):
    audit_id: int
    case_id: int
    reviewer: str  # as stored: spaces tidied
    kind: str


_kept: weakref.WeakKeyDictionary[Engine, OrderedDict[ReviewKey, ReviewState]] = (
    weakref.WeakKeyDictionary())
# A framework version's criteria and scale never change once it is installed.
_scales: weakref.WeakKeyDictionary[Engine, dict[int, frozenset[str]]] = (
    weakref.WeakKeyDictionary())  # by framework id
_codes: weakref.WeakKeyDictionary[Engine, dict[int, Mapping[str, int]]] = (
    weakref.WeakKeyDictionary())  # criterion ids by code, by framework id


def _keeps(db: Database) -> bool:
    return getattr(db, "bound", None) is None


def kept(db: Database, key: ReviewKey) -> ReviewState | None:
    if not _keeps(db):
        return None
    states = _kept.get(db.engine)
    return states.get(key) if states is not None else None


def keep(db: Database, key: ReviewKey, state: ReviewState) -> None:
    """Call only after the transaction that wrote or read `state` has committed."""
    if not _keeps(db):
        return
    states = _kept.setdefault(db.engine, OrderedDict())
    states[key] = state
    states.move_to_end(key)
    while len(states) > KEPT_PER_DATABASE:
        states.popitem(last=False)


def forget(db: Database, key: ReviewKey) -> None:
    states = _kept.get(db.engine)
    if states is not None:
        states.pop(key, None)


def scale_of(db: Database, framework_id: int) -> frozenset[str] | None:
    return _scales.get(db.engine, {}).get(framework_id) if _keeps(db) else None


def known_codes(db: Database) -> Mapping[int, Mapping[str, int]]:
    """Criterion ids by code, by framework id, for the frameworks read so far."""
    return _codes.get(db.engine, {}) if _keeps(db) else {}


def keep_terms(db: Database, framework_id: int, codes: Mapping[str, int],
               scale: frozenset[str]) -> None:
    if _keeps(db):
        _scales.setdefault(db.engine, {})[framework_id] = scale
        _codes.setdefault(db.engine, {})[framework_id] = codes
