"""Colour contrast as WCAG 2.x defines it, so the app's colours can be checked by a test.

The relative luminance of an sRGB colour and the contrast ratio of two colours follow
WCAG 2.2, "relative luminance" and "contrast ratio" (https://www.w3.org/TR/WCAG22/).
Level AA asks 4.5:1 for normal text and 3:1 for large text and the borders of controls.
"""

from __future__ import annotations

import re

NORMAL_TEXT_MINIMUM = 4.5  # WCAG 2.x success criterion 1.4.3, level AA
LARGE_TEXT_MINIMUM = 3.0   # 18pt, or 14pt bold, and up (1.4.3); control borders (1.4.11)

_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_NAMED = {"white": "#ffffff", "black": "#000000"}


def parse_colour(text: str) -> tuple[int, int, int]:
    """'#1f2a33', '#fff' or 'white' as (red, green, blue), each 0 to 255."""
    value = _NAMED.get(text.strip().lower(), text.strip())
    if not _HEX.fullmatch(value):
        raise ValueError(f"not a colour this check reads: {text!r}")
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _linear(channel: int) -> float:
    """One sRGB channel, 0 to 255, in linear light (the WCAG 2.x formula, its 0.04045 knee)."""
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str | tuple[int, int, int]) -> float:
    """0 for black to 1 for white."""
    red, green, blue = parse_colour(colour) if isinstance(colour, str) else colour
    return 0.2126 * _linear(red) + 0.7152 * _linear(green) + 0.0722 * _linear(blue)


def contrast_ratio(first: str | tuple[int, int, int], second: str | tuple[int, int, int]) -> float:
    """From 1 (the same colour) to 21 (black on white); the order does not matter."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def is_dark(colour: str | tuple[int, int, int]) -> bool:
    """Whether dark text would be hard to read on this colour (white text reads better)."""
    return contrast_ratio(colour, "#ffffff") > contrast_ratio(colour, "#000000")
