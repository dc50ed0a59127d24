"""``check_hours`` reports every problem of the hours section, each with its path and exact message."""

from __future__ import annotations

from typing import Any

import pytest

from deh_deploy.hours import HoursProblem, check_hours


def problems(
    hours: dict[str, Any], *, country: str = "HU", timezone: str = "Europe/Budapest"
) -> list[HoursProblem]:
    return check_hours(hours, country=country, timezone=timezone)


def error(*path: str | int, message: str) -> HoursProblem:
    return HoursProblem(tuple(path), message, "error")


def warning(*path: str | int, message: str) -> HoursProblem:
    return HoursProblem(tuple(path), message, "warning")


def test_a_valid_section_has_no_problems(budapest_hours: dict[str, Any]) -> None:
    assert problems(budapest_hours) == []


@pytest.mark.parametrize(
    ("shift", "message"),
    [
        ("8-12", '"8-12" is not a shift; write "HH:MM-HH:MM", for example "08:00-12:00"'),
        ("08:00 - 12:00", '"08:00 - 12:00" is not a shift; write "HH:MM-HH:MM", for example "08:00-12:00"'),
        (800, 'expected a shift "HH:MM-HH:MM", got 800'),
        ("08:60-12:00", '"08:60-12:00": start 08:60 is not a time of day (00:00 to 23:59)'),
        ("24:00-02:00", '"24:00-02:00": start 24:00 is not a time of day (00:00 to 23:59)'),
        ("08:00-24:30", '"08:00-24:30": end 24:30 is not a time of day (00:00 to 24:00)'),
        ("08:00-25:00", '"08:00-25:00": end 25:00 is not a time of day (00:00 to 24:00)'),
        (
            "09:00-09:00",
            '"09:00-09:00" is empty: it starts and ends at the same time (a whole day is "00:00-24:00")',
        ),
    ],
)
def test_a_bad_shift_is_an_error_at_its_index(shift: object, message: str) -> None:
    hours = {"weekly": {"mon": ["07:00-08:00", shift]}}
    assert problems(hours) == [error("weekly", "mon", 1, message=message)]


def test_24_00_is_allowed_as_an_end_and_touching_shifts_do_not_overlap() -> None:
    hours = {
        "weekly": {"sat": ["00:00-24:00"], "mon": ["08:00-12:00", "12:00-13:00"], "fri": ["20:00-00:00"]}
    }
    assert problems(hours) == []


def test_overlapping_shifts_on_one_day_are_an_error_at_the_later_one() -> None:
    hours = {"weekly": {"mon": ["11:00-13:00", "08:00-12:00"]}}
    assert problems(hours) == [
        error("weekly", "mon", 0, message='"11:00-13:00" overlaps "08:00-12:00" (weekly.mon[1])')
    ]


def test_an_overnight_shift_overlapping_the_next_days_first_shift_is_an_error() -> None:
    hours = {
        "weekly": {
            "fri": ["20:00-02:00"],
            "sat": ["01:00-05:00"],
            "sun": ["23:00-01:00"],
            "mon": ["00:30-02:00"],
        }
    }
    assert problems(hours) == [
        error(
            "weekly",
            "fri",
            0,
            message=(
                '"20:00-02:00" runs past midnight into sat and overlaps its shift '
                '"01:00-05:00" (weekly.sat[0])'
            ),
        ),
        error(
            "weekly",
            "sun",
            0,
            message=(
                '"23:00-01:00" runs past midnight into mon and overlaps its shift '
                '"00:30-02:00" (weekly.mon[0])'
            ),
        ),
    ]


def test_an_overnight_shift_may_end_where_the_next_day_begins() -> None:
    assert problems({"weekly": {"fri": ["20:00-02:00"], "sat": ["02:00-05:00"]}}) == []


def test_unknown_days_and_non_lists_are_errors() -> None:
    hours = {"weekly": {"monday": ["08:00-12:00"], "tue": "08:00-12:00", "wed": ["08:00-12:00"]}}
    assert problems(hours) == [
        error(
            "weekly", "monday", message='unknown day "monday"; use one of mon, tue, wed, thu, fri, sat, sun'
        ),
        error("weekly", "tue", message='expected a list of "HH:MM-HH:MM" shifts'),
    ]


def test_an_unknown_timezone_is_an_error_at_the_empty_path() -> None:
    assert problems({"weekly": {"mon": ["08:00-12:00"]}}, timezone="Europe/Budapset") == [
        error(message='unknown timezone "Europe/Budapset" (not in the IANA time zone database)')
    ]


def test_a_week_without_any_shift_is_a_warning() -> None:
    expected = [warning("weekly", message="no day has a shift: the hub is never open")]
    assert problems({"weekly": {}}) == expected
    assert problems({"weekly": {"mon": [], "sun": None}}) == expected
    assert problems({}) == expected


def test_a_country_without_a_holiday_calendar_is_an_error_only_when_holidays_are_asked_for() -> None:
    week = {"weekly": {"mon": ["08:00-12:00"]}}
    assert problems(week | {"public_holidays": {"country": "XX"}}) == [
        error("public_holidays", "country", message='the holidays library has no calendar for country "XX"')
    ]
    assert problems(week | {"public_holidays": {}}, country="XX") == [
        error("public_holidays", message='the holidays library has no calendar for country "XX"')
    ]
    assert problems(week, country="XX") == []


def test_an_unknown_subdivision_is_an_error() -> None:
    week = {"weekly": {"mon": ["08:00-12:00"]}}
    assert problems(week | {"public_holidays": {"subdivision": "BU"}}) == [
        error(
            "public_holidays",
            "subdivision",
            message='the holidays library has no subdivision "BU" for country "HU"; it has none',
        )
    ]
    [problem] = problems(week | {"public_holidays": {"country": "US", "subdivision": "ZZ"}})
    assert problem.path == ("public_holidays", "subdivision")
    assert problem.message.startswith(
        'the holidays library has no subdivision "ZZ" for country "US"; known: AK, AL,'
    )


def test_closure_problems_are_errors_at_the_closure() -> None:
    hours = {
        "weekly": {"mon": ["08:00-12:00"]},
        "closures": [
            {"from": "2026-12-31", "to": "2026-12-27", "reason": "Year-end"},
            {"date": "2026-13-01", "reason": "typo"},
            {"reason": "no dates"},
            {"date": "2026-12-24", "from": "2026-12-24", "to": "2026-12-25"},
            "2026-12-24",
        ],
    }
    assert problems(hours) == [
        error("closures", 0, message="closure runs backwards: from 2026-12-31 is after to 2026-12-27"),
        error("closures", 1, "date", message='"2026-13-01" is not a date; write YYYY-MM-DD'),
        error("closures", 2, message='a closure needs either "date" or both "from" and "to"'),
        error("closures", 3, message='use either "date" or "from" and "to", not both'),
        error("closures", 4, message='expected a mapping with "date" (or "from" and "to") and "reason"'),
    ]


def test_open_on_dates_that_cannot_reopen_anything_are_warnings(budapest_hours: dict[str, Any]) -> None:
    hours = budapest_hours | {
        "weekly": budapest_hours["weekly"] | {"fri": []},
        "open_on": ["2026-12-26", "2026-12-27", "2026-12-24", "2026-12-25", "2026-02-30"],
    }
    assert problems(hours) == [
        error("open_on", 4, message='"2026-02-30" is not a date; write YYYY-MM-DD'),
        warning("open_on", 1, message="2026-12-27 is not a public holiday in HU, so open_on has no effect"),
        warning("open_on", 2, message="2026-12-24 is also a closure, and closures win over open_on"),
        warning(
            "open_on", 3, message="2026-12-25 is a Friday, which has no shifts, so open_on has no effect"
        ),
    ]


def test_open_on_without_public_holidays_is_a_warning() -> None:
    hours = {"weekly": {"mon": ["08:00-12:00"]}, "open_on": ["2026-12-26"]}
    assert problems(hours) == [
        warning("open_on", message="open_on has no effect: public_holidays is not set")
    ]


def test_observed_false_leaves_bridge_days_out_of_the_open_on_check() -> None:
    hours = {"weekly": {"fri": ["08:00-12:00"]}, "open_on": ["2026-01-02"]}
    assert problems(hours | {"public_holidays": {"observed": True}}) == []
    assert problems(hours | {"public_holidays": {"observed": False}}) == [
        warning("open_on", 0, message="2026-01-02 is not a public holiday in HU, so open_on has no effect")
    ]


def test_closed_now_is_reported_as_a_warning() -> None:
    hours = {"weekly": {"mon": ["08:00-12:00"]}, "closed_now": True}
    assert problems(hours) == [
        warning("closed_now", message="closed_now is on: the hub is closed at every instant")
    ]


def test_every_problem_is_reported_not_only_the_first() -> None:
    hours = {
        "weekly": {"mon": ["8-12", "10:00-09:00", "09:30-11:00"]},
        "public_holidays": {"country": "XX"},
        "closures": [{"from": "2026-02-02", "to": "2026-02-01"}],
    }
    found = problems(hours, timezone="Nowhere/Special")
    assert [problem.path for problem in found] == [
        (),
        ("weekly", "mon", 0),
        ("weekly", "mon", 1),
        ("public_holidays", "country"),
        ("closures", 0),
    ]
    assert {problem.severity for problem in found} == {"error"}


def test_the_registry_read_without_importing_holidays_agrees_with_the_library() -> None:
    import holidays

    from deh_deploy.hours.calendar import registered_countries

    assert registered_countries() == frozenset(holidays.list_supported_countries())
