"""The report's figures, computed from the feedback records: one pass in Python over rows read with one query.

Definitions (the README's "The report" says the same):

- *Promise kept*: a record whose first human response came by its deadline; *broken*: responded late, or not at
  all by a deadline that has passed; *pending*: no response yet, deadline still ahead. The share is
  kept / (kept + broken): records still pending are counted but not judged.
- *Time to first response* is in working hours (``clock``), for records a human answered; the median is the
  middle value (the mean of the two middle ones for an even count), the 90th percentile the nearest rank.
- *Out of hours*: contacts that arrived while the hub was closed.
- *At risk*: open records without a human response, soonest deadline first (overdue ones first of all).
- *Sensitive feedback* is never broken down or listed for a role without ``sensitive``: it appears as one count,
  and that count is suppressed (``None``, shown "<5") when it is under 5, so a small number cannot point to a
  person. A role with ``sensitive`` sees every record.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from deh_deploy.hub.report.clock import WorkingClock

SUPPRESS_BELOW = 5
AT_RISK_LIMIT = 25
BUCKETS: tuple[tuple[str, float], ...] = (
    ("0–1 h", 1.0),
    ("1–4 h", 4.0),
    ("4–8 h", 8.0),
    ("8–24 h", 24.0),
    ("24 h+", math.inf),
)
COLUMNS = (
    "id",
    "contact_key",
    "reason",
    "channel",
    "language",
    "topic",
    "feedback_type",
    "ifrc_type",
    "sensitivity",
    "status",
    "created_at",
    "first_response_at",
    "resolved_at",
    "canceled_at",
    "deadline_at",
    "promise_met",
    "updated_at",
)


@dataclass
class Promise:
    kept: int = 0
    broken: int = 0
    pending: int = 0

    @property
    def share(self) -> float | None:
        judged = self.kept + self.broken
        return self.kept / judged if judged else None

    def add(self, met: bool | None) -> None:
        if met is True:
            self.kept += 1
        elif met is False:
            self.broken += 1
        else:
            self.pending += 1


@dataclass
class Week:
    start: date
    contacts: int = 0
    promise: Promise = field(default_factory=Promise)
    out_of_hours: int = 0
    sensitive: int | None = 0
    topic: Counter[str] = field(default_factory=Counter)
    feedback_type: Counter[str] = field(default_factory=Counter)
    language: Counter[str] = field(default_factory=Counter)
    channel: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class AtRisk:
    id: int
    channel: str
    language: str
    topic: str
    created_at: datetime
    deadline_at: datetime
    overdue: bool


@dataclass
class Figures:
    """Everything the page and the export's summary show, for one period and one role."""

    first: date
    last: date
    timezone: str
    sensitive_role: bool
    now: datetime
    contacts: int = 0
    promise: Promise = field(default_factory=Promise)
    by_channel: dict[str, Promise] = field(default_factory=dict)
    by_language: dict[str, Promise] = field(default_factory=dict)
    by_topic: dict[str, Promise] = field(default_factory=dict)
    response_hours: list[float] = field(default_factory=list)
    buckets: dict[str, int] = field(default_factory=lambda: {name: 0 for name, _ in BUCKETS})
    out_of_hours: int = 0
    sensitive: int | None = 0
    weeks: list[Week] = field(default_factory=list)
    at_risk: list[AtRisk] = field(default_factory=list)
    newest_event: datetime | None = None

    @property
    def median_hours(self) -> float | None:
        return statistics.median(self.response_hours) if self.response_hours else None

    @property
    def p90_hours(self) -> float | None:
        return nearest_rank(self.response_hours, 0.9)

    @property
    def out_of_hours_share(self) -> float | None:
        return self.out_of_hours / self.contacts if self.contacts else None

    def summary(self) -> dict[str, Any]:
        """The headline numbers as plain data (the page's cards, the JSON export's ``summary``)."""
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "contacts": self.contacts,
            "promise_kept": self.promise.kept,
            "promise_broken": self.promise.broken,
            "promise_pending": self.promise.pending,
            "promise_kept_share": self.promise.share,
            "first_response_median_hours": self.median_hours,
            "first_response_p90_hours": self.p90_hours,
            "first_response_buckets": dict(self.buckets),
            "out_of_hours": self.out_of_hours,
            "out_of_hours_share": self.out_of_hours_share,
            "sensitive": self.sensitive,
            "at_risk": len(self.at_risk),
            "newest_event": self.newest_event.isoformat() if self.newest_event else None,
        }


def nearest_rank(values: Sequence[float], p: float) -> float | None:
    """The ``p`` quantile by nearest rank: the smallest value with at least ``p`` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def period_bounds(first: date, last: date, timezone: str) -> tuple[datetime, datetime]:
    """The period's UTC instants: from the first date's local midnight to the midnight after the last."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(first, time()).replace(tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time()).replace(tzinfo=zone).astimezone(UTC)
    return start, end


def suppressed(count: int, *, sensitive_role: bool) -> int | None:
    """A count of sensitive feedback as a role may see it: ``None`` when under 5 for a role without ``sensitive``."""
    return count if sensitive_role or count >= SUPPRESS_BELOW or count == 0 else None


def compute(
    rows: Iterable[Mapping[str, Any]],
    *,
    clock: WorkingClock,
    first: date,
    last: date,
    timezone: str,
    sensitive_role: bool,
    now: datetime,
    newest_event: datetime | None = None,
) -> Figures:
    """The figures of the records created in ``first``..``last`` (local dates), as ``sensitive_role`` may see."""
    zone = ZoneInfo(timezone)
    figures = Figures(first, last, timezone, sensitive_role, now, newest_event=newest_event)
    weeks: dict[date, Week] = {}
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        weeks[monday] = Week(monday)
        monday += timedelta(days=7)
    sensitive = 0
    weekly_sensitive: Counter[date] = Counter()
    at_risk: list[AtRisk] = []
    for row in rows:
        created: datetime = row["created_at"]
        local_day = created.astimezone(zone).date()
        week = weeks[local_day - timedelta(days=local_day.weekday())]
        if row["sensitivity"] == "sensitive" and not sensitive_role:
            sensitive += 1
            weekly_sensitive[week.start] += 1
            continue
        if row["sensitivity"] == "sensitive":
            sensitive += 1
            weekly_sensitive[week.start] += 1
        channel = row["channel"] or "unknown"
        language = row["language"] or "unknown"
        topic = row["topic"] or "unknown"
        met = row["promise_met"]
        figures.contacts += 1
        figures.promise.add(met)
        figures.by_channel.setdefault(channel, Promise()).add(met)
        figures.by_language.setdefault(language, Promise()).add(met)
        figures.by_topic.setdefault(topic, Promise()).add(met)
        week.contacts += 1
        week.promise.add(met)
        week.topic[topic] += 1
        week.feedback_type[row["feedback_type"] or "unknown"] += 1
        week.language[language] += 1
        week.channel[channel] += 1
        if not clock.is_open(created):
            figures.out_of_hours += 1
            week.out_of_hours += 1
        responded = row["first_response_at"]
        if responded is not None:
            hours = clock.working_seconds(created, responded) / 3600
            figures.response_hours.append(hours)
            figures.buckets[next(name for name, upper in BUCKETS if hours < upper)] += 1
        elif row["status"] == "open":
            deadline: datetime = row["deadline_at"]
            at_risk.append(AtRisk(row["id"], channel, language, topic, created, deadline, deadline < now))
    figures.sensitive = suppressed(sensitive, sensitive_role=sensitive_role)
    for week in weeks.values():
        week.sensitive = suppressed(weekly_sensitive[week.start], sensitive_role=sensitive_role)
    figures.weeks = list(weeks.values())
    at_risk.sort(key=lambda r: (r.deadline_at, r.id))
    figures.at_risk = at_risk[:AT_RISK_LIMIT]
    return figures


def read(
    conn: Any, *, hub: Any, first: date, last: date, sensitive_role: bool, now: datetime | None = None
) -> Figures:
    """Read the period's records (one query on the ``created_at`` index) and compute their figures."""
    from sqlalchemy import func, select

    from deh_deploy.hub.tables import inbox, records

    start, end = period_bounds(first, last, hub.timezone)
    query = (
        select(*(records.c[name] for name in COLUMNS))
        .where(records.c.created_at >= start, records.c.created_at < end)
        .order_by(records.c.id)
    )
    rows = conn.execute(query).mappings()
    newest = conn.execute(select(func.max(inbox.c.received_at))).scalar()
    clock = WorkingClock(hub, first=first, last=last + timedelta(days=60))
    return compute(
        rows,
        clock=clock,
        first=first,
        last=last,
        timezone=hub.timezone,
        sensitive_role=sensitive_role,
        now=now or datetime.now(UTC),
        newest_event=newest,
    )
