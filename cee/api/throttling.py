"""Request throttling per API token (per user for session calls, per address when anonymous)."""
from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["token"]`` requests per token.

    Each token has its own budget, so a company's integration and its staff's second
    script do not starve each other. Session calls are counted per user, anonymous calls
    per address under the ``anon`` rate.
    """

    scope = "token"

    def get_rate(self):
        # Read at request time (not at import) so a changed setting applies at once.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.scope = "token" if request.user and request.user.is_authenticated else "anon"
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        # A token authentication puts the token (a model row) in request.auth; a session, None.
        if getattr(request.auth, "pk", None) is not None:
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}



class AttemptCounter(SimpleRateThrottle):
    """Attempts of one kind counted per identity (an address, an e-mail) over a sliding window.

    Unlike a request throttle, checking and counting are separate: a login-like endpoint
    checks before it does its work and counts only the attempts that count (the failures).
    ``rate`` is DRF's notation, ``"20/h"``; None counts nothing and blocks nothing.
    """

    def __init__(self, scope: str, rate: str | None):
        self.scope, self.rate = scope, rate
        self.num_requests, self.duration = self.parse_rate(rate)

    def _load(self, ident: str) -> None:
        self.key = self.cache_format % {"scope": self.scope, "ident": ident}
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]

    def is_blocked(self, ident: str) -> bool:
        if self.rate is None:
            return False
        self._load(ident)
        return len(self.history) >= self.num_requests

    def record(self, ident: str) -> None:
        if self.rate is None:
            return
        self._load(ident)
        self.history.insert(0, self.now)
        self.cache.set(self.key, self.history, self.duration)


def failed_authentications() -> AttemptCounter:
    """``DEFAULT_THROTTLE_RATES["auth_failure"]`` failed token authentications per address.

    DRF authenticates before it throttles, so a wrong token got its 401 before any rate
    applied and token guessing was unlimited. Failures are counted with this instead (see
    ``InstallerAPIMixin.perform_authentication``); once an address has used its budget every
    request from it that carries credentials is refused (429 with ``Retry-After``), a valid
    token included, until the window has passed.
    """
    return AttemptCounter("auth_failure", api_settings.DEFAULT_THROTTLE_RATES.get("auth_failure"))
