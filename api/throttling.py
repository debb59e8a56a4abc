"""DRF's throttles, reading their rates from settings when they run (so a test can change
them) rather than when DRF was imported."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class _RatesFromSettings:
    scope: str

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class UserThrottle(_RatesFromSettings, UserRateThrottle):
    pass


class AnonThrottle(_RatesFromSettings, AnonRateThrottle):
    pass


class TokenCreateThrottle(_RatesFromSettings, ScopedRateThrottle):
    """Asking for a token checks a password: per address, whoever is asking."""

    scope = "token_create"

    def allow_request(self, request, view):
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super(ScopedRateThrottle, self).allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
