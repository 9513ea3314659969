"""Sending one webhook: the address check and the HTTP POST.

The host is resolved once and every address it resolves to is checked: private, loopback,
link-local, multicast, reserved or unspecified addresses are refused (an endpoint must not
make the platform call its own network) unless ``CEE_WEBHOOK_ALLOW_PRIVATE`` is true. The
connection then goes to the address that was checked (the host name still names the
server for TLS and the ``Host`` header), so a second DNS answer cannot swap it. Redirects
are not followed.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from . import conf

USER_AGENT = "CEE-Validation-Webhooks/1.0"
EXCERPT_CHARS = 1000


class AddressRefused(Exception):
    """The URL cannot be used: bad scheme, unresolvable host or a non-public address (French message)."""


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    excerpt: str = ""
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not (
        address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
        or address.is_reserved or address.is_unspecified or not address.is_global
    )


def check_url(url: str, *, unresolved_ok: bool = False) -> tuple[str, str, int, str | None]:
    """``(scheme, host, port, ip)`` for ``url``: the address to connect to, every resolved one checked.

    Raises ``AddressRefused`` with a French message. With ``unresolved_ok`` (registering an
    endpoint: its name may not resolve yet from here), a name that does not resolve gives
    ``ip`` None instead; it is checked again, and refused, at each delivery.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        raise AddressRefused("L'URL est invalide.")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused("L'URL doit commencer par http:// ou https:// et nommer un serveur.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused("Le port de l'URL est invalide.")
    host = parts.hostname
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):  # gaierror; a name too long or with a NUL
        if unresolved_ok:
            return parts.scheme, host, port, None
        raise AddressRefused(f"Le nom « {host} » ne se résout pas.")
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not conf.allow_private():
        refused = [a for a in addresses if not _is_public(ipaddress.ip_address(a.split("%")[0]))]
        if refused:
            raise AddressRefused(
                f"« {host} » désigne une adresse privée, locale ou réservée ({', '.join(refused)}) : "
                "les webhooks ne sont envoyés qu'à des adresses publiques."
            )
    return parts.scheme, host, port, addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, ip, **kwargs):
        super().__init__(host, port, **kwargs)
        self._ip = ip

    def connect(self):
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, ip, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._ip = ip

    def connect(self):
        sock = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float | None = None) -> Answer:
    """POST ``body`` to ``url``; never raises: a refused address or a network error is an ``Answer`` with ``error``."""
    timeout = timeout if timeout is not None else float(conf.timeout_seconds())
    try:
        scheme, host, port, ip = check_url(url)
    except AddressRefused as refused:
        return Answer(None, error=str(refused))
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, ip, timeout=timeout)
    try:
        connection.request(
            "POST", target, body=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
        )
        response = connection.getresponse()
        excerpt = response.read(EXCERPT_CHARS * 4).decode("utf-8", "replace")[:EXCERPT_CHARS]
        return Answer(response.status, excerpt=excerpt)
    except (OSError, ValueError, http.client.HTTPException) as error:  # ValueError: http.client.InvalidURL
        return Answer(None, error=f"Échec de la connexion : {error.__class__.__name__} {error}"[:500])
    finally:
        connection.close()
