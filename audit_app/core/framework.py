"""Criteria frameworks: sections of criteria scored on the answer scale, versioned.

A framework is data (a YAML file in `resources/frameworks/`); this module checks it and
turns it into frozen dataclasses. An audit freezes the exact version it was started on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from audit_app.core.answers import Answer
from audit_app.core.errors import ValidationError
from audit_app.core.expressions import ExpressionError, compile_condition

_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
DEFAULT_NOTE_REQUIRED = (Answer.NOT_MET, Answer.NOT_EVIDENCED)


@dataclass(frozen=True)
class Criterion:
    code: str
    question: str
    guidance: str = ""
    source: str = ""
    note_required_for: tuple[Answer, ...] = DEFAULT_NOTE_REQUIRED
    applies_when: str = ""

    def applies_to(self, case_fields: dict[str, Any]) -> bool:
        """False where the framework's applicability rule excludes this case (scored N/A)."""
        if not self.applies_when:
            return True
        return compile_condition(self.applies_when)(case_fields)

    def needs_note(self, answer: Answer) -> bool:
        return answer in self.note_required_for


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    criteria: tuple[Criterion, ...]
    description: str = ""


@dataclass(frozen=True)
class Framework:
    key: str
    version: int
    title: str
    sections: tuple[Section, ...]
    description: str = ""
    scale: tuple[Answer, ...] = tuple(Answer)
    applies_to: str = ""
    changes: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def criteria(self) -> list[Criterion]:
        return [c for s in self.sections for c in s.criteria]

    def criterion(self, code: str) -> Criterion:
        for crit in self.criteria:
            if crit.code == code:
                return crit
        raise KeyError(code)

    def section_of(self, code: str) -> Section:
        for section in self.sections:
            if any(c.code == code for c in section.criteria):
                return section
        raise KeyError(code)


def _text(raw: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(f"{where}: '{key}' is missing")
        return ""
    return " ".join(str(value).split()) if key != "guidance" else str(value).strip()


def _answers(values: Any, where: str) -> tuple[Answer, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    try:
        return tuple(Answer.parse(str(v)) for v in values)
    except ValueError as exc:
        raise ValidationError(f"{where}: {exc}") from exc


def framework_from_dict(raw: Any) -> Framework:
    """Check a framework definition and build it; every problem names where it is."""
    if not isinstance(raw, dict):
        raise ValidationError("A framework file must be a mapping with id, version, title, sections")
    key = str(raw.get("id", "")).strip()
    if not _KEY_RE.match(key):
        raise ValidationError(
            f"Framework id '{key}' must be lower-case letters, digits and hyphens (e.g. da-nfa-review)"
        )
    try:
        version = int(raw.get("version", 0))
    except (TypeError, ValueError):
        raise ValidationError(f"Framework '{key}': version must be a whole number") from None
    if version < 1:
        raise ValidationError(f"Framework '{key}': version must be 1 or more")
    title = _text(raw, "title", f"Framework '{key}'")
    scale = _answers(raw.get("scale"), f"Framework '{key}' scale") or tuple(Answer)
    if Answer.MET not in scale or Answer.NOT_MET not in scale:
        raise ValidationError(f"Framework '{key}': the scale must include Met and Not met")
    default_note = _answers(raw.get("note_required_for", [a.value for a in DEFAULT_NOTE_REQUIRED]),
                            f"Framework '{key}'")
    sections_raw = raw.get("sections")
    if not isinstance(sections_raw, list) or not sections_raw:
        raise ValidationError(f"Framework '{key}' has no sections")
    seen_codes: set[str] = set()
    sections: list[Section] = []
    for s_index, s_raw in enumerate(sections_raw, start=1):
        where = f"Framework '{key}', section {s_index}"
        if not isinstance(s_raw, dict):
            raise ValidationError(f"{where}: must be a mapping")
        s_code = _text(s_raw, "code", where)
        s_title = _text(s_raw, "title", where)
        criteria: list[Criterion] = []
        c_list = s_raw.get("criteria")
        if not isinstance(c_list, list) or not c_list:
            raise ValidationError(f"{where} ('{s_title}') has no criteria")
        for c_index, c_raw in enumerate(c_list, start=1):
            c_where = f"{where}, criterion {c_index}"
            if not isinstance(c_raw, dict):
                raise ValidationError(f"{c_where}: must be a mapping")
            code = _text(c_raw, "code", c_where)
            if code in seen_codes:
                raise ValidationError(f"Framework '{key}': criterion code '{code}' is used twice")
            seen_codes.add(code)
            applies_when = _text(c_raw, "applies_when", c_where, required=False)
            if applies_when:
                try:
                    compile_condition(applies_when)
                except ExpressionError as exc:
                    raise ValidationError(f"Criterion {code}: applies_when: {exc}") from exc
            note_for = (_answers(c_raw["note_required_for"], f"Criterion {code}")
                        if "note_required_for" in c_raw else default_note)
            criteria.append(Criterion(
                code=code,
                question=_text(c_raw, "question", f"Criterion {code}"),
                guidance=_text(c_raw, "guidance", f"Criterion {code}", required=False),
                source=_text(c_raw, "source", f"Criterion {code}", required=False),
                note_required_for=note_for,
                applies_when=applies_when,
            ))
        sections.append(Section(code=s_code, title=s_title, criteria=tuple(criteria),
                                description=_text(s_raw, "description", where, required=False)))
    return Framework(
        key=key, version=version, title=title, sections=tuple(sections),
        description=_text(raw, "description", f"Framework '{key}'", required=False),
        scale=scale,
        applies_to=_text(raw, "applies_to", f"Framework '{key}'", required=False),
        changes=_text(raw, "changes", f"Framework '{key}'", required=False),
    )


def framework_to_dict(framework: Framework) -> dict[str, Any]:
    """The file form of a framework; `framework_from_dict` reads it back equal."""
    out: dict[str, Any] = {
        "id": framework.key,
        "version": framework.version,
        "title": framework.title,
    }
    if framework.description:
        out["description"] = framework.description
    if framework.applies_to:
        out["applies_to"] = framework.applies_to
    if framework.changes:
        out["changes"] = framework.changes
    out["scale"] = [a.value for a in framework.scale]
    out["sections"] = []
    for section in framework.sections:
        s_out: dict[str, Any] = {"code": section.code, "title": section.title}
        if section.description:
            s_out["description"] = section.description
        s_out["criteria"] = []
        for crit in section.criteria:
            c_out: dict[str, Any] = {"code": crit.code, "question": crit.question}
            if crit.guidance:
                c_out["guidance"] = crit.guidance
            if crit.source:
                c_out["source"] = crit.source
            c_out["note_required_for"] = [a.value for a in crit.note_required_for]
            if crit.applies_when:
                c_out["applies_when"] = crit.applies_when
            s_out["criteria"].append(c_out)
        out["sections"].append(s_out)
    return out
