"""The desktop front (PySide6). Nothing outside this package imports Qt."""
