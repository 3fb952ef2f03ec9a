"""The record's pages tried as each of the cast (as tests/web/test_permissions.py does for
the clinic's): a record someone may not see is a 404, a page for another role a 403."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from taper.web.records.models import LegalHold
from taper.web.records.urls import urlpatterns
from tests.web.apiclient import ROLES, person
from tests.web.conftest import Cast

LOGIN = 1
MATRIX: dict[str, tuple[str, str, tuple[int, ...]]] = {
    "record_download": ("get", "pdf", (200, 404, 200, 404, 403, LOGIN)),
    "record_download#fhir": ("get", "fhir", (200, 404, 200, 404, 403, LOGIN)),
    "record_download#bad-format": ("get", "xml", (404, 404, 404, 404, 403, LOGIN)),
    "legal_hold": ("post", "", (302, 404, 404, 404, 302, LOGIN)),
    "legal_hold#get": ("get", "", (405, 405, 405, 405, 405, 405)),
}


def test_the_matrix_covers_every_url() -> None:
    assert {p.name for p in urlpatterns if isinstance(p, URLPattern)} == {
        n.split("#")[0] for n in MATRIX}


@pytest.mark.hazard("HZ-174")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_record_url_answers_each_role_exactly(cast: Cast, client: Client, name: str,
                                                   role: str) -> None:
    method, fmt, expected = MATRIX[name]
    url_name = name.split("#")[0]
    args = [cast.patient.pk, fmt] if fmt else [cast.patient.pk]
    user = person(cast, role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(reverse(url_name, args=args), {"held": "1"})
    want = expected[ROLES.index(role)]
    if want == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    else:
        assert response.status_code == want, f"{role} {method} {name}"
    if url_name == "legal_hold" and method == "post":
        assert LegalHold.objects.filter(patient=cast.patient).exists() == (want == 302)
