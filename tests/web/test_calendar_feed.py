"""The private calendar feed: a capability URL per patient, revocable, never another's plan."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from taper.web.clinic import services
from taper.web.clinic.models import CalendarFeed, Patient, User
from taper.web.clinic.services.followup import stop_of
from tests.web import factories
from tests.web.conftest import Cast
from tests.web.test_followup import finished


def new_link(client: Client, user: User, patient: Patient) -> str:
    """Make a feed through the page, as its owner would; the path shown once."""
    client.force_login(user)
    page = client.post(reverse("feed_new", args=[patient.pk]))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    found = re.search(r'data-testid="feed-link" readonly value="https://taper.example.org(/feeds/[^"]+)"',
                      page.content.decode())  # fmt: skip
    assert found is not None
    client.logout()  # the feed needs no login
    return found.group(1)


def calendar(client: Client, path: str) -> Calendar:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> list:
    return list(cal.walk("VEVENT"))


@pytest.mark.hazard("HZ-049")
def test_the_feed_serves_the_patients_plan_in_force_without_login(cast: Cast,
                                                                  client: Client) -> None:
    cal = calendar(client, new_link(client, cast.patient.user, cast.patient))
    found = events(cal)
    assert found
    for event in found:
        assert str(event["uid"]).startswith(f"taper-plan-{cast.plan.plan_id}.")
        assert event["sequence"] == cast.plan.number
    doses = [e for e in found if str(e["uid"]) != f"taper-plan-{cast.plan.plan_id}.monitoring@taper"]
    assert len(doses) == len(found) - 1  # and the monitoring period's all-day event (HZ-104)
    for event in doses:
        assert re.fullmatch(r"Medication \d\d:\d\d", str(event["summary"]))
        assert event["dtstart"].params["TZID"] == cast.patient.timezone
    zones = {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")}
    assert zones == {cast.patient.timezone}
    shown = [str(cal["x-wr-calname"])] + [str(e[k]) for e in found for k in ("summary", "description")]
    for words in shown:  # HZ-040: no medicine, dose or name where people see it
        assert not re.search(r"baclofen|\bmg\b|Sam|Patel", words, re.IGNORECASE), words


@pytest.mark.hazard("HZ-049")
def test_a_feed_never_serves_another_patients_plan(cast: Cast, client: Client) -> None:
    sams = new_link(client, cast.clinician, cast.patient)
    kims = new_link(client, cast.other_patient.user, cast.other_patient)
    for path, own, other in ((sams, cast.plan, cast.other_plan),
                             (kims, cast.other_plan, cast.plan)):  # fmt: skip
        uids = {str(e["uid"]) for e in events(calendar(client, path))}
        assert all(u.startswith(f"taper-plan-{own.plan_id}.") for u in uids)
        assert not any(u.startswith(f"taper-plan-{other.plan_id}.") for u in uids)
    assert calendar(client, kims)["x-wr-timezone"] == cast.other_patient.timezone


@pytest.mark.hazard("HZ-049")
def test_a_new_link_replaces_the_old_and_a_revoked_link_is_a_404(cast: Cast,
                                                                 client: Client) -> None:
    first = new_link(client, cast.patient.user, cast.patient)
    second = new_link(client, cast.clinician, cast.patient)
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.force_login(cast.patient.user)
    assert client.post(reverse("feed_revoke", args=[cast.patient.pk])).status_code == 302
    client.logout()
    assert client.get(second).status_code == 404
    assert client.get("/feeds/not-a-real-token.ics").status_code == 404


@pytest.mark.hazard("HZ-049")
def test_only_the_tokens_hash_is_stored(cast: Cast) -> None:
    token = services.create_calendar_feed(patient=cast.patient, actor=cast.patient.user)
    assert len(token) >= 43  # 32 random bytes
    stored = list(CalendarFeed.objects.values_list("token_hash", flat=True))
    assert token not in stored and len(stored) == 1


def test_no_one_else_can_make_or_revoke_a_patients_feed(cast: Cast) -> None:
    for outsider in (cast.other_clinician, cast.other_patient.user):
        with pytest.raises(services.ServiceError):
            services.create_calendar_feed(patient=cast.patient, actor=outsider)
        with pytest.raises(services.ServiceError):
            services.revoke_calendar_feed(patient=cast.patient, actor=outsider)


@pytest.mark.hazard("HZ-050")
def test_the_feed_follows_a_new_version_with_the_same_uids_and_a_higher_sequence(
        cast: Cast, client: Client) -> None:
    path = new_link(client, cast.patient.user, cast.patient)
    before = {str(e["uid"]) for e in events(calendar(client, path))}
    start = factories.today_of(cast.patient)
    changed = services.change_plan(version=cast.plan, author=cast.clinician,
                                   request_data=factories.diarist_request(start, cast.patient.timezone),
                                   today=start)  # fmt: skip
    services.approve_plan(version=changed, clinician=cast.clinician)
    services.activate(version=changed, actor=cast.clinician)
    after = events(calendar(client, path))
    assert {e["sequence"] for e in after} == {changed.number} and changed.number == 2
    assert {str(e["uid"]) for e in after} & before  # the same events, updated in place
    assert str(calendar(client, path)["x-wr-calname"]).endswith("(version 2)")


@pytest.mark.hazard("HZ-050")
def test_a_stopped_plan_leaves_a_valid_calendar_with_no_doses(cast: Cast, client: Client) -> None:
    path = new_link(client, cast.patient.user, cast.patient)
    services.stop_plan(version=cast.plan, actor=cast.clinician, reason="Tapering paused")
    cal = calendar(client, path)
    assert events(cal) == []
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == [cast.patient.timezone]


def test_the_feed_page_says_whether_a_link_is_on(cast: Cast, client: Client) -> None:
    client.force_login(cast.patient.user)
    url = reverse("feed_settings", args=[cast.patient.pk])
    assert "There is no calendar link." in client.get(url).content.decode()
    services.create_calendar_feed(patient=cast.patient, actor=cast.clinician)
    page = client.get(url).content.decode()
    assert "A calendar link is on" in page and 'id="revoke-feed"' in page
    assert 'data-testid="feed-link"' not in page  # the link itself is never shown again


@pytest.mark.hazard("HZ-104")
@pytest.mark.hazard("HZ-049")
def test_a_completed_plan_stays_in_the_feed_until_its_monitoring_period_ends(
        cast: Cast, client: Client) -> None:
    ada, version = finished(cast, 5)  # the last dose 5 days ago; 14 days of monitoring
    path = new_link(client, ada.user, ada)
    stop = stop_of(version)
    assert stop is not None and version.status == "completed"
    (kept,) = [e for e in events(calendar(client, path)) if not e["summary"].startswith("Med")]
    assert str(kept["uid"]) == f"taper-plan-{version.plan_id}.monitoring@taper"
    assert str(kept["summary"]) == "Keep checking in"
    assert kept.decoded("dtstart") == stop
    assert kept.decoded("dtend") == stop + timedelta(days=14)  # exclusive: the 14th day is in
    assert not re.search(r"baclofen|\bmg\b|Ada|Byrne", str(kept["description"]), re.IGNORECASE)
    services.set_monitoring_days(plan=version.plan, clinician=cast.clinician, days=5)
    assert events(calendar(client, path)) == []  # the period ended yesterday


@pytest.mark.hazard("HZ-190")
def test_the_feed_has_a_reminder_at_each_dose_time_until_the_patient_turns_it_off(
        cast: Cast, client: Client) -> None:
    path = new_link(client, cast.patient.user, cast.patient)
    doses = [e for e in events(calendar(client, path)) if "monitoring" not in str(e["uid"])]
    for event in doses:
        (alarm,) = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY" and alarm["trigger"].dt == timedelta(0)
        assert str(alarm["description"]) == str(event["summary"])  # no medicine, no dose
    client.force_login(cast.patient.user)
    client.post(reverse("patient_preferences"), {"temperature_unit": "C", "dose_alarms": "off"})
    client.logout()
    assert not any(e.walk("VALARM") for e in events(calendar(client, path)))


def test_a_downloaded_calendar_file_has_no_reminders_unless_asked(cast: Cast) -> None:
    from taper.web.clinic.exports import plan_export

    cal = Calendar.from_ical(plan_export(cast.plan, "ics"))
    assert events(cal) and not any(e.walk("VALARM") for e in events(cal))
