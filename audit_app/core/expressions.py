"""A small, safe condition language over case fields.

Used for a criterion's applicability rule ("outcome_code in (16)") and for sampling
scope ("da_flag == true and area in ('North', 'South')"). Grammar:

    expr       := term ("or" term)*
    term       := factor ("and" factor)*
    factor     := "not" factor | "(" expr ")" | comparison
    comparison := FIELD OP value | FIELD ["not"] "in" "(" value ("," value)* ")"
    OP         := == != < <= > >=
    value      := number | 'text' | "text" | true | false | null | yyyy-mm-dd

Nothing is ever passed to `eval`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from audit_app.core.errors import UserError

Record = Mapping[str, Any]
Predicate = Callable[[Record], bool]

_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+(?:\.\d+)?(?![\d-]))|(?P<date>\d{4}-\d{2}-\d{2})|"
    r"(?P<str>'[^']*'|\"[^\"]*\")|(?P<op>==|!=|<=|>=|<|>|=)|(?P<punct>[(),\[\]])|"
    r"(?P<word>[A-Za-z_][A-Za-z0-9_]*))"
)


class ExpressionError(UserError):
    """A rule or filter that cannot be understood."""


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str


def _tokenise(source: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    source = source.rstrip()
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if not match or match.end() == pos:
            raise ExpressionError(f"Cannot read the condition '{source}' at '{source[pos:].strip()}'")
        kind = match.lastgroup or ""
        tokens.append(_Tok(kind, match.group(kind)))
        pos = match.end()
    return tokens


def tokenise(source: str) -> list[tuple[str, str]]:
    """The condition's tokens as (kind, text): for readers of its structure (condition rows)."""
    return [(tok.kind, tok.text) for tok in _tokenise(source)]


def token_value(kind: str, text: str) -> Any:
    """The value a value token stands for, as a condition reads it."""
    return _literal(_Tok(kind, text))


def _literal(tok: _Tok) -> Any:
    if tok.kind == "num":
        return float(tok.text) if "." in tok.text else int(tok.text)
    if tok.kind == "date":
        return dt.date.fromisoformat(tok.text)
    if tok.kind == "str":
        return tok.text[1:-1]
    if tok.kind == "word":
        lowered = tok.text.lower()
        if lowered in ("true", "yes"):
            return True
        if lowered in ("false", "no"):
            return False
        if lowered in ("null", "none", "empty"):
            return None
        return tok.text  # a bare word is taken as text: area == North
    raise ExpressionError(f"Expected a value, found '{tok.text}'")


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


_TRUE_WORDS = frozenset({"true", "yes", "y"})
_FALSE_WORDS = frozenset({"false", "no", "n"})


def _equal(left: Any, right: Any) -> bool:
    left, right = _normalise(left), _normalise(right)
    # A yes/no field compared with quoted text: da_flag == 'yes' means what it says.
    for flag, text in ((left, right), (right, left)):
        if isinstance(flag, bool) and isinstance(text, str):
            return (text in _TRUE_WORDS) if flag else (text in _FALSE_WORDS)
    if isinstance(left, (int, float)) and isinstance(right, str):
        return str(left) == right
    if isinstance(left, str) and isinstance(right, (int, float)) and not isinstance(right, bool):
        try:
            return float(left) == float(right)
        except ValueError:
            return False
    return bool(left == right)


def _order(op: str, left: Any, right: Any) -> bool:
    left, right = _normalise(left), _normalise(right)
    if left is None or right is None:
        return False
    try:
        if op == "<":
            return bool(left < right)
        if op == "<=":
            return bool(left <= right)
        if op == ">":
            return bool(left > right)
        return bool(left >= right)
    except TypeError:
        return False


class _Parser:
    def __init__(self, tokens: list[_Tok], fields: set[str] | None) -> None:
        self.tokens = tokens
        self.pos = 0
        self.fields = fields
        self.used: set[str] = set()

    def peek(self) -> _Tok | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise ExpressionError("The condition ends too soon")
        self.pos += 1
        return tok

    def keyword(self, word: str) -> bool:
        tok = self.peek()
        if tok is not None and tok.kind == "word" and tok.text.lower() == word:
            self.pos += 1
            return True
        return False

    def expr(self) -> Predicate:
        parts = [self.term()]
        while self.keyword("or"):
            parts.append(self.term())
        if len(parts) == 1:
            return parts[0]
        return lambda rec: any(p(rec) for p in parts)

    def term(self) -> Predicate:
        parts = [self.factor()]
        while self.keyword("and"):
            parts.append(self.factor())
        if len(parts) == 1:
            return parts[0]
        return lambda rec: all(p(rec) for p in parts)

    def factor(self) -> Predicate:
        if self.keyword("not"):
            inner = self.factor()
            return lambda rec: not inner(rec)
        tok = self.peek()
        if tok is not None and tok.text == "(":
            self.take()
            inner = self.expr()
            self._expect(")")
            return inner
        return self.comparison()

    def _expect(self, text: str) -> None:
        tok = self.take()
        if tok.text != text:
            raise ExpressionError(f"Expected '{text}', found '{tok.text}'")

    def comparison(self) -> Predicate:
        field_tok = self.take()
        if field_tok.kind != "word":
            raise ExpressionError(f"Expected a field name, found '{field_tok.text}'")
        field = field_tok.text
        if self.fields is not None and field not in self.fields:
            close = difflib.get_close_matches(field, sorted(self.fields), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ExpressionError(f"Unknown field '{field}' in condition{hint}")
        self.used.add(field)
        negate = self.keyword("not")
        if self.keyword("in"):
            values = self._list()
            if negate:
                return lambda rec: not any(_equal(rec.get(field), v) for v in values)
            return lambda rec: any(_equal(rec.get(field), v) for v in values)
        if negate:
            raise ExpressionError("'not' must be followed by 'in' here")
        op_tok = self.take()
        if op_tok.kind != "op":
            raise ExpressionError(f"Expected a comparison after '{field}', found '{op_tok.text}'")
        value = _literal(self.take())
        op = "==" if op_tok.text == "=" else op_tok.text
        if op == "==":
            return lambda rec: _equal(rec.get(field), value)
        if op == "!=":
            return lambda rec: not _equal(rec.get(field), value)
        return lambda rec: _order(op, rec.get(field), value)

    def _list(self) -> list[Any]:
        opener = self.take()
        if opener.text not in ("(", "["):
            raise ExpressionError("Expected a list in brackets after 'in'")
        closer = ")" if opener.text == "(" else "]"
        values: list[Any] = []
        while True:
            values.append(_literal(self.take()))
            tok = self.take()
            if tok.text == closer:
                return values
            if tok.text != ",":
                raise ExpressionError(f"Expected ',' or '{closer}' in list, found '{tok.text}'")


def compile_condition(source: str, *, fields: set[str] | None = None) -> Predicate:
    """Turn a condition into a predicate over a mapping of field values."""
    return _parse(source, fields)[0]


def condition_fields(source: str, *, fields: set[str] | None = None) -> frozenset[str]:
    """The fields a condition reads: its answer depends on nothing else."""
    return _parse(source, fields)[1]


def _parse(source: str, fields: set[str] | None) -> tuple[Predicate, frozenset[str]]:
    if not source or not source.strip():
        return (lambda rec: True), frozenset()
    parser = _Parser(_tokenise(source), fields)
    predicate = parser.expr()
    if parser.peek() is not None:
        raise ExpressionError(f"Unexpected '{parser.peek().text}' in condition '{source}'")  # type: ignore[union-attr]
    return predicate, frozenset(parser.used)


_WORDS_FOR_OPERATOR = {"==": "is", "=": "is", "!=": "is not", "<": "is below", "<=": "is at most",
                       ">": "is above", ">=": "is at least"}
_WORDS_FOR_DATE_OPERATOR = {"<": "is before", "<=": "is on or before", ">": "is after",
                            ">=": "is on or after"}


def describe_condition(source: str, labels: Mapping[str, str] | None = None) -> str:
    """The condition in plain words for a panel member: "Risk level is high, or not recorded".

    `labels` maps field keys to the names users know. The condition must be valid.
    """
    compile_condition(source)  # refuses what cannot be read, with the usual message
    tokens = _tokenise(source)
    labels = labels or {}
    words: list[str] = []
    for index, tok in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        lowered = tok.text.lower()
        if tok.kind == "op":
            dated = following is not None and following.kind == "date"
            words.append((_WORDS_FOR_DATE_OPERATOR if dated else _WORDS_FOR_OPERATOR).get(
                tok.text, _WORDS_FOR_OPERATOR[tok.text]))
        elif tok.kind == "word" and lowered in ("and", "or"):
            words.append(lowered)
        elif tok.kind == "word" and lowered == "not":
            is_in = following is not None and following.text.lower() == "in"
            words.append("is not one of" if is_in else "it is not the case that")
        elif tok.kind == "word" and lowered == "in":
            if not (words and words[-1] == "is not one of"):
                words.append("is one of")
        elif tok.kind == "word" and following is not None and (
                following.kind == "op" or following.text.lower() in ("in", "not")):
            words.append(labels.get(tok.text, tok.text.replace("_", " ")))
        elif tok.kind == "punct":
            if tok.text == ",":
                words[-1] += ","
            elif not _list_bracket(tokens, index):  # a list's own brackets are not spoken
                words.append(tok.text)
        else:
            words.append(_describe_value(_literal(tok)))
    return " ".join(words).replace("( ", "(").replace(" )", ")")


def _list_bracket(tokens: list[_Tok], index: int) -> bool:
    text = tokens[index].text
    if text in "([":
        return index > 0 and tokens[index - 1].text.lower() == "in"
    return _closes_list(tokens, index)


def _closes_list(tokens: list[_Tok], index: int) -> bool:
    depth = 0
    for position in range(index - 1, -1, -1):
        text = tokens[position].text
        if text in ")]":
            depth += 1
        elif text in "([":
            if depth == 0:
                return position > 0 and tokens[position - 1].text.lower() == "in"
            depth -= 1
    return False


def _describe_value(value: Any) -> str:
    if value is None:
        return "not recorded"
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, dt.date):
        return value.strftime("%d %b %Y").lstrip("0")
    return str(value)
