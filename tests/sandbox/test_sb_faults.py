"""Fault injection: every knob, and that injected faults (but drop-after-write) change no state."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from deh_deploy.errors import UsageError
from deh_deploy.providers.local_http import LocalTwilioHttpClient
from deh_deploy.sandbox import Faults, RunningSandbox
from deh_deploy.sandbox.faults import FaultGate
from tests.sandbox.helpers import ACCOUNT, MakeSandbox, client_for

DEFINITION: dict[str, Any] = {
    "description": "d",
    "flags": {"allow_concurrent_calls": True},
    "initial_state": "Trigger",
    "states": [{"name": "Trigger", "type": "trigger", "properties": {}, "transitions": []}],
}


def new_flow(client: Client, name: str = "DEH flow") -> Any:
    return client.studio.v2.flows.create(friendly_name=name, status="draft", definition=DEFINITION)


def test_429_is_refused_before_any_change_and_carries_retry_after(
    sandbox: RunningSandbox, token: str, client: Client
) -> None:
    sandbox.set_faults(Faults(rate_429=1, retry_after=2))
    with pytest.raises(TwilioRestException) as exc:
        new_flow(client)
    assert (exc.value.status, exc.value.code) == (429, 20429)
    assert exc.value.msg.endswith("Too Many Requests")
    raw = LocalTwilioHttpClient(sandbox.url).request(
        "GET", "https://studio.twilio.com/v2/Flows", auth=(ACCOUNT, token)
    )
    assert (raw.status_code, raw.headers["Retry-After"]) == (429, "2")
    sandbox.set_faults(Faults())
    assert client.studio.v2.flows.list() == []
    assert [e.get("fault") for e in sandbox.requests()] == ["429", "429", None]


def test_5xx_is_a_503_with_code_20503(sandbox: RunningSandbox, client: Client) -> None:
    sandbox.set_faults(Faults(rate_5xx=1))
    with pytest.raises(TwilioRestException) as exc:
        new_flow(client)
    assert (exc.value.status, exc.value.code) == (503, 20503)
    sandbox.set_faults(Faults())
    assert client.studio.v2.flows.list() == []


def test_a_dropped_request_gets_no_answer_and_changes_nothing(
    sandbox: RunningSandbox, client: Client
) -> None:
    sandbox.set_faults(Faults(rate_drop=1))
    with pytest.raises(requests.ConnectionError):
        new_flow(client)
    sandbox.set_faults(Faults())
    assert client.studio.v2.flows.list() == []


def test_drop_after_write_commits_then_hangs_up(sandbox: RunningSandbox, client: Client) -> None:
    numbers = client.api.v2010.account.incoming_phone_numbers
    sandbox.set_faults(Faults(rate_drop_after_write=1))
    with pytest.raises(requests.ConnectionError):
        numbers.create(phone_number="+447700123400")
    assert [n.phone_number for n in numbers.list(phone_number="+447700123400")] == ["+447700123400"]
    assert [(e["method"], e["status"], e.get("fault")) for e in sandbox.requests()] == [
        ("POST", 201, "drop_after_write"),
        ("GET", 200, None),
    ]
    sandbox.set_faults(Faults())
    with pytest.raises(TwilioRestException) as exc:
        numbers.create(phone_number="+447700123400")
    assert exc.value.code == 21422


def test_latency_delays_each_answer(sandbox: RunningSandbox, client: Client) -> None:
    sandbox.set_faults(Faults(latency_ms=150))
    began = time.perf_counter()
    client.api.v2010.account.fetch()
    assert time.perf_counter() - began >= 0.15


def test_more_concurrent_requests_than_allowed_get_429(sandbox: RunningSandbox, token: str) -> None:
    sandbox.set_faults(Faults(max_concurrency=2, latency_ms=400))
    outcomes: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def call() -> None:
        c = client_for(sandbox, ACCOUNT, token)
        barrier.wait()
        try:
            c.api.v2010.account.fetch()
            status = 200
        except TwilioRestException as exc:
            status = exc.status
        with lock:
            outcomes.append(status)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcomes) == 6 and set(outcomes) == {200, 429}
    assert outcomes.count(200) >= 2  # two fit under the cap; exactly two unless the machine is very slow


def test_die_after_stops_the_server_and_the_state_survives(make_sandbox: MakeSandbox, tmp_path: Any) -> None:
    first = make_sandbox(tmp_path / "crash.db")
    token = first.ensure_account(ACCOUNT)
    client = client_for(first, ACCOUNT, token)
    first.set_faults(Faults(die_after=2))
    made = [new_flow(client, "one").sid, new_flow(client, "two").sid]
    with pytest.raises(requests.ConnectionError):
        new_flow(client, "three")
    assert first.wait_stopped(5)
    with pytest.raises(requests.ConnectionError):
        client.studio.v2.flows.list()
    second = make_sandbox(tmp_path / "crash.db")
    again = client_for(second, ACCOUNT, token)
    assert [f.sid for f in again.studio.v2.flows.list()] == made


def test_faults_can_be_changed_over_http(sandbox: RunningSandbox, client: Client) -> None:
    admin = requests.Session()  # the admin API needs the sandbox's own token
    admin.headers.update(sandbox.admin_headers())
    url = f"{sandbox.url}/_sandbox/faults"
    assert admin.post(url, json={"rate_429": 1, "retry_after": 0.5}, timeout=5).json()["rate_429"] == 1
    assert sandbox.faults == Faults(rate_429=1, retry_after=0.5)
    with pytest.raises(TwilioRestException) as exc:
        client.api.v2010.account.fetch()
    assert exc.value.status == 429
    bad = admin.post(url, json={"rate_429": 3}, timeout=5)
    assert bad.status_code == 400 and "rate_429" in bad.json()["message"]
    assert admin.post(url, json={}, timeout=5).status_code == 200
    assert client.api.v2010.account.fetch().sid == ACCOUNT


def test_fault_settings_are_checked() -> None:
    with pytest.raises(UsageError, match="rate_429"):
        Faults(rate_429=1.5)
    with pytest.raises(UsageError, match="max_concurrency"):
        Faults(max_concurrency=0)
    with pytest.raises(UsageError, match="unknown fault"):
        Faults.from_json({"rate_teapot": 1})


def test_random_faults_repeat_for_the_same_seed() -> None:
    def verdicts(seed: int) -> list[str]:
        gate = FaultGate(Faults(rate_429=0.3, rate_5xx=0.3, rate_drop=0.1, seed=seed))
        out: list[str] = []
        for _ in range(60):
            out.append(gate.enter())
            gate.leave()
        return out

    assert verdicts(7) == verdicts(7)
    assert verdicts(7) != verdicts(8)
    assert {"pass", "429", "503", "drop"} <= set(verdicts(7))
