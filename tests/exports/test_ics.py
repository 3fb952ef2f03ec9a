"""The calendar: parses back, follows RFC 5545 and keeps local dose times across DST."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from taper.core.knowledge import DrugKnowledge
from taper.core.plan import Plan
from taper.exports import ics
from taper.exports.options import ExportOptions


def parse(plan: Plan, drug: DrugKnowledge, options: ExportOptions) -> Calendar:
    return Calendar.from_ical(ics.render(plan, drug, options))


def occurrences(cal: Calendar) -> list[datetime]:
    """Every dose instant the calendar's series expand to."""
    found = []
    for event in cal.walk("VEVENT"):
        start = event.decoded("dtstart")
        rule = event["rrule"].to_ical().decode()
        found.extend(rrulestr(rule, dtstart=start))
    return found


def test_one_event_per_dose_per_day(diarist, baclofen, options) -> None:
    got = Counter((o.date(), o.time()) for o in occurrences(parse(diarist, baclofen, options)))
    want = Counter((day, d.time) for day, step in diarist.days() for d in step.doses)
    assert got == want


@pytest.mark.hazard("HZ-041")
def test_dose_times_stay_local_across_the_spring_change(across_dst, baclofen, options) -> None:
    found = occurrences(parse(across_dst, baclofen, options))
    days = {o.date() for o in found}
    assert date(2027, 3, 13) in days and date(2027, 3, 15) in days
    assert {o.astimezone(ZoneInfo("America/New_York")).time() for o in found} <= {
        time(8),
        time(14),
        time(20),
    }
    assert len(found) == len(set(found)) == sum(len(s.doses) * s.days for s in across_dst.steps)


@pytest.mark.hazard("HZ-041")
def test_utc_offset_changes_with_the_clocks(across_dst, baclofen, options) -> None:
    at_eight = {
        o.date(): o.utcoffset()
        for o in occurrences(parse(across_dst, baclofen, options))
        if o.time() == time(8)
    }
    assert str(at_eight[date(2027, 3, 13)]) == "-1 day, 19:00:00"
    assert str(at_eight[date(2027, 3, 14)]) == "-1 day, 20:00:00"


@pytest.mark.hazard("HZ-041")
def test_every_tzid_has_a_vtimezone_covering_only_the_plan(across_dst, baclofen, options) -> None:
    text = ics.render(across_dst, baclofen, options).decode()
    tzids = set(re.findall(r"TZID=([^:;]+)", text))
    assert tzids == {"America/New_York"}
    assert "TZID:America/New_York" in text
    onsets = re.findall(r"BEGIN:(?:STANDARD|DAYLIGHT)\r\nDTSTART:(\d{8})", text)
    assert onsets == ["20270310", "20270314"]  # the plan's first day, then spring forward


def test_daylight_onset_is_written_in_the_old_local_time(across_dst, baclofen, options) -> None:
    text = ics.render(across_dst, baclofen, options).decode()
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20270314T020000" in text  # RFC 5545 §3.6.5


def test_until_is_utc_and_dtstart_has_a_tzid(diarist, baclofen, options) -> None:
    events = parse(diarist, baclofen, options).walk("VEVENT")
    assert {e["dtstart"].params.get("TZID") for e in events} == {"America/New_York"}
    untils = re.findall(r"UNTIL=([0-9TZ]+)", ics.render(diarist, baclofen, options).decode())
    assert untils and all(u.endswith("Z") for u in untils)


@pytest.mark.hazard("HZ-040")
def test_titles_and_descriptions_carry_no_health_details_by_default(
    diarist, baclofen, options
) -> None:
    cal = parse(diarist, baclofen, options)
    words = " ".join(
        str(e[k]) for e in cal.walk("VEVENT") for k in ("summary", "description")
    ) + str(cal["x-wr-calname"])
    assert not re.search(r"mg|baclofen|tablet|step", words, re.I)
    assert {str(e["summary"]) for e in cal.walk("VEVENT")} == {
        "Medication 08:00",
        "Medication 14:00",
        "Medication 20:00",
    }


def test_descriptions_send_the_person_to_the_plan(diarist, baclofen, options) -> None:
    for event in parse(diarist, baclofen, options).walk("VEVENT"):
        assert "Check your plan for today's dose." in str(event["description"])


def test_the_option_puts_the_dose_in_titles(diarist, baclofen, options) -> None:
    shown = dataclasses.replace(options, show_dose_in_titles=True)
    titles = [str(e["summary"]) for e in parse(diarist, baclofen, shown).walk("VEVENT")]
    assert titles[0] == "Baclofen 20 mg at 08:00" and "Baclofen 15 mg at 14:00" in titles


@pytest.mark.hazard("HZ-042")
def test_uids_are_stable_and_sequence_follows_the_plan_version(diarist, baclofen, options) -> None:
    v1 = parse(diarist, baclofen, options).walk("VEVENT")
    v2 = parse(diarist, baclofen, dataclasses.replace(options, plan_version=2)).walk("VEVENT")
    assert [str(e["uid"]) for e in v1] == [str(e["uid"]) for e in v2]
    assert len({str(e["uid"]) for e in v1}) == len(v1)
    assert {int(e["sequence"]) for e in v1} == {1} and {int(e["sequence"]) for e in v2} == {2}


@pytest.mark.hazard("HZ-049")
def test_uid_names_the_plan_step_and_time_but_never_the_drug(diarist, options) -> None:
    step = diarist.steps[2]
    uid = ics.uid(diarist, options, step, time(20))
    assert uid.endswith(".step3.2000@taper") and "baclofen" not in uid
    assert uid == ics.uid(diarist, options, step, time(20))
