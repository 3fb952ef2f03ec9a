"""The client's address: the proxy header believed only from a trusted proxy."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from taper.web.accounts.client import client_ip


@pytest.mark.hazard("HZ-137")
@pytest.mark.parametrize(("peer", "header", "trusted", "expected"), [
    ("203.0.113.5", "192.0.2.1", [], "203.0.113.5"),  # no proxy configured: never read
    ("203.0.113.5", "192.0.2.1", ["10.0.0.2"], "203.0.113.5"),  # peer is not our proxy
    ("10.0.0.2", "192.0.2.1", ["10.0.0.2"], "192.0.2.1"),  # our proxy: its view
    ("10.0.0.2", "6.6.6.6, 192.0.2.1", ["10.0.0.2"], "192.0.2.1"),  # left part forged
    ("10.0.0.2", "192.0.2.1, 10.0.1.9", ["10.0.0.0/16"], "192.0.2.1"),  # two proxies
    ("10.0.0.2", "", ["10.0.0.2"], "10.0.0.2"),  # our proxy, no header: the proxy
    ("10.0.0.2", "not-an-address", ["10.0.0.2"], "10.0.0.2"),  # garbled: what we know
    ("::1", "2001:db8::7", ["::1"], "2001:db8::7"),
    ("10.0.0.2", "[2001:db8::7]:443", ["10.0.0.2"], "2001:db8::7"),
])
def test_the_client_address(settings: object, peer: str, header: str, trusted: list[str],
                            expected: str) -> None:
    settings.TRUSTED_PROXIES = trusted  # type: ignore[attr-defined]
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=header)
    assert client_ip(request) == expected


@pytest.mark.hazard("HZ-137")
def test_a_configured_header_replaces_x_forwarded_for(settings: object) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.2"]  # type: ignore[attr-defined]
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"  # type: ignore[attr-defined]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="192.0.2.8",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "192.0.2.8"
