"""The Twilio Function (hours.js under Node) and the Python ``is_open`` agree on every instant tried."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deh_deploy.hours import compile_schedule, is_open, parse_hours, prepare_schedule

from .conftest import PARITY_COUNTS, RunFunction

YEARS = (2026, 2027)
MINUTE = timedelta(minutes=1)

AMMAN = {
    "weekly": {
        "sun": ["08:00-16:00"],
        "mon": ["08:00-16:00"],
        "tue": ["08:00-16:00"],
        "wed": ["08:00-16:00"],
        "thu": ["08:00-16:00", "17:00-01:00"],
    },
    "public_holidays": {},
    "closures": [{"date": "2027-02-14", "reason": "Training day"}],
}
ULAANBAATAR = {
    "weekly": {day: ["09:00-13:00", "14:00-18:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    | {"sat": ["10:00-14:00"]},
    "public_holidays": {"observed": False},
    "closures": [{"from": "2026-08-03", "to": "2026-08-07", "reason": "Naadam follow-up"}],
    "open_on": ["2027-11-29"],
}
LORD_HOWE = {  # a 30-minute daylight-saving change at 02:00 local time, on Sundays
    "weekly": {day: ["00:30-02:45", "18:00-00:30"] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}
    | {"sun": ["01:40-02:10", "02:10-02:40", "18:00-00:30"]},
    "public_holidays": {"country": "AU", "subdivision": "NSW"},
}
NEW_YORK = {  # observed days (a holiday on a weekend moves to a weekday)
    "weekly": {day: ["07:00-19:00"] for day in ("mon", "tue", "wed", "thu", "fri")}
    | {"sat": ["23:00-01:30"]},
    "public_holidays": {"country": "US", "subdivision": "NY", "observed": True},
}


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _transitions(zone: ZoneInfo, start: datetime, stop: datetime) -> list[datetime]:
    """Offset changes, to the minute, found by scanning hourly and bisecting."""
    found = []
    moment = start
    while moment < stop:
        later = moment + timedelta(hours=1)
        if moment.astimezone(zone).utcoffset() != later.astimezone(zone).utcoffset():
            lo, hi = moment, later
            while hi - lo > MINUTE:
                mid = lo + (hi - lo) / 2
                if mid.astimezone(zone).utcoffset() == lo.astimezone(zone).utcoffset():
                    lo = mid
                else:
                    hi = mid
            found.append(hi)
        moment = later
    return found


def sweep(schedule: dict[str, Any]) -> list[datetime]:
    """Every 30 minutes over the years (a day beyond each end), each offset change and each closed date's
    start and end +-1 minute, each shift edge +-1 minute on every date, and random instants with seconds."""
    zone = ZoneInfo(schedule["timezone"])
    start = datetime(YEARS[0], 1, 1, tzinfo=zone) - timedelta(days=2)
    stop = datetime(YEARS[-1] + 1, 1, 1, tzinfo=zone) + timedelta(days=2)
    instants: set[datetime] = set()
    moment = start.astimezone(UTC)
    while moment < stop:
        instants.add(moment)
        moment += timedelta(minutes=30)
    edges = list(_transitions(zone, start.astimezone(UTC), stop.astimezone(UTC)))
    for key in schedule["closed"]:
        day = date.fromisoformat(key)
        for when in (day, day + timedelta(days=1)):
            edges.append(datetime(when.year, when.month, when.day, tzinfo=zone))
    day = start.date()
    while day <= stop.date():
        for begin, end in schedule["weekly"][str(day.weekday())]:
            for minutes in (begin, end):
                wall = datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)
                edges.extend(wall.replace(tzinfo=zone, fold=fold) for fold in (0, 1))
        day += timedelta(days=1)
    for edge in edges:
        instants.update((edge - MINUTE, edge, edge + MINUTE))
    rng = random.Random(f"{schedule['timezone']}-{len(schedule['closed'])}")
    span = int((stop - start).total_seconds() * 1000)
    first = start.astimezone(UTC)
    instants.update(first + timedelta(milliseconds=rng.randrange(span)) for _ in range(2000))
    return sorted(instants)


def _compiled(hours: dict[str, Any], *, country: str, timezone: str) -> dict[str, Any]:
    return compile_schedule(parse_hours(hours, country=country), timezone=timezone, years=YEARS)


def _assert_parity(name: str, schedule: dict[str, Any], run_function: RunFunction) -> int:
    instants = sweep(schedule)
    node_results = run_function(schedule, [_iso(moment) for moment in instants])
    prepared = prepare_schedule(schedule)
    mismatches = []
    for moment, node in zip(instants, node_results, strict=True):
        python = is_open(prepared, moment)
        expected = {"open": python.open, "reason": python.reason, "local_time": python.local_time}
        if node.get("ok") != expected:
            mismatches.append((_iso(moment), expected, node))
    assert not mismatches, f"{len(mismatches)} of {len(instants)} differ, first: {mismatches[:3]}"
    PARITY_COUNTS.append((name, len(instants)))
    return len(instants)


CASES = {
    "budapest": ("HU", "Europe/Budapest"),
    "amman": ("JO", "Asia/Amman"),
    "ulaanbaatar": ("MN", "Asia/Ulaanbaatar"),
    "lord_howe": ("AU", "Australia/Lord_Howe"),
    "new_york": ("US", "America/New_York"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_function_and_python_agree_on_every_instant(
    name: str, run_function: RunFunction, budapest_hours: dict[str, Any]
) -> None:
    country, timezone = CASES[name]
    hours = {
        "budapest": budapest_hours,
        "amman": AMMAN,
        "ulaanbaatar": ULAANBAATAR,
        "lord_howe": LORD_HOWE,
        "new_york": NEW_YORK,
    }[name]
    schedule = _compiled(hours, country=country, timezone=timezone)
    count = _assert_parity(name, schedule, run_function)
    assert count > 35_000


def test_sweep_sees_every_kind_of_answer(budapest_hours: dict[str, Any]) -> None:
    schedule = _compiled(budapest_hours, country="HU", timezone="Europe/Budapest")
    reasons = {is_open(schedule, moment).reason.split(":")[0] for moment in sweep(schedule)}
    assert reasons == {"open", "outside_hours", "holiday", "closure", "outside_schedule_years"}


def test_function_and_python_agree_when_the_schedule_is_switched_off(
    run_function: RunFunction, budapest_hours: dict[str, Any]
) -> None:
    schedule = _compiled(budapest_hours | {"closed_now": True}, country="HU", timezone="Europe/Budapest")
    instants = sweep(schedule)[::50]
    node_results = run_function(schedule, [_iso(moment) for moment in instants])
    for moment, node in zip(instants, node_results, strict=True):
        python = is_open(schedule, moment)
        assert python.reason == "closed_now"
        assert node["ok"] == {"open": False, "reason": "closed_now", "local_time": python.local_time}


def test_the_parity_check_notices_a_schedule_that_differs(
    run_function: RunFunction, budapest_hours: dict[str, Any]
) -> None:
    schedule = _compiled(budapest_hours, country="HU", timezone="Europe/Budapest")
    altered = schedule | {"closed": {k: v for k, v in schedule["closed"].items() if k != "2026-04-03"}}
    # Every half hour of Good Friday, 2026-04-03 in Budapest (UTC+2), and the next day.
    instants = [datetime(2026, 4, 2, 22, tzinfo=UTC) + timedelta(minutes=30 * n) for n in range(96)]
    node_results = run_function(altered, [_iso(moment) for moment in instants])
    python = [is_open(schedule, moment) for moment in instants]
    reasons = [
        n
        for n, (node, py) in enumerate(zip(node_results, python, strict=True))
        if node["ok"]["reason"] != py.reason
    ]
    opens = [
        n
        for n, (node, py) in enumerate(zip(node_results, python, strict=True))
        if node["ok"]["open"] != py.open
    ]
    assert reasons == list(range(52))  # the whole day, and its overnight shift until 02:00
    assert opens == [*range(16, 34), *range(40, 52)]  # 08:00-17:00 and 20:00-02:00
