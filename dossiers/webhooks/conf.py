"""Webhook settings, each read from Django settings first, then from the environment.

    CEE_WEBHOOK_ALLOW_PRIVATE       deliver to private, loopback and link-local addresses too (false;
                                    true for tests and intranet receivers)
    CEE_WEBHOOK_TIMEOUT_SECONDS     connection and answer timeout of one attempt (10)
    CEE_WEBHOOK_RETRY_BASE_SECONDS  wait before the 2nd attempt; doubled at each further one, 6 h at most (60)
    CEE_WEBHOOK_MAX_ATTEMPTS        attempts of one delivery before it is abandoned (8)
    CEE_WEBHOOK_DISABLE_AFTER       failed attempts in a row that disable an endpoint (10)
"""
from __future__ import annotations

import environ
from django.conf import settings

_env = environ.Env()


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name)) if hasattr(settings, name) else _env.int(name, default=default)


def allow_private() -> bool:
    if hasattr(settings, "CEE_WEBHOOK_ALLOW_PRIVATE"):
        return bool(settings.CEE_WEBHOOK_ALLOW_PRIVATE)
    return _env.bool("CEE_WEBHOOK_ALLOW_PRIVATE", default=False)


def timeout_seconds() -> int:
    return _int("CEE_WEBHOOK_TIMEOUT_SECONDS", 10)


def retry_base_seconds() -> int:
    return _int("CEE_WEBHOOK_RETRY_BASE_SECONDS", 60)


def max_attempts() -> int:
    return _int("CEE_WEBHOOK_MAX_ATTEMPTS", 8)


def disable_after() -> int:
    return _int("CEE_WEBHOOK_DISABLE_AFTER", 10)
