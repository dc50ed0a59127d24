"""Where a signed webhook's time goes in the hub service, on SQLite: processor time per request, not rates.

1. In one process, the Starlette app driven through ASGI (no sockets, no uvicorn) under cProfile: what the app
   itself spends per signed ``task.created`` (signature, form, routing, the inbox ``INSERT`` and its commit). The
   processor time counts every thread; cProfile sees the event loop's only, so SQLite's share, in the intake
   thread (``hub/writer.py``), is not in its breakdown.
2. The real service under ``wrk`` on loopback: the web process's and the worker process's processor time (from
   ``/proc``) divided by the requests answered and the events processed.

    python benchmarks/profile_hub.py [--requests 3000] [--seconds 10]

On a shared machine the rates vary with the load; processor time per request is what this reports.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_hub import LUA, signed_bodies, wrk_command  # noqa: E402

from tests.hub.conftest import HUNGARY, SECRETS  # noqa: E402
from tests.hub.events import sid, task_event  # noqa: E402
from tests.hub.server import PUBLIC, start  # noqa: E402

PATH = "/twilio/taskrouter"
# Where a frame's time is counted, by the file it runs in (first match wins).
PARTS = (
    ("twilio/request_validator", "signature (RequestValidator: HMAC-SHA1 of URL and sorted form)"),
    ("sqlite3", "SQLite (execute, commit)"),
    ("sqlalchemy", "SQLAlchemy (connection, statement, result)"),
    ("starlette", "Starlette (request, routing, response)"),
    ("urllib/parse", "form parsing"),
    ("json", "JSON of the stored payload"),
    ("deh_deploy", "deh_deploy's own code"),
    ("asyncio", "event loop"),
)


def _requests(count: int) -> list[tuple[bytes, str]]:
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(SECRETS["TWILIO_AUTH_TOKEN"])
    now = datetime.now(UTC)
    out = []
    for _ in range(count):
        params = task_event("task.created", task=sid("WT"), at=now)
        out.append(
            (urllib.parse.urlencode(params).encode(), validator.compute_signature(PUBLIC + PATH, params))
        )
    return out


async def _drive(app: Any, requests: list[tuple[bytes, str]]) -> None:
    for body, signature in requests:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": PATH,
            "raw_path": PATH.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"127.0.0.1"),
                (b"content-type", b"application/x-www-form-urlencoded"),
                (b"x-twilio-signature", signature.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        sent = False
        status = 0

        async def receive(body: bytes = body) -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        assert status == 204, status


def in_process(count: int, work: Path) -> None:
    from deh_deploy.config import load_hub
    from deh_deploy.hub.app import create_app
    from deh_deploy.hub.service import Service
    from deh_deploy.hub.settings import resolve

    settings = resolve(
        load_hub(HUNGARY), "staging", database_url=f"sqlite:///{work / 'profile.db'}", environ=SECRETS
    )
    service = Service(settings)
    service.start()
    app = create_app(service, worker=False)
    asyncio.run(_drive(app, _requests(200)))  # warm: imports, statement caches, the pool
    requests = _requests(count)
    profiler = cProfile.Profile()
    started = time.process_time()
    profiler.enable()
    asyncio.run(_drive(app, requests))
    profiler.disable()
    plain = _timed(app, _requests(count))
    profiled = time.process_time() - started
    service.close()
    stats = pstats.Stats(profiler)
    total = sum(tt for (_c, _n, tt, _ct, _callers) in stats.stats.values())  # type: ignore[attr-defined]
    parts: dict[str, float] = {}
    for (filename, _line, _name), (_c, _n, tt, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        label = next((lab for key, lab in PARTS if key in filename), "Python itself and the rest")
        parts[label] = parts.get(label, 0.0) + tt
    print(f"in-process ASGI, {count} signed task.created on SQLite:")
    print(f"  {plain / count * 1e6:,.0f} µs of processor time per request without the profiler")
    print(f"  (profiled run {profiled / count * 1e6:,.0f} µs per request, of which the profile counts:)")
    for label, seconds in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"  {seconds / total:6.1%}  {label}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-2500:])


def _timed(app: Any, requests: list[tuple[bytes, str]]) -> float:
    started = time.process_time()
    asyncio.run(_drive(app, requests))
    return time.process_time() - started


def _cpu(pid: int) -> float:
    """utime + stime of a process, seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in found.read_text(encoding="utf-8").split()] if found.exists() else []


def under_wrk(seconds: float, work: Path) -> None:
    import json

    script = work / "signed.lua"
    script.write_text(LUA, encoding="utf-8")
    bodies = work / "bodies.txt"
    signed_bodies(bodies, 40_000)
    server = start(f"sqlite:///{work / 'wrk.db'}", SECRETS, cwd=work)
    try:
        web = server.process.pid
        (worker,) = _children(web)
        web_0, worker_0 = _cpu(web), _cpu(worker)
        done = subprocess.run(
            wrk_command(server, bodies, script, seconds=seconds, timeout=5),
            capture_output=True,
            text=True,
            check=True,
        )
        web_1 = _cpu(web)
        health = server.wait_processed(timeout=180)
        worker_1 = _cpu(worker)
    finally:
        server.stop()
    result = json.loads(done.stdout.strip().splitlines()[-1])
    answered = result["requests"] - result["status_errors"]
    rate = result["requests"] / (result["duration_us"] / 1e6)
    print(f"\nthe service under wrk ({seconds:.0f} s, load average {os.getloadavg()[0]:.1f}): {result}")
    print(f"  {rate:,.0f} requests/s, p99 {result['p99_us'] / 1000:.1f} ms (this machine, now)")
    print(f"  web process: {(web_1 - web_0) / answered * 1e6:,.0f} µs of processor time per request answered")
    print(
        f"  worker process: {(worker_1 - worker_0) / answered * 1e6:,.0f} µs per event processed ({health['inbox']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--skip-wrk", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        in_process(args.requests, Path(tmp))
        if not args.skip_wrk:
            under_wrk(args.seconds, Path(tmp))


if __name__ == "__main__":
    main()
