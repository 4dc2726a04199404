"""Reading colours out of a stylesheet, and out of what is really drawn on screen.

`stylesheet_rules` splits a Qt stylesheet into (selector, declarations); `rendered_contrast`
measures, in a grabbed image, the contrast between a widget's background (its commonest
colour) and its text (the colour that stands out most from it), as the eye sees it.
"""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\bwhite\b|\bblack\b")


def stylesheet_rules(stylesheet: str) -> list[tuple[str, dict[str, str]]]:
    """Each rule's selectors (one rule per selector) and its declarations."""
    rules = []
    for selectors, body in _RULE.findall(_COMMENT.sub("", stylesheet)):
        declarations = {}
        for declaration in body.split(";"):
            name, _, value = declaration.partition(":")
            if value.strip():
                declarations[name.strip()] = value.strip()
        rules += [(selector.strip(), declarations) for selector in selectors.split(",")]
    return rules


def colour_in(value: str) -> str | None:
    """The colour in a declaration's value ('1px solid #d4d9de' gives '#d4d9de')."""
    found = _HEX.search(value)
    return found.group(0) if found else None


def _luminance(rgb: np.ndarray) -> np.ndarray:
    channels = rgb.astype(float) / 255
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def rendered_contrast(image: QImage, rect: QRect) -> float:
    """Contrast of the most distinct colour against the commonest within `rect` of `image`."""
    crop = image.copy(rect).convertToFormat(QImage.Format.Format_RGB32)
    width, height = crop.width(), crop.height()
    if width == 0 or height == 0:
        return 1.0
    raw = np.frombuffer(crop.constBits(), dtype=np.uint8)  # type: ignore[call-overload]
    pixels = raw.reshape(height, crop.bytesPerLine() // 4, 4)[:, :width, 2::-1].reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    luminance = _luminance(colours)
    background = luminance[counts.argmax()]
    lighter, darker = np.maximum(luminance, background), np.minimum(luminance, background)
    return float(((lighter + 0.05) / (darker + 0.05)).max())


def widget_rect(widget: QWidget, window: QWidget, image: QImage) -> QRect:
    """The part of `widget` that shows, in `image` (a grab of `window`) pixels."""
    visible = widget.visibleRegion().boundingRect()
    if visible.isEmpty():
        return QRect()
    corner = widget.mapTo(window, visible.topLeft())
    ratio = image.devicePixelRatio()
    return QRect(QPoint(round(corner.x() * ratio), round(corner.y() * ratio)),
                 visible.size() * ratio)
