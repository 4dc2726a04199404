"""The headings each case field goes by in forces' extracts, as one table.

The table ships as data (`resources/mapping/header-synonyms.yaml`) and a user's own file
of the same shape is laid over it; `io.extract_synonyms` reads both. Here the parsed
YAML becomes a lookup from a normalised heading to its field: case, spaces and
punctuation are ignored, so "Crime_Ref." and "crime ref" are one heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from audit_app.core.case_fields import CASE_FIELDS, FIELDS_BY_KEY
from audit_app.core.errors import InvalidFileError

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalise_header(header: str) -> str:
    """'Crime Ref.' / 'CRIME_REF' / ' crime  ref ' all become 'crime ref'."""
    return _NON_WORD.sub(" ", header.lower().replace("'", "")).strip()


def read_synonyms(data: object, source: str) -> dict[str, list[str]]:
    """Field key -> headings from a parsed YAML document, checked; `source` names the file
    in any complaint (a user's file may have a typo)."""
    if data is None:
        return {}
    fields = data.get("fields") if isinstance(data, Mapping) else None
    if not isinstance(fields, Mapping):
        raise InvalidFileError(f"{source} should start with 'fields:' and list headings under "
                               "each field's name.")
    table: dict[str, list[str]] = {}
    for key, headings in fields.items():
        if key not in FIELDS_BY_KEY:
            known = ", ".join(FIELDS_BY_KEY)
            raise InvalidFileError(f"{source} names '{key}', which is not a case field. "
                                   f"The fields are: {known}.")
        if isinstance(headings, str):
            headings = [headings]
        if not isinstance(headings, list) or not all(isinstance(h, str | int) for h in headings):
            raise InvalidFileError(f"{source}: the headings under '{key}' should be a list, "
                                   "one heading a line starting with '- '.")
        table[str(key)] = [str(heading) for heading in headings]
    return table


@dataclass(frozen=True)
class HeaderSynonyms:
    """Normalised heading -> field key; each field's key and label always included."""

    field_of: Mapping[str, str]

    def field_for(self, header: str) -> str | None:
        return self.field_of.get(normalise_header(header))

    def headings(self, key: str) -> list[str]:
        """Every normalised heading that means `key`, for showing and testing."""
        return [heading for heading, field in self.field_of.items() if field == key]


def build_synonyms(shipped: Mapping[str, Iterable[str]],
                   *overrides: Mapping[str, Iterable[str]]) -> HeaderSynonyms:
    """The shipped table (first field listed wins a shared heading) with each override laid
    over it (an override's heading moves to the override's field)."""
    field_of: dict[str, str] = {}
    for field in CASE_FIELDS:
        for own in (field.key.replace("_", " "), field.label):
            field_of.setdefault(normalise_header(own), field.key)
    for key, headings in shipped.items():
        for heading in headings:
            field_of.setdefault(normalise_header(heading), key)
    for override in overrides:
        for key, headings in override.items():
            for heading in headings:
                if normalise_header(heading):
                    field_of[normalise_header(heading)] = key
    return HeaderSynonyms(field_of)
