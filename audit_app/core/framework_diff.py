"""What changed between two versions of a framework, criterion by criterion.

Criteria are matched by code: a code in both versions is the same criterion, reworded or
re-scaled perhaps; a code in only one was added or removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from audit_app.core.answers import Answer
from audit_app.core.framework import Criterion, Framework
from audit_app.core.version_mapping import VersionMapping

# Other parts of a criterion a diff reports, as a person names them.
_OTHER_PARTS: tuple[tuple[str, str], ...] = (
    ("guidance", "guidance"), ("source", "source"), ("applies_when", "when it applies"),
    ("key", "key criterion"), ("answered_by", "who answers"), ("file_pack", "file pack"),
    ("note_required_for", "when a note is needed"),
)


@dataclass(frozen=True)
class Reworded:
    code: str
    old_question: str
    new_question: str


@dataclass(frozen=True)
class Rescaled:
    code: str
    old_scale: tuple[Answer, ...]
    new_scale: tuple[Answer, ...]


@dataclass(frozen=True)
class FrameworkDiff:
    old: str                              # "da-nfa-review@2"
    new: str
    added: tuple[Criterion, ...]
    removed: tuple[Criterion, ...]
    reworded: tuple[Reworded, ...]
    rescaled: tuple[Rescaled, ...]
    other: tuple[tuple[str, tuple[str, ...]], ...]   # code, parts changed (in words)

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.reworded or self.rescaled or self.other)


def _words(text: str) -> str:
    return " ".join(text.split())


def _part(criterion: Criterion, name: str) -> Any:
    value = getattr(criterion, name)
    return _words(value) if isinstance(value, str) else value


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    old_by_code = {c.code: c for c in old.criteria}
    new_by_code = {c.code: c for c in new.criteria}
    reworded: list[Reworded] = []
    rescaled: list[Rescaled] = []
    other: list[tuple[str, tuple[str, ...]]] = []
    for code, after in new_by_code.items():
        before = old_by_code.get(code)
        if before is None:
            continue
        if _words(before.question) != _words(after.question):
            reworded.append(Reworded(code, before.question, after.question))
        old_scale, new_scale = before.answers(old.scale), after.answers(new.scale)
        if old_scale != new_scale:
            rescaled.append(Rescaled(code, old_scale, new_scale))
        parts = tuple(words for name, words in _OTHER_PARTS
                      if _part(before, name) != _part(after, name))
        if parts:
            other.append((code, parts))
    return FrameworkDiff(
        old=f"{old.key}@{old.version}", new=f"{new.key}@{new.version}",
        added=tuple(c for code, c in new_by_code.items() if code not in old_by_code),
        removed=tuple(c for code, c in old_by_code.items() if code not in new_by_code),
        reworded=tuple(reworded), rescaled=tuple(rescaled), other=tuple(other))


def _labels(scale: tuple[Answer, ...]) -> str:
    return ", ".join(a.label for a in scale)


def diff_lines(diff: FrameworkDiff) -> list[str]:
    """The diff as a panel member or framework author reads it."""
    lines = [f"Changes from {diff.old} to {diff.new}"]
    if diff.unchanged:
        return [*lines, "", "No criteria were added, removed, reworded or re-scaled."]
    if diff.added:
        lines += ["", f"Added ({len(diff.added)}):"]
        lines += [f"  {c.code:<6}{_words(c.question)}" for c in diff.added]
    if diff.removed:
        lines += ["", f"Removed ({len(diff.removed)}):"]
        lines += [f"  {c.code:<6}{_words(c.question)}" for c in diff.removed]
    if diff.reworded:
        lines += ["", f"Reworded ({len(diff.reworded)}):"]
        for item in diff.reworded:
            lines += [f"  {item.code:<6}was: {_words(item.old_question)}",
                      f"  {'':<6}now: {_words(item.new_question)}"]
    if diff.rescaled:
        lines += ["", f"Re-scaled ({len(diff.rescaled)}):"]
        for scaled in diff.rescaled:
            lines += [f"  {scaled.code:<6}was: {_labels(scaled.old_scale)}",
                      f"  {'':<6}now: {_labels(scaled.new_scale)}"]
    if diff.other:
        lines += ["", f"Otherwise changed ({len(diff.other)}):"]
        lines += [f"  {code:<6}{', '.join(parts)}" for code, parts in diff.other]
    return lines


def diff_to_dict(diff: FrameworkDiff) -> dict[str, Any]:
    """The diff for `--json`: answers as their file values, criteria by code and question."""
    def brief(criterion: Criterion) -> dict[str, str]:
        return {"code": criterion.code, "question": _words(criterion.question)}

    return {
        "from": diff.old, "to": diff.new,
        "added": [brief(c) for c in diff.added],
        "removed": [brief(c) for c in diff.removed],
        "reworded": [{"code": r.code, "was": _words(r.old_question), "now": _words(r.new_question)}
                     for r in diff.reworded],
        "rescaled": [{"code": r.code, "was": [a.value for a in r.old_scale],
                      "now": [a.value for a in r.new_scale]} for r in diff.rescaled],
        "other": [{"code": code, "changed": list(parts)} for code, parts in diff.other],
    }


# --- how audits compare across the two versions, in words (the editor's diff view) -----

def scale_change_words(rescaled: Rescaled) -> str:
    """"Now also: Not in the file pack. No longer: N/A." (or both scales in full where the
    answers are only reordered)."""
    gained = [a.label for a in rescaled.new_scale if a not in rescaled.old_scale]
    lost = [a.label for a in rescaled.old_scale if a not in rescaled.new_scale]
    parts = ([f"Now also: {', '.join(gained)}."] if gained else []) + (
        [f"No longer: {', '.join(lost)}."] if lost else [])
    return " ".join(parts) or f"Answers reordered: {_labels(rescaled.new_scale)}."


def pairing_in_words(code: str, change: str, mapping: VersionMapping | None) -> str:
    """How an audit comparison across the two versions treats one criterion, as the shipped
    mapping and `services.comparison` pair them. `change` is "added", "removed", "reworded"
    or "rescaled"; `code` is the later version's code, the earlier's for "removed"."""
    if change == "added":
        earlier = mapping.earlier_code(code) if mapping else None
        if mapping is not None and earlier is not None:
            return f"Compared with earlier criterion {earlier}: {mapping.why_comparable(code)}"
        return "New: nothing earlier to compare with."
    if change == "rescaled":
        return "Compared: the question is the same."
    if mapping is not None and code in mapping.not_comparable:
        return f"Not compared: {mapping.not_comparable[code]}"
    if mapping is not None and code in mapping.comparable:
        later, why = mapping.comparable[code]
        target = "" if later == code else f" with criterion {later}"
        return f"Compared{target}: {why}"
    if change == "removed":
        return "Not compared: no longer asked."
    return ("Not compared: the wording changed and no shipped mapping says it measures "
            "the same thing.")
