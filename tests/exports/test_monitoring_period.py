"""The monitoring period after the stop date (HZ-104): check-ins go on for
`monitoring_days` days from the stop date. The PDF says so after the calendar and draws the
check-in history to the period's last day; the calendar has one all-day event; the FHIR
CarePlan a daily check-in activity. The CSV schedule has doses only, so it is unchanged."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from icalendar import Calendar
from pdf_reader import pdf_text

from taper.exports import csv as schedule_csv
from taper.exports import fhir, ics, pdf
from taper.exports.options import MAX_MONITORING_DAYS, ExportOptions
from taper.exports.pdf.history import history_span
from taper.exports.schedule import monitoring_dates, monitoring_period

STOP = date(2027, 1, 25)  # the diarist's first day with no dose
LAST = date(2027, 2, 7)  # the 14th day from it


@pytest.fixture
def watched(options) -> ExportOptions:
    return dataclasses.replace(options, monitoring_days=14)


def test_the_period_runs_from_the_stop_date_for_its_days(diarist) -> None:
    assert diarist.stop_date == STOP
    assert monitoring_period(diarist, 14) == (STOP, LAST)
    assert monitoring_period(diarist, 1) == (STOP, STOP)
    assert monitoring_period(diarist, 0) is None
    assert monitoring_dates(None, 14) is None  # no stop date (a last step that goes on): none


@pytest.mark.parametrize("days", [-1, MAX_MONITORING_DAYS + 1, True, 1.5])
def test_a_bad_monitoring_days_names_the_field(options, days) -> None:
    with pytest.raises(ValueError, match=r"^monitoring_days: a whole number of days from 0 to 90"):
        dataclasses.replace(options, monitoring_days=days)


@pytest.mark.parametrize("days", [0, MAX_MONITORING_DAYS])
def test_the_bounds_are_accepted(options, days) -> None:
    assert dataclasses.replace(options, monitoring_days=days).monitoring_days == days


@pytest.mark.hazard("HZ-104")
def test_the_pdf_says_to_keep_checking_in_after_the_calendar(diarist, baclofen, watched) -> None:
    text = pdf_text(pdf.render(diarist, baclofen, watched))
    note = text.index("Keep checking in daily from Monday 25 January 2027 to Sunday 7 February "
                      "2027 (14 days)")  # fmt: skip
    assert text.index("Day by day: tick each dose") < note


def test_without_a_period_the_pdf_has_no_note(diarist, baclofen, options) -> None:
    assert "Keep checking in" not in pdf_text(pdf.render(diarist, baclofen, options))


@pytest.mark.hazard("HZ-104")
def test_the_checkin_history_runs_to_the_periods_last_day(
    diarist, baclofen, watched, checkins, rules
) -> None:
    days = checkins({"date": "2026-12-02", "symptoms": {}, "spasticity": 3})
    assert history_span(diarist, days, (STOP, LAST)) == (diarist.start_date, LAST)
    recorded = dataclasses.replace(watched, checkins=days, symptoms=rules.symptoms)
    text = pdf_text(pdf.render(diarist, baclofen, recorded))
    history = text[text.index("Check-in history") : text.index("Red-flag card")]
    assert "07 Feb 2027" in history  # the axis's last day, not the stop date
    assert "25 Jan 2027" not in history


def _calendar(plan, drug, options) -> Calendar:
    return Calendar.from_ical(ics.render(plan, drug, options))


@pytest.mark.hazard("HZ-104")
@pytest.mark.hazard("HZ-049")
def test_the_calendar_has_one_all_day_event_for_the_period(diarist, baclofen, watched) -> None:
    (event,) = [e for e in _calendar(diarist, baclofen, watched).walk("VEVENT")
                if "rrule" not in e]  # fmt: skip
    assert str(event["summary"]) == "Keep checking in"
    assert event.decoded("dtstart") == STOP and event.decoded("dtend") == LAST + timedelta(days=1)
    assert "TZID" not in event["dtstart"].params  # a day on the person's own calendar
    words = f"{event['summary']} {event['description']} {event['uid']}"
    assert "baclofen" not in words.lower() and "mg" not in words


@pytest.mark.hazard("HZ-049")
def test_the_periods_uid_is_stable_and_names_no_drug(diarist, baclofen, watched) -> None:
    def uid(options: ExportOptions) -> str:
        (event,) = [e for e in _calendar(diarist, baclofen, options).walk("VEVENT")
                    if "rrule" not in e]  # fmt: skip
        return str(event["uid"])

    first = uid(watched)
    assert first == uid(dataclasses.replace(watched, plan_version=2, generated_on=STOP))
    assert first == ics.monitoring_uid(diarist, watched) and first.endswith(".monitoring@taper")
    assert uid(dataclasses.replace(watched, plan_id="taper-plan-7")) == (
        "taper-plan-7.monitoring@taper")


def test_without_a_period_the_calendar_has_doses_only(diarist, baclofen, options) -> None:
    assert all("rrule" in e for e in _calendar(diarist, baclofen, options).walk("VEVENT"))


def _careplan(plan, drug, options) -> dict:
    data = json.loads(fhir.render(plan, drug, options), parse_float=Decimal)
    fhir.validate(data)
    (found,) = [e["resource"] for e in data["entry"]
                if e["resource"]["resourceType"] == "CarePlan"]  # fmt: skip
    return found


@pytest.mark.hazard("HZ-104")
def test_the_careplan_schedules_daily_checkins_for_the_period(diarist, baclofen, watched) -> None:
    careplan = _careplan(diarist, baclofen, watched)
    (detail,) = [a["detail"] for a in careplan["activity"] if "detail" in a]
    assert detail["scheduledTiming"]["repeat"] == {
        "boundsPeriod": {"start": "2027-01-25", "end": "2027-02-07"},
        "frequency": 1, "period": 1, "periodUnit": "d"}  # fmt: skip
    assert detail["status"] == "not-started"  # a draft until a prescriber reviews it
    assert detail["instantiatesCanonical"] == ["urn:taper:questionnaire:daily-check-in|2"]
    assert careplan["period"] == {"start": "2026-12-01", "end": "2027-02-07"}
    approved = _careplan(diarist, baclofen, dataclasses.replace(watched, approval="approved"))
    assert [a["detail"]["status"] for a in approved["activity"] if "detail" in a] == ["scheduled"]


def test_without_a_period_the_careplan_has_the_request_only(diarist, baclofen, options) -> None:
    careplan = _careplan(diarist, baclofen, options)
    assert [list(a) for a in careplan["activity"]] == [["reference"]]
    assert careplan["period"]["end"] == "2027-01-24"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "planned"}, "activity[1].detail.status"),
        ({"scheduledTiming": {"repeat": {"boundsPeriod": {"start": "2027-02-07",
                                                          "end": "2027-01-25"}}}},
         "activity[1].detail.scheduledTiming.repeat.boundsPeriod: start after end"),
    ],
)  # fmt: skip
def test_own_checks_catch_a_bad_activity(diarist, baclofen, watched, change, message) -> None:
    careplan = fhir.bundle(diarist, baclofen, watched)["entry"][2]["resource"]
    assert careplan["resourceType"] == "CarePlan"
    careplan["activity"][1]["detail"].update(change)
    with pytest.raises(fhir.FhirError, match=message.replace("[", r"\[").replace("]", r"\]")):
        fhir.validate(careplan)


def test_the_csv_schedule_is_untouched(diarist, baclofen, options, watched) -> None:
    assert schedule_csv.render(diarist, baclofen, watched) == schedule_csv.render(
        diarist, baclofen, options)
