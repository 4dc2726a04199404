"""Light or high-contrast: the app's colours follow the platform when it asks for contrast.

The stylesheets hold the calm light colours. When the platform's palette is dark or high
contrast (a dark window colour, the system's dark colour scheme, or
AUDIT_APP_HIGH_CONTRAST=1), `themed` swaps every colour in a stylesheet for the palette
role it stands for (text, window, base, highlight), so a light card never sits under white
text and the user's own colours win. AUDIT_APP_HIGH_CONTRAST=0 keeps the light colours.
"""

from __future__ import annotations

import copy
import os
import re

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from audit_app.core.contrast import is_dark

HIGH_CONTRAST_VARIABLE = "AUDIT_APP_HIGH_CONTRAST"

# The light palette's own colours where Qt's defaults read too faintly (WCAG AA, 4.5:1):
# grey placeholder text and the pale blue selection behind white text.
LIGHT_PALETTE = {
    QPalette.ColorRole.PlaceholderText: "#5b6873",
    QPalette.ColorRole.Highlight: "#2f6f8f",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#2f6f8f",
}

_state = {"high_contrast": False}
_BLOCK = re.compile(r"([^{}]*)\{([^{}]*)\}")
_DECLARATION = re.compile(r"([a-z-]+)(\s*:\s*)([^;{}]+)")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\bwhite\b|\bblack\b")


def wants_high_contrast(palette: QPalette, *, ask_scheme: bool = True) -> bool:
    """The user's choice (the variable), else the platform's colour scheme, else its palette.

    `ask_scheme=False` leaves the colour scheme out, for the first paint at start-up:
    asking it makes PySide build its whole `Qt` namespace (93 enums, about 50 ms), and a
    dark scheme nearly always comes with a dark palette. `scheme_overrides` asks it later."""
    choice = _users_choice()
    if choice is not None:
        return choice
    if ask_scheme and dark_scheme():
        return True
    return is_dark(palette.color(QPalette.ColorRole.Window).name())


def _users_choice() -> bool | None:
    choice = os.environ.get(HIGH_CONTRAST_VARIABLE, "").strip().lower()
    if choice in ("1", "yes", "true", "on"):
        return True
    if choice in ("0", "no", "false", "off"):
        return False
    return None


def dark_scheme() -> bool:
    """True when the platform says its colour scheme is dark."""
    from PySide6.QtCore import Qt  # here, not at start: see `wants_high_contrast`

    hints = QGuiApplication.styleHints()
    return hints is not None and hints.colorScheme() == Qt.ColorScheme.Dark


def scheme_overrides() -> bool:
    """True when the platform's dark colour scheme asks for the high contrast that a choice
    made without asking it (`ask_scheme=False`) did not give."""
    return not high_contrast() and _users_choice() is None and dark_scheme()


def set_high_contrast(on: bool) -> None:
    _state["high_contrast"] = on


def high_contrast() -> bool:
    return _state["high_contrast"]


def light_palette(palette: QPalette) -> QPalette:
    """The palette with the few roles whose Qt defaults fall short of 4.5:1 made darker."""
    # A copy, not `QPalette(palette)`: choosing among that constructor's overloads builds
    # PySide's whole `Qt` namespace (one takes a `Qt.GlobalColor`), 50 ms before the first paint.
    adjusted = copy.copy(palette)
    for role, colour in LIGHT_PALETTE.items():
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            adjusted.setColor(group, role, QColor(colour))
    return adjusted


def themed(stylesheet: str) -> str:
    """The stylesheet as written, or, under high contrast, with palette roles for colours."""
    if not high_contrast():
        return stylesheet
    if "{" not in stylesheet:
        return _themed_block("", stylesheet)
    return _BLOCK.sub(lambda block: block.group(1) + "{" + _themed_block(block.group(1),
                                                                          block.group(2)) + "}",
                      stylesheet)


def _themed_block(selector: str, body: str) -> str:
    """One rule's declarations with each colour replaced by the palette role it plays."""
    backgrounds = [colour for name, _, value in _DECLARATION.findall(body)
                   if name.startswith("background") for colour in _COLOUR.findall(value)]
    chosen = ":selected" in selector or ":checked" in selector  # a chosen item or answer
    on_highlight = bool(backgrounds) and (chosen or any(is_dark(colour) for colour in backgrounds))
    on_base = any(colour.lower() in ("#ffffff", "#fff", "white") for colour in backgrounds)

    def role(name: str, colour: str) -> str:
        if name.startswith("background"):
            return "highlight" if on_highlight else "base" if on_base else "window"
        if name == "color":
            if ":disabled" in selector:
                return "placeholder-text"  # grey, as disabled text is
            return "highlighted-text" if on_highlight else "text" if on_base else "window-text"
        if name == "placeholder-text-color":
            return "placeholder-text"
        if name == "selection-background-color":
            return "highlight"
        if name == "selection-color":
            return "highlighted-text"
        if name == "alternate-background-color":
            return "alternate-base"
        return "highlight" if is_dark(colour) else "placeholder-text"  # borders: grey, seen

    def declaration(match: re.Match[str]) -> str:
        name, colon, value = match.groups()
        value = _COLOUR.sub(lambda colour: f"palette({role(name, colour.group(0))})", value)
        return name + colon + value

    themed_body = _DECLARATION.sub(declaration, body)
    if ":disabled" in selector and backgrounds and "color" not in _names(body):
        # its text colour comes from the enabled rule (white on the accent): grey it here
        themed_body = themed_body.rstrip().rstrip(";") + "; color: palette(placeholder-text); "
    return themed_body


def _names(body: str) -> set[str]:
    return {name for name, _, _ in _DECLARATION.findall(body)}
