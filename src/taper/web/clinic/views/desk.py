"""The clinician's desk: who needs them today, acknowledging, acting on a suggestion, holds."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import now
from django.views.decorators.http import require_POST

from taper.exports.words import mg_words
from taper.web.clinic import services
from taper.web.clinic.engine import local_today
from taper.web.clinic.forms.people import ApproveForm, FollowUpForm, HoldForm, MonitoringForm
from taper.web.clinic.models import Role
from taper.web.clinic.services import adjust
from taper.web.clinic.views.access import AuthedRequest, authored_version, decision_for, role_required
from taper.web.clinic.views.decision import note_words
from taper.web.clinic.views.plans import _plan_context

LABELS = {"red_flag": "Red flag", "contact_prescriber": "Contact the prescriber",
          "hold": "Held", "missed_checkin": "Missed check-ins", "step_change": "Dose change soon"}
COUNTED = {"red_flag": ("red flag", "red flags"), "contact_prescriber": ("to contact",) * 2,
           "hold": ("held",) * 2, "missed_checkin": ("missed check-in", "missed check-ins"),
           "step_change": ("dose change soon", "dose changes soon")}


# The desk's filters (`?show=`): a name from this list, nothing else (HZ-160).
FILTERS = {"red_flag": ("Red flags", ("red_flag",)), "hold": ("Holds", ("hold",)),
           "missed_checkin": ("Missed check-ins", ("missed_checkin",)),
           "unacknowledged": ("Not yet acknowledged", ("red_flag", "contact_prescriber", "hold"))}


@role_required(Role.CLINICIAN)
def desk(request: AuthedRequest) -> HttpResponse:
    at = now()
    every = services.attention_list(request.user, at)
    shown = request.GET.get("show", "")
    error = ""
    if set(request.GET) - {"show"} or len(request.GET.getlist("show")) > 1 or (
            shown and shown not in FILTERS):
        error, shown = ("Unknown filter: choose red flags, holds, missed check-ins or not yet"
                        " acknowledged."), ""
    kinds = FILTERS[shown][1] if shown else tuple(LABELS)
    rows = [(replace(row, reason=note_words(row.reason)), LABELS[row.kind])
            for row in every if row.kind in kinds]
    tally = {kind: sum(1 for r in every if r.kind == kind) for kind in LABELS}
    counts = [(kind, COUNTED[kind][tally[kind] != 1], tally[kind]) for kind in LABELS]
    filters = [(key, label, sum(1 for r in every if r.kind in wanted))
               for key, (label, wanted) in FILTERS.items()]
    return render(request, "clinic/desk.html", {
        "rows": rows, "at": at, "counts": counts, "filters": filters, "shown": shown,
        "shown_label": FILTERS[shown][0] if shown else "", "error": error},
        status=400 if error else 200)


@require_POST
@role_required(Role.CLINICIAN)
def decision_acknowledge(request: AuthedRequest, decision_id: int) -> HttpResponse:
    decision = decision_for(request.user, decision_id)
    try:
        services.acknowledge_decision(decision=decision, clinician=request.user)
    except services.ServiceError as exc:
        raise Http404 from exc  # a patient's own decision: not theirs to acknowledge
    messages.success(request, f"Acknowledged: {decision.patient.name}, {decision.today:%d %b}.")
    if request.POST.get("next") == "patient":
        return redirect("patient_detail", patient_id=decision.patient_id)
    if request.POST.get("next") == "decision":
        return redirect("decision_detail", decision_id=decision.pk)
    return redirect("desk")


@role_required(Role.CLINICIAN)
def suggestion_apply(request: AuthedRequest, decision_id: int, kind: str) -> HttpResponse:
    """GET: the new plan previewed; POST: approved and in force at once."""
    decision = decision_for(request.user, decision_id)
    if decision.applied_version_id is not None:  # never offered twice (HZ-158)
        messages.info(request, "A suggestion of this decision has already been applied.")
        return redirect("decision_detail", decision_id=decision.pk)
    try:
        index = int(request.GET.get("option") or request.POST.get("option") or 0)
        wanted = adjust.suggestion(decision, kind, index)
    except (ValueError, services.ServiceError):
        raise Http404 from None
    form = ApproveForm(request.POST if request.method == "POST" else None)
    context = {"decision": decision, "patient": decision.patient, "kind": kind,
               "index": index, "wanted": wanted, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            version = adjust.apply_suggestion(decision=decision, clinician=request.user,
                                              kind=kind, index=index,
                                              note=form.cleaned_data["note"])
        except services.ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Version {version.number} is approved and in force.")
            return redirect("plan_detail", version_id=version.pk)
    try:
        _, plan = adjust.preview_suggestion(decision=decision, clinician=request.user,
                                            kind=kind, index=index)
        context["preview"] = _plan_context(plan)
        context["first_daily"] = mg_words(sum((d.mg for d in plan.baseline), Fraction(0)))
        context["first_until"] = plan.start_date
    except services.ServiceError as exc:
        context["problem"] = exc.message
    return render(request, "clinic/suggestion_apply.html", context)


@role_required(Role.CLINICIAN)
def plan_hold(request: AuthedRequest, version_id: int) -> HttpResponse:
    version = authored_version(request.user, version_id)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = adjust.extend_step(version=version, clinician=request.user,
                                   days=form.cleaned_data["days"],
                                   reason=form.cleaned_data["reason"])
        except services.ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"The current step is {form.cleaned_data['days']} days"
                             f" longer (version {new.number}).")
            return redirect("plan_detail", version_id=new.pk)
    return render(request, "clinic/plan_hold.html", {"version": version, "form": form})


@role_required(Role.CLINICIAN)
def plan_followup(request: AuthedRequest, version_id: int) -> HttpResponse:
    version = authored_version(request.user, version_id)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_followup(plan=version.plan, clinician=request.user, day=d["date"],
                                  at=d["time"], note=d["note"],
                                  today=local_today(version.plan.patient.timezone))
        except services.ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"Follow-up on {d['date']:%d %B %Y} added.")
            return redirect("plan_detail", version_id=version.pk)
    return render(request, "clinic/plan_form.html", {
        "version": version, "form": form, "title": "Add a follow-up appointment",
        "submit": "Add the appointment", "button_id": "confirm-followup",
        "intro": "The patient sees it on Today and on the plan page."})


@role_required(Role.CLINICIAN)
def plan_monitoring(request: AuthedRequest, version_id: int) -> HttpResponse:
    version = authored_version(request.user, version_id)
    form = MonitoringForm(request.POST or None, initial={"days": version.plan.monitoring_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_monitoring_days(plan=version.plan, clinician=request.user,
                                         days=form.cleaned_data["days"])
        except services.ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Monitoring period changed.")
            return redirect("plan_detail", version_id=version.pk)
    return render(request, "clinic/plan_form.html", {
        "version": version, "form": form, "title": "The monitoring period",
        "submit": "Save", "button_id": "confirm-monitoring",
        "intro": "Check-ins are accepted and shown for this many days after the last dose."})
