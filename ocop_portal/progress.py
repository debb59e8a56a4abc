"""How far a long piece of background work has got, for a progress bar.

Progress lives in the cache (Redis in production), not in the database: the work it measures
runs in one transaction (an import is all-or-nothing), whose writes no other connection sees
until it commits, and a progress row written from a second connection would contend with it for
locks. A reporter writes at most a few times a second, whatever the number of rows; with the
cache down, the work goes on and the page simply shows no bar.
"""

import contextlib
import contextvars
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)

PROGRESS_TIMEOUT = 6 * 60 * 60
# A reporter writes to the cache at most this often (seconds), and always at the end.
MIN_INTERVAL = 0.5


def _key(name: str) -> str:
    # Per database, like the figures cache: two portals (or test workers) may share one Redis.
    return f"progress:{connection.settings_dict['NAME']}:{name}"


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    stage: str = ""

    @property
    def percent(self) -> int:
        """Whole percent done, never 100 before the end."""
        if self.total <= 0:
            return 0
        if self.done >= self.total:
            return 100
        return min(99, self.done * 100 // self.total)


def read(name: str) -> Progress | None:
    try:
        value = cache.get(_key(name))
    except Exception:  # noqa: BLE001 - a progress bar never fails a page
        logger.warning("Không đọc được tiến độ %s từ bộ nhớ đệm", name, exc_info=True)
        return None
    if not value:
        return None
    done, total, stage = value
    return Progress(done=done, total=total, stage=stage)


def write(name: str, done: int, total: int, stage: str = "") -> None:
    try:
        cache.set(_key(name), (done, total, stage), PROGRESS_TIMEOUT)
    except Exception:  # noqa: BLE001 - the work goes on without a bar
        logger.warning("Không ghi được tiến độ %s vào bộ nhớ đệm", name, exc_info=True)


def clear(name: str) -> None:
    try:
        cache.delete(_key(name))
    except Exception:  # noqa: BLE001
        logger.warning("Không xoá được tiến độ %s", name, exc_info=True)


class Reporter:
    """Counts rows of one piece of work and writes the count to the cache now and then.

        reporter = Reporter(f"export:{job.pk}", total=count)
        for row in rows:
            ...
            reporter.advance()
        reporter.finish()
    """

    def __init__(self, name: str, *, total: int, stage: str = ""):
        self.name = name
        self.total = total
        self.stage = stage
        self.done = 0
        self._written_at = 0.0
        write(name, 0, total, stage)

    def advance(self, rows: int = 1) -> None:
        self.done += rows
        now = time.monotonic()
        if now - self._written_at >= MIN_INTERVAL:
            self._written_at = now
            write(self.name, min(self.done, self.total), self.total, self.stage)

    def set_stage(self, stage: str, *, total: int | None = None) -> None:
        """A new stage of the work (e.g. checking, then writing), counted from zero."""
        self.stage = stage
        self.done = 0
        if total is not None:
            self.total = total
        self._written_at = time.monotonic()
        write(self.name, 0, self.total, stage)

    def finish(self) -> None:
        self.done = self.total
        write(self.name, self.total, self.total, self.stage)


_current: contextvars.ContextVar[Reporter | None] = contextvars.ContextVar("progress",
                                                                        default=None)


@contextlib.contextmanager
def tracking(name: str, *, total: int, stage: str = "") -> Iterator[Reporter]:
    """Count the rows written inside the block (ocop_portal.excel's tables call `row_written`)
    under `name`: the workbook renderer reports its own progress, whatever builds the rows."""
    reporter = Reporter(name, total=total, stage=stage)
    token = _current.set(reporter)
    try:
        yield reporter
    finally:
        _current.reset(token)
    reporter.finish()


def row_written() -> None:
    """One more row of the work being tracked, if any is."""
    reporter = _current.get()
    if reporter is not None:
        reporter.advance()
