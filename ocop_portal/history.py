"""Who made a change, for django-simple-history, when no request carries the user
(management commands, imports, Celery tasks)."""


def record_author(instance, user):
    """Attribute the next history record of `instance` to `user` (if it is a real user)."""
    if user is not None and getattr(user, "pk", None):
        instance._history_user = user
    return instance
