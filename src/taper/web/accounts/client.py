"""Who is asking: the account named at login (one spelling per address) and the client's
network address, read from a proxy's header only when the request came from that proxy.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def normal_email(value: object) -> str:
    """An address as it is stored: trimmed and in lower case (ALICE@X and alice@x are one account)."""
    return str(value or "").strip().lower()


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """django-axes' key for the account (AXES_USERNAME_CALLABLE): the normalised address."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normal_email(credentials.get(field))
    return normal_email(request.POST.get(field) if request is not None else "")


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # "192.0.2.1:5000"
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address,
             networks: tuple[Network, ...]) -> bool:
    return any(address in n for n in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. The proxy header (TAPER_CLIENT_IP_HEADER, by default
    X-Forwarded-For) is read only when the peer is a trusted proxy (TAPER_TRUSTED_PROXIES),
    and then from the right: the first entry not itself a trusted proxy is the client.
    Entries further left were written by the client and may be forged (ASVS 5.0 V4.1).
    """
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(peer, networks):
        return str(peer)  # a direct client (or an untrusted one posing as a proxy)
    chain = [e for e in request.META.get(settings.CLIENT_IP_HEADER, "").split(",") if e.strip()]
    for entry in reversed(chain):
        hop = _parse(entry)
        if hop is None:
            return str(peer)  # a garbled header from our own proxy: keep what we know
        if not _trusted(hop, networks):
            return str(hop)
    return str(peer)
