"""A VTIMEZONE for one zone over one date range, built from the system's zone data.

Why not `icalendar.Timezone.from_tzid`: it writes a daylight-saving onset at the new wall
time (03:00) where RFC 5545 §3.6.5 wants the local time in force before the change
(02:00). Here each transition is found from zoneinfo itself and written in the old offset.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard


def _offset(zone: ZoneInfo, instant: datetime) -> tuple[timedelta, timedelta, str]:
    local = instant.astimezone(zone)
    return local.utcoffset() or timedelta(0), local.dst() or timedelta(0), local.tzname() or ""


def transitions(tzid: str, first: date, last: date) -> list[tuple[datetime, timedelta]]:
    """Each UTC instant in [first, last + 1 day] at which the zone's offset changes."""
    zone = ZoneInfo(tzid)
    instant = datetime.combine(first, time(0), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), zone).astimezone(UTC)
    found = []
    step = timedelta(hours=1)
    while instant < end:
        before, after = _offset(zone, instant)[0], _offset(zone, instant + step)[0]
        if before != after:
            low, high = instant, instant + step  # the change is in (low, high]: bisect
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                low, high = (mid, high) if _offset(zone, mid)[0] == before else (low, mid)
            found.append((high, before))
        instant += step
    return found


def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """The zone's observances from `first` to `last`, and nothing outside that range."""
    zone = ZoneInfo(tzid)
    tz = Timezone()
    tz.add("tzid", tzid)
    start = datetime.combine(first, time(0), zone)
    offset, dst, name = _offset(zone, start)
    tz.add_component(_observance(start.replace(tzinfo=None), offset, offset, dst, name))
    for instant, before in transitions(tzid, first, last):
        offset, dst, name = _offset(zone, instant)
        onset = (instant + before).replace(tzinfo=None)  # wall time before the change
        tz.add_component(_observance(onset, before, offset, dst, name))
    return tz


def _observance(
    onset: datetime, before: timedelta, after: timedelta, dst: timedelta, name: str
) -> TimezoneStandard | TimezoneDaylight:
    part = TimezoneDaylight() if dst else TimezoneStandard()
    part.add("dtstart", onset)
    part.add("tzoffsetfrom", before)
    part.add("tzoffsetto", after)
    part.add("tzname", name)
    return part
