"""The shipped calibration sets and their frameworks, read once for property tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from audit_app.core.calibration import CalibrationSet, calibration_from_dict
from audit_app.core.framework import Framework, framework_from_dict

ROOT = Path(__file__).resolve().parents[2] / "resources"


def _frameworks() -> dict[str, Framework]:
    """Every shipped framework version, current and previous, by "key@version"."""
    folder = ROOT / "frameworks"
    found = {}
    for path in [*sorted(folder.glob("*.yaml")), *sorted((folder / "previous").glob("*.yaml"))]:
        framework = framework_from_dict(yaml.safe_load(path.read_text(encoding="utf-8")))
        found[f"{framework.key}@{framework.version}"] = framework
    return found


def _shipped_sets() -> dict[str, tuple[CalibrationSet, Framework]]:
    """Each shipped calibration file, checked against the framework version it names."""
    frameworks = _frameworks()
    sets = {}
    for path in sorted((ROOT / "calibration").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        ref = f"{raw['framework']}@{raw['version']}"
        sets[ref] = calibration_from_dict(raw, frameworks[ref]), frameworks[ref]
    return sets


SHIPPED_SETS = _shipped_sets()
SHIPPED = SHIPPED_SETS["da-nfa-review@3"]
