"""The exception hierarchy: every error a user can see carries a Chinese message."""

from __future__ import annotations


class LandReserveError(Exception):
    """Base of all landreserve errors. ``str(error)`` is the Chinese message for the user."""

    #: stable machine-readable code, e.g. ``plan.unreadable``
    code: str = "landreserve.error"

    def __init__(self, message: str, *, code: str | None = None, details: dict | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}

    def to_dict(self) -> dict:
        """The one JSON error shape used by the CLI and the web app."""
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class InputError(LandReserveError):
    """A file or value given by the user cannot be read (names the file, line or field)."""

    code = "input.invalid"


class NotFoundError(LandReserveError):
    """The requested record does not exist."""

    code = "not_found"


class ConflictError(LandReserveError):
    """Someone else changed the record first (optimistic locking) or the record already exists."""

    code = "conflict"


class RuleViolation(LandReserveError):
    """A domain rule refuses the operation (a gate, a ring-fence, a permitted use)."""

    code = "rule.violation"

    def __init__(self, message: str, *, reasons: list[str] | None = None, code: str | None = None):
        super().__init__(message, code=code, details={"reasons": reasons or []})
        self.reasons = reasons or []


class PermissionDenied(LandReserveError):
    """The acting user's department may not do this (checked in the service layer on every write)."""

    code = "permission.denied"


class IntegrityError(LandReserveError):
    """Stored data fails a verification (tampered history, unbalanced books)."""

    code = "integrity"


class DatabaseError(LandReserveError):
    """The database cannot be used: down, missing, not a database, wrong schema version, an unexpected
    refusal. The message names the setting (``LANDRESERVE_DATABASE_URL``) and never shows SQL."""

    code = "database.error"


class DatabaseBusyError(DatabaseError):
    """Another command holds the write lock longer than the busy timeout; nothing was written."""

    code = "database.busy"


class InternalError(LandReserveError):
    """A program error that reached the user: reported in Chinese instead of a traceback."""

    code = "internal.error"
