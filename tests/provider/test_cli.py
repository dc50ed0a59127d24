"""``deh plan | apply | destroy | sandbox serve`` as a user runs them: against a sandbox started with
``deh sandbox serve`` (``--sandbox-url``, credentials from the environment) or the embedded one (``--sandbox``)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from twilio.rest import Client

from deh_deploy.cli import main
from deh_deploy.providers.local_http import LocalTwilioHttpClient
from tests.hub.server import Server
from tests.provider.conftest import ROOT, World, hub

HUNGARY = ROOT / "country_configs" / "hungary"
CREDENTIALS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET")
PROGRESS = re.compile(r"^\[ *(\d+)/(\d+)\] (create|update|replace|delete) +(\S+)$")
SUMMARY = re.compile(
    r"^applied hungary/staging: (\d+) change\(s\) \((\d+) create, (\d+) update, (\d+) delete\); "
    r"(\d+) requests, (\d+) writes$"
)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


Deh = Callable[..., Run]


@pytest.fixture
def deh(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, healthy_hub: Server
) -> Deh:
    """``deh(*args)`` runs the CLI in this process from a temporary folder; no unexpected error may be logged."""
    work = tmp_path / "cwd"
    logs = tmp_path / "logs"
    work.mkdir()
    logs.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_STATE_HOME", str(logs))  # where crash logs go

    def run(*args: str) -> Run:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        captured = capsys.readouterr()
        assert not any(logs.iterdir()), captured.err
        code = exc.value.code
        return Run(code if isinstance(code, int) else 0, captured.out, captured.err)

    return run


@pytest.fixture
def remote(world: World) -> list[str]:
    """Options that point a command at the world's sandbox, logged in as Hungary's staging account."""
    world.login(hub("hungary"))
    return ["-e", "staging", "--sandbox-url", world.sandbox.url]


def plan_lines(run: Run) -> list[str]:
    return [line for line in run.lines if line[:2] in ("+ ", "~ ", "- ", "= ")]


def test_plan_prints_text_markdown_and_json_that_agree(deh: Deh, remote: list[str]) -> None:
    text = deh("plan", str(HUNGARY), *remote)
    markdown = deh("plan", str(HUNGARY), *remote, "--format", "markdown")
    as_json = deh("plan", str(HUNGARY), *remote, "-f", "json")
    assert (text.code, markdown.code, as_json.code) == (0, 0, 0)
    data = json.loads(as_json.out)
    assert re.fullmatch(r"[0-9a-f]{64}", data["checksum"])
    creates = [c for c in data["changes"] if c["action"] == "create"]
    assert len(creates) > 10
    assert text.lines[0].startswith("hungary/staging (") and text.lines[0].endswith(
        f"): {len(creates)} to create, 0 to update, 0 to delete"
    )
    assert [line.split()[2:4] for line in plan_lines(text)] == [
        [c["kind"], c["key"]] for c in data["changes"]
    ]
    assert "+ create phone.number main  [BUY a local number in HU, matching +361]" in text.lines
    assert markdown.lines[0].startswith("### deh plan: hungary/staging")
    rows = [line for line in markdown.lines if line.startswith("| + | create |")]
    assert len(rows) == len(creates)
    assert "| + | create | `phone.number main` | BUY a local number in HU, matching +361 |" in rows
    assert text.err == markdown.err == as_json.err == ""


def test_the_json_plan_on_stdout_is_the_saved_plan_and_names_the_account(
    deh: Deh, remote: list[str], tmp_path: Path
) -> None:
    account = hub("hungary").environment("staging").account_sid
    printed = deh("plan", str(HUNGARY), *remote, "-f", "json", "--out", str(tmp_path / "plan.json"))
    assert f"hungary/staging ({account})" in deh("plan", str(HUNGARY), *remote).out
    assert json.loads(printed.out)["account_sid"] == account
    assert printed.out == (tmp_path / "plan.json").read_text(encoding="utf-8")


def test_a_saved_plan_is_applied_and_refused_once_it_is_stale(
    deh: Deh, remote: list[str], tmp_path: Path
) -> None:
    saved = tmp_path / "plan.json"
    planned = deh("plan", str(HUNGARY), *remote, "--out", str(saved))
    checksum = json.loads(saved.read_text(encoding="utf-8"))["checksum"]
    assert planned.err_lines == [f"plan saved to {saved} (checksum {checksum[:12]})"]
    applied = deh("apply", str(HUNGARY), *remote, "--plan", str(saved), "--allow-purchase")
    assert applied.code == 0, applied.err
    assert SUMMARY.match(applied.lines[-1])
    stale = deh("apply", str(HUNGARY), *remote, "--plan", str(saved), "--allow-purchase")
    assert stale.code == 1 and stale.out == ""
    assert len(stale.err_lines) == 1
    assert stale.err_lines[0].startswith(
        "deh: the live account or the config changed since the plan was saved; run deh plan again "
        f"(saved {checksum[:12]}, now "
    )


def test_an_edited_or_unreadable_plan_file_is_refused_before_any_write(
    deh: Deh, remote: list[str], tmp_path: Path, world: World
) -> None:
    saved = tmp_path / "plan.json"
    deh("plan", str(HUNGARY), *remote, "--out", str(saved))
    edited = tmp_path / "edited.json"
    edited.write_text(saved.read_text(encoding="utf-8").replace('"create"', '"delete"', 1), encoding="utf-8")
    other = tmp_path / "other.json"
    other.write_text('{"plan": []}', encoding="utf-8")
    runs = {
        name: deh("apply", str(HUNGARY), *remote, "--plan", str(path), "--allow-purchase")
        for name, path in (("edited", edited), ("other", other), ("missing", tmp_path / "nope.json"))
    }
    assert runs["edited"].err_lines == [
        "deh: the saved plan was modified after it was written (checksum mismatch)"
    ]
    assert runs["other"].err_lines == ["deh: the saved plan is not a deh plan file ('slug')"]
    assert runs["missing"].err_lines == [
        f"deh: {tmp_path / 'nope.json'}: cannot read: No such file or directory"
    ]
    assert [(r.code, r.out) for r in runs.values()] == [(1, ""), (1, ""), (2, "")]
    assert [e for e in world.sandbox.requests() if e["method"] != "GET"] == []


def test_detailed_exitcode_is_2_with_changes_and_0_without(deh: Deh, remote: list[str]) -> None:
    assert deh("plan", str(HUNGARY), *remote).code == 0
    assert deh("plan", str(HUNGARY), *remote, "--detailed-exitcode").code == 2
    assert deh("apply", str(HUNGARY), *remote, "--allow-purchase").code == 0
    after = deh("plan", str(HUNGARY), *remote, "--detailed-exitcode")
    assert after.code == 0
    assert after.lines[-1] == "No changes: the account matches the config."


@pytest.mark.slow  # the wiring's unhealthy-service test covers the quick loop
def test_apply_with_an_unhealthy_hub_service_applies_the_rest_and_ends_with_one_line_and_exit_1(
    deh: Deh, remote: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = "http://127.0.0.1:9"  # nothing listens on the discard port
    first = deh("apply", str(HUNGARY), *remote, "--allow-purchase", "--hub-url", closed)
    assert first.code == 1
    assert [line for line in first.err.splitlines() if line.startswith("deh: ")] == [
        f"deh: the hub service at {closed} does not answer /healthz (connection refused): Twilio is not pointed "
        "at it; deploy it with deh host, then run deh apply again"
    ]
    assert "Traceback" not in first.err
    assert not any(
        "workspace_events" in line or "post_webhook" in line for line in first.lines if "]" in line
    )
    monkeypatch.setenv("DEH_HUB_URL", closed)  # the variable does what the option does
    assert deh("apply", str(HUNGARY), *remote).code == 1
    monkeypatch.delenv("DEH_HUB_URL")
    healthy = deh("plan", str(HUNGARY), *remote, "--detailed-exitcode")
    assert healthy.code == 2  # the wiring is still to be written
    assert [line for line in plan_lines(healthy) if "hub  [" in line] == [
        "+ create taskrouter.workspace_events hub  [points the workspace's event callback at the hub service]",
        "+ create conversations.post_webhook hub  [points the Conversations post-event webhook at the hub service]",
    ]


def test_apply_prints_the_plan_then_progress_then_a_summary_and_a_second_apply_writes_nothing(
    deh: Deh, remote: list[str]
) -> None:
    first = deh("apply", str(HUNGARY), *remote, "--allow-purchase")
    assert first.code == 0 and first.err == ""
    planned = plan_lines(first)
    progress = [PROGRESS.match(line) for line in first.lines]
    at = [i for i, m in enumerate(progress) if m]
    assert first.lines[: len(planned) + 1] == [first.lines[0], *planned], "the plan comes first"
    assert at == list(range(len(planned) + 1, len(first.lines) - 1)), "then only progress, then the summary"
    steps = [m for m in progress if m]
    total = len([line for line in planned if not line.startswith("= ")])
    assert [int(m[1]) for m in steps] == list(range(1, total + 1))
    assert {int(m[2]) for m in steps} == {total}
    assert sorted(m[4] for m in steps) == sorted(
        "/".join(line.split()[2:4]) for line in planned if not line.startswith("= ")
    )
    summary = SUMMARY.match(first.lines[-1])
    assert summary is not None
    changes, creates, updates, deletes, requests, writes = map(int, summary.groups())
    assert changes == creates == total and updates == deletes == 0
    assert requests > writes > total

    second = deh("apply", str(HUNGARY), *remote, "--allow-purchase")
    assert second.code == 0
    assert "No changes: the account matches the config." in second.lines
    assert not any(PROGRESS.match(line) for line in second.lines)
    assert second.lines[-1].startswith(
        "applied hungary/staging: 0 change(s) (0 create, 0 update, 0 delete); "
    )
    assert second.lines[-1].endswith(" 0 writes")


@pytest.mark.slow  # test_apply's destroy test covers the quick loop
def test_destroy_keeps_the_number_and_refuses_to_release_it_without_the_slug(
    deh: Deh, remote: list[str], world: World
) -> None:
    assert deh("apply", str(HUNGARY), *remote, "--allow-purchase").code == 0
    wrong = deh("destroy", str(HUNGARY), *remote, "--release-numbers", "--confirm", "hungry")
    assert (wrong.code, wrong.out) == (1, "")
    assert wrong.err_lines == ["deh: releasing numbers needs the slug typed back: --confirm hungary"]
    destroyed = deh("destroy", str(HUNGARY), *remote, "--yes")
    assert destroyed.code == 0
    assert "keep (number kept) phone.number/main" in destroyed.lines
    deleted = [line for line in destroyed.lines if line.startswith("delete ")]
    assert destroyed.lines[-1] == f"destroyed {len(deleted)} resource(s) of hungary/staging"
    assert len(deleted) >= 10
    h = hub("hungary")
    with world.connect(h) as conn:
        numbers = conn.client.api.v2010.account.incoming_phone_numbers.list()
        flows = conn.client.studio.v2.flows.list()
    assert [n.friendly_name for n in numbers] == ["DEH hungary staging main"]
    assert flows == []


@pytest.mark.parametrize("command", ["plan", "apply", "destroy"])
def test_without_credentials_one_line_names_the_variables(
    deh: Deh, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)
    run = deh(command, str(HUNGARY), "-e", "staging")
    assert (run.code, run.out) == (1, "")
    assert run.err_lines == [
        "deh: no Twilio credentials for staging: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN "
        "(or TWILIO_API_KEY and TWILIO_API_SECRET), or use --sandbox"
    ]


@pytest.mark.parametrize("command", ["plan", "apply", "destroy"])
def test_an_unknown_environment_is_a_usage_error(deh: Deh, remote: list[str], command: str) -> None:
    run = deh(command, str(HUNGARY), "-e", "qa", "--sandbox-url", remote[-1])
    assert (run.code, run.out) == (2, "")
    assert len(run.err_lines) == 1
    assert run.err_lines[0].startswith("deh: environment 'qa' is not in ")
    assert run.err_lines[0].endswith("(configured: staging, production)")


@pytest.mark.slow
def test_the_embedded_sandbox_keeps_its_state_under_the_working_folder(
    deh: Deh, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)
    assert deh("plan", str(HUNGARY), "-e", "staging", "--sandbox", "--detailed-exitcode").code == 2
    applied = deh("apply", str(HUNGARY), "-e", "staging", "--sandbox")
    assert applied.code == 0
    assert applied.err_lines == ["sandbox: number purchases are allowed (no money is involved)"]
    assert SUMMARY.match(applied.lines[-1])
    assert (Path.cwd() / ".deh" / "sandbox.db").is_file()
    assert deh("plan", str(HUNGARY), "-e", "staging", "--sandbox", "--detailed-exitcode").code == 0
    destroyed = deh("destroy", str(HUNGARY), "-e", "staging", "--sandbox", "--yes")
    assert destroyed.code == 0 and "keep (number kept) phone.number/main" in destroyed.lines
    assert deh("plan", str(HUNGARY), "-e", "staging", "--sandbox", "--detailed-exitcode").code == 2


# -- deh sandbox serve ----------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    def __init__(self, port: int, db: Path) -> None:
        self.port = port
        self.db = db
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "deh_deploy.cli",
                "sandbox",
                "serve",
                "--port",
                str(port),
                "--db",
                str(db),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONWARNINGS": "error"},
            # Ctrl-C must reach it even where this test runs with SIGINT ignored (nohup, some CI runners).
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        deadline = time.monotonic() + 20
        while True:
            assert self.proc.poll() is None, self.proc.communicate()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "the sandbox did not start listening"
                time.sleep(0.02)

    def account(self, sid: str) -> str:
        import urllib.request

        token = (self.db.parent / (self.db.name + ".admin-token")).read_text(encoding="utf-8").strip()
        request = urllib.request.Request(
            f"{self.url}/_sandbox/accounts",
            data=json.dumps({"sid": sid}).encode(),
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return str(json.load(answer)["auth_token"])

    def interrupt(self) -> tuple[int, str, str]:
        self.proc.send_signal(signal.SIGINT)
        out, err = self.proc.communicate(timeout=20)
        return self.proc.returncode, out, err


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Callable[[], Served]]:
    started: list[Served] = []
    port, db = free_port(), tmp_path / "state" / "sandbox.db"

    def serve() -> Served:
        started.append(Served(port, db))
        return started[-1]

    yield serve
    for s in started:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait()


@pytest.mark.slow
def test_sandbox_serve_answers_the_twilio_sdk_stops_on_ctrl_c_and_keeps_its_state(
    served: Callable[[], Served], tmp_path: Path
) -> None:
    account = hub("hungary").environment("staging").account_sid
    first = served()
    token = first.account(account)
    client = Client(account, token, http_client=LocalTwilioHttpClient(first.url))
    created = client.serverless.v1.services.create(unique_name="kept-across-restarts", friendly_name="Kept")
    code, out, err = first.interrupt()
    assert (code, out) == (0, "")
    assert err.splitlines() == [
        f"sandbox on {first.url} (state in {tmp_path / 'state' / 'sandbox.db'}, admin token in "
        f"{tmp_path / 'state' / 'sandbox.db.admin-token'}); Ctrl-C stops it"
    ]
    second = served()
    assert second.account(account) == token, "the account and its token were kept"
    client = Client(account, token, http_client=LocalTwilioHttpClient(second.url))
    assert [(s.sid, s.unique_name) for s in client.serverless.v1.services.list()] == [
        (created.sid, "kept-across-restarts")
    ]
    code, _, err = second.interrupt()
    assert code == 0 and "Traceback" not in err
