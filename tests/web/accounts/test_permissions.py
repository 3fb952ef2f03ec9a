"""Every identity URL tried as each of the cast (sessions past the second factor, as
`force_login` gives them), with exactly the answer expected."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from taper.web.accounts.urls import urlpatterns
from tests.web.conftest import Cast
from tests.web.test_permissions import LOGIN, ROLES, _user

# url name: (method, arguments, answers in the order of ROLES:
#            clinician, other_clinician, patient, other_patient, admin, anonymous)
MATRIX: dict[str, tuple[str, list[str], tuple[int, ...]]] = {
    "two_step_setup": ("get", [], (200, 200, 200, 200, 200, LOGIN)),
    # Verified: on to the next page; a patient without a device is sent to set one up.
    "two_step_verify": ("get", [], (302, 302, 302, 302, 302, LOGIN)),
    "two_step_codes": ("post", [], (200, 200, 302, 302, 200, LOGIN)),
    "two_step_codes#get": ("get", [], (405, 405, 405, 405, 405, 405)),
    "two_step_remove": ("post", [], (302, 302, 302, 302, 302, LOGIN)),
    "two_step_remove#get": ("get", [], (405, 405, 405, 405, 405, 405)),
    "session_remaining": ("get", [], (200, 200, 200, 200, 200, LOGIN)),
    "password_change": ("get", [], (200, 200, 200, 200, 200, LOGIN)),
    "password_change_done": ("get", [], (200, 200, 200, 200, 200, LOGIN)),
    "password_reset": ("get", [], (200, 200, 200, 200, 200, 200)),
    "password_reset_done": ("get", [], (200, 200, 200, 200, 200, 200)),
    # A token that is not one: the "link does not work" page, for anyone.
    "password_reset_confirm": ("get", ["MQ", "not-a-token"], (200, 200, 200, 200, 200, 200)),
    "password_reset_complete": ("get", [], (200, 200, 200, 200, 200, 200)),
}


def test_the_matrix_covers_every_identity_url() -> None:
    names = {p.name for p in urlpatterns if isinstance(p, URLPattern)}
    assert names == {n.split("#")[0] for n in MATRIX}


@pytest.mark.hazard("HZ-139")
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_identity_url_answers_each_role_exactly(cast: Cast, client: Client, name: str,
                                                     role: str) -> None:
    method, args, expected = MATRIX[name]
    want = expected[ROLES.index(role)]
    user = _user(cast, role)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(reverse(name.split("#")[0], args=args))
    if want == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/login/")
    else:
        assert response.status_code == want, f"{role} {method.upper()} {name}"
    if name == "two_step_remove" and user is not None and user.role != "patient":
        from taper.web.accounts.policy import mfa_enrolled
        assert mfa_enrolled(user)  # staff keep their second factor
