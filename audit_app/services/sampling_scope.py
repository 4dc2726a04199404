"""Working out an audit's in-scope population for a draw, quickly and exactly.

A draw reads every case in scope: a million on a force-wide extract (`db.sampling`
reads them, a block at a time). A case's stratum, whether it is in scope and whether it
must always be included depend only on the values of the few fields the draw names, so
they are worked out once per distinct combination of those values, not once per case.
Values are typed first (a yes/no flag, a date), so a filter and a stratum label mean the
same on every database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from itertools import compress
from typing import Any

from sqlalchemy.orm import Session

from audit_app.core.case_fields import FIELDS_BY_KEY, FieldKind
from audit_app.core.draw_rule2 import digests_from_hex, empty_digests
from audit_app.core.expressions import Predicate, compile_condition, condition_fields
from audit_app.core.progress import CancelCheck, ProgressCallback
from audit_app.core.sampling import DrawKeys, Population, stratum_label
from audit_app.db.sampling import (
    FIELD_SEPARATOR,
    Block,
    Unreadable,
    is_sqlite,
    reviewed_elsewhere,
    row_blocks,
    sqlite_blocks,
)

__all__ = ["Scope", "read_scope", "reviewed_elsewhere"]


@dataclass(frozen=True)
class Scope:
    """The population a draw is made from, and what the scope rules did to it."""

    population: Population
    always: list[str]  # references that must be in the sample
    excluded_reviewed: int


def _typed(kind: FieldKind, value: Any) -> Any:
    """A stored value as the field's own type, whatever the database handed back.

    Empty text counts as not recorded, as it does in a stratum's name.
    """
    if value is None or value == "":
        return None
    if kind is FieldKind.FLAG and isinstance(value, (int, str)) and not isinstance(value, bool):
        return {"1": True, "0": False}.get(str(value), value)
    if kind is FieldKind.INTEGER and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value
    if kind is FieldKind.DATE and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


class _Classes(dict[Any, tuple[str, bool, bool]]):
    """Raw values of the fields that matter -> (stratum label, in scope, always include)."""

    def __init__(self, keys: Sequence[str], strata_fields: Sequence[str],
                 decode: Callable[[Any], Sequence[Any]], in_scope: Predicate,
                 certain: Predicate | None) -> None:
        super().__init__()
        self.fields = list(keys)
        self.kinds = [FIELDS_BY_KEY[k].kind for k in keys]
        self.strata_fields = list(strata_fields)
        self.decode = decode
        self.in_scope = in_scope
        self.certain = certain
        # The in-scope answers alone, so a block's mask is one map() over a plain dict.
        self.in_scope_of: dict[Any, bool] = {}

    def __missing__(self, raw: Any) -> tuple[str, bool, bool]:
        values = self.decode(raw)
        if len(values) != len(self.fields):
            raise Unreadable(raw)
        record = {k: _typed(kind, v) for k, kind, v in zip(self.fields, self.kinds, values,
                                                             strict=True)}
        result = (stratum_label([record[k] for k in self.strata_fields]),
                  bool(self.in_scope(record)),
                  bool(self.certain(record)) if self.certain is not None else False)
        self[raw] = result
        self.in_scope_of[raw] = result[1]
        return result

    def cover(self, raws: Sequence[Any]) -> None:
        """Work out every distinct combination among `raws`, once each."""
        for raw in set(raws):
            if raw not in self:
                self.__missing__(raw)


def _decode_sqlite(raw: str) -> list[str]:
    return raw.split(FIELD_SEPARATOR)


def _decode_row(raw: tuple[Any, ...]) -> tuple[Any, ...]:
    return raw


def read_scope(session: Session, audit_id: int, *, strata_fields: Sequence[str], where: str,
               include_always: str, exclude_reviewed: bool, seed: int | None = None,
               digests: bool = False, progress: ProgressCallback | None = None,
               cancelled: CancelCheck | None = None) -> Scope:
    """The in-scope population of the audit, with the always-include cases and exclusions.

    Given a seed, every case's rule-1 draw key is made as the cases are read; with
    `digests`, the stored digests rule 2 makes its keys from are read with them.
    """
    fields = set(FIELDS_BY_KEY)
    in_scope = compile_condition(where, fields=fields)
    certain = compile_condition(include_always, fields=fields) if include_always.strip() else None
    needed = condition_fields(where, fields=fields) | condition_fields(include_always, fields=fields)
    keys = list(dict.fromkeys([*strata_fields, *sorted(needed)]))
    excluded = reviewed_elsewhere(session, audit_id) if exclude_reviewed else set()

    def collect(decode: Callable[[Any], Sequence[Any]], read: Callable[..., Any]) -> _Collector:
        found = _Collector(_Classes(keys, strata_fields, decode, in_scope, certain),
                           bool(where.strip()), seed, digests)
        with closing(read(session, audit_id, keys, digests=digests, progress=progress,
                          cancelled=cancelled)) as blocks:
            for block in blocks:
                found.add(block)
        return found

    try:
        if not is_sqlite(session):
            raise Unreadable("not SQLite")
        found = collect(_decode_sqlite, sqlite_blocks)
    except Unreadable:
        found = collect(_decode_row, row_blocks)
    return _assemble(found, bool(keys), excluded)


class _Collector:
    """The in-scope cases of each block as it arrives: their raw values and draw keys.

    Out-of-scope cases are dropped before their keys are made: a filter that keeps a
    quarter of a million cases saves hashing the other three quarters.
    """

    def __init__(self, classes: _Classes, filtered: bool, seed: int | None,
                 digests: bool) -> None:
        self.classes = classes
        self.filtered = filtered
        self.draw_keys = DrawKeys(seed) if seed is not None else None
        self.digests: list[Any] | None = [] if digests else None
        self.references: list[str] = []
        self.raws: list[Any] = []

    def add(self, block: Block) -> None:
        references, raws = block.references, block.raws
        digests = digests_from_hex(block.digests) if self.digests is not None else None
        if raws:
            self.classes.cover(raws)
            if self.filtered:
                keep = list(map(self.classes.in_scope_of.__getitem__, raws))
                if not all(keep):
                    references = list(compress(references, keep))
                    raws = list(compress(raws, keep))
                    digests = digests[keep] if digests is not None else None
            self.raws += raws
        self.references += references
        if self.draw_keys is not None:
            self.draw_keys.add(references)
        if self.digests is not None:
            self.digests.append(digests)

    def population(self, strata: list[str]) -> Population:
        digests = None
        if self.digests is not None:
            import numpy as np

            digests = np.concatenate(self.digests) if self.digests else empty_digests()
        return Population(self.references, strata, self.draw_keys, digests)


def _assemble(found: _Collector, keyed: bool, excluded: set[str]) -> Scope:
    classes, raws = found.classes, found.raws
    strata: list[str] = [""] * len(found.references)
    if keyed:
        labels = {raw: c[0] for raw, c in classes.items()}
        strata = list(map(labels.__getitem__, raws))
    population = found.population(strata)
    excluded_count = 0
    if excluded:
        keep = [r not in excluded for r in population.references]
        excluded_count = len(keep) - sum(keep)
        population = population.select(keep)
        raws = list(compress(raws, keep)) if raws else raws
    always: list[str] = []
    if keyed and any(c[2] for c in classes.values()):
        certain = {raw: c[2] for raw, c in classes.items()}
        always = list(compress(population.references, map(certain.__getitem__, raws)))
    return Scope(population, always, excluded_count)
