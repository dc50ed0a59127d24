"""The hub service under load on loopback: signed TaskRouter webhooks per second and p99 with ``wrk`` (Debian's
package), on SQLite and on PostgreSQL (when ``DEH_TEST_POSTGRES_URL`` names a server); then ``kill -9`` under load,
a restart on the same database, and a count: no accepted event lost, none processed twice.

    python benchmarks/bench_hub.py

Every request is a distinct event (its own ``Sid`` and task), signed beforehand with the SDK's RequestValidator, so
the count of stored events can be set against the count of 204s that wrk saw.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from figures import row

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hub.conftest import SECRETS  # noqa: E402
from tests.hub.events import sid, task_event  # noqa: E402
from tests.hub.server import PUBLIC, Server, start  # noqa: E402

PATH = "/twilio/taskrouter"
SECONDS = 10
# The paced run: each connection waits this long before each request, so that 16 connections send about 1,000
# requests/s, the rate (a request takes a few ms on top); the other run sends as fast as the service answers
# (its ceiling, and the tail at saturation). wrk counts a request's latency from its sending, not from the pause.
PACE_MS = 10
CONNECTIONS = 16
THREADS = 2
LUA = """
local lines, i = {}, 0
local counter = 0
function setup(thread) thread:set("id", counter); counter = counter + 1 end
function init(args)
  local n, threads = 0, tonumber(args[2])
  for line in io.lines(args[1]) do
    if n % threads == id then
      local tab = line:find("\\t")
      lines[#lines + 1] = wrk.format("POST", "@PATH@", {
        ["Content-Type"] = "application/x-www-form-urlencoded",
        ["X-Twilio-Signature"] = line:sub(1, tab - 1)}, line:sub(tab + 1))
    end
    n = n + 1
  end
end
function request() i = i + 1; return lines[((i - 1) % #lines) + 1] end
@DELAY@
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"duration_us":%d,"status_errors":%d,"socket_errors":%d,'
    .. '"p50_us":%d,"p99_us":%d}\\n', summary.requests, summary.duration, e.status,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99)))
end
""".replace("@PATH@", PATH)


def lua(*, pace_ms: int | None = None) -> str:
    return LUA.replace("@DELAY@", f"function delay() return {pace_ms} end" if pace_ms else "")


def signed_bodies(path: Path, count: int) -> None:
    from twilio.request_validator import RequestValidator

    validator = RequestValidator(SECRETS["TWILIO_AUTH_TOKEN"])
    now = datetime.now(UTC)
    with open(path, "w", encoding="utf-8") as out:
        for _ in range(count):
            params = task_event("task.created", task=sid("WT"), at=now)
            out.write(
                f"{validator.compute_signature(PUBLIC + PATH, params)}\t{urllib.parse.urlencode(params)}\n"
            )


def wrk_command(server: Server, bodies: Path, script: Path, *, seconds: float, timeout: float) -> list[str]:
    limits = [f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", f"{timeout}s"]
    return ["wrk", *limits, "-s", str(script), server.base, "--", str(bodies), str(THREADS)]


def wrk(server: Server, bodies: Path, script: Path, seconds: float) -> dict[str, Any]:
    done = subprocess.run(
        wrk_command(server, bodies, script, seconds=seconds, timeout=5),
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def stored(db_url: str) -> tuple[int, int, int]:
    import sqlalchemy as sa

    from deh_deploy.hub.db import make_engine
    from deh_deploy.hub.tables import inbox, records

    engine = make_engine(db_url)
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(inbox)).scalar_one()
        once = conn.execute(
            sa.select(sa.func.count()).where(inbox.c.status == "done", inbox.c.attempts == 1)
        ).scalar_one()
        applied = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(records.c.events), 0))).scalar_one()
    engine.dispose()
    return int(total), int(once), int(applied)


def measure(name: str, db_url: str, work: Path, target: str) -> None:
    script = work / "signed.lua"
    script.write_text(lua(), encoding="utf-8")
    paced_script = work / "paced.lua"
    paced_script.write_text(lua(pace_ms=PACE_MS), encoding="utf-8")
    bodies = work / f"{name}-bodies.txt"
    signed_bodies(bodies, 80_000)
    server = start(db_url, SECRETS, cwd=work)
    try:
        paced = wrk(server, bodies, paced_script, SECONDS)
        server.wait_processed(timeout=120)
        result = wrk(server, bodies, script, SECONDS)
        server.wait_processed(timeout=120)
    finally:
        server.stop()
    paced_rate = paced["requests"] / (paced["duration_us"] / 1e6)
    print(f"{name} paced: {paced}")
    row(
        f"signed webhooks on {name} at about 1,000/s, wrk {CONNECTIONS} connections each pausing {PACE_MS} ms "
        f"between requests, {SECONDS} s (`bench_hub.py`)",
        f"{paced_rate:,.0f} requests/s, p99 {paced['p99_us'] / 1000:.1f} ms (p50 {paced['p50_us'] / 1000:.1f} ms), "
        f"{paced['status_errors'] + paced['socket_errors']} errors",
        target,
    )
    rate = result["requests"] / (result["duration_us"] / 1e6)
    ok = sum(run["requests"] - run["status_errors"] for run in (paced, result))
    total, once, applied = stored(db_url)
    print(f"{name}: {result}")
    print(
        f"{name}: {ok} answered 204, {total} stored, {once} processed exactly once, {applied} applied to records"
    )
    row(
        f"signed webhooks on {name} as fast as it answers, wrk {THREADS} threads × {CONNECTIONS} connections, "
        f"{SECONDS} s (`bench_hub.py`)",
        f"{rate:,.0f} requests/s, p99 {result['p99_us'] / 1000:.1f} ms (p50 {result['p50_us'] / 1000:.1f} ms)",
        "its ceiling",
    )


def kill_under_load(name: str, db_url: str, work: Path) -> None:
    script = work / "signed.lua"
    bodies = work / f"{name}-kill-bodies.txt"
    signed_bodies(bodies, 40_000)
    server = start(db_url, SECRETS, cwd=work)
    port = server.port
    load = subprocess.Popen(
        wrk_command(server, bodies, script, seconds=8, timeout=2),
        stdout=subprocess.PIPE,
        text=True,
    )
    witness = Witness(server)
    witness.begin()
    time.sleep(3)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    time.sleep(0.5)
    restarted = start(db_url, SECRETS, cwd=work, port=port)
    out, _ = load.communicate(timeout=60)
    witness.end()
    restarted.wait_processed(timeout=120)
    restarted.stop()
    result = json.loads(out.strip().splitlines()[-1])
    answered = result["requests"] - result["status_errors"]
    total, once, _ = stored(db_url)
    keys = stored_keys(db_url)
    lost = len(witness.acknowledged - keys)
    twice = total - once
    print(f"{name} kill -9: wrk {result}")
    print(
        f"{name} kill -9: wrk saw {answered} answers without an error status; {total} stored, {once} processed once"
    )
    print(f"{name} kill -9: witness {len(witness.acknowledged)} acknowledged, {lost} of them not stored")
    row(
        f"kill -9 under load on {name}, restart, count (`bench_hub.py`: wrk's load and a witness client that "
        "remembers each acknowledged event)",
        f"{len(witness.acknowledged):,} acknowledged to the witness, {lost} lost; "
        f"{total:,} stored in all, {twice} processed twice",
        "0 lost",
    )


class Witness:
    """A client beside wrk that sends its own distinct events and remembers each one acknowledged with 204."""

    def __init__(self, server: Server) -> None:
        import threading

        self.server = server
        self.acknowledged: set[str] = set()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run)

    def begin(self) -> None:
        self.thread.start()

    def end(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=30)

    def _run(self) -> None:
        while not self.stopping.is_set():
            params = task_event("task.created", task=sid("WT"), at=datetime.now(UTC))
            try:
                status = self.server.post(PATH, params)
            except OSError:
                status = 0
            if status == 204:
                self.acknowledged.add(params["Sid"])
            else:
                time.sleep(0.02)


def stored_keys(db_url: str) -> set[str]:
    import sqlalchemy as sa

    from deh_deploy.hub.db import make_engine
    from deh_deploy.hub.tables import inbox

    engine = make_engine(db_url)
    with engine.connect() as conn:
        keys = {str(k) for k in conn.execute(sa.select(inbox.c.event_key)).scalars()}
    engine.dispose()
    return keys


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        measure("SQLite", f"sqlite:///{work / 'bench.db'}", work, "≥ 1,000/s, p99 < 50 ms")
        kill_under_load("SQLite", f"sqlite:///{work / 'kill.db'}", work)
        postgres = os.environ.get("DEH_TEST_POSTGRES_URL")
        if postgres:
            from tests.hub.conftest import _postgres_schema

            for purpose in ("measure", "kill"):
                schemas = _postgres_schema()
                url = next(schemas)
                try:
                    if purpose == "measure":
                        measure("PostgreSQL", url, work, "≥ 500/s")
                    else:
                        kill_under_load("PostgreSQL", url, work)
                finally:
                    schemas.close()
        else:
            print("PostgreSQL skipped: set DEH_TEST_POSTGRES_URL (see tests/hub/conftest.py)")


if __name__ == "__main__":
    main()
