"""Installable and offline: the manifest, the icons, the service worker's headers, and pages
kept on a phone holding nothing of anyone but the patient."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.web.conftest import Cast


def test_the_manifest_has_what_an_installable_app_needs(client: Client) -> None:
    response = client.get(reverse("manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["start_url"] == "/today/" and data["display"] == "standalone"
    assert data["name"] and data["short_name"] and data["theme_color"].startswith("#")
    sizes = {(i["sizes"], i["purpose"]) for i in data["icons"]}
    assert {("192x192", "maskable"), ("512x512", "maskable"), ("192x192", "any")} <= sizes


@pytest.mark.parametrize("size", [192, 512])
def test_each_icon_is_a_png_of_its_size_filled_to_the_edge(size: int) -> None:
    found = finders.find(f"reminders/icon-{size}.png")
    assert found is not None
    image = Image.open(Path(str(found)))
    assert image.format == "PNG" and image.size == (size, size)
    # maskable: the background reaches the corners (a launcher may crop to a circle)
    assert image.getpixel((0, 0)) == image.getpixel((size - 1, size - 1)) != (255, 255, 255)
    Image.open(BytesIO(Path(str(found)).read_bytes())).verify()


def test_the_service_worker_is_served_from_the_root_under_the_csp(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert b"taper-outbox" in response.content


@pytest.mark.hazard("HZ-036")
def test_only_a_patients_pages_register_the_worker_and_nothing_inline(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    page = client.get(reverse("today")).content.decode()
    assert f'data-patient="{cast.patient.user.pk}"' in page and "data-offline-stamp hidden" in page
    assert 'rel="manifest"' in page and "<script>" not in page
    client.force_login(cast.clinician)
    page = client.get(reverse("desk")).content.decode()
    assert 'data-patient=""' in page and "data-offline-stamp" not in page


@pytest.mark.hazard("HZ-036")
def test_the_offline_page_holds_nothing_personal(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    page = client.get(reverse("offline")).content.decode()
    assert cast.patient.user.email not in page and cast.patient.name not in page
    assert "data-patient" not in page and 'href="tel:112"' in page


@pytest.mark.hazard("HZ-035")
def test_the_kept_emergency_page_has_the_number_to_tap_and_the_clinic(cast: Cast, client: Client) -> None:
    cast.clinician.clinic_name, cast.clinician.clinic_phone = "Hill Clinic", "+44 20 7946 0000"
    cast.clinician.save()
    client.force_login(cast.patient.user)
    page = client.get(reverse("offline_emergency")).content.decode()
    assert 'href="tel:112"' in page and "Hill Clinic" in page and 'data-offline-saved hidden' in page
