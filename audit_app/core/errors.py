"""Typed errors. `UserError`s are things the user can fix; anything else is a bug.

Both fronts turn a `UserError` into a plain-English message (a dialog, or one line on
stderr with exit code 2) and never show a traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the user can put right: a bad file, a missing column, an unknown id."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFoundError(UserError):
    """An audit, case, reviewer or framework that does not exist."""


class InvalidFileError(UserError):
    """A file that cannot be read as what it claims to be."""


class ValidationError(UserError):
    """Input that was read but breaks a rule; carries the row-level problems."""

    def __init__(self, message: str, problems: list[object] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class ConflictError(UserError):
    """Someone else changed the record since it was read, or the action clashes with state."""


class AuditNotOpenError(ConflictError):
    """A write to an audit that is closed, or whose case data was deleted under retention."""


class Cancelled(UserError):
    """The user cancelled a long operation; nothing was changed."""

    def __init__(self, message: str = "Cancelled: nothing was changed.") -> None:
        super().__init__(message)
