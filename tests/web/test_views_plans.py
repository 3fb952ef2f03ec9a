"""The plan builder, its preview and the plan page, through the test client."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taper.web.clinic.models import PlanVersion
from tests.web import factories
from tests.web.conftest import Cast


def builder_post(cast: Cast, **changes: str) -> dict[str, Any]:
    """The diarist's plan as a clinician would fill in the builder."""
    data = {"drug": "baclofen", "start_date": factories.today_of(cast.patient).isoformat(),
            "timezone": cast.patient.timezone, "dose_0_time": "08:00", "dose_0_mg": "20",
            "dose_1_time": "14:00", "dose_1_mg": "20", "dose_2_time": "20:00", "dose_2_mg": "20",
            "held_0_form": "tablet", "held_0_strength": "20", "held_0_divisible": "4",
            "held_0_label": "20 mg tablet, cut in quarters", "catalogue": ["tab5"],
            "strategy_kind": "fixed_mg", "step_mg": "5", "step_days": "5",
            "reduce_order": "14:00, 08:00, 20:00", "action": "preview"}
    data.update(changes)
    return data


def test_the_preview_shows_the_schedule_in_words_and_saves_nothing(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    before = PlanVersion.objects.count()
    page = client.post(reverse("plan_new", args=[cast.patient.pk]), builder_post(cast))
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="step-table"' in html
    assert "¾ × 20 mg tablet" in html and "−8.3 %" in html
    assert PlanVersion.objects.count() == before


def test_the_preview_endpoint_returns_only_the_preview(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    page = client.post(reverse("plan_new", args=[cast.patient.pk]), builder_post(cast),
                       headers={"X-Preview": "1"})
    html = page.content.decode()
    assert html.lstrip().startswith('<div id="preview"') and "<html" not in html


def test_saving_makes_a_draft_that_says_it_is_not_reviewed(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    page = client.post(reverse("plan_new", args=[cast.patient.pk]), builder_post(cast, action="save"))
    version = PlanVersion.objects.latest("id")
    assert page.status_code == 302 and page["Location"] == reverse("plan_detail", args=[version.pk])
    assert version.request["products"][0] == "tab5"
    assert version.request["products"][1]["divisible_into"] == 4
    html = client.get(page["Location"]).content.decode()
    assert "Not reviewed by a prescriber" in html


@pytest.mark.hazard("HZ-084")
@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"held_0_strength": "twenty"}, "held_0_strength", "must be a number"),
    ({"dose_1_time": "25:00"}, "dose_1_time", "HH:MM"),
    ({"step_days": "0"}, "step_days", "at least 1"),
    ({"step_mg": ""}, "step_mg", "must be a number"),
    ({"reduce_order": "14:00, 09:00"}, "reduce_order", "not one of the dose times"),
    ({"start_date": "31/12/2026"}, "start_date", "YYYY-MM-DD"),
    ({"dose_0_mg": ""}, "dose_0_mg", "required"),
], ids=["strength-words", "time-25", "zero-days", "no-step", "order-unknown-time",
        "date-format", "dose-without-mg"])
def test_bad_builder_input_is_named_next_to_its_field_and_the_rest_is_kept(
        cast: Cast, client: Client, changes: dict[str, str], field: str, words: str) -> None:
    client.force_login(cast.clinician)
    before = PlanVersion.objects.count()
    page = client.post(reverse("plan_new", args=[cast.patient.pk]),
                       builder_post(cast, action="save", **changes))
    html = page.content.decode()
    assert page.status_code == 200 and PlanVersion.objects.count() == before
    error = html.split(f'data-testid="error-{field}">', 1)[1].split("</p>", 1)[0]
    assert words in error
    assert 'value="20 mg tablet, cut in quarters"' in html  # what was typed is still there
    assert re.search(r'<input type="checkbox" name="catalogue" value="tab5"[^>]* checked', html)


def test_approving_with_a_note_records_who_and_shows_it(cast: Cast, client: Client) -> None:
    draft = factories.draft_plan(cast.patient, cast.clinician)
    client.force_login(cast.clinician)
    page = client.post(reverse("plan_approve", args=[draft.pk]), {"note": "Checked with Sam"})
    assert page.status_code == 302
    html = client.get(reverse("plan_detail", args=[draft.pk])).content.decode()
    assert "Approved by dr.reyes@example.org" in html and "Checked with Sam" in html


def test_a_stop_without_a_reason_is_refused_next_to_the_field(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    page = client.post(reverse("plan_stop", args=[cast.plan.pk]), {"reason": "  "})
    assert 'data-testid="error-reason"' in page.content.decode()
    cast.plan.refresh_from_db()
    assert cast.plan.status == "active"


def test_the_change_builder_starts_from_the_versions_request(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    html = client.get(reverse("plan_change", args=[cast.plan.pk])).content.decode()
    assert 'value="14:00, 08:00, 20:00"' in html
    assert re.search(r'<input [^>]*name="held_0_strength" value="20"', html)


def test_the_plan_page_has_a_print_stylesheet(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    html = client.get(reverse("plan_detail", args=[cast.plan.pk])).content.decode()
    assert 'href="/static/taper/print.css" media="print"' in html
