"""The shipped calibration set and its framework, read once for property tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from audit_app.core.calibration import CalibrationSet, calibration_from_dict
from audit_app.core.framework import Framework, framework_from_dict

ROOT = Path(__file__).resolve().parents[2] / "resources"


def _shipped() -> tuple[CalibrationSet, Framework]:
    framework = framework_from_dict(yaml.safe_load(
        (ROOT / "frameworks" / "da-nfa-review.yaml").read_text(encoding="utf-8")))
    raw = yaml.safe_load((ROOT / "calibration" / "da-nfa-review-3.yaml").read_text(
        encoding="utf-8"))
    return calibration_from_dict(raw, framework), framework


SHIPPED = _shipped()
