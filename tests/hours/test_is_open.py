"""The rules of ``is_open`` one at a time, on a Budapest schedule: HU holidays, split and overnight shifts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deh_deploy.hours import Status, compile_schedule, is_open, parse_hours

BUDAPEST = ZoneInfo("Europe/Budapest")


def at(text: str, *, fold: int = 0) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BUDAPEST, fold=fold)


@pytest.fixture
def schedule(budapest_hours: dict[str, Any]) -> dict[str, Any]:
    return compile_schedule(
        parse_hours(budapest_hours, country="HU"), timezone="Europe/Budapest", years=[2026, 2027]
    )


@pytest.mark.parametrize(
    ("local", "expected_open", "reason"),
    [
        ("2026-04-13T07:59", False, "outside_hours"),
        ("2026-04-13T08:00", True, "open"),
        ("2026-04-13T11:59", True, "open"),
        ("2026-04-13T11:59:59.999", True, "open"),
        ("2026-04-13T12:00", False, "outside_hours"),
        ("2026-04-13T12:59", False, "outside_hours"),
        ("2026-04-13T13:00", True, "open"),
        ("2026-04-13T16:59", True, "open"),
        ("2026-04-13T17:00", False, "outside_hours"),
    ],
)
def test_a_split_shift_is_open_from_each_start_until_just_before_each_end(
    schedule: dict[str, Any], local: str, expected_open: bool, reason: str
) -> None:
    status = is_open(schedule, at(local))
    assert (status.open, status.reason) == (expected_open, reason)


def test_status_carries_the_local_wall_clock_with_its_offset(schedule: dict[str, Any]) -> None:
    status = is_open(schedule, datetime(2026, 7, 6, 9, 15, 42, 999_999, tzinfo=UTC))
    assert status == Status(True, "open", "2026-07-06T11:15:42+02:00")


def test_an_overnight_shift_runs_into_a_holiday_that_starts_after_midnight(schedule: dict[str, Any]) -> None:
    # Friday 2027-04-30 is a working day; Saturday 2027-05-01 is Labour Day.
    assert is_open(schedule, at("2027-04-30T23:00")).open
    assert is_open(schedule, at("2027-05-01T01:59")) == Status(True, "open", "2027-05-01T01:59:00+02:00")
    assert is_open(schedule, at("2027-05-01T02:00")).reason == "holiday: Labor Day"
    assert is_open(schedule, at("2027-05-01T11:00")) == Status(
        False, "holiday: Labor Day", "2027-05-01T11:00:00+02:00"
    )


def test_a_holiday_on_the_start_date_cancels_the_whole_overnight_shift(schedule: dict[str, Any]) -> None:
    # Friday 2026-12-25 is Christmas Day; Saturday 2026-12-26 is a holiday but listed in open_on.
    assert is_open(schedule, at("2026-12-25T21:00")) == Status(
        False, "holiday: Christmas Day", "2026-12-25T21:00:00+01:00"
    )
    assert is_open(schedule, at("2026-12-26T01:00")).reason == "holiday: Christmas Day"
    assert is_open(schedule, at("2026-12-26T03:00")).reason == "outside_hours"


def test_open_on_reopens_a_holiday_with_that_days_weekly_shifts(
    budapest_hours: dict[str, Any], schedule: dict[str, Any]
) -> None:
    assert is_open(schedule, at("2026-12-26T11:00")).open
    assert is_open(schedule, at("2026-12-26T15:00")).reason == "outside_hours"
    without = compile_schedule(
        parse_hours(budapest_hours | {"open_on": []}, country="HU"), timezone="Europe/Budapest", years=[2026]
    )
    assert is_open(without, at("2026-12-26T11:00")).reason == "holiday: Second Day of Christmas"


def test_open_on_does_not_reopen_a_closure(budapest_hours: dict[str, Any]) -> None:
    hours = budapest_hours | {"open_on": ["2026-12-24"]}
    schedule = compile_schedule(parse_hours(hours, country="HU"), timezone="Europe/Budapest", years=[2026])
    assert is_open(schedule, at("2026-12-24T10:00")).reason == "closure: Christmas Eve"


def test_a_closure_range_closes_every_day_in_it(schedule: dict[str, Any]) -> None:
    for day in range(27, 32):
        assert is_open(schedule, at(f"2026-12-{day}T15:00")).reason == "closure: Year-end closure"
    assert is_open(schedule, at("2027-01-04T09:00")).open


def test_closed_now_closes_every_instant(budapest_hours: dict[str, Any]) -> None:
    hours = budapest_hours | {"closed_now": True}
    schedule = compile_schedule(parse_hours(hours, country="HU"), timezone="Europe/Budapest", years=[2026])
    assert is_open(schedule, at("2026-04-13T09:00")) == Status(
        False, "closed_now", "2026-04-13T09:00:00+02:00"
    )
    assert is_open(schedule, at("2031-01-01T09:00")).reason == "closed_now"


def test_outside_the_compiled_years_it_fails_closed_by_the_local_date(schedule: dict[str, Any]) -> None:
    assert (
        is_open(schedule, datetime(2027, 12, 31, 22, 59, tzinfo=UTC)).reason == "open"
    )  # Sunday 23:59 local
    assert is_open(schedule, datetime(2027, 12, 31, 23, 0, tzinfo=UTC)) == Status(
        False, "outside_schedule_years", "2028-01-01T00:00:00+01:00"
    )
    assert is_open(schedule, at("2025-12-31T10:00")).reason == "outside_schedule_years"


def test_an_overnight_shift_from_a_date_outside_the_years_is_ignored() -> None:
    hours = parse_hours({"weekly": {day: ["22:00-02:00"] for day in ("wed", "thu")}}, country="HU")
    schedule = compile_schedule(hours, timezone="Europe/Budapest", years=[2026])
    assert is_open(schedule, at("2026-01-01T01:00")).reason == "outside_hours"  # from Wed 2025-12-31
    assert is_open(schedule, at("2026-01-02T01:00")).open  # from Thu 2026-01-01


def test_a_shift_ending_at_24_00_closes_at_midnight(schedule: dict[str, Any]) -> None:
    assert is_open(schedule, at("2026-04-12T23:59")).open
    assert is_open(schedule, at("2026-04-13T00:00")).reason == "outside_hours"


def test_spring_forward_skips_the_missing_hour(schedule: dict[str, Any]) -> None:
    # 2026-03-29: 02:00 CET becomes 03:00 CEST. Sat 22:00-02:15 and Sun 02:30-03:30.
    assert is_open(schedule, datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) == Status(
        True, "open", "2026-03-29T01:59:00+01:00"
    )
    assert is_open(schedule, datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == Status(
        True, "open", "2026-03-29T03:00:00+02:00"
    )
    assert is_open(schedule, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)).reason == "outside_hours"


def test_a_skipped_wall_time_given_in_the_zone_is_judged_as_the_instant_it_denotes(
    schedule: dict[str, Any],
) -> None:
    assert is_open(schedule, at("2026-03-29T02:45")) == Status(
        False, "outside_hours", "2026-03-29T03:45:00+02:00"
    )


def test_fall_back_judges_both_readings_of_a_repeated_time_by_the_wall_clock(
    schedule: dict[str, Any],
) -> None:
    # 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:00-02:59 happens twice.
    for fold in (0, 1):
        assert is_open(schedule, at("2026-10-25T02:10", fold=fold)).open  # Saturday's shift until 02:15
        assert is_open(schedule, at("2026-10-25T02:20", fold=fold)).reason == "outside_hours"
        assert is_open(schedule, at("2026-10-25T02:40", fold=fold)).open  # Sunday's 02:30-03:30
    assert is_open(schedule, at("2026-10-25T02:40", fold=1)).local_time == "2026-10-25T02:40:00+01:00"


def test_any_aware_instant_is_accepted_and_a_naive_one_is_refused(schedule: dict[str, Any]) -> None:
    tokyo = datetime(2026, 4, 13, 16, 30, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert is_open(schedule, tokyo) == Status(True, "open", "2026-04-13T09:30:00+02:00")
    with pytest.raises(ValueError, match="timezone-aware"):
        is_open(schedule, datetime(2026, 4, 13, 9, 30))


def test_a_schedule_that_is_not_compiled_is_refused() -> None:
    with pytest.raises(ValueError, match="not a compiled opening-hours schedule"):
        is_open({"weekly": {}}, datetime(2026, 4, 13, tzinfo=UTC))
    with pytest.raises(ValueError, match="unsupported version 2"):
        is_open({"version": 2}, datetime(2026, 4, 13, tzinfo=UTC))
