"""The second factor (TOTP with django-otp, recovery codes kept as hashes), through the pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from taper.web.accounts.models import RecoveryCode
from tests.web import factories
from tests.web.accounts.steps import code_for, enrol, password_step
from tests.web.conftest import Cast


def _landing(client: Client, path: str = "/") -> str:
    return str(client.get(path, follow=True).request["PATH_INFO"])


@pytest.mark.hazard("HZ-139")
@pytest.mark.parametrize(("who", "page"), [("clinician", "/desk/"), ("admin", "/accounts/")])
def test_staff_must_set_up_a_second_factor_before_any_page(cast: Cast, client: Client,
                                                          who: str, page: str) -> None:
    password_step(client, getattr(cast, who).email)
    assert _landing(client, page) == "/account/two-step/setup/"
    enrol(client)
    assert _landing(client, page) == page


@pytest.mark.hazard("HZ-139")
def test_a_password_alone_does_not_reach_the_desk_once_enrolled(cast: Cast) -> None:
    first = Client()
    password_step(first, cast.clinician.email)
    device, _ = enrol(first)
    again = Client()
    password_step(again, cast.clinician.email)
    assert _landing(again, "/desk/") == "/account/two-step/verify/"
    refused = again.post(reverse("two_step_verify"), {"code": "000000"})
    assert refused.status_code == 200 and "not a valid code" in refused.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the back-off after the wrong code, skipped
    device.save()
    again.post(reverse("two_step_verify"), {"code": code_for(device, 1), "next": "/desk/"})
    assert _landing(again, "/desk/") == "/desk/"


@pytest.mark.hazard("HZ-139")
def test_an_unverified_session_is_anonymous_to_the_api(cast: Cast, client: Client) -> None:
    password_step(client, cast.clinician.email)
    assert client.get("/api/patients").status_code == 401


@pytest.mark.hazard("HZ-140")
def test_a_recovery_code_works_once_and_is_stored_only_as_a_hash(cast: Cast) -> None:
    first = Client()
    password_step(first, cast.clinician.email)
    _, codes = enrol(first)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not any(c.replace("-", "") in h for c in codes for h in stored)
    second = Client()
    password_step(second, cast.clinician.email)
    second.post(reverse("two_step_verify"), {"code": codes[0].lower()})
    assert _landing(second, "/desk/") == "/desk/"
    third = Client()
    password_step(third, cast.clinician.email)
    third.post(reverse("two_step_verify"), {"code": codes[0]})
    assert _landing(third, "/desk/") == "/account/two-step/verify/"


@pytest.mark.hazard("HZ-140")
def test_new_recovery_codes_replace_the_old_ones(cast: Cast) -> None:
    first = Client()
    password_step(first, cast.clinician.email)
    _, old = enrol(first)
    page = first.post(reverse("two_step_codes")).content.decode()
    new = [c.split("</code>")[0] for c in page.split("<li><code>")[1:]]
    assert len(new) == 10 and not set(new) & set(old)
    second = Client()
    password_step(second, cast.clinician.email)
    second.post(reverse("two_step_verify"), {"code": old[1]})
    assert _landing(second, "/desk/") == "/account/two-step/verify/"


@pytest.mark.hazard("HZ-139")
def test_a_setup_code_from_the_wrong_key_is_refused(cast: Cast, client: Client) -> None:
    password_step(client, cast.clinician.email)
    client.get(reverse("two_step_setup"))
    other = TOTPDevice(key="00" * 20)
    page = client.post(reverse("two_step_setup"), {"code": code_for(other)})
    assert "not the code your app shows" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.clinician, confirmed=True).exists()


@pytest.mark.hazard("HZ-141")
def test_patients_may_opt_in_and_out(cast: Cast, client: Client) -> None:
    password_step(client, cast.patient.user.email)
    assert _landing(client, "/today/") == "/today/"  # not required of a patient
    assert "Set up two-step login" in client.get(reverse("account")).content.decode()
    enrol(client)
    again = Client()
    password_step(again, cast.patient.user.email)
    assert _landing(again, "/today/") == "/account/two-step/verify/"  # once on, always asked
    client.post(reverse("two_step_remove"))
    assert not TOTPDevice.objects.filter(user=cast.patient.user).exists()


@pytest.mark.hazard("HZ-141")
def test_staff_cannot_turn_it_off_when_required(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)  # verified (conftest)
    page = client.post(reverse("two_step_remove"), follow=True).content.decode()
    assert "must keep a second factor" in page
    assert TOTPDevice.objects.filter(user=cast.clinician, confirmed=True).exists()


@pytest.mark.hazard("HZ-141")
def test_in_demo_mode_it_is_optional_for_staff(cast: Cast, client: Client, settings: object) -> None:
    settings.MFA = "optional"  # type: ignore[attr-defined]
    password_step(client, cast.clinician.email)
    assert _landing(client, "/desk/") == "/desk/"


@pytest.mark.hazard("HZ-139")
def test_api_tokens_are_unchanged_by_the_second_factor(cast: Cast) -> None:
    from taper.web.clinic import services

    _, secret = services.create_api_token(user=cast.clinician, name="EHR", actor=cast.clinician)
    response = Client().get("/api/patients", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


@pytest.mark.hazard("HZ-139")
def test_the_setup_page_shows_a_qr_code_and_the_key_and_is_not_cached(cast: Cast,
                                                                      client: Client) -> None:
    password_step(client, cast.clinician.email)
    page = client.get(reverse("two_step_setup"))
    html = page.content.decode()
    assert "<svg" in html and 'data-testid="totp-key"' in html
    assert page["Cache-Control"] == "private, no-store"
    assert factories.PASSWORD not in html
