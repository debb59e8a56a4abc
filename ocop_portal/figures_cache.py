"""The dashboards' figures, cached (Redis in production, local memory in the embedded default)
under a key that every registry write changes, so that a cached figure is never stale.

The key holds a *registry version*: a random token that any save, delete or many-to-many change
of a record the indicators read replaces, once at once and once more when the transaction
commits (a reader that computed from the old rows while the write was open cached them under the
token the commit then retires). The token is per database, so that two portals (or two test
workers) sharing one Redis never read each other's figures. With the cache down, figures are
computed as if nothing were cached: a page never fails for the cache's sake.
"""

import datetime as dt
import functools
import hashlib
import logging
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)
T = TypeVar("T")

# A cached figure also expires by itself, whatever happens.
FIGURES_TIMEOUT = 60 * 60
REGISTRY_APPS = ("ocop_portal", "subjects", "products", "communications", "targets")
# Records no indicator reads: their writes leave the figures as they are.
NOT_REGISTRY = {"ocop_portal.job", "ocop_portal.user", "ocop_portal.download",
                "targets.monthlyreport", "products.importbatch", "products.expirynotice"}


def _version_key() -> str:
    return f"registry-version:{connection.settings_dict['NAME']}"


def registry_version() -> str:
    """The current registry version (made on first use)."""
    key = _version_key()
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, None)
        version = cache.get(key)
    return str(version)


def registry_changed(**kwargs) -> None:
    """Retire the current version now and again when the transaction commits: once per
    transaction, however many records it writes (an import writes thousands)."""
    if _writes_pending():
        return  # retired at this transaction's first write; retired again at its commit
    if _retire():  # with the cache down, nothing cached can be read either
        transaction.on_commit(_retire)


def _writes_pending() -> bool:
    """Whether this connection's open transaction has written records the figures read."""
    return any(entry[1] is _retire for entry in connection.run_on_commit)


def _retire() -> bool:
    """Replace the version with a new one; False when the cache cannot be reached."""
    try:
        cache.set(_version_key(), uuid.uuid4().hex, None)
    except Exception:
        logger.warning("Không cập nhật được phiên bản số liệu trong bộ nhớ đệm", exc_info=True)
        return False
    return True


def retire_version() -> None:
    """Start a new version (tests: each from a clean slate)."""
    _retire()


# The portal's own code and templates, whose change makes what was cached another shape (a
# figure's class, a page's HTML): the release is part of every key, so a deploy starts afresh.
_RELEASE_DIRS = ("ocop_portal", "products", "subjects", "communications", "targets", "catalogue",
                 "api", "templates")


@functools.cache
def release() -> str:
    """A digest of the names, sizes and times of the code and templates this process runs."""
    digest = hashlib.sha256()
    root = Path(settings.BASE_DIR)
    for folder in _RELEASE_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".html") and path.is_file():
                stat = path.stat()
                digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}"
                              .encode())
    return digest.hexdigest()[:12]


def cached(name: str, build: Callable[[], T], *, year: int, today: dt.date,
           district_code: str | None = None) -> T:
    """`build()`'s value for these arguments, from the cache when the registry has not changed
    since it was computed. Inside a transaction that has written registry records (not yet
    committed, seen by this connection alone) the figures are computed and not cached."""
    if _writes_pending():
        return build()
    try:
        key = (f"figures:{connection.settings_dict['NAME']}:{release()}:{registry_version()}:"
               f"{name}:{year}:{today.isoformat()}:{district_code or '-'}")
        value = cache.get(key)
    except Exception:
        logger.warning("Bộ nhớ đệm không hoạt động; tính số liệu trực tiếp", exc_info=True)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, FIGURES_TIMEOUT)
        except Exception:
            logger.warning("Không lưu được số liệu vào bộ nhớ đệm", exc_info=True)
    return value


def registry_models() -> list:
    return [model for model in apps.get_models()
            if model._meta.app_label in REGISTRY_APPS
            and model._meta.label_lower not in NOT_REGISTRY
            and not model.__name__.startswith("Historical")]


def connect() -> None:
    """Listen to every write of the registry's records (called once, at start-up)."""
    for model in registry_models():
        uid = f"figures-cache:{model._meta.label_lower}"
        post_save.connect(registry_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(registry_changed, sender=model, dispatch_uid=f"{uid}:delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(registry_changed, sender=field.remote_field.through,
                                dispatch_uid=f"{uid}:{field.name}")
