"""The condition types of Studio's Split Based On widget.

Twilio: "Studio conditions are not case-sensitive and automatically trim leading and trailing spaces of the
values." Both the subject and the value are trimmed; text comparisons ignore case.

Choices where Twilio's documentation is silent (kept deliberately simple and documented here):

- ``matches_any_of`` / ``does_not_match_any_of``: the value is a comma-separated list; each item is trimmed
  and compared like ``equal_to``.
- ``regex``: a search anywhere in the subject (like JavaScript's ``RegExp.test``), ignoring case. An invalid
  pattern is a flow error.
- ``less_than`` / ``greater_than``: numeric; false when either side is not a number.
- ``is_before_time`` / ``is_after_time``: time of day, ``H:MM``, ``HH:MM:SS`` or with ``am``/``pm``; an ISO
  date-time contributes its time. False when either side does not parse.
- ``is_before_date`` / ``is_after_date``: ``YYYY-MM-DD`` (or an ISO date-time, compared by date) or
  ``MM/DD/YYYY``. False when either side does not parse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, time
from functools import lru_cache

from deh_deploy.errors import SimulationError

CONDITION_TYPES: tuple[str, ...] = (
    "equal_to",
    "not_equal_to",
    "matches_any_of",
    "does_not_match_any_of",
    "is_blank",
    "is_not_blank",
    "regex",
    "contains",
    "does_not_contain",
    "starts_with",
    "does_not_start_with",
    "less_than",
    "greater_than",
    "is_before_time",
    "is_after_time",
    "is_before_date",
    "is_after_date",
)

# Types that ignore the value: it need not be rendered.
VALUELESS: frozenset[str] = frozenset({"is_blank", "is_not_blank"})


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)


def _time_of_day(text: str) -> time | None:
    m = _TIME.match(text)
    if m is None:
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).time().replace(tzinfo=None)
        except ValueError:
            return None
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    if m[4]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m[4].lower().startswith("p") else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _date(text: str) -> date | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    try:
        return datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        return None


@lru_cache(maxsize=512)
def _pattern(value: str) -> re.Pattern[str]:
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise SimulationError(f"invalid regex {value!r}: {exc}") from exc


def _items(value: str) -> list[str]:
    return [item.strip().casefold() for item in value.split(",")]


def _compare_numbers(subject: str, value: str, less: bool) -> bool:
    a, b = _number(subject), _number(value)
    if a is None or b is None:
        return False
    return a < b if less else a > b


def _compare_times(subject: str, value: str, before: bool) -> bool:
    a, b = _time_of_day(subject), _time_of_day(value)
    if a is None or b is None:
        return False
    return a < b if before else a > b


def _compare_dates(subject: str, value: str, before: bool) -> bool:
    a, b = _date(subject), _date(value)
    if a is None or b is None:
        return False
    return a < b if before else a > b


# Each check receives (subject, value) already trimmed and, for text checks, case-folded.
_TEXT_CHECKS: dict[str, Callable[[str, str], bool]] = {
    "equal_to": lambda s, v: s == v,
    "not_equal_to": lambda s, v: s != v,
    "matches_any_of": lambda s, v: s in _items(v),
    "does_not_match_any_of": lambda s, v: s not in _items(v),
    "is_blank": lambda s, v: s == "",
    "is_not_blank": lambda s, v: s != "",
    "contains": lambda s, v: v in s,
    "does_not_contain": lambda s, v: v not in s,
    "starts_with": lambda s, v: s.startswith(v),
    "does_not_start_with": lambda s, v: not s.startswith(v),
}

_RAW_CHECKS: dict[str, Callable[[str, str], bool]] = {
    "regex": lambda s, v: _pattern(v).search(s) is not None,
    "less_than": lambda s, v: _compare_numbers(s, v, True),
    "greater_than": lambda s, v: _compare_numbers(s, v, False),
    "is_before_time": lambda s, v: _compare_times(s, v, True),
    "is_after_time": lambda s, v: _compare_times(s, v, False),
    "is_before_date": lambda s, v: _compare_dates(s, v, True),
    "is_after_date": lambda s, v: _compare_dates(s, v, False),
}

assert set(_TEXT_CHECKS) | set(_RAW_CHECKS) == set(CONDITION_TYPES)


def check(kind: str, subject: str, value: str) -> bool:
    """Whether ``subject`` satisfies the condition ``kind`` with ``value`` (both rendered strings)."""
    text = _TEXT_CHECKS.get(kind)
    if text is not None:
        return text(subject.strip().casefold(), value.strip().casefold())
    raw = _RAW_CHECKS.get(kind)
    if raw is None:
        raise SimulationError(f"unknown condition type {kind!r}")
    return raw(subject.strip(), value.strip())
