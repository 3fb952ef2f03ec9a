"""The reminders' pages tried as each of the cast (as tests/web/test_permissions.py does for
the clinic's). The manifest, the service worker and the offline page hold nothing personal
and answer everyone; the offline emergency page is the patient's own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from taper.web.reminders.urls import urlpatterns
from tests.web.apiclient import ROLES, person
from tests.web.conftest import Cast

LOGIN = 1
MATRIX: dict[str, tuple[str, tuple[int, ...]]] = {
    "reminder_settings": ("post", (403, 403, 302, 302, 403, LOGIN)),
    "reminder_settings#get": ("get", (405, 405, 405, 405, 405, 405)),
    "patient_reminders": ("get", (200, 404, 403, 403, 403, LOGIN)),
    "patient_reminders#post": ("post", (302, 404, 403, 403, 403, LOGIN)),
    "manifest": ("get", (200, 200, 200, 200, 200, 200)),
    "service_worker": ("get", (200, 200, 200, 200, 200, 200)),
    "offline": ("get", (200, 200, 200, 200, 200, 200)),
    "offline_emergency": ("get", (403, 403, 200, 200, 403, LOGIN)),
}


def test_the_matrix_covers_every_url() -> None:
    assert {p.name for p in urlpatterns if isinstance(p, URLPattern)} == {
        n.split("#")[0] for n in MATRIX}


@pytest.mark.hazard("HZ-036")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_reminders_url_answers_each_role_exactly(cast: Cast, client: Client, name: str,
                                                      role: str) -> None:
    method, expected = MATRIX[name]
    user = person(cast, role)
    if user is not None:
        client.force_login(user)
    form = {"checkin_email": "on", "checkin_time": "20:00", "refill_email": "on", "refill_days": "7"}
    url_name = name.split("#")[0]
    args = [cast.patient.pk] if url_name == "patient_reminders" else []
    response = getattr(client, method)(reverse(url_name, args=args), form)
    want = expected[ROLES.index(role)]
    if want == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    else:
        assert response.status_code == want, f"{role} {method} {name}"


# The carer (a live link to `cast.patient`): nothing of the reminders is theirs to set; the
# installable shell answers everyone. Pages are kept for offline use for the patient only
# (offline.js), so the offline emergency page, kept with them, is the patient's alone.
CARER: dict[str, int] = {
    "reminder_settings": 403, "reminder_settings#get": 405, "patient_reminders": 403,
    "patient_reminders#post": 403, "manifest": 200, "service_worker": 200, "offline": 200,
    "offline_emergency": 403,
}


def test_the_carers_column_covers_every_url() -> None:
    assert set(CARER) == set(MATRIX)


@pytest.mark.hazard("HZ-192")
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_reminders_url_answers_a_carer_exactly(cast: Cast, client: Client,
                                                     name: str) -> None:
    from tests.web.carers.factories import linked_carer

    carer, _ = linked_carer(cast.patient)
    client.force_login(carer)
    method = MATRIX[name][0]
    url_name = name.split("#")[0]
    args = [cast.patient.pk] if url_name == "patient_reminders" else []
    form = {"checkin_email": "on", "checkin_time": "20:00", "refill_email": "on", "refill_days": "7"}
    response = getattr(client, method)(reverse(url_name, args=args), form)
    assert response.status_code == CARER[name], f"carer {method} {name}"
