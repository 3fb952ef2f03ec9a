"""Downloads from the plan page in every export format, with the check-ins the web holds."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from taper.exports import FORMATS, fhir
from taper.web.clinic import services
from taper.web.clinic.models import PlanVersion
from taper.web.clinic.services.checkins import active_version
from taper.web.clinic.services.followup import stop_of
from tests.exports.pdf_reader import pdf_text
from tests.web import factories
from tests.web.conftest import Cast
from tests.web.test_followup import finished

NOTE = "Slept badly after the cut"


def _checked_in(cast: Cast) -> PlanVersion:
    """Three quiet days, today amended to mild insomnia, vitals and a note; the version in force."""
    factories.week_of_checkins(cast.patient, 3)
    today = factories.today_of(cast.patient)
    services.record_checkin(patient=cast.patient, entered_by=cast.patient.user, today=today,
                            data=factories.quiet_checkin(today, symptoms={"insomnia": 1},
                                                         temperature_c="37.1", heart_rate=84,
                                                         note=NOTE))  # fmt: skip
    version = active_version(cast.patient)
    assert version is not None
    return version


def _get(client: Client, version: PlanVersion, fmt: str) -> bytes:
    response = client.get(reverse("plan_download", args=[version.pk, fmt]))
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_downloads_with_its_type_and_a_filename(cast: Cast, client: Client,
                                                             fmt: str) -> None:
    client.force_login(cast.patient.user)
    response = client.get(reverse("plan_download", args=[cast.plan.pk, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt].media_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert disposition.endswith(f'.{FORMATS[fmt].extension}"')
    assert f"plan-{cast.plan.plan_id}-version-1" in disposition
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_the_plan_page_offers_every_format(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    page = client.get(reverse("plan_detail", args=[cast.plan.pk])).content.decode()
    for fmt in FORMATS:
        assert f'href="{reverse("plan_download", args=[cast.plan.pk, fmt])}"' in page
        assert f'id="download-{fmt}"' in page


def test_an_unknown_format_is_a_404(cast: Cast, client: Client) -> None:
    client.force_login(cast.clinician)
    assert client.get(reverse("plan_download", args=[cast.plan.pk, "docx"])).status_code == 404


@pytest.mark.hazard("HZ-048")
def test_the_pdf_from_the_web_has_the_checkin_history_and_the_approval(cast: Cast,
                                                                      client: Client) -> None:
    version = _checked_in(cast)
    client.force_login(cast.patient.user)
    text = pdf_text(_get(client, version, "pdf"))
    history = text[text.index("Check-in history"):]
    assert "Trouble falling or staying asleep: mild" in history and NOTE in history
    assert "37.1 84" in history
    on = version.approved_at.astimezone(ZoneInfo(cast.patient.timezone)).date()  # type: ignore[union-attr]
    assert f"approved by {cast.clinician.email} on {on.isoformat()}" in text
    assert f"version {version.number}" in text and "not reviewed" not in text


@pytest.mark.hazard("HZ-048")
def test_the_fhir_bundle_from_the_web_holds_each_checkin_day_and_validates(
        cast: Cast, client: Client) -> None:
    version = _checked_in(cast)
    client.force_login(cast.clinician)
    bundle = json.loads(_get(client, version, "fhir"), parse_float=Decimal)
    fhir.validate(bundle)
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 3
    assert kinds.count("Observation") == 2  # the temperature and pulse of the third day
    assert bundle["timestamp"].startswith(factories.today_of(cast.patient).isoformat())


@pytest.mark.hazard("HZ-048")
def test_another_patients_checkins_never_appear(cast: Cast, client: Client) -> None:
    other_note = "Kim's own note"
    services.record_checkin(patient=cast.other_patient, entered_by=cast.other_patient.user,
                            data=factories.quiet_checkin(factories.today_of(cast.other_patient),
                                                         note=other_note))  # fmt: skip
    version = _checked_in(cast)
    client.force_login(cast.clinician)
    assert other_note not in pdf_text(_get(client, version, "pdf"))
    assert other_note.encode() not in _get(client, version, "fhir")
    journal = client.get(reverse("journal_csv", args=[cast.patient.pk])).content.decode("utf-8-sig")
    assert NOTE in journal and other_note not in journal


def test_an_unreviewed_draft_downloads_say_so(cast: Cast, client: Client) -> None:
    draft = factories.draft_plan(cast.patient, cast.clinician)
    client.force_login(cast.clinician)
    schedule = _get(client, draft, "csv").decode("utf-8-sig")
    assert schedule.splitlines()[1].endswith(",not reviewed by a prescriber")
    assert "not reviewed by a prescriber" in pdf_text(_get(client, draft, "pdf"))


def test_the_journal_is_a_csv_of_the_patients_checkin_days(cast: Cast, client: Client) -> None:
    _checked_in(cast)
    client.force_login(cast.patient.user)
    response = client.get(reverse("journal_csv", args=[cast.patient.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="checkins-{cast.patient.pk}.csv"'
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("date,") and len(rows) == 1 + 3  # the amendment replaced today
    assert rows[-1].startswith(factories.today_of(cast.patient).isoformat())


def test_the_patient_and_plan_pages_link_the_journal_and_the_calendar(cast: Cast,
                                                                      client: Client) -> None:
    client.force_login(cast.patient.user)
    today = client.get(reverse("today")).content.decode()
    client.force_login(cast.clinician)
    record = client.get(reverse("patient_detail", args=[cast.patient.pk])).content.decode()
    for page in (today, record):
        assert reverse("journal_csv", args=[cast.patient.pk]) in page
        assert reverse("feed_settings", args=[cast.patient.pk]) in page


@pytest.mark.hazard("HZ-104")
def test_checkins_after_the_last_dose_are_in_the_pdf_and_fhir_history(
        cast: Cast, client: Client) -> None:
    ada, version = finished(cast, 5)  # the last dose 5 days ago; 14 days of monitoring
    stop = stop_of(version)
    assert stop is not None
    for back in (3, 0):
        day = factories.today_of(ada) - timedelta(days=back)
        services.record_checkin(patient=ada, entered_by=ada.user, today=day,
                                data=factories.quiet_checkin(day, note=f"Quiet, day {back}"))
    client.force_login(ada.user)
    text = pdf_text(_get(client, version, "pdf"))
    history = text[text.index("Check-in history"):]
    assert "Quiet, day 3" in history and "Quiet, day 0" in history
    last = stop + timedelta(days=13)
    assert f"Keep checking in daily from {stop:%A} {stop.day} {stop:%B %Y} to " \
           f"{last:%A} {last.day} {last:%B %Y} (14 days)" in text
    assert f"{last:%d %b %Y}" in history  # the chart's axis runs to the period's last day
    bundle = json.loads(_get(client, version, "fhir"), parse_float=Decimal)
    fhir.validate(bundle)
    authored = {e["resource"].get("authored") for e in bundle["entry"]}
    assert factories.today_of(ada).isoformat() in authored
    (careplan,) = [e["resource"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "CarePlan"]  # fmt: skip
    (watch,) = [a["detail"] for a in careplan["activity"] if "detail" in a]
    assert watch["scheduledTiming"]["repeat"]["boundsPeriod"] == {
        "start": stop.isoformat(), "end": last.isoformat()}
