"""The clinician's alerts in the app: each event once, with where to look and whether the
e-mail went out."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from taper.web.clinic.models import Role
from taper.web.clinic.services.alerts import alerts_for
from taper.web.clinic.views.access import AuthedRequest, role_required


@role_required(Role.CLINICIAN)
def alert_list(request: AuthedRequest) -> HttpResponse:
    return render(request, "clinic/alerts.html", {"alerts": alerts_for(request.user.pk)})
