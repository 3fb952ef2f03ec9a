"""Logging in through the pages, second factor included (codes from django-otp's own TOTP)."""

from __future__ import annotations

import time
from binascii import unhexlify

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.web import factories


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or one step later: a code is used only once)."""
    clock = TOTP(unhexlify(device.key), device.step, device.t0, device.digits, device.drift)
    clock.time = time.time() + steps_ahead * device.step
    return f"{clock.token():0{device.digits}d}"


def password_step(client: Client, email: str) -> None:
    response = client.post(reverse("login"), {"username": email, "password": factories.PASSWORD})
    assert response.status_code == 302, response.content.decode()[:400]


def enrol(client: Client) -> tuple[TOTPDevice, list[str]]:
    """Set up an app from the setup page; returns the device and the recovery codes shown."""
    client.get(reverse("two_step_setup"))
    device = TOTPDevice.objects.get(pk=client.session["taper_totp_setup"])
    page = client.post(reverse("two_step_setup"), {"code": code_for(device)})
    assert page.status_code == 200, page.content.decode()[:400]
    codes = [c.split("</code>")[0] for c in page.content.decode().split("<li><code>")[1:]]
    return device, codes
