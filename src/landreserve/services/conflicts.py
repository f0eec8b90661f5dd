"""Concurrent writers: what the database refuses when two users write the same thing at the same moment
(a unique key taken twice, a row changed since it was read) becomes a Chinese ``ConflictError``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError

from ..errors import ConflictError


@contextmanager
def conflicts(message: str, code: str, stale_message: str | None = None) -> Iterator[None]:
    """Wrap a transaction: a unique key taken concurrently raises ``ConflictError(message)``; a row changed
    since it was read (optimistic lock) raises ``ConflictError(stale_message or message)``."""
    try:
        yield
    except sa_exc.IntegrityError as exc:
        raise ConflictError(message, code=code) from exc
    except StaleDataError as exc:
        raise ConflictError(stale_message or message, code=code) from exc
