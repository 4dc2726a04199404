"""The desktop front (PySide6). Nothing outside this package imports Qt."""

from audit_app.ui import signals as _signals  # noqa: F401 - makes every signal emit safe first
