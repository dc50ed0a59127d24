"""``parse_hours`` builds the model; ``compile_schedule`` turns it into the JSON the Function reads."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest

from deh_deploy.hours import (
    Closure,
    HolidayRule,
    OpeningHours,
    Shift,
    compile_schedule,
    dump_schedule,
    is_open,
    parse_hours,
    parse_shift,
)


def test_shifts_are_minutes_from_the_start_dates_midnight() -> None:
    assert parse_shift("08:00-12:00") == Shift(480, 720)
    assert parse_shift("20:00-02:00") == Shift(1200, 1560)
    assert parse_shift("00:00-24:00") == Shift(0, 1440)
    assert parse_shift("23:59-23:58") == Shift(1439, 2878)
    assert parse_shift("20:00-00:00") == Shift(1200, 1440)


def test_a_shift_knows_whether_it_runs_overnight_and_prints_as_written() -> None:
    for text in ("08:00-12:00", "20:00-02:00", "00:00-24:00", "23:59-23:58"):
        assert parse_shift(text).label() == text
    assert parse_shift("20:00-02:00").overnight
    assert not parse_shift("20:00-24:00").overnight


def test_a_shift_outside_its_bounds_cannot_be_built() -> None:
    with pytest.raises(ValueError, match=r"outside 0\.\.1439"):
        Shift(1440, 1500)
    with pytest.raises(ValueError, match="within a day"):
        Shift(600, 2100)


def test_parse_hours_builds_the_model(budapest_hours: dict[str, Any]) -> None:
    hours = parse_hours(budapest_hours | {"closures": budapest_hours["closures"][:2]}, country="hu")
    assert hours == OpeningHours(
        weekly=(
            (Shift(480, 720), Shift(780, 1020)),
            (Shift(480, 1020),),
            (Shift(480, 720), Shift(780, 1020)),
            (Shift(480, 1020),),
            (Shift(480, 1020), Shift(1200, 1560)),
            (Shift(600, 840), Shift(1320, 1575)),
            (Shift(150, 210), Shift(720, 1440)),
        ),
        holidays=HolidayRule("HU", None, observed=True),
        closures=(
            Closure(date(2026, 12, 24), date(2026, 12, 24), "Christmas Eve"),
            Closure(date(2026, 12, 27), date(2026, 12, 31), "Year-end closure"),
        ),
        open_on=frozenset({date(2026, 12, 26)}),
        closed_now=False,
    )


def test_parse_hours_accepts_yaml_dates_and_defaults_the_holiday_country() -> None:
    hours = parse_hours(
        {"public_holidays": {}, "closures": [{"date": date(2026, 5, 4)}], "open_on": [date(2026, 1, 1)]},
        country="MN",
    )
    assert hours.holidays == HolidayRule("MN")
    assert hours.closures == (Closure(date(2026, 5, 4), date(2026, 5, 4), "closed"),)
    assert hours.open_on == frozenset({date(2026, 1, 1)})
    assert hours.weekly == ((),) * 7
    assert parse_hours({"public_holidays": False}, country="MN").holidays is None


def test_parse_hours_refuses_a_malformed_shift() -> None:
    with pytest.raises(ValueError, match='"8-12" is not a shift'):
        parse_hours({"weekly": {"mon": ["8-12"]}}, country="HU")


def test_the_compiled_schedule_has_the_documented_shape(budapest_hours: dict[str, Any]) -> None:
    schedule = compile_schedule(
        parse_hours(budapest_hours, country="HU"), timezone="Europe/Budapest", years=[2027, 2026]
    )
    assert set(schedule) == {"version", "timezone", "weekly", "closed", "closed_now", "years"}
    assert schedule["version"] == 1
    assert schedule["timezone"] == "Europe/Budapest"
    assert schedule["years"] == [2026, 2027]
    assert schedule["closed_now"] is False
    assert schedule["weekly"]["0"] == [[480, 720], [780, 1020]]
    assert schedule["weekly"]["4"] == [[480, 1020], [1200, 1560]]
    assert sorted(schedule["weekly"]) == [str(day) for day in range(7)]
    assert list(schedule["closed"]) == sorted(schedule["closed"])


def test_closed_dates_are_holidays_minus_open_on_plus_every_closure_date(
    budapest_hours: dict[str, Any],
) -> None:
    closed = compile_schedule(
        parse_hours(budapest_hours, country="HU"), timezone="Europe/Budapest", years=[2026]
    )["closed"]
    assert closed["2026-12-25"] == "holiday: Christmas Day"
    assert closed["2026-04-03"] == "holiday: Good Friday"
    assert "2026-12-26" not in closed  # open_on
    assert closed["2026-12-24"] == "closure: Christmas Eve"  # a closure wins over the holiday of that date
    assert [key for key, why in closed.items() if why == "closure: Year-end closure"] == [
        f"2026-12-{day}" for day in range(27, 32)
    ]
    assert not any(key.startswith("2027") for key in closed)  # nor the 2027 closure


def test_holidays_are_left_out_without_a_public_holidays_section() -> None:
    schedule = compile_schedule(
        parse_hours({"closures": [{"date": "2026-03-02", "reason": "Drill"}]}, country="HU"),
        timezone="Europe/Budapest",
        years=[2026],
    )
    assert schedule["closed"] == {"2026-03-02": "closure: Drill"}


def test_observed_false_drops_observed_and_substituted_days() -> None:
    def closed(country: str, observed: bool) -> dict[str, str]:
        hours = parse_hours({"public_holidays": {"observed": observed}}, country=country)
        result: dict[str, str] = compile_schedule(hours, timezone="UTC", years=[2026])["closed"]
        return result

    assert closed("US", True)["2026-07-03"] == "holiday: Independence Day (observed)"
    assert "2026-07-03" not in closed("US", False)
    assert closed("HU", True)["2026-01-02"].startswith("holiday: Day off (substituted from")
    assert "2026-01-02" not in closed("HU", False)
    assert closed("HU", False)["2026-01-01"] == "holiday: New Year's Day"


def test_two_holidays_on_one_date_keep_both_names() -> None:
    hours = parse_hours({"public_holidays": {}}, country="JO")
    closed = compile_schedule(hours, timezone="Asia/Amman", years=[2027])["closed"]
    assert closed["2027-12-25"] == "holiday: Christmas Day; Isra' and Mi'raj (estimated)"


def test_holiday_names_are_english_whatever_the_process_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.setenv(variable, "hu_HU.UTF-8")
    hours = parse_hours({"public_holidays": {}}, country="HU")
    closed = compile_schedule(hours, timezone="Europe/Budapest", years=[2026])["closed"]
    assert closed["2026-12-25"] == "holiday: Christmas Day"


def test_compiling_is_deterministic_and_its_json_reads_back_the_same(budapest_hours: dict[str, Any]) -> None:
    def build() -> str:
        hours = parse_hours(budapest_hours, country="HU")
        return dump_schedule(compile_schedule(hours, timezone="Europe/Budapest", years=[2026, 2027]))

    text = build()
    assert text == build()
    assert text.endswith("}\n")
    assert '"closure: Staff \\"training\\" – évzáró"' in text
    reread = json.loads(text)
    moment = datetime(2027, 7, 1, 10, tzinfo=UTC)
    assert is_open(reread, moment).reason == 'closure: Staff "training" – évzáró'


def test_compiling_refuses_an_unknown_timezone_and_no_years(budapest_hours: dict[str, Any]) -> None:
    hours = parse_hours(budapest_hours, country="HU")
    with pytest.raises(ValueError, match='unknown timezone "Mars/Olympus"'):
        compile_schedule(hours, timezone="Mars/Olympus", years=[2026])
    with pytest.raises(ValueError, match="at least one year"):
        compile_schedule(hours, timezone="Europe/Budapest", years=[])
