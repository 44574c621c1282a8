"""The errors the core raises for the UI and the CLI to show to the user.

Every message is already translated (the caller of a service sets the UI
language first), so a view only has to put it next to the right field.
"""

from __future__ import annotations


class ObreroError(Exception):
    """Base of every error meant for a person to read."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(ObreroError):
    """Input that cannot be stored; ``field`` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class ValidationErrors(ObreroError):  # noqa: N818 (a message, not a code path)
    """Several fields wrong at once, so a form can mark all of them together."""

    def __init__(self, errors: list[ValidationError]) -> None:
        super().__init__("\n".join(error.message for error in errors))
        self.errors = errors

    def by_field(self) -> dict[str, str]:
        return {error.field: error.message for error in self.errors}


class DatabaseRefused(ObreroError):  # noqa: N818 (a message, not a code path)
    """A file that Obrero will not open; it has been left untouched."""


class StorageError(ObreroError):
    """The database file could not be written (busy, full, read-only); nothing was stored."""


class NotFound(ObreroError):  # noqa: N818 (a message, not a code path)
    """A record asked for by id does not exist."""
