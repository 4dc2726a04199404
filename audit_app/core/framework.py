"""Criteria frameworks: sections of criteria scored on the answer scale, versioned.

A framework is data (a YAML file in `resources/frameworks/`); this module checks it and
turns it into frozen dataclasses. An audit freezes the exact version it was started on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from audit_app.core.answers import CLASSIC_SCALE, Answer
from audit_app.core.case_fields import FIELD_KEYS, FIELDS_BY_KEY
from audit_app.core.errors import ValidationError
from audit_app.core.expressions import ExpressionError, Predicate, compile_condition, describe_condition
from audit_app.core.framework_fields import (
    FILE_PACK_LABELS,
    Role,
    Source,
    parse_file_pack,
    parse_role,
    parse_source,
)

_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
DEFAULT_NOTE_REQUIRED = (Answer.NOT_MET, Answer.NOT_EVIDENCED)
NO_SOURCE = Source()
CRITERION_KEYS = ("code", "question", "guidance", "source", "note_required_for", "applies_when",
                  "key", "scale", "answered_by", "file_pack")


@lru_cache(maxsize=256)
def _compiled_rule(source: str) -> Predicate:
    # Rules are checked once per case per criterion; parse each distinct rule only once.
    return compile_condition(source)


@dataclass(frozen=True)
class Criterion:
    code: str
    question: str
    guidance: str = ""
    source: Source = NO_SOURCE
    note_required_for: tuple[Answer, ...] = DEFAULT_NOTE_REQUIRED
    applies_when: str = ""
    # A key criterion: an NFA decision the panel finds appropriate should not have it not met
    # (the consistency checks flag the pair for moderation). Scoring is unchanged.
    key: bool = False
    # The answers this criterion may take, in scale order; empty means the framework's whole
    # scale (a yes/no item such as "the outcome code is correct" cannot be partly met).
    scale: tuple[Answer, ...] = ()
    answered_by: Role = Role.ANY
    file_pack: tuple[str, ...] = ()   # keys of FILE_PACK_LABELS: what the file must hold

    def answers(self, framework_scale: tuple[Answer, ...]) -> tuple[Answer, ...]:
        """The answers a member may give here."""
        return self.scale or framework_scale

    def file_pack_labels(self) -> list[str]:
        return [FILE_PACK_LABELS[item] for item in self.file_pack]

    def applies_to(self, case_fields: dict[str, Any]) -> bool:
        """False where the framework's applicability rule excludes this case (scored N/A)."""
        if not self.applies_when:
            return True
        return _compiled_rule(self.applies_when)(case_fields)

    def needs_note(self, answer: Answer) -> bool:
        return answer in self.note_required_for

    def rule_in_words(self) -> str:
        """The applicability rule as a panel member reads it; '' where it always applies."""
        if not self.applies_when:
            return ""
        return describe_condition(self.applies_when, {k: f.label for k, f in FIELDS_BY_KEY.items()})


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
    scale: tuple[Answer, ...] = CLASSIC_SCALE
    applies_to: str = ""
    changes: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def criteria(self) -> list[Criterion]:
        return [c for s in self.sections for c in s.criteria]

    @property
    def title_and_version(self) -> str:
        """How a person names it: "Domestic abuse NFA decision review, version 3" (the key
        is for files and the command line)."""
        return f"{self.title}, version {self.version}"

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


def _text(raw: dict[str, Any], key: str, where: str, problems: list[str], *,
          required: bool = True) -> str:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            problems.append(f"{where}: '{key}' is missing")
        return ""
    if isinstance(value, (dict, list)):
        problems.append(f"{where}: '{key}' must be text")
        return ""
    # Guidance keeps its line breaks (Met / Partly met / Not met on their own lines).
    return str(value).strip() if key == "guidance" else " ".join(str(value).split())


def _answers(values: Any, where: str, problems: list[str]) -> tuple[Answer, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        problems.append(f"{where}: expected a list of answers such as [not_met, not_evidenced]")
        return ()
    parsed: list[Answer] = []
    for value in values:
        try:
            parsed.append(Answer.parse(str(value)))
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
    return tuple(parsed)


def _fail_if(problems: list[str], key: str) -> None:
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise ValidationError(f"Framework '{key}' is not valid: {problems[0]}{more}", list(problems))


def _criterion(c_raw: Any, where: str, key: str, scale: tuple[Answer, ...],
               default_note: tuple[Answer, ...], seen_codes: set[str],
               problems: list[str]) -> Criterion | None:
    if not isinstance(c_raw, dict):
        problems.append(f"{where}: must be a mapping with code and question")
        return None
    code = _text(c_raw, "code", where, problems)
    label = f"Criterion {code}" if code else where
    unknown = sorted(str(k) for k in c_raw if k not in CRITERION_KEYS)
    if unknown:
        problems.append(f"{label}: unknown key(s) {', '.join(unknown)} "
                        f"(allowed: {', '.join(CRITERION_KEYS)})")
    if code in seen_codes:
        problems.append(f"Framework '{key}': criterion code '{code}' is used twice")
    seen_codes.add(code)
    applies_when = _text(c_raw, "applies_when", label, problems, required=False)
    if applies_when:
        try:
            # Rules may name only the canonical case fields, the ones every case carries.
            compile_condition(applies_when, fields=set(FIELD_KEYS))
        except ExpressionError as exc:
            problems.append(f"{label}: applies_when: {exc}")
    own_scale = _criterion_scale(c_raw.get("scale"), label, scale, problems)
    allowed = own_scale or scale
    if applies_when and Answer.NOT_APPLICABLE in scale and Answer.NOT_APPLICABLE not in allowed:
        # Cases the rule leaves out are scored N/A automatically.
        problems.append(f"{label}: it applies only to some cases, so its scale must include N/A")
    if "note_required_for" in c_raw:
        note_for = _answers(c_raw["note_required_for"], f"{label} note_required_for", problems)
    else:
        # The framework's default, less any answer this criterion's own scale leaves out
        # (a default naming answers off the framework's scale is still reported below).
        note_for = tuple(a for a in default_note if a in own_scale) if own_scale else default_note
    outside = [a.label for a in note_for if a not in allowed]
    if outside:
        problems.append(f"{label}: note_required_for names answers not on the scale: "
                        f"{', '.join(outside)}")
    key_flag = c_raw.get("key", False)
    if not isinstance(key_flag, bool):
        problems.append(f"{label}: key must be true or false")
        key_flag = False
    return Criterion(
        code=code,
        question=_text(c_raw, "question", label, problems),
        guidance=_text(c_raw, "guidance", label, problems, required=False),
        source=parse_source(c_raw.get("source"), label, problems),
        note_required_for=note_for,
        applies_when=applies_when,
        key=key_flag,
        scale=own_scale,
        answered_by=parse_role(c_raw.get("answered_by"), label, problems),
        file_pack=parse_file_pack(c_raw.get("file_pack"), label, problems),
    )


def _criterion_scale(value: Any, label: str, scale: tuple[Answer, ...],
                     problems: list[str]) -> tuple[Answer, ...]:
    """A criterion's own answers: part of the framework's scale, always with Met and Not met."""
    if value is None:
        return ()
    answers = _answers(value, f"{label} scale", problems)
    outside = [a.label for a in answers if a not in scale]
    if outside:
        problems.append(f"{label}: its scale names answers the framework's scale does not have: "
                        f"{', '.join(outside)}")
    if Answer.MET not in answers or Answer.NOT_MET not in answers:
        problems.append(f"{label}: its scale must include Met and Not met")
    if len(set(answers)) != len(answers):
        problems.append(f"{label}: its scale names an answer twice")
    # Scale order, whatever order the file lists them in; the whole scale is written as none.
    ordered = tuple(a for a in scale if a in answers)
    return () if ordered == scale else ordered


def _version(raw: dict[str, Any], problems: list[str]) -> int:
    try:
        version = int(raw.get("version", 0))
    except (TypeError, ValueError):
        problems.append("version must be a whole number")
        return 0
    if version < 1:
        problems.append("version must be 1 or more")
    return version


def _section(s_raw: Any, s_where: str, key: str, scale: tuple[Answer, ...],
             default_note: tuple[Answer, ...], seen_codes: set[str],
             problems: list[str]) -> Section | None:
    if not isinstance(s_raw, dict):
        problems.append(f"{s_where}: must be a mapping with code, title and criteria")
        return None
    s_code = _text(s_raw, "code", s_where, problems)
    s_title = _text(s_raw, "title", s_where, problems)
    c_list = s_raw.get("criteria")
    if not isinstance(c_list, list) or not c_list:
        problems.append(f"{s_where} ('{s_title}') has no criteria")
        c_list = []
    criteria = [c for c_index, c_raw in enumerate(c_list, start=1)
                if (c := _criterion(c_raw, f"{s_where}, criterion {c_index}", key, scale,
                                    default_note, seen_codes, problems)) is not None]
    return Section(code=s_code, title=s_title, criteria=tuple(criteria),
                   description=_text(s_raw, "description", s_where, problems, required=False))


def framework_from_dict(raw: Any) -> Framework:
    """Check a framework definition and build it.

    Every problem found is listed (in `ValidationError.problems`), each naming where it is,
    so an author can fix a file in one pass.
    """
    if not isinstance(raw, dict):
        raise ValidationError("A framework file must be a mapping with id, version, title, sections")
    key = str(raw.get("id", "")).strip()
    if not _KEY_RE.match(key):
        raise ValidationError(
            f"The framework's short name '{key}' must be lower-case letters, digits and "
            "hyphens (e.g. da-nfa-review)"
        )
    problems: list[str] = []
    version = _version(raw, problems)
    where = f"Framework '{key}'"
    title = _text(raw, "title", where, problems)
    scale = _answers(raw.get("scale"), f"{where} scale", problems) or CLASSIC_SCALE
    if Answer.MET not in scale or Answer.NOT_MET not in scale:
        problems.append("the scale must include Met and Not met")
    default_note = _answers(raw.get("note_required_for", [a.value for a in DEFAULT_NOTE_REQUIRED]),
                            f"{where} note_required_for", problems)
    sections_raw = raw.get("sections")
    if not isinstance(sections_raw, list) or not sections_raw:
        problems.append("it has no sections")
        sections_raw = []
    seen_codes: set[str] = set()
    sections = [section for s_index, s_raw in enumerate(sections_raw, start=1)
                if (section := _section(s_raw, f"section {s_index}", key, scale, default_note,
                                        seen_codes, problems)) is not None]
    framework = Framework(
        key=key, version=version, title=title, sections=tuple(sections),
        description=_text(raw, "description", where, problems, required=False),
        scale=scale,
        applies_to=_text(raw, "applies_to", where, problems, required=False),
        changes=_text(raw, "changes", where, problems, required=False),
    )
    _fail_if(problems, key)
    return framework


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
                c_out["source"] = crit.source.to_data()
            if crit.scale:
                c_out["scale"] = [a.value for a in crit.scale]
            if crit.answered_by is not Role.ANY:
                c_out["answered_by"] = crit.answered_by.value
            if crit.file_pack:
                c_out["file_pack"] = list(crit.file_pack)
            c_out["note_required_for"] = [a.value for a in crit.note_required_for]
            if crit.applies_when:
                c_out["applies_when"] = crit.applies_when
            if crit.key:
                c_out["key"] = True
            s_out["criteria"].append(c_out)
        out["sections"].append(s_out)
    return out
