"""``next_opening``: the first open instant at or after a given one, within the compiled years."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deh_deploy.hours import compile_schedule, is_open, next_opening, parse_hours, prepare_schedule

BUDAPEST = ZoneInfo("Europe/Budapest")


def at(text: str, *, fold: int = 0) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BUDAPEST, fold=fold)


@pytest.fixture
def schedule(budapest_hours: dict[str, Any]) -> dict[str, Any]:
    return compile_schedule(
        parse_hours(budapest_hours, country="HU"), timezone="Europe/Budapest", years=[2026, 2027]
    )


def utc(moment: datetime | None) -> datetime | None:
    """Compare in UTC: an aware datetime inside a repeated hour never equals one in another zone (PEP 495)."""
    return None if moment is None else moment.astimezone(UTC)


def sunday_only(shift: str) -> dict[str, Any]:
    return compile_schedule(
        parse_hours({"weekly": {"sun": [shift]}}, country="HU"), timezone="Europe/Budapest", years=[2026]
    )


def test_an_open_instant_is_its_own_next_opening(schedule: dict[str, Any]) -> None:
    moment = datetime(2026, 4, 13, 7, 30, 12, tzinfo=UTC)
    assert next_opening(schedule, moment) == moment
    assert next_opening(schedule, moment).tzinfo is BUDAPEST  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2026-04-13T12:00", "2026-04-13T13:00+02:00"),  # lunch break
        ("2026-04-17T17:00", "2026-04-17T20:00+02:00"),  # Friday evening shift
        ("2026-04-02T17:00", "2026-04-04T10:00+02:00"),  # Good Friday and its overnight shift are closed
        ("2026-12-26T14:00", "2026-12-26T22:00+01:00"),  # open_on Saturday: its overnight shift runs too
        ("2026-12-27T03:00", "2027-01-02T10:00+01:00"),  # year-end closure, then New Year's Day (Friday)
        ("2025-06-01T12:00", "2026-01-03T10:00+01:00"),  # before the years; Jan 1 and the Jan 2 bridge day
        ("2027-12-31T17:30", "2027-12-31T20:00+01:00"),  # the last evening of the years
    ],
)
def test_the_next_opening_skips_breaks_holidays_and_closures(
    schedule: dict[str, Any], start: str, expected: str
) -> None:
    assert utc(next_opening(schedule, at(start))) == utc(datetime.fromisoformat(expected))


def test_a_shift_starting_in_the_skipped_hour_opens_when_the_clock_jumps() -> None:
    # 2026-03-29 02:00 CET jumps to 03:00 CEST; the shift 02:30-03:30 is open from that jump.
    found = next_opening(sunday_only("02:30-03:30"), at("2026-03-28T12:00"))
    assert utc(found) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert found is not None and found.isoformat() == "2026-03-29T03:00:00+02:00"


def test_a_repeated_hour_opens_again_on_its_second_reading() -> None:
    # 2026-10-25 03:00 CEST falls back to 02:00 CET; 02:00-02:20 happens twice.
    schedule = sunday_only("02:00-02:20")
    found = next_opening(schedule, at("2026-10-25T02:25", fold=0))
    assert utc(found) == datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    assert found is not None and found.isoformat() == "2026-10-25T02:00:00+01:00"


def test_a_fall_back_jump_into_a_shift_opens_at_the_jump() -> None:
    # 01:30-02:30 is left at 02:30 CEST, and re-entered when 03:00 CEST becomes 02:00 CET.
    schedule = sunday_only("01:30-02:30")
    assert utc(next_opening(schedule, at("2026-10-25T02:45", fold=0))) == datetime(
        2026, 10, 25, 1, 0, tzinfo=UTC
    )


def test_no_opening_when_switched_off_or_beyond_the_years(
    budapest_hours: dict[str, Any], schedule: dict[str, Any]
) -> None:
    assert next_opening(schedule, at("2028-01-01T00:30")) is None  # Friday's shift is past the years
    assert next_opening(schedule, at("2028-03-01T09:00")) is None
    assert next_opening(sunday_only("02:00-02:20"), at("2026-12-27T03:00")) is None
    off = compile_schedule(
        parse_hours(budapest_hours | {"closed_now": True}, country="HU"),
        timezone="Europe/Budapest",
        years=[2026],
    )
    assert next_opening(off, at("2026-04-13T09:00")) is None
    assert next_opening(sunday_only("02:00-02:20") | {"weekly": {}}, at("2026-01-01T00:00")) is None


def test_a_naive_instant_is_refused(schedule: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_opening(schedule, datetime(2026, 4, 13, 12))


def brute_force(schedule: Any, start: datetime) -> datetime:
    """Openings begin on whole minutes (shift edges and offset changes are whole minutes), so walk minutes."""
    if is_open(schedule, start).open:
        return start
    moment = start.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)
    while not is_open(schedule, moment).open:
        moment += timedelta(minutes=1)
    return moment


@pytest.mark.parametrize(
    "first",
    ["2026-03-27T18:00", "2026-10-23T18:00", "2026-12-23T12:00", "2027-03-26T09:00", "2027-10-29T16:30"],
)
@pytest.mark.slow
def test_agrees_with_a_minute_by_minute_search_around_holidays_and_clock_changes(
    schedule: dict[str, Any], first: str
) -> None:
    prepared = prepare_schedule(schedule)
    start = at(first)
    for step in range(0, 4 * 24 * 60, 97):
        moment = start + timedelta(minutes=step, seconds=step % 60)
        assert utc(next_opening(prepared, moment)) == utc(brute_force(prepared, moment)), moment
