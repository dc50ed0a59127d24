"""The country's working week: its weekend days and the weekend days it works (transferred working Saturdays).

What the promise's "next working day" needs beyond the opening hours, computed once here for both readers: the
hub service's ``PromiseCalendar`` and the callback Function, which reads it from the compiled schedule's
``promise`` section (see ``compile_promise``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache


@cache
def weekend_of(country: str, subdivision: str | None, year: int) -> tuple[frozenset[int], frozenset[date]]:
    """The weekend days (0 = Monday) of ``country`` in ``year`` and its weekend dates that are working days."""
    import holidays

    entity = holidays.country_holidays(country, subdiv=subdivision, years=[year])
    workdays = frozenset(d for d in getattr(entity, "weekend_workdays", ()) if d.year == year)
    return frozenset(entity.weekend), workdays


def compile_promise(
    *,
    country: str,
    subdivision: str | None,
    within_hours: int,
    or_next_working_day: bool,
    years: Sequence[int],
) -> dict[str, object]:
    """The promise's section of the compiled schedule: its rule and the working week of each compiled year."""
    weekends: dict[str, list[int]] = {}
    working: list[str] = []
    for year in sorted(set(years)):
        weekend, workdays = weekend_of(country, subdivision, year)
        weekends[str(year)] = sorted(weekend)
        working += sorted(d.isoformat() for d in workdays)
    return {
        "within_hours": within_hours,
        "or_next_working_day": or_next_working_day,
        "weekend": weekends,
        "working_weekend_days": working,
    }
