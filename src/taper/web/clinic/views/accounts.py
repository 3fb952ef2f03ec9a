"""The administrator's page: accounts only, never clinical records."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from taper.web.clinic.models import Role, User
from taper.web.clinic.views.access import AuthedRequest, role_required


@role_required(Role.ADMIN)
def accounts(request: AuthedRequest) -> HttpResponse:
    users = User.objects.order_by("role", "email").select_related("patient__clinician")
    return render(request, "clinic/accounts.html", {"users": users})
