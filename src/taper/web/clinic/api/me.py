"""`GET /api/me`: who the credential belongs to (id, e-mail, role).

As light as an authenticated request can be (issue 17): the token's one read, no other
query, no write (the rate limit is counted in batches, services/tokens.py `lease`; the
answer names only the caller, so it leaves no audit row, audit/rules.py). The benchmark
measures a check-in's server cost against this one.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from taper.web.clinic.api.schemas import Error

router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    email: str
    role: str


@router.get("/me", response={200: MeOut, **{code: Error for code in (401, 429, 500)}},
            url_name="me", summary="Who this token (or session) belongs to")
def me(request: HttpRequest) -> Any:
    user = request.user
    return {"id": user.pk, "email": user.email, "role": user.role}  # type: ignore[union-attr]
