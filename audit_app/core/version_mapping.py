"""Which criteria of an earlier framework version compare with which of a later one.

An audit comparison matches criteria on code and question. When a framework's new version
rewords a criterion without changing what it measures, a shipped mapping says so (and why),
and the comparison sets the two side by side; a criterion split or re-scoped is named as not
comparable, with the reason, so the panel reads why it is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from audit_app.core.errors import ValidationError


@dataclass(frozen=True)
class VersionMapping:
    earlier: str  # "da-nfa-review@2"
    later: str
    comparable: dict[str, tuple[str, str]] = field(default_factory=dict)  # old -> (new, why)
    not_comparable: dict[str, str] = field(default_factory=dict)           # old code -> why

    def earlier_code(self, later_code: str) -> str | None:
        """The earlier criterion a reworded later one compares with, if the mapping says so."""
        for old, (new, _) in self.comparable.items():
            if new == later_code:
                return old
        return None

    def why_comparable(self, later_code: str) -> str:
        old = self.earlier_code(later_code)
        return self.comparable[old][1] if old is not None else ""


def mapping_from_dict(raw: Any) -> VersionMapping:
    if not isinstance(raw, Mapping) or not raw.get("from") or not raw.get("to"):
        raise ValidationError("A version mapping needs 'from' and 'to' framework versions")
    comparable = {}
    for old, target in (raw.get("comparable") or {}).items():
        if not isinstance(target, Mapping) or not target.get("to"):
            raise ValidationError(f"Mapping of criterion {old} needs the criterion it maps 'to'")
        comparable[str(old)] = (str(target["to"]), " ".join(str(target.get("why") or "").split()))
    not_comparable = {str(old): " ".join(str(why).split())
                      for old, why in (raw.get("not_comparable") or {}).items()}
    return VersionMapping(str(raw["from"]), str(raw["to"]), comparable, not_comparable)
