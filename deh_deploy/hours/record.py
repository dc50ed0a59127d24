"""The hours as one short line of text, kept on the account beside the compiled schedule.

The schedule Twilio serves the hours Function is a private asset, which no API gives back; so that a plan can say
``hours wed: 09:00-17:00 → 09:00-13:00`` rather than "the schedule's digest changed", the hub also keeps the
config's hours in a Serverless Variable (at most 450 bytes), in the config's own terms::

    mon=08:00-16:00 wed=08:00-12:00,13:00-18:00 holidays=HU closures=2026-12-24,2026-12-28..2026-12-31

Closure reasons are left out. Closures and reopened dates that would not fit are kept as their count and digest,
so a change to them is still seen, though not told date by date.
"""

from __future__ import annotations

import hashlib

from deh_deploy.hours.model import DAY_KEYS, Closure, HolidayRule, OpeningHours

LIMIT = 450  # bytes a Twilio Serverless Variable holds


def record(hours: OpeningHours) -> str:
    """The line kept on the account for ``hours``: the weekly shifts, the holiday rule, closures, reopened days."""
    parts = [
        f"{day}={','.join(s.label() for s in shifts)}"
        for day, shifts in zip(DAY_KEYS, hours.weekly, strict=True)
        if shifts
    ]
    parts.append(f"holidays={_rule(hours.holidays)}")
    dated = [
        ("closures", [_span(c) for c in hours.closures]),
        ("open_on", [d.isoformat() for d in sorted(hours.open_on)]),
    ]
    tail = [f"{name}={','.join(items)}" for name, items in dated if items]
    text = " ".join([*parts, *tail])
    if len(text.encode("utf-8")) <= LIMIT:
        return text
    folded = [f"{name}=#{len(items)}:{_digest(items)}" for name, items in dated if items]
    return " ".join([*parts, *folded])


def facts(text: str) -> dict[str, str]:
    """A kept line read back as facts, label to value: ``hours wed`` → ``08:00-12:00, 13:00-18:00`` (a day the
    line leaves out is ``closed``), ``public holidays`` → ``HU``, ``closure 2026-12-24`` and
    ``open on 2026-12-26`` → ``present``, or ``closures`` → ``3 (digest …)`` when they did not fit."""
    fields = dict(part.partition("=")[::2] for part in text.split() if "=" in part)
    out = {
        f"hours {day}": ", ".join(fields[day].split(",")) if fields.get(day) else "closed" for day in DAY_KEYS
    }
    out["public holidays"] = fields.get("holidays", "none")
    for name, label in (("closures", "closure"), ("open_on", "open on")):
        value = fields.get(name, "")
        if value.startswith("#"):
            count, _, mark = value[1:].partition(":")
            out[name.replace("_", " ")] = f"{count} (digest {mark})"
        else:
            out.update({f"{label} {item}": "present" for item in value.split(",") if item})
    return out


def _rule(rule: HolidayRule | None) -> str:
    if rule is None:
        return "none"
    where = f"{rule.country}-{rule.subdivision}" if rule.subdivision else rule.country
    return where if rule.observed else f"{where}/not-observed"


def _span(closure: Closure) -> str:
    first, last = closure.first.isoformat(), closure.last.isoformat()
    return first if first == last else f"{first}..{last}"


def _digest(items: list[str]) -> str:
    return hashlib.sha256(",".join(items).encode("utf-8")).hexdigest()[:12]
