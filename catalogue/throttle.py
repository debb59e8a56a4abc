"""A small per-address rate limit for the public pages: a counter in the shared cache per
client address and minute (Redis in production, so every web process counts together)."""

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

logger = logging.getLogger(__name__)

_PERIODS = {"s": 1, "m": 60, "h": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """"60/m" → (60, 60): so many requests per so many seconds."""
    count, _, period = rate.partition("/")
    return int(count), _PERIODS[period[:1] or "m"]


def client_address(request) -> str:
    # REMOTE_ADDR only: a forwarded header can be typed by anyone. Behind a proxy, the proxy
    # (or gunicorn's forwarded-allow-ips) is what sets REMOTE_ADDR to the client's address.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(scope: str, address: str, rate: str) -> bool:
    """Count one request; True when this address has gone past `rate` in this period. With the
    cache down, nobody is limited: the page matters more than the limit."""
    limit, seconds = parse_rate(rate)
    window = int(time.time() // seconds)
    key = f"throttle:{scope}:{address}:{window}"
    try:
        cache.add(key, 0, seconds + 1)
        count = cache.incr(key)
    except Exception:
        logger.warning("Bộ nhớ đệm không hoạt động; bỏ qua giới hạn truy cập", exc_info=True)
        return False
    return count > limit


def rate_limited(scope: str, setting: str):
    """Answer 429 (templates/429.html) past the rate named by `setting` (e.g. "60/m")."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            rate = getattr(settings, setting)
            if over_limit(scope, client_address(request), rate):
                _, seconds = parse_rate(rate)
                response = render(request, "429.html", {"retry_after": seconds}, status=429)
                response["Retry-After"] = str(seconds)
                return response
            return view(request, *args, **kwargs)
        return wrapper
    return decorator
