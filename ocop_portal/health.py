"""Checks behind /healthz."""

import logging

from django.conf import settings
from django.db import DatabaseError

logger = logging.getLogger(__name__)


def database_status(connection) -> str:
    try:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("Health check: the database does not answer: %s", exc)
        return "error"
    return "ok"


def broker_status() -> str:
    """'ok' or 'error' for the Redis broker; 'in-process' when tasks run without one."""
    if not settings.REDIS_URL:
        return "in-process"
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
    except redis.RedisError as exc:
        logger.error("Health check: the broker does not answer: %s", exc)
        return "error"
    return "ok"
