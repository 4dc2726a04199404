"""The parts of a criterion beyond its question: who answers it, what the file pack must
hold for it, and where it comes from.

Kept apart from `core.framework` so that the file format's vocabulary (roles, file-pack
documents) reads in one place and the parser stays short.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """Who on the panel can answer a criterion from the file."""

    ANY = "any"
    POLICE = "police"
    CPS = "cps"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.ANY: "Any panel member",
    Role.POLICE: "A police member",
    Role.CPS: "A CPS or legal member",
}

# The documents a criterion can need. Keys are what a framework file writes; labels are
# what a panel member reads. A fixed list so that "not in the file pack" can be counted
# per document across criteria and frameworks.
FILE_PACK_LABELS: dict[str, str] = {
    "incident_log": "Incident log",
    "call_recording": "999 call recording",
    "crime_report": "Crime report and investigation log",
    "dash_form": "DASH risk assessment",
    "body_worn_video": "Body-worn video",
    "statements": "Witness statements",
    "custody_record": "Custody record and interview record",
    "mg_forms": "MG forms (case file)",
    "cps_decision_log": "CPS charging advice and decision log",
    "victim_contact_log": "Victim contact log",
    "safeguarding_referrals": "Safeguarding referrals",   # MARAC, children's services, IDVA
    "digital_evidence": "Digital evidence log",
}


@dataclass(frozen=True)
class Source:
    """Where a criterion comes from: a document, the place in it, and a short quote.

    Older framework versions give a source as one line of text; that reads as a source
    with only `document` set and is written back the same way.
    """

    document: str = ""
    where: str = ""
    quote: str = ""

    @property
    def structured(self) -> bool:
        return bool(self.where or self.quote)

    def __bool__(self) -> bool:
        return bool(self.document)

    def __str__(self) -> str:
        """The source as a panel member reads it."""
        text = ", ".join(part for part in (self.document, self.where) if part)
        return f"{text}: “{self.quote}”" if self.quote else text

    def to_data(self) -> str | dict[str, str]:
        if not self.structured:
            return self.document
        out = {"document": self.document, "where": self.where}
        if self.quote:
            out["quote"] = self.quote
        return out


def _words(value: Any) -> str:
    return " ".join(str(value).split())


def parse_source(value: Any, where: str, problems: list[str]) -> Source:
    """A plain line of text (older versions) or a mapping of document, where and quote."""
    if value is None:
        return Source()
    if isinstance(value, dict):
        unknown = sorted(str(k) for k in value if k not in ("document", "where", "quote"))
        if unknown:
            problems.append(f"{where}: source has unknown part(s) {', '.join(unknown)} "
                            "(allowed: document, where, quote)")
        if any(isinstance(v, (dict, list)) for v in value.values()):
            problems.append(f"{where}: each part of the source must be text")
            return Source()
        source = Source(document=_words(value.get("document") or ""),
                        where=_words(value.get("where") or ""),
                        quote=_words(value.get("quote") or ""))
        if not source.document:
            problems.append(f"{where}: the source must name its document")
        if not source.where:
            problems.append(f"{where}: the source must say where in the document "
                            "(a section, paragraph or recommendation)")
        return source
    if isinstance(value, list):
        problems.append(f"{where}: give one source, as text or as document, where and quote")
        return Source()
    return Source(document=_words(value))


def parse_role(value: Any, where: str, problems: list[str]) -> Role:
    if value is None:
        return Role.ANY
    # The value a file writes, or the label a person reads (with or without "a").
    text = " ".join(str(value).lower().split()).removeprefix("a ")
    for role in Role:
        if text in (role.value, role.label.lower().removeprefix("a ")):
            return role
    problems.append(f"{where}: answered_by must be one of "
                    f"{', '.join(r.value for r in Role)} (not '{value}')")
    return Role.ANY


def parse_file_pack(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        problems.append(f"{where}: file_pack must be a list of documents such as "
                        "[incident_log, dash_form]")
        return ()
    items: list[str] = []
    for item in value:
        text = str(item).strip()
        if text not in FILE_PACK_LABELS:
            problems.append(f"{where}: file_pack names '{text}', which is not a known document "
                            f"(known: {', '.join(FILE_PACK_LABELS)})")
        elif text in items:
            problems.append(f"{where}: file_pack names '{text}' twice")
        else:
            items.append(text)
    return tuple(items)
