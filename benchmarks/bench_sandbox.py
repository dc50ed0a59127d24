"""The sandbox is fast enough to measure apply against: a no-op GET through the real twilio SDK, and 2,000 requests
(create, fetch, update, list, delete of 500 queues) in a row.

    python benchmarks/bench_sandbox.py
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from figures import row
from twilio.rest import Client

from deh_deploy.providers.local_http import LocalTwilioHttpClient
from deh_deploy.sandbox import start

ACCOUNT = "AC" + "0123456789abcdef" * 2


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, start(db_path=Path(tmp) / "sandbox.db") as sandbox:
        token = sandbox.ensure_account(ACCOUNT)
        client = Client(ACCOUNT, token, http_client=LocalTwilioHttpClient(sandbox.url, timeout=10))
        (ws,) = client.taskrouter.v1.workspaces.list()
        timings = []
        for _ in range(300):
            began = time.perf_counter()
            client.taskrouter.v1.workspaces(ws.sid).fetch()
            timings.append(time.perf_counter() - began)
        queues = client.taskrouter.v1.workspaces(ws.sid).task_queues
        began = time.perf_counter()
        made = [queues.create(friendly_name=f"DEH perf {i}").sid for i in range(500)]
        for sid in made:
            queues(sid).fetch()
            queues(sid).update(target_workers="1==1")
        queues.list(page_size=50)
        for sid in made:
            queues(sid).delete()
        bulk = time.perf_counter() - began
        requests = len(sandbox.requests())
    median = statistics.median(timings) * 1000
    print(f"no-op GET: median {median:.2f} ms over 300; {requests:,} requests in {bulk:.2f} s")
    row("sandbox: a no-op GET through the SDK; 2,000 requests in a row (`bench_sandbox.py`)",
        f"{median:.2f} ms; {bulk:.1f} s", "< 5 ms; seconds")  # fmt: skip


if __name__ == "__main__":
    main()
