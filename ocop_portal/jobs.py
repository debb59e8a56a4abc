"""Queuing background jobs from services.

A service names its task by dotted path instead of importing it: the tasks module imports the
service it wraps, and a module-level import back would make the two a circle.
"""

from django.db import transaction
from django.utils.module_loading import import_string


def enqueue_on_commit(task_path: str, *args: object) -> None:
    """Queue the Celery task at `task_path` with `args` once the current transaction commits
    (at once outside one), so that a worker never reads rows that are not saved yet."""
    transaction.on_commit(lambda: import_string(task_path).delay(*args))
