"""Months whose figures province staff have closed (chốt số liệu): the one place the apps that
hold records ask whether a write dated on a day may go ahead.

targets.closing keeps the closed months and registers the answers here at start-up
(targets.apps), so that products, subjects and communications import nothing from targets (the
app that counts their records). Writes through the models' save() and delete() are refused by
signal receivers (targets.closing_guard); code that writes without them (the Excel import's
bulk writes) or must say why before it tries (the admin's delete page) asks here.
"""

import datetime as dt
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError

# Why a record of kind `what` dated `day` cannot be written (None: its month is open).
DayRefusal = Callable[[dt.date, str], str | None]

_answers: dict[str, Callable] = {}


def register(*, months_closed: Callable[[], DayRefusal],
             delete: Callable[[object], str | None]) -> None:
    """Called once by targets at start-up: `months_closed()` reads the closed months (one
    query) and answers for them; `delete(record)` says why a stored record cannot be deleted."""
    _answers["months_closed"] = months_closed
    _answers["delete"] = delete


def _open_always(day: dt.date, what: str) -> str | None:
    return None


def closed_months() -> DayRefusal:
    """The months closed now, read once: ask it about as many days as needed."""
    answer = _answers.get("months_closed")
    return answer() if answer is not None else _open_always


def require_open(day: dt.date | None, what: str, *, field: str | None = None,
                 months: DayRefusal | None = None) -> None:
    """Refuse (ValidationError, on `field` when given) a write dated in a closed month;
    `months` is a `closed_months()` read earlier (else they are read now)."""
    if day is None:
        return
    # `months` is false when no month is closed: asked as `is None`, not by its truth.
    message = (closed_months() if months is None else months)(day, what)
    if message:
        raise ValidationError({field: message} if field else message)


def delete_refusals(records: Iterable[object]) -> list[str]:
    """Why each of `records` that cannot be deleted (its date is in a closed month) cannot."""
    answer = _answers.get("delete")
    if answer is None:
        return []
    return [message for record in records if (message := answer(record))]
