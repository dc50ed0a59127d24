"""The report: its numbers equal a second, simple computation from the records, on SQLite and PostgreSQL; sensitive
feedback is only counted (and small counts suppressed) for a role without ``sensitive``; the export has the IFRC
coding framework's columns; the demo is the same for the same seed."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from .conftest import SECRETS

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig
    from deh_deploy.hub.service import Service

FIRST, LAST = date(2026, 10, 5), date(2026, 10, 25)  # three weeks, with Friday 23 October's national holiday
NOW = datetime(2026, 10, 25, 15, 0, tzinfo=UTC)  # the demo's Sunday afternoon: the newest contacts are open


@pytest.fixture(scope="module")
def filled(module_db_url: str, hungary: HubConfig) -> Iterator[Service]:
    """A hub with three weeks of the demo (seed 7), processed by the inbox."""
    from deh_deploy.hub.report.build import demo_service
    from deh_deploy.hub.report.demo import fill

    service = demo_service(hungary, "staging", module_db_url, environ=SECRETS)
    fill(service, seed=7, last=LAST, weeks=3, now=NOW)
    yield service
    service.close()


def all_records(service: Service) -> list[dict[str, Any]]:
    from deh_deploy.hub.tables import records

    with service.engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(records)).mappings()]


# A second implementation, as simple as can be: the hub's shifts date by date, and the hours Function's is_open.
def working_seconds(hub: HubConfig, a: datetime, b: datetime) -> float:
    from deh_deploy.hours.compile import closed_dates

    zone = ZoneInfo(hub.timezone)
    closed = closed_dates(hub.hours, years=[a.year, b.year])
    total = 0.0
    day = a.astimezone(zone).date() - timedelta(days=1)
    while day <= b.astimezone(zone).date():
        if day not in closed:
            for shift in hub.hours.weekly[day.weekday()]:
                start = (datetime.combine(day, time()) + timedelta(minutes=shift.start)).replace(tzinfo=zone)
                end = (datetime.combine(day, time()) + timedelta(minutes=shift.end)).replace(tzinfo=zone)
                total += max(0.0, (min(b, end) - max(a, start)).total_seconds())
        day += timedelta(days=1)
    return total


def expected(hub: HubConfig, rows: list[dict[str, Any]], *, sensitive_role: bool) -> dict[str, Any]:
    from deh_deploy.hours.compile import compile_schedule
    from deh_deploy.hours.status import is_open

    zone = ZoneInfo(hub.timezone)
    schedule = compile_schedule(hub.hours, timezone=hub.timezone, years=[2026])
    period = [r for r in rows if FIRST <= r["created_at"].astimezone(zone).date() <= LAST]
    shown = [r for r in period if sensitive_role or r["sensitivity"] != "sensitive"]
    kept = sum(1 for r in shown if r["promise_met"] is True)
    broken = sum(1 for r in shown if r["promise_met"] is False)
    hours = sorted(
        working_seconds(hub, r["created_at"], r["first_response_at"]) / 3600
        for r in shown
        if r["first_response_at"] is not None
    )
    buckets = Counter(
        "0–1 h" if h < 1 else "1–4 h" if h < 4 else "4–8 h" if h < 8 else "8–24 h" if h < 24 else "24 h+"
        for h in hours
    )
    outside = sum(1 for r in shown if not is_open(schedule, r["created_at"]).open)
    sensitive = sum(1 for r in period if r["sensitivity"] == "sensitive")
    return {
        "contacts": len(shown),
        "promise_kept": kept,
        "promise_broken": broken,
        "promise_pending": len(shown) - kept - broken,
        "promise_kept_share": kept / (kept + broken),
        "first_response_median_hours": statistics.median(hours),
        "first_response_p90_hours": hours[math.ceil(0.9 * len(hours)) - 1],
        "first_response_buckets": {k: buckets[k] for k in ("0–1 h", "1–4 h", "4–8 h", "8–24 h", "24 h+")},
        "out_of_hours": outside,
        "out_of_hours_share": outside / len(shown),
        "sensitive": sensitive if sensitive_role or sensitive >= 5 else None,
        "by_channel": Counter(r["channel"] for r in shown),
        "open": sorted(
            (r["deadline_at"], r["id"])
            for r in shown
            if r["status"] == "open" and r["first_response_at"] is None
        ),
    }


@pytest.mark.parametrize(
    "sensitive_role",
    [False, pytest.param(True, marks=pytest.mark.slow)],  # the quick loop: the supervisor's page
    ids=["supervisor", "protection"],
)
def test_the_figures_equal_a_second_computation_from_the_records(
    filled: Service, hungary: HubConfig, sensitive_role: bool
) -> None:
    from deh_deploy.hub.report import figures

    want = expected(hungary, all_records(filled), sensitive_role=sensitive_role)
    with filled.engine.connect() as conn:
        got = figures.read(conn, hub=hungary, first=FIRST, last=LAST, sensitive_role=sensitive_role, now=NOW)
    summary = got.summary()
    for name in (
        "contacts",
        "promise_kept",
        "promise_broken",
        "promise_pending",
        "out_of_hours",
        "sensitive",
    ):
        assert summary[name] == want[name], name
    for name in ("promise_kept_share", "out_of_hours_share", "first_response_median_hours"):
        assert summary[name] == pytest.approx(want[name], abs=1e-6), name
    assert summary["first_response_p90_hours"] == pytest.approx(want["first_response_p90_hours"], abs=1e-6)
    assert summary["first_response_buckets"] == want["first_response_buckets"]
    assert {k: p.kept + p.broken + p.pending for k, p in got.by_channel.items()} == dict(want["by_channel"])
    assert [(r.deadline_at, r.id) for r in got.at_risk] == want["open"][: len(got.at_risk)]
    assert sum(w.contacts for w in got.weeks) == want["contacts"]


def test_the_demo_tells_its_story(filled: Service, hungary: HubConfig) -> None:
    """Out-of-hours contacts, promises broken around the holiday, open records at the end, every language."""
    from deh_deploy.hub.report import figures

    with filled.engine.connect() as conn:
        got = figures.read(conn, hub=hungary, first=FIRST, last=LAST, sensitive_role=True, now=NOW)
    assert got.out_of_hours > 0 and got.at_risk
    holiday_week = next(w for w in got.weeks if w.start == date(2026, 10, 19))
    assert holiday_week.promise.broken > 0
    assert set(got.by_language) == set(hungary.languages)
    reasons = Counter(r["reason"] for r in all_records(filled))
    assert reasons["voicemail"] > 0 and reasons["after_hours"] > 0 and reasons["agent"] > 0


@pytest.mark.slow  # the whole page rendered again for every figure
def test_the_page_shows_the_same_numbers(filled: Service, hungary: HubConfig) -> None:
    from babel.numbers import format_decimal, format_percent

    from deh_deploy.hub.report.build import build

    want = expected(hungary, all_records(filled), sensitive_role=False)
    html = build(filled.engine, hungary, first=FIRST, last=LAST, role="supervisor", sensitive=False, now=NOW)
    cards = dict(re.findall(r'data-figure="([^"]+)">[^<]*<b>([^<]*)</b>', html))
    assert cards["Contacts"] == format_decimal(want["contacts"], format="#,##0", locale="hu_HU")
    assert cards["Promise kept"] == format_percent(
        want["promise_kept_share"], format="#,##0.0%", locale="hu_HU"
    )
    assert cards["Kept / broken / pending"] == (
        f"{want['promise_kept']} / {want['promise_broken']} / {want['promise_pending']}"
    )
    assert html.count("<svg") == 7 and "<script" not in html and "http://" not in html.split("<svg", 1)[0]
    assert (
        '<html lang="hu" dir="ltr">' in html and "<bdi>Lakhatás</bdi>" in html
    )  # the Society's language and titles


def test_the_export_has_the_coding_frameworks_columns_and_no_sensitive_row_for_a_supervisor(
    filled: Service, hungary: HubConfig
) -> None:
    from deh_deploy.hub.report.build import build
    from deh_deploy.hub.report.export import HEADER

    rows = all_records(filled)
    zone = ZoneInfo(hungary.timezone)
    period = [r for r in rows if FIRST <= r["created_at"].astimezone(zone).date() <= LAST]
    table = list(csv.DictReader(io.StringIO(build(
        filled.engine, hungary, first=FIRST, last=LAST, role="supervisor", sensitive=False, output="csv"
    ))))  # fmt: skip
    assert tuple(table[0]) == HEADER
    assert len(table) == sum(1 for r in period if r["sensitivity"] != "sensitive")
    assert {row["sensitivity"] for row in table} <= {"Non-sensitive", "To be clarified"}
    cva = next(row for row in table if row["code"] == "cva_registration")
    assert (cva["type"], cva["category"]) == ("Request or suggestion", "Cash and voucher assistance")
    full = json.loads(
        build(
            filled.engine, hungary, first=FIRST, last=LAST, role="protection", sensitive=True, output="json"
        )
    )
    assert len(full["records"]) == len(period)
    assert any(row["sensitivity"] == "Sensitive" for row in full["records"])
    assert full["summary"]["contacts"] == len(period)


def _row(n: int, *, sensitivity: str, topic: str) -> dict[str, Any]:
    created = datetime(2026, 10, 6, 8, n, tzinfo=UTC)
    return {
        "id": n,
        "channel": "voice",
        "language": "uk",
        "topic": topic,
        "feedback_type": "request",
        "sensitivity": sensitivity,
        "status": "closed",
        "created_at": created,
        "first_response_at": created + timedelta(minutes=5),
        "deadline_at": created + timedelta(hours=24),
        "promise_met": True,
    }


@pytest.mark.parametrize(("count", "shown"), [(3, None), (5, 5), (0, 0)])
def test_sensitive_feedback_is_only_counted_and_under_5_suppressed_for_a_role_without_sensitive(
    hungary: HubConfig, count: int, shown: int | None
) -> None:
    from deh_deploy.hub.report.clock import WorkingClock
    from deh_deploy.hub.report.figures import compute

    rows = [_row(n, sensitivity="sensitive", topic="complaint") for n in range(count)]
    rows += [_row(10 + n, sensitivity="non_sensitive", topic="housing") for n in range(2)]
    clock = WorkingClock(hungary, first=FIRST, last=LAST)
    kw: dict[str, Any] = {
        "clock": clock,
        "first": FIRST,
        "last": LAST,
        "timezone": hungary.timezone,
        "now": NOW,
    }
    supervisor = compute(rows, sensitive_role=False, **kw)
    assert (supervisor.sensitive, supervisor.contacts, set(supervisor.by_topic)) == (shown, 2, {"housing"})
    assert supervisor.weeks[0].sensitive == shown
    protection = compute(rows, sensitive_role=True, **kw)
    assert (protection.sensitive, protection.contacts) == (count, count + 2)


def test_working_hours_skip_nights_weekends_and_closed_days(hungary: HubConfig) -> None:
    from deh_deploy.hub.report.clock import WorkingClock

    zone = ZoneInfo(hungary.timezone)
    clock = WorkingClock(hungary, first=FIRST, last=LAST)
    thursday = datetime(2026, 10, 22, 15, 0, tzinfo=zone)  # an hour before Thursday's close
    monday = datetime(2026, 10, 26, 9, 0, tzinfo=zone)  # Friday 23 is a holiday: its shifts do not count
    assert clock.working_seconds(thursday, monday) == 2 * 3600
    assert not clock.is_open(datetime(2026, 10, 23, 10, 0, tzinfo=zone))
    assert clock.is_open(
        datetime(2026, 10, 17, 1, 0, tzinfo=zone)
    )  # Friday's 20:00–02:00 shift, after midnight
    assert clock.after_working(thursday, 2 * 3600) == datetime(2026, 10, 26, 9, 0, tzinfo=zone)


def test_the_same_seed_gives_the_same_demo_and_another_seed_another(hungary: HubConfig) -> None:
    from deh_deploy.hub.report.demo import events

    one = list(events(hungary, seed=5, last=LAST, weeks=1))
    assert one == list(events(hungary, seed=5, last=LAST, weeks=1))
    assert one != list(events(hungary, seed=6, last=LAST, weeks=1))
    assert {kind for _, kind, _ in one} == {"taskrouter", "conversations", "recording"}


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


Deh = Callable[..., Ran]


@pytest.fixture
def deh(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Deh:
    """``deh`` in this process, in folder ``cwd``, as the console script would end (the script's own start is
    tested in ``tests/test_cli_run.py``)."""
    from deh_deploy.cli import main

    def run(*args: str, cwd: Any) -> Ran:
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        out, err = capsys.readouterr()
        code = exc.value.code
        if isinstance(code, str):
            return Ran(1, out, err + code + "\n")
        return Ran(code or 0, out, err)

    return run


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ((), 1, "no hub database (run deh hub serve or deh hub demo, or pass --database-url)"),
        (("--role", "boss"), 2, "--role 'boss' is not in hub.roles"),
        (("--format", "xlsx"), 2, "--format 'xlsx': choose html, csv or json"),
        (
            ("--from", "2026-10-25", "--to", "2026-10-05", "--database-url", "DB"),
            1,
            "--to 2026-10-05 is before --from 2026-10-25",
        ),
        (("--database-url", "sqlite:///nowhere/hub.db"), 1, "nowhere/hub.db: no hub database"),
        (("--database-url", "EMPTY"), 1, "the hub database cannot be read: no such table: records"),
        (("--from", "2026-13-01"), 2, "Invalid value for '--from'"),
        (
            ("--from", "0001-01-01", "--to", "9999-12-31", "--database-url", "DB"),
            1,
            "a report covers at most 5 years between 2000 and 2199: 0001-01-01 – 9999-12-31 is not such a period",
        ),
    ],
    ids=[
        "no-database",
        "unknown-role",
        "unknown-format",
        "backwards",
        "no-such-file",
        "not-a-hub",
        "bad-date",
        "millennia",
    ],
)
def test_deh_report_refuses_bad_input_in_one_line(
    deh: Deh, tmp_path: Any, args: tuple[str, ...], code: int, message: str
) -> None:
    """A usage mistake exits 2, a missing or unusable database 1; one line either way, and no file."""
    from .conftest import HUNGARY

    if "DB" in args:
        from deh_deploy.hub.db import make_engine, migrate

        engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
        migrate(engine)
        engine.dispose()
        args = tuple(f"sqlite:///{tmp_path / 'hub.db'}" if a == "DB" else a for a in args)
    if "EMPTY" in args:  # a SQLite file that is not a hub's database
        (tmp_path / "other.db").write_bytes(b"")
        args = tuple(f"sqlite:///{tmp_path / 'other.db'}" if a == "EMPTY" else a for a in args)
    done = deh("report", str(HUNGARY), *args, cwd=tmp_path)
    assert done.returncode == code, done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (tmp_path / "report.html").exists()


def test_deh_report_writes_the_page_and_the_export(deh: Deh, filled: Service, tmp_path: Any) -> None:
    from .conftest import HUNGARY

    url = filled.settings.database_url
    for output in ("html", "csv", "json"):
        args = ("--from", "2026-10-05", "--to", "2026-10-25", "--format", output, "--database-url", url)
        done = deh("report", str(HUNGARY), *args, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stderr == f"wrote report.{output} (2026-10-05 – 2026-10-25, role supervisor)\n"
        assert (tmp_path / f"report.{output}").stat().st_mode & 0o777 == 0o600
    assert json.loads((tmp_path / "report.json").read_text())["summary"]["sensitive"] is not None


def test_a_right_to_left_society_gets_a_right_to_left_page_with_its_titles_isolated(tmp_path: Any) -> None:
    """Jordan: Arabic is the Society's language; the page runs right to left, and each Arabic title (and every
    other value) sits in its own <bdi>, so Latin channel names and numbers beside it keep their order."""
    from deh_deploy.config import load_hub
    from deh_deploy.hub.report.build import build, demo_service
    from deh_deploy.hub.report.demo import fill

    from .conftest import ROOT

    jordan = load_hub(ROOT / "country_configs" / "jordan")
    service = demo_service(jordan, "staging", f"sqlite:///{tmp_path / 'hub.db'}", environ={})
    try:
        fill(service, seed=2, last=LAST, weeks=1, now=NOW)
        html = build(
            service.engine, jordan, first=LAST - timedelta(days=6), last=LAST, role="r", sensitive=True
        )
    finally:
        service.close()
    assert '<html lang="ar" dir="rtl">' in html
    titles = re.findall(r"<bdi>([^<]*)</bdi>", html)
    assert any(re.search(r"[\u0600-\u06ff]", t) for t in titles), "no Arabic topic title on the page"
    assert html.count("<svg") == 7
