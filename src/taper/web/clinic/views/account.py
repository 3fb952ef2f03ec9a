"""Everyone's account page (personal API tokens) and the administrator's audit trail."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from taper.web.clinic import services
from taper.web.clinic.forms.audit import AuditFilterForm, TokenForm
from taper.web.clinic.models import ApiToken, AuditEvent, Role
from taper.web.clinic.views.access import AuthedRequest, role_required

PAGE_SIZE = 50
COLUMNS = ["at_utc", "actor", "action", "event", "record_type", "record_id", "patient_id",
           "method", "path", "status", "ip", "user_agent", "via"]


@role_required(Role.CLINICIAN, Role.PATIENT, Role.ADMIN)  # not a carer: no API tokens
def account(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _, secret = services.create_api_token(user=request.user, name=form.cleaned_data["name"],
                                                  actor=request.user)
        except services.ServiceError as exc:
            form.add_error("name" if exc.field == "name" else None, exc.message)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    response = render(request, "clinic/account.html",
                      {"form": form, "secret": secret, "tokens": tokens})
    response["Cache-Control"] = "private, no-store"  # the new token is on this page once
    return response


@require_POST
@login_required
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise Http404
    if services.revoke_api_token(token=token, actor=request.user):
        messages.success(request, gettext("The token “%(name)s” is revoked. It no longer works.")
                         % {"name": token.name})
    else:
        messages.info(request, gettext("The token “%(name)s” was already revoked.") % {
            "name": token.name})
    return redirect("account")


@require_safe
@role_required(Role.ADMIN)
def audit(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    page = Paginator(form.rows(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "clinic/audit.html",
                  {"form": form, "page": page, "query": query.urlencode()})


@require_safe
@role_required(Role.ADMIN)
def audit_csv(request: AuthedRequest) -> StreamingHttpResponse:
    rows = AuditFilterForm(request.GET or None).rows()
    response = StreamingHttpResponse(_csv(rows.iterator(chunk_size=2000)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "audit-trail.csv")
    response["Cache-Control"] = "private, no-store"
    return response


class _Line:
    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    """Text as a spreadsheet shows it, never run: a leading =, +, - or @ could be a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(rows: Iterator[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS)
    for r in rows:
        yield writer.writerow([_cell(v) for v in (
            r.at.isoformat(), r.actor_email, r.action, r.event, r.record_type, r.record_id,
            r.patient_id, r.method, r.path, r.status, r.ip, r.user_agent, r.via)])
