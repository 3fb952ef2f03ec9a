"""The builder of issue 15 §3: a preview always, its one-click fixes, 24-hour times, the
searchable zone with the clinic default, the patient's own liquids, and titration."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from taper.web.clinic.models import PlanVersion
from tests.web.conftest import Cast
from tests.web.test_views_plans import builder_post

ONLY_20 = {"catalogue": [], "held_0_divisible": "2", "held_0_label": "", "step_mg": "5"}


def post(cast: Cast, client: Client, **changes: Any) -> str:
    client.force_login(cast.clinician)
    page = client.post(reverse("plan_new", args=[cast.patient.pk]), builder_post(cast, **changes))
    assert page.status_code == 200
    return page.content.decode()


def warnings_of(html: str) -> str:
    return html.split('data-testid="plan-warnings">', 1)[1].split("</ul>\n", 1)[0]


@pytest.mark.hazard("HZ-200")
def test_only_a_20_mg_tablet_still_previews_with_the_warning_and_the_fix(
        cast: Cast, client: Client) -> None:
    html = post(cast, client, **ONLY_20)
    assert 'data-testid="step-table"' in html and 'data-testid="no-stop"' in html
    found = warnings_of(html)
    assert 'data-code="cannot_go_lower"' in found and "the plan does not stop" in found
    assert re.search(r'<button type="submit" form="plan-builder" name="add_product" value="sol1"',
                     found)


def test_the_one_click_fix_adds_the_product_and_its_warning_goes(cast: Cast, client: Client) -> None:
    before = PlanVersion.objects.count()
    html = post(cast, client, **ONLY_20, add_product="sol1", action="")
    assert re.search(r'<input type="checkbox" name="catalogue" value="sol1"[^>]* checked', html)
    assert 'data-code="cannot_go_lower"' not in html and 'data-testid="no-stop"' not in html
    assert 'data-testid="step-table"' in html and PlanVersion.objects.count() == before


def test_an_unknown_product_to_add_is_an_error_on_the_catalogue_and_nothing_is_saved(
        cast: Cast, client: Client) -> None:
    html = post(cast, client, add_product="x" * 5000, action="save")
    assert 'data-testid="error-catalogue"' in html and PlanVersion.objects.count() == 2


def test_a_refusal_is_shown_in_words_with_the_one_click_fix(cast: Cast, client: Client) -> None:
    html = post(cast, client, catalogue=[], dose_1_time="", dose_1_mg="", dose_2_time="",
                dose_2_mg="", held_0_divisible="1", step_mg="10", reduce_order="")
    refusal = html.split('data-testid="no-preview">', 1)[1].split("</p>", 1)[0]
    assert "cannot make any daily dose between 0 and 20 mg" in refusal
    assert 'data-testid="add-product-' in html


def test_a_repeated_warning_is_shown_once_with_its_step_range(cast: Cast, client: Client) -> None:
    html = post(cast, client, catalogue=[], held_0_divisible="2", step_mg="5", dose_0_mg="30",
                dose_1_mg="30", dose_2_mg="20")
    found = warnings_of(html)
    assert found.count('data-code="cut_larger_than_requested"') == 1
    assert "Cut larger than asked at steps 1–" in found


def test_dose_times_are_24_hour_text_fields_and_a_12_hour_time_is_named(
        cast: Cast, client: Client) -> None:
    html = post(cast, client, dose_1_time="2pm", action="save")
    error = html.split('data-testid="error-dose_1_time">', 1)[1].split("</p>", 1)[0]
    assert "24-hour clock as HH:MM" in error and 'value="2pm"' in html
    assert 'type="time"' not in html and 'placeholder="HH:MM"' in html
    assert 'pattern="([01][0-9]|2[0-3]):[0-5][0-9]"' in html


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "europe/london", "UTC" * 30])
def test_a_zone_not_in_zoneinfo_is_refused_by_name_and_kept(
        cast: Cast, client: Client, zone: str) -> None:
    html = post(cast, client, timezone=zone, action="save")
    assert 'data-testid="error-timezone"' in html and PlanVersion.objects.count() == 2
    assert f'value="{zone}"' in html or len(zone) > 64


def test_the_zone_list_is_searchable_with_the_clinic_default_first(
        cast: Cast, client: Client, settings: Any) -> None:
    settings.TAPER_DEFAULT_TIME_ZONE = "America/Chicago"
    client.force_login(cast.clinician)
    html = client.get(reverse("plan_new", args=[cast.patient.pk])).content.decode()
    assert 'list="timezones"' in html and "Clinic default: America/Chicago." in html
    options = re.findall(r'<option value="([^"]+)">', html.split('<datalist id="timezones">')[1])
    assert options[0] == "America/Chicago" and "Europe/London" in options and len(options) > 400


def test_the_patients_own_zone_comes_before_the_clinic_default(cast: Cast, client: Client,
                                                                 settings: Any) -> None:
    settings.TAPER_DEFAULT_TIME_ZONE = "America/Chicago"
    client.force_login(cast.clinician)
    html = client.get(reverse("plan_new", args=[cast.patient.pk])).content.decode()
    assert f'name="timezone" value="{cast.patient.timezone}"' in html


LIQUID = {"held_0_form": "liquid", "held_0_strength": "2", "held_0_step_ml": "0.1",
          "held_0_min_ml": "0.5", "held_0_label": "Compounded 2 mg/mL", "held_0_divisible": "1",
          "catalogue": ["tab20"]}


def test_the_patients_own_liquid_is_planned_and_saved_as_typed(cast: Cast, client: Client) -> None:
    html = post(cast, client, **LIQUID)
    assert 'data-testid="step-table"' in html and " mL" in html
    client.post(reverse("plan_new", args=[cast.patient.pk]), builder_post(cast, **LIQUID,
                                                                          action="save"))
    saved = PlanVersion.objects.latest("id").request["products"][1]
    assert saved == {"id": "held1", "form": "liquid", "mg_per_ml": "2", "measure_step_ml": "0.1",
                     "min_volume_ml": "0.5", "label": "Compounded 2 mg/mL"}


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"held_0_step_ml": ""}, "held_0_step_ml", "required"),
    ({"held_0_min_ml": "0.25"}, "held_0_min_ml", "whole number of measuring steps"),
    ({"held_0_strength": "0"}, "held_0_strength", "from 0.01"),
    ({"held_0_step_ml": "9" * 200}, "held_0_step_ml", "at most"),
], ids=["no-step", "min-off-step", "zero-strength", "too-long"])
def test_a_bad_liquid_is_named_next_to_its_field_and_everything_is_kept(
        cast: Cast, client: Client, changes: dict[str, str], field: str, words: str) -> None:
    html = post(cast, client, **{**LIQUID, **changes}, action="save")
    error = html.split(f'data-testid="error-{field}">', 1)[1].split("</p>", 1)[0]
    assert words in error and PlanVersion.objects.count() == 2
    for name, value in {**LIQUID, **changes}.items():
        if name not in ("catalogue", "held_0_form", "held_0_divisible") and len(value) < 100:
            assert f'name="{name}" value="{value}"' in html or value == "", name


def test_a_titration_is_previewed_from_the_form(cast: Cast, client: Client) -> None:
    html = post(cast, client, strategy_kind="titrate", dose_0_mg="0", dose_1_mg="0",
                dose_2_mg="0", target_mg="30", step_days="", step_mg="", reduce_order="")
    rows = html.split('data-testid="step-table"', 1)[1].split("</tbody>", 1)[0]
    assert rows.count("<tr") == 4  # the head, before, 15 then 30 mg a day (+5 mg a dose a step)
    assert "30 mg" in rows


def test_a_titration_without_a_target_is_named_and_the_kind_kept(cast: Cast, client: Client) -> None:
    html = post(cast, client, strategy_kind="titrate", target_mg="", action="save")
    assert 'data-testid="error-target_mg"' in html
    assert re.search(r'name="strategy_kind" value="titrate"[^>]* checked', html)


def test_a_taper_without_days_per_step_is_named(cast: Cast, client: Client) -> None:
    html = post(cast, client, step_days="", action="save")
    error = html.split('data-testid="error-step_days">', 1)[1].split("</p>", 1)[0]
    assert "required" in error


def test_the_change_builder_keeps_a_liquid_and_a_titration(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    client.post(reverse("plan_new", args=[cast.patient.pk]), builder_post(
        cast, **LIQUID, strategy_kind="titrate", dose_0_mg="0", dose_1_mg="0", dose_2_mg="0",
        target_mg="30", step_days="", reduce_order="", action="save"))
    version = PlanVersion.objects.latest("id")
    html = client.get(reverse("plan_change", args=[version.pk])).content.decode()
    assert 'name="held_0_step_ml" value="0.1"' in html and 'name="target_mg" value="30"' in html
    assert re.search(r'<option value="liquid" selected>', html)


@pytest.mark.parametrize("value", ["Mars/Olympus_Mons", "../etc/passwd", "europe/london"])
def test_a_clinic_default_zone_zoneinfo_does_not_know_stops_the_start(
        monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from taper.web.env import envzone

    monkeypatch.setenv("TAPER_DEFAULT_TIME_ZONE", " Europe/Madrid ")
    assert envzone("TAPER_DEFAULT_TIME_ZONE", "UTC") == "Europe/Madrid"
    monkeypatch.setenv("TAPER_DEFAULT_TIME_ZONE", value)
    with pytest.raises(ImproperlyConfigured, match="TAPER_DEFAULT_TIME_ZONE: must be an IANA"):
        envzone("TAPER_DEFAULT_TIME_ZONE", "UTC")


def test_every_value_typed_is_shown_again_after_an_error(cast: Cast, client: Client) -> None:
    typed = {"dose_3_time": "23:59", "dose_3_mg": "2.5", "held_1_form": "capsule",
             "held_1_strength": "15", "held_1_label": "Own capsules", "held_2_form": "liquid",
             "held_2_strength": "5", "held_2_step_ml": "0.2", "held_2_min_ml": "1",
             "percent": "10", "final_mg": "5", "steps_list": "50, 40", "target_mg": "70",
             "increment_mg": "2.5", "slower_below_mg": "20", "slower_step_days": "14",
             "override_mg": "90", "override_reason": "Specialist advice", "crcl": "65",
             "dose_0_time": "8 am"}  # the one error
    html = post(cast, client, **typed, action="save")
    assert 'data-testid="error-dose_0_time"' in html and PlanVersion.objects.count() == 2
    for name, value in typed.items():
        if name.endswith("_form"):
            assert re.search(rf'name="{name}"[^>]*>.*?<option value="{value}" selected',
                             html, re.S), name
        else:
            assert f'name="{name}" value="{value}"' in html, name


def test_the_plan_page_groups_the_warnings_as_the_preview_does(cast: Cast, client: Client) -> None:
    changes = {"catalogue": [], "held_0_divisible": "2", "step_mg": "5", "dose_0_mg": "30",
               "dose_1_mg": "30", "dose_2_mg": "20"}
    preview = warnings_of(post(cast, client, **changes))
    page = client.post(reverse("plan_new", args=[cast.patient.pk]),
                       builder_post(cast, **changes, action="save"))
    html = client.get(page["Location"]).content.decode()
    assert warnings_of(html).count('data-code="cut_larger_than_requested"') == 1
    assert "Cut larger than asked at steps 1–" in warnings_of(html)
    assert 'name="add_product"' not in html and 'name="add_product"' in preview  # no builder here
