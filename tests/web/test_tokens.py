"""Personal API tokens: `taper token`, the account page (shown once, revoke), hashed storage."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.test import Client

from taper.web.clinic import services
from taper.web.clinic.models import ApiToken, AuditEvent
from tests.web.apiclient import call
from tests.web.conftest import Cast
from tests.web.test_cli import taper


def test_taper_token_prints_a_working_token_once(tmp_path: Path) -> None:
    added = taper("adduser", "doc@example.org", "--role", "clinician", tmp_path=tmp_path,
                  TAPER_PASSWORD="a-long-password-1")
    assert added.returncode == 0, added.stderr
    made = taper("token", "DOC@example.org", "--name", "EHR import", tmp_path=tmp_path)
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    assert re.fullmatch(r"taper_[A-Za-z0-9_-]{40,}", secret) and "shown only now" in made.stderr
    again = taper("token", "doc@example.org", tmp_path=tmp_path)
    assert again.stdout.strip() != secret  # a new token each time; none is ever shown again


@pytest.mark.parametrize(("args", "says"), [
    (["nobody@example.org"], "EMAIL: no account"),
    (["doc@example.org", "--name", "  "], "--name: required"),
    (["doc@example.org", "--name", "x" * 101], "--name: at most 100"),
], ids=["unknown-account", "blank-name", "long-name"])
def test_taper_token_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str],
                                                      says: str) -> None:
    taper("adduser", "doc@example.org", "--role", "clinician", tmp_path=tmp_path,
          TAPER_PASSWORD="a-long-password-1")
    run = taper("token", *args, tmp_path=tmp_path)
    assert run.returncode == 2 and run.stderr.count("\n") == 1 and says in run.stderr
    assert run.stdout == ""


@pytest.mark.hazard("HZ-151")
@pytest.mark.hazard("HZ-091")
def test_only_the_tokens_hash_is_kept(cast: Cast) -> None:
    token, secret = services.create_api_token(user=cast.clinician, name="EHR", actor=None)
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values())) .replace(stored.token_hash, "")
    assert stored.prefix == secret[:10] and services.find_api_token(secret) == stored
    row = AuditEvent.objects.first()
    assert row is not None and (row.event, row.via, row.actor_id) == ("create_api_token", "cli", None)


def test_the_account_page_shows_a_new_token_once_and_revokes_it(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    page = client.post("/account/", {"name": "my phone app"})
    secret = re.search(r'data-testid="new-token" readonly value="([^"]+)"', page.content.decode())
    assert secret is not None and page["Cache-Control"] == "private, no-store"
    assert call(client, "get", f"/api/patients/{cast.patient.pk}/checkins", secret[1]).status_code == 200
    listing = client.get("/account/").content.decode()
    assert "my phone app" in listing and secret[1] not in listing
    token = ApiToken.objects.get(user=cast.patient.user)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert call(Client(), "get", f"/api/patients/{cast.patient.pk}/checkins", secret[1]).status_code == 401
    assert "revoked" in client.get("/account/").content.decode()


def test_someone_elses_token_cannot_be_revoked(cast: Cast, client: Client) -> None:
    token, secret = services.create_api_token(user=cast.clinician, name="EHR", actor=cast.clinician)
    client.force_login(cast.other_clinician)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    with pytest.raises(services.ServiceError):
        services.revoke_api_token(token=token, actor=cast.other_clinician)
    assert services.find_api_token(secret) is not None


def test_a_token_cannot_be_made_for_someone_else(cast: Cast) -> None:
    with pytest.raises(services.ServiceError):
        services.create_api_token(user=cast.clinician, name="x", actor=cast.other_clinician)
