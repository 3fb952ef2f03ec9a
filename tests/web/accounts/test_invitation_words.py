"""An expired or used invitation link tells the person what to do next."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils.timezone import now

from taper.web.clinic import services
from taper.web.clinic.models import Invitation
from tests.web import factories


def test_an_expired_invitation_says_ask_your_clinic_for_a_new_link(db: None, client: Client) -> None:
    _, token = services.create_patient(clinician=factories.clinician(), email="new@example.org",
                                       name="New Person", timezone="UTC")
    assert client.get(f"/invitation/{token}/").status_code == 200
    Invitation.objects.update(expires_at=now() - timedelta(seconds=1))
    page = client.get(f"/invitation/{token}/")
    assert page.status_code == 404 and "ask your clinic for a new link" in page.content.decode()
