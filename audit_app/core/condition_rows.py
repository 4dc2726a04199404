"""A condition as rows a person picks: (field, test, values), joined by "all of" or "any of".

The condition builder shows these rows; what is stored and run is still the expression
text of `core.expressions`. `rows_to_expression` writes the text; `expression_to_rows`
reads text back into rows, or says why it cannot (a bracket, a "not", "and" mixed with
"or"), in which case the builder keeps the text in its advanced box. For rows the builder
makes, writing then reading gives the same rows back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from audit_app.core.case_fields import (
    FIELDS_BY_KEY,
    OUTCOME_LABELS,
    RISK_LEVELS,
    SUPPORT_VALUES,
    FieldKind,
)
from audit_app.core.expressions import ExpressionError, compile_condition, token_value, tokenise


class RowTest(StrEnum):
    """What a row asks of its field. Each has one way of being written as text."""

    ONE_OF = "is one of"
    NOT_ONE_OF = "is not one of"
    BLANK = "is blank"
    NOT_BLANK = "is not blank"
    BEFORE = "is before"
    AFTER = "is after"
    AT_LEAST = "is at least"
    AT_MOST = "is at most"

    @property
    def takes_values(self) -> bool:
        """Several values picked from a list (rather than none, or one typed in)."""
        return self in (RowTest.ONE_OF, RowTest.NOT_ONE_OF)

    @property
    def takes_one_value(self) -> bool:
        return self in (RowTest.BEFORE, RowTest.AFTER, RowTest.AT_LEAST, RowTest.AT_MOST)


class Join(StrEnum):
    ALL = "all of"
    ANY = "any of"


_ORDER_OPERATORS = {RowTest.BEFORE: "<", RowTest.AFTER: ">", RowTest.AT_LEAST: ">=", RowTest.AT_MOST: "<="}
_BLANK_OPERATORS = {RowTest.BLANK: "==", RowTest.NOT_BLANK: "!="}
# Fields a row can name: a unique reference or a person's name is no pick-list.
ROW_FIELDS: tuple[str, ...] = tuple(
    key for key, field in FIELDS_BY_KEY.items() if not field.personal and key != "reference")


def row_tests_for(kind: FieldKind) -> tuple[RowTest, ...]:
    """The tests that make sense for a kind of field, the usual one first."""
    if kind is FieldKind.DATE:
        return (RowTest.BEFORE, RowTest.AFTER, RowTest.BLANK, RowTest.NOT_BLANK)
    if kind is FieldKind.INTEGER:
        return (RowTest.ONE_OF, RowTest.NOT_ONE_OF, RowTest.AT_LEAST, RowTest.AT_MOST, RowTest.BLANK,
                RowTest.NOT_BLANK)
    return (RowTest.ONE_OF, RowTest.NOT_ONE_OF, RowTest.BLANK, RowTest.NOT_BLANK)


@dataclass(frozen=True)
class ConditionRow:
    field: str
    test: RowTest
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class ConditionRows:
    rows: tuple[ConditionRow, ...]
    join: Join = Join.ALL


class NotRows(ValueError):
    """A valid expression the rows cannot show; `reason` says why, in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def writable(value: Any) -> bool:
    """A value the expression language can hold (text with both kinds of quote cannot)."""
    return not (isinstance(value, str) and "'" in value and '"' in value)


def value_text(value: Any) -> str:
    """One value as the expression language writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if not writable(text):
        raise ExpressionError("A value holds both kinds of quotation mark and cannot be used")
    return f'"{text}"' if "'" in text else f"'{text}'"


def row_expression(row: ConditionRow) -> str:
    if row.test.takes_values:
        if not row.values:
            raise ExpressionError("Pick at least one value for each row")
        if len(row.values) == 1:  # "risk_level == 'high'" reads better than a list of one
            operator = "!=" if row.test is RowTest.NOT_ONE_OF else "=="
            return f"{row.field} {operator} {value_text(row.values[0])}"
        negation = "not " if row.test is RowTest.NOT_ONE_OF else ""
        return f"{row.field} {negation}in ({', '.join(value_text(v) for v in row.values)})"
    if row.test in _BLANK_OPERATORS:
        return f"{row.field} {_BLANK_OPERATORS[row.test]} null"
    if len(row.values) != 1:
        raise ExpressionError("Give one value for each row")
    return f"{row.field} {_ORDER_OPERATORS[row.test]} {value_text(row.values[0])}"


def rows_to_expression(condition: ConditionRows) -> str:
    """The expression text for the rows ("" when there are none: every case)."""
    joiner = " and " if condition.join is Join.ALL else " or "
    return joiner.join(row_expression(row) for row in condition.rows)


def expression_to_rows(source: str) -> ConditionRows:
    """The rows an expression means; `NotRows` if it is valid but not a list of rows.

    An expression that cannot be read at all raises the usual `ExpressionError`.
    """
    compile_condition(source, fields=set(FIELDS_BY_KEY))
    return _RowReader(source).read()


class _RowReader:
    def __init__(self, source: str) -> None:
        self.tokens = tokenise(source) if source.strip() else []
        self.pos = 0

    def _next(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise NotRows("The condition ends too soon")
        kind, text = self.tokens[self.pos]
        self.pos += 1
        return kind, text

    def _word(self, word: str) -> bool:
        if self.pos < len(self.tokens) and self.tokens[self.pos][0] == "word" \
                and self.tokens[self.pos][1].lower() == word:
            self.pos += 1
            return True
        return False

    def read(self) -> ConditionRows:
        rows: list[ConditionRow] = []
        joins: set[Join] = set()
        while self.pos < len(self.tokens):
            if rows:
                if self._word("and"):
                    joins.add(Join.ALL)
                elif self._word("or"):
                    joins.add(Join.ANY)
                else:
                    raise NotRows("It is not a list of simple tests")
            rows.append(self._row())
        if len(joins) > 1:
            raise NotRows("It mixes \"and\" with \"or\"")
        return ConditionRows(tuple(rows), joins.pop() if joins else Join.ALL)

    def _row(self) -> ConditionRow:
        kind, field = self._next()
        if kind != "word" or field.lower() == "not":
            raise NotRows("It uses brackets or \"not\" around tests")
        if field not in ROW_FIELDS:
            raise NotRows(f"It tests {FIELDS_BY_KEY[field].label.lower()}, which has no pick-list")
        negated = self._word("not")
        if self._word("in"):
            test = RowTest.NOT_ONE_OF if negated else RowTest.ONE_OF
            return self._checked(ConditionRow(field, test, self._list()))
        _, operator = self._next()
        value = token_value(*self._next())
        if value is None and operator in ("==", "=", "!="):
            return ConditionRow(field, RowTest.BLANK if operator != "!=" else RowTest.NOT_BLANK)
        if operator in ("==", "="):
            return self._checked(ConditionRow(field, RowTest.ONE_OF, (value,)))
        if operator == "!=":
            return self._checked(ConditionRow(field, RowTest.NOT_ONE_OF, (value,)))
        ordered = {v: k for k, v in _ORDER_OPERATORS.items()}.get(operator)
        return self._checked(ConditionRow(field, ordered, (value,)) if ordered else None)

    def _list(self) -> tuple[Any, ...]:
        self._next()  # the opening bracket: the expression was read already
        values: list[Any] = []
        while True:
            values.append(token_value(*self._next()))
            if self._next()[1] in ")]":
                return tuple(values)

    @staticmethod
    def _checked(row: ConditionRow | None) -> ConditionRow:
        if row is None or row.test not in row_tests_for(FIELDS_BY_KEY[row.field].kind) or \
                any(v is None for v in row.values) or not _ordered_type(row):
            raise NotRows("It compares a field in a way the pick-lists do not offer")
        return row



def _ordered_type(row: ConditionRow) -> bool:
    """Before and after take a date; at least and at most a whole number (outcome codes)."""
    if row.test in (RowTest.BEFORE, RowTest.AFTER):
        return isinstance(row.values[0], dt.date)
    if row.test in (RowTest.AT_LEAST, RowTest.AT_MOST):
        return isinstance(row.values[0], int) and not isinstance(row.values[0], bool)
    return True


def value_label(field: str, value: Any) -> str:
    """A value as a pick-list shows it: "16 — Evidential difficulties: …", "Yes", "High"."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field == "outcome_code" and isinstance(value, int):
        return f"{value} — {OUTCOME_LABELS.get(value, 'Unknown outcome')}"
    if isinstance(value, dt.date):
        return value.strftime("%d %b %Y").lstrip("0")
    if isinstance(value, str) and FIELDS_BY_KEY[field].kind in (FieldKind.RISK, FieldKind.SUPPORT):
        return value.capitalize()
    return str(value)


def known_values(field: str) -> tuple[Any, ...]:
    """The values a field can take when no population is at hand (a framework's rules)."""
    kind = FIELDS_BY_KEY[field].kind
    if kind is FieldKind.FLAG:
        return (True, False)
    if kind is FieldKind.RISK:
        return RISK_LEVELS
    if kind is FieldKind.SUPPORT:
        return SUPPORT_VALUES
    if field == "outcome_code":
        return tuple(sorted(OUTCOME_LABELS))
    return ()
