"""The promise "within 24 hours or the next working day" on real calendars: the deadline is the later of 24 hours
after the contact and the close of the next working day (see ``deh_deploy.hub.promise``)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deh_deploy.config import load_hub
from deh_deploy.config.model import HubConfig, Promise
from deh_deploy.hours import is_open, parse_hours
from deh_deploy.hours.compile import compile_schedule
from deh_deploy.hub.promise import PromiseCalendar

ROOT = Path(__file__).resolve().parents[2]
BUDAPEST = ZoneInfo("Europe/Budapest")
AMMAN = ZoneInfo("Asia/Amman")


@pytest.fixture(scope="module")
def hungary() -> HubConfig:
    return load_hub(ROOT / "country_configs" / "hungary")


@pytest.fixture(scope="module")
def jordan() -> HubConfig:
    return load_hub(ROOT / "country_configs" / "jordan")


def deadline(hub: HubConfig, local: str, zone: ZoneInfo) -> str:
    at = PromiseCalendar(hub).deadline(datetime.fromisoformat(local).replace(tzinfo=zone))
    assert at.tzinfo is UTC
    return at.astimezone(zone).strftime("%a %Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("contact", "expected", "why"),
    [
        (
            "2026-12-04T18:30",
            "Mon 2026-12-07 16:00",
            "Friday-evening voicemail: the weekend, then Monday's close",
        ),
        ("2026-12-05T01:00", "Mon 2026-12-07 16:00", "during Friday's night shift, on Saturday's date"),
        ("2026-12-03T15:00", "Sat 2026-12-05 02:00", "Friday's working day ends with its overnight shift"),
        (
            "2026-12-02T10:00",
            "Thu 2026-12-03 16:00",
            "an ordinary Wednesday: Thursday's close is later than 24 h",
        ),
        ("2026-12-02T17:00", "Thu 2026-12-03 17:00", "24 hours is later than Thursday's 16:00 close"),
        (
            "2026-12-23T17:00",
            "Mon 2027-01-04 16:00",
            "Christmas Eve, Christmas, the year-end closure, New Year",
        ),
        ("2026-08-20T10:00", "Mon 2026-08-24 16:00", "State Foundation Day, then the Friday bridge day off"),
        ("2025-12-31T12:00", "Mon 2026-01-05 16:00", "New Year's Day and the Friday 2 January bridge day"),
        (
            "2026-08-07T15:00",
            "Mon 2026-08-10 16:00",
            "the transferred working Saturday: the hub does not open",
        ),
    ],
)
def test_hungary(hungary: HubConfig, contact: str, expected: str, why: str) -> None:
    assert deadline(hungary, contact, BUDAPEST) == expected, why


def test_a_transferred_saturday_is_a_working_day_where_the_hub_opens_on_saturdays(hungary: HubConfig) -> None:
    weekly = {"mon": ["08:00-16:00"], "fri": ["08:00-16:00"], "sat": ["09:00-13:00"]}
    hub = dataclasses.replace(
        hungary, hours=parse_hours({"weekly": weekly, "public_holidays": {}}, country="HU")
    )
    # 8 August 2026 is a working Saturday (for the bridge day of 21 August); 15 August is an ordinary Saturday.
    assert deadline(hub, "2026-08-07T15:00", BUDAPEST) == "Sat 2026-08-08 15:00"
    assert deadline(hub, "2026-08-14T15:00", BUDAPEST) == "Mon 2026-08-17 16:00"


@pytest.mark.parametrize(
    ("contact", "expected", "why"),
    [
        (
            "2026-11-05T16:00",
            "Sun 2026-11-08 22:00",
            "Thursday afternoon: Friday and Saturday are the weekend",
        ),
        ("2026-11-05T23:30", "Sun 2026-11-08 22:00", "during Thursday's night shift"),
        ("2026-11-06T01:00", "Sun 2026-11-08 22:00", "Friday, the night shift's last hour"),
        ("2026-11-07T12:00", "Sun 2026-11-08 22:00", "Saturday: Sunday is the next working day"),
        ("2026-11-08T10:00", "Mon 2026-11-09 15:00", "Sunday morning: Monday's close"),
        ("2026-11-08T16:00", "Mon 2026-11-09 16:00", "Sunday afternoon: 24 hours is later"),
        ("2026-12-24T10:00", "Sun 2026-12-27 22:00", "Christmas Day (Friday) falls in the weekend"),
    ],
)
def test_jordan_friday_saturday_weekend(jordan: HubConfig, contact: str, expected: str, why: str) -> None:
    assert deadline(jordan, contact, AMMAN) == expected, why


def test_24_hours_alone_when_the_config_says_so(hungary: HubConfig) -> None:
    hub = dataclasses.replace(
        hungary, service=dataclasses.replace(hungary.service, promise=Promise(48, or_next_working_day=False))
    )
    assert deadline(hub, "2026-12-04T18:30", BUDAPEST) == "Sun 2026-12-06 18:30"
    assert PromiseCalendar(hub).rule == "48h"
    assert PromiseCalendar(hungary).rule == "24h or next working day"


def test_hours_are_real_elapsed_time_across_a_clock_change(hungary: HubConfig) -> None:
    hub = dataclasses.replace(
        hungary, service=dataclasses.replace(hungary.service, promise=Promise(24, or_next_working_day=False))
    )
    # Clocks go back at 03:00 on Sunday 25 October 2026: 24 hours after Saturday 10:00 is Sunday 09:00.
    assert deadline(hub, "2026-10-24T10:00", BUDAPEST) == "Sun 2026-10-25 09:00"


def test_the_close_of_a_working_day_is_where_the_hours_function_closes(hungary: HubConfig) -> None:
    """The hours Function's schedule is open the minute before each close and shut at it."""
    calendar = PromiseCalendar(hungary)
    schedule = compile_schedule(hungary.hours, timezone=hungary.timezone, years=[2026, 2027])
    for contact in ("2026-12-03T15:00", "2026-12-04T18:30", "2026-12-23T17:00", "2026-08-20T10:00"):
        day = calendar.next_working_day(datetime.fromisoformat(contact).date())
        assert day is not None
        close = calendar.close_of(day)
        assert is_open(schedule, close - timedelta(minutes=1)).open
        assert not is_open(schedule, close).open


def test_a_contact_time_must_be_aware(hungary: HubConfig) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        PromiseCalendar(hungary).deadline(datetime(2026, 12, 4, 18, 30))
