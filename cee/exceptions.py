"""The base of the errors a service raises when a business rule refuses an operation.

An app's error (an illegal dossier transition, a refused upload…) subclasses ``DomainError``
and states the HTTP status and stable code the API answers with; ``cee.api.exceptions``
turns any of them into the API's error body without knowing the apps that raise them.
"""
from __future__ import annotations


class DomainError(Exception):
    """A refusal by the domain. ``code`` is stable (API, tests); ``str(error)`` is the French
    message for the user; ``status_code`` the HTTP status the API answers with."""

    status_code: int = 400
    code: str = "error"
