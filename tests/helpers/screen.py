"""The offscreen screen the tests run on: a 1280x720 laptop, the smallest the app must fit.

Qt's offscreen platform is 800x800 unless given a screen; windows now fit the screen they
open on (ui/screen_fit.py), so the tests give it the laptop the app is made for."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

LAPTOP = (1280, 720)


def offscreen_platform(width: int = LAPTOP[0], height: int = LAPTOP[1]) -> str:
    """A QT_QPA_PLATFORM value: offscreen, one screen of width x height at 96 dpi."""
    config = Path(tempfile.gettempdir()) / f"audit-app-test-screen-{width}x{height}.json"
    text = json.dumps({"screens": [{"name": "laptop", "x": 0, "y": 0, "width": width,
                                    "height": height, "logicalDpi": 96, "dpr": 1}]})
    if not config.exists() or config.read_text(encoding="utf-8") != text:
        partial = config.with_name(f"{config.name}.{os.getpid()}")
        partial.write_text(text, encoding="utf-8")
        partial.replace(config)  # whole, even with several test workers at once
    return f"offscreen:configfile={config}"
