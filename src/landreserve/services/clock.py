"""The one clock of the use cases: record times in UTC, business dates in the installation's local time."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ..domain.plausibility import Window


def utc_now() -> datetime:
    """Now in UTC, without a time zone (how record times such as ``created_at`` are stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """The local calendar date: the default effective date of a change or a booking (a county works in
    its own day, not in UTC's — at 07:00 in Xinjiang UTC is still on the day before)."""
    return date.today()


def window(settings) -> Window:
    """The plausible dates, years and areas today (``domain.plausibility``, from the settings)."""
    return Window.from_settings(settings, today())
