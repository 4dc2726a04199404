"""The learning themes: the shipped taxonomy and a panel's own, as one checked list.

The taxonomy ships as data (`resources/themes/themes.yaml`); a panel extends it with a
`themes.yaml` of the same shape in its data folder (`io.theme_files` reads both). A theme
in the panel's file with a shipped key replaces the shipped one; any other is added.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from audit_app.core.errors import InvalidFileError

_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Recommendation:
    document: str
    where: str
    quote: str


@dataclass(frozen=True)
class Theme:
    key: str
    name: str
    description: str = ""
    criteria: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    recommendations: tuple[Recommendation, ...] = ()
    shipped: bool = True

    def criteria_for(self, framework_key: str) -> tuple[str, ...]:
        return tuple(self.criteria.get(framework_key, ()))


def _text(entry: Mapping[str, object], name: str, source: str, theme: str) -> str:
    value = entry.get(name, "")
    if not isinstance(value, str | int | float):
        raise InvalidFileError(f"{source}: theme '{theme}' has a '{name}' that is not text.")
    return " ".join(str(value).split())


def _theme(entry: object, source: str, shipped: bool) -> Theme:
    if not isinstance(entry, Mapping):
        raise InvalidFileError(f"{source}: each theme should be a block with key and name.")
    key = str(entry.get("key", "")).strip()
    if not _KEY.match(key):
        raise InvalidFileError(f"{source}: the theme key '{key}' should be short lower-case "
                               "words joined by hyphens, like 'risk-assessment'.")
    name = _text(entry, "name", source, key)
    if not name:
        raise InvalidFileError(f"{source}: theme '{key}' needs a name.")
    criteria = entry.get("criteria") or {}
    if not isinstance(criteria, Mapping):
        raise InvalidFileError(f"{source}: theme '{key}' should list criteria under each "
                               "framework's id.")
    links = {str(framework): tuple(str(code) for code in codes or ())
             for framework, codes in criteria.items()}
    recommendations = entry.get("recommendations") or []
    if not isinstance(recommendations, Sequence):
        raise InvalidFileError(f"{source}: theme '{key}' should list its recommendations.")
    return Theme(key, name, _text(entry, "description", source, key), links,
                 tuple(Recommendation(_text(r, "document", source, key),
                                      _text(r, "where", source, key),
                                      _text(r, "quote", source, key))
                       for r in recommendations if isinstance(r, Mapping)), shipped)


def read_themes(data: object, source: str, *, shipped: bool) -> tuple[Theme, ...]:
    """Themes from a parsed YAML document, checked; `source` names the file in a complaint."""
    if data is None:
        return ()
    entries = data.get("themes") if isinstance(data, Mapping) else None
    if not isinstance(entries, Sequence) or isinstance(entries, str):
        raise InvalidFileError(f"{source} should start with 'themes:' and list one theme "
                               "per entry.")
    themes = [_theme(entry, source, shipped) for entry in entries]
    seen: set[str] = set()
    for theme in themes:
        if theme.key in seen:
            raise InvalidFileError(f"{source} names the theme '{theme.key}' twice.")
        seen.add(theme.key)
    return tuple(themes)


def combine_themes(shipped: Sequence[Theme], own: Sequence[Theme]) -> tuple[Theme, ...]:
    """The shipped themes in order, each replaced by the panel's of the same key, then the
    panel's new ones."""
    by_key = {theme.key: theme for theme in own}
    combined = [by_key.pop(theme.key, theme) for theme in shipped]
    return (*combined, *[theme for theme in own if theme.key in by_key])


def theme_entry(theme: Theme) -> dict[str, object]:
    """A theme as its file holds it (the inverse of reading one entry)."""
    entry: dict[str, object] = {"key": theme.key, "name": theme.name}
    if theme.description:
        entry["description"] = theme.description
    if theme.criteria:
        entry["criteria"] = {framework: list(codes) for framework, codes in theme.criteria.items()}
    if theme.recommendations:
        entry["recommendations"] = [{"document": r.document, "where": r.where, "quote": r.quote}
                                    for r in theme.recommendations]
    return entry


def key_for_name(name: str) -> str:
    """A theme's short name from its plain name: lower-case words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    return "-".join(words)[:64].strip("-")


def theme_names(themes: Sequence[Theme]) -> dict[str, str]:
    return {theme.key: theme.name for theme in themes}


def theme_name(names: Mapping[str, str], key: str) -> str:
    """A theme's name, for a reader. A theme this laptop does not know (tagged on another
    laptop or another copy of the app, or taken out of the panel's file since) reads as its
    short name in words, "Interpreters and language needs", never as the short name itself."""
    if key in names:
        return names[key]
    words = " ".join(key.replace("-", " ").split())
    return words[:1].upper() + words[1:]


def themes_for_criterion(themes: Sequence[Theme], framework_key: str, code: str
                         ) -> tuple[Theme, ...]:
    return tuple(theme for theme in themes if code in theme.criteria_for(framework_key))
