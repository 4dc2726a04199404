"""Extending the learning themes: a panel adds a theme of its own, kept in the data
folder's `themes.yaml` beside the shipped list (`io.theme_files`)."""

from __future__ import annotations

from audit_app.core.errors import UserError
from audit_app.core.themes import Theme, key_for_name
from audit_app.io.theme_files import learning_themes, own_themes, write_own_themes


def add_theme(*, name: str, description: str = "", key: str = "",
              criteria: dict[str, tuple[str, ...]] | None = None) -> Theme:
    """Add the panel's own theme. Its short name comes from the name unless given; a name or
    short name already in use is refused, and nothing is written."""
    clean_name = " ".join(name.split())
    if not clean_name:
        raise UserError("A theme needs a name.")
    short = key.strip().lower() or key_for_name(clean_name)
    if not short or not short[0].isalnum() or len(short) > 64 \
            or any(not (c.isalnum() or c == "-") for c in short):
        raise UserError("A theme's short name should be lower-case words joined by hyphens, "
                        "like 'risk-assessment'.")
    for theme in learning_themes():
        if theme.key == short:
            raise UserError(f"There is already a theme with the short name '{short}' "
                            f"({theme.name}).")
        if theme.name.casefold() == clean_name.casefold():
            raise UserError(f"There is already a theme called '{theme.name}'.")
    theme = Theme(short, clean_name, " ".join(description.split()), criteria or {},
                  shipped=False)
    write_own_themes((*own_themes(), theme))
    return theme
