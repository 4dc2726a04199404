"""Frameworks in the database: shipped ones installed, export and import, versions frozen."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from audit_app.core.errors import NotFoundError, ValidationError
from audit_app.services import audits, frameworks
from audit_app.services.database import Database


def test_shipped_frameworks_are_installed_in_full(db: Database) -> None:
    summaries = {f.key: f for f in frameworks.list_frameworks(db)}
    assert summaries["da-nfa-review"].criterion_count == len(
        frameworks.get_framework(db, "da-nfa-review").criteria) >= 28
    assert summaries["evidence-led-review"].section_count == 5
    assert all(s.builtin for s in summaries.values())
    installed = len(frameworks.list_frameworks(db))
    # Versions 1 to 3 of the domestic abuse review, 1 to 4 of the evidence-led review and 1
    # and 2 of the rape review.
    assert installed == 9
    frameworks.install_builtin_frameworks(db)  # a second start adds nothing
    assert len(frameworks.list_frameworks(db)) == installed


def test_export_then_import_as_a_new_version(db: Database, tmp_path: Path) -> None:
    path = frameworks.export_framework(db, "da-nfa-review", tmp_path / "nfa.yaml")
    text = path.read_text(encoding="utf-8")
    assert "guidance: |" in text  # guidance stays readable for an author to edit
    raw = yaml.safe_load(text)
    raw["sections"][0]["criteria"][0]["question"] = "Was the history checked and shared?"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValidationError, match="already exists with different content; give the "
                                              "changed framework version 4"):
        frameworks.import_framework(db, path)
    raw["version"] = 4
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    summary = frameworks.import_framework(db, path)
    assert (summary.key, summary.version, summary.builtin) == ("da-nfa-review", 4, False)
    assert frameworks.get_framework(db, "da-nfa-review").criteria[0].question.endswith("shared?")
    assert frameworks.get_framework(db, "da-nfa-review@1").criteria[0].question.startswith(
        "Were the previous history")
    # An audit started before the change keeps the version it was started on.
    audit = audits.create_audit(db, name="Pinned", framework="da-nfa-review@1")
    assert audits.get_audit(db, audit.id).framework_version == 1


def test_importing_the_same_content_again_is_harmless(db: Database) -> None:
    framework = frameworks.get_framework(db, "evidence-led-review")
    again = frameworks.save_framework(db, framework)
    assert again.version == framework.version
    changed = dataclasses.replace(framework, title="Evidence-led prosecution review (draft)")
    with pytest.raises(ValidationError, match="already exists"):
        frameworks.save_framework(db, changed)


def test_unknown_framework_references(db: Database) -> None:
    with pytest.raises(NotFoundError, match="Known frameworks: da-nfa-review, evidence-led-review, "
                                           "rape-nfa-review"):
        frameworks.get_framework(db, "nope")
    with pytest.raises(NotFoundError, match="must be a number"):
        frameworks.get_framework(db, "da-nfa-review@two")
    with pytest.raises(NotFoundError, match="version 9"):
        frameworks.get_framework(db, "da-nfa-review:9")
