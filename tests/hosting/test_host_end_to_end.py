"""``deh host`` end to end: two target hosts, each a real OpenSSH server on loopback with its own folder, user and
ports on this machine, sharing one PostgreSQL; supervisord runs the service (no systemd here), nginx serves it
with TLS. One story, in order, because every step builds on the hosts the first one installed."""

from __future__ import annotations

import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from twilio.request_validator import RequestValidator

from tests.hosting import sshd
from tests.hub.conftest import _postgres_schema
from tests.hub.events import sid, task_event

ROOT = Path(__file__).resolve().parents[2]
DEH = Path(sys.executable).parent / "deh"
CANARY = "canary" + "5ec2e7" * 5  # the Twilio auth token: must appear in no output and no log
SECRETS = {
    "TWILIO_AUTH_TOKEN": CANARY,
    "DEH_HU_PERSON_KEY": "person-key-for-hosting-tests",
    "DEH_HU_SUPERVISOR_TOKEN": "supervisor-token-for-hosting-tests",
    "DEH_HU_PROTECTION_TOKEN": "protection-token-for-hosting-tests",
}

pytestmark = [
    pytest.mark.slow,
    # One machine's nginx and supervisord serve every deh host test: they run one after another, on one worker.
    pytest.mark.xdist_group("hosting"),
    pytest.mark.timeout(1500),
    pytest.mark.skipif(sshd.available() is not None, reason=str(sshd.available())),
]


class Hosts:
    """Two sshd's, their folders on this machine, the config naming them, and deh host run against it."""

    def __init__(self, work: Path, base: Path, database_url: str) -> None:
        self.work, self.base = work, base
        self.servers = [sshd.start(work / f"ssh{i}") for i in (1, 2)]
        self.https = [sshd.free_port() for _ in self.servers]
        self.app = [sshd.free_port() for _ in self.servers]
        tag = base.name.replace("_", "-").lower()[-8:]
        self.names = [f"hub{i}" for i in (1, 2)]
        self.users = [f"dehtest-{tag}-{i}" for i in (1, 2)]
        self.config = work / "hungary"
        shutil.copytree(ROOT / "country_configs" / "hungary", self.config)
        hosts = "".join(
            f"    - {{name: {name}, address: 127.0.0.1, ssh_port: {s.port}, base_dir: {base / name}, "
            f"service_user: {user}, app_port: {app}, https_port: {https}}}\n"
            for name, s, user, app, https in zip(
                self.names, self.servers, self.users, self.app, self.https, strict=True
            )
        )
        hosting = (
            "hosting:\n  domain: deh-test.example.org\n  test_host: true\n"
            "  ssh_key_env: DEH_TEST_SSH_KEY\n  known_hosts_env: DEH_TEST_KNOWN_HOSTS\n"
            f"  database_url_env: DEH_HU_DATABASE_URL\n  hosts:\n{hosts}"
        )
        known = work / "known_hosts"
        known.write_text("".join(s.known_hosts.read_text() for s in self.servers))
        for s in self.servers[1:]:  # one client key for both hosts
            (s.key.parent / "authorized_keys").write_text(Path(f"{self.servers[0].key}.pub").read_text())
        self.public = f"https://127.0.0.1:{self.https[0]}"
        self.set_config(hosting=hosting)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DEH_HU_"))},
            **SECRETS,
            "DEH_HU_DATABASE_URL": database_url,
            "DEH_TEST_SSH_KEY": str(self.servers[0].key),
            "DEH_TEST_KNOWN_HOSTS": str(known),
        }
        self.outputs: list[str] = []
        self.hosting = hosting

    def set_config(self, *, hosting: str, retention: int = 365) -> None:
        text = (ROOT / "country_configs" / "hungary" / "hub.yaml").read_text(encoding="utf-8")
        text = re.sub(r"hosting:\n(  .*\n)+", hosting, text)
        text = text.replace("staging: https://deh-staging.voroskereszt.hu", f"staging: {self.public}")
        text = text.replace("retention_days: 365", f"retention_days: {retention}")
        (self.config / "hub.yaml").write_text(text, encoding="utf-8")

    def deh_host(self, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
        started = time.perf_counter()
        done = subprocess.run(
            [str(DEH), "host", str(self.config), "--env", "staging", *args],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        self.outputs += [done.stdout, done.stderr]
        assert done.returncode == 0, done.stdout + done.stderr
        return done, time.perf_counter() - started

    def tls(self, index: int) -> ssl.SSLContext:
        """Verify nginx against the self-signed certificate the role made (it names 127.0.0.1)."""
        return ssl.create_default_context(
            cafile=str(self.base / self.names[index] / "tls" / "self-signed.crt")
        )

    def request(
        self, index: int, path: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        url = f"https://127.0.0.1:{self.https[index]}{path}"
        req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
        try:
            with urllib.request.urlopen(req, timeout=10, context=self.tls(index)) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def current(self, index: int) -> str:
        return os.readlink(self.base / self.names[index] / "current")

    def cleanup(self) -> None:
        for name in self.names:
            program = f"deh-hungary-staging-{name}"
            Path(f"/etc/supervisor/conf.d/{program}.conf").unlink(missing_ok=True)
            Path(f"/etc/nginx/conf.d/{program}.conf").unlink(missing_ok=True)
        subprocess.run(["supervisorctl", "update"], capture_output=True, check=False)
        subprocess.run(["nginx", "-s", "reload"], capture_output=True, check=False)
        for user in self.users:
            subprocess.run(["userdel", user], capture_output=True, check=False)
        for s in self.servers:
            s.stop()
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def hosts(tmp_path: Path) -> Iterator[Hosts]:
    # The service's users must reach their folders: not under pytest's private tmp_path.
    base = Path(tempfile.mkdtemp(prefix="deh-host-test-"))
    base.chmod(0o755)
    for url in _postgres_schema():
        made = Hosts(tmp_path, base, url)
        try:
            yield made
        finally:
            made.cleanup()


def _summary(out: str) -> dict[str, dict[str, int]]:
    lines = re.findall(r"^(hub\d): (.*)$", out, re.MULTILINE)
    return {
        host: {k.strip(): int(v) for k, v in re.findall(r"([a-z ]+)=(\d+)", rest)} for host, rest in lines
    }


def test_deh_host_installs_serves_is_idempotent_checks_rolls_back_and_leaks_no_secret(hosts: Hosts) -> None:
    # A first run installs both hosts and waits for their health checks.
    first, first_seconds = hosts.deh_host()
    assert "task: Install the service from the wheel" in first.stderr
    summary = _summary(first.stdout)
    assert set(summary) == {"hub1", "hub2"}
    assert all(s["changed"] > 0 and s["failed"] == 0 and s["unreachable"] == 0 for s in summary.values())
    log = hosts.work / ".deh" / "host-hungary-staging.log"
    assert log.stat().st_mode & 0o777 == 0o600
    assert "PLAY RECAP" in log.read_text()
    for i, name in enumerate(hosts.names):
        env_file = hosts.base / name / "shared" / "hub.env"
        assert env_file.stat().st_mode & 0o777 == 0o600
        status, body = hosts.request(i, "/healthz")
        assert (status, json.loads(body)["database"]) == (200, "ok")

    # A signed webhook sent to nginx becomes one feedback record, seen from both hosts (one database).
    task = sid("WT")
    params = task_event("task.created", task=task, at=datetime.now(UTC))
    signature = RequestValidator(CANARY).compute_signature(hosts.public + "/twilio/taskrouter", params)
    form = urllib.parse.urlencode(params).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    assert hosts.request(0, "/twilio/taskrouter", data=form, headers=headers)[0] == 204
    bearer = {"Authorization": f"Bearer {SECRETS['DEH_HU_SUPERVISOR_TOKEN']}"}
    deadline = time.monotonic() + 30
    while True:
        seen = [
            [r for r in json.loads(hosts.request(i, "/records", headers=bearer)[1])["records"]]
            for i in (0, 1)
        ]
        if all(any(r["task_sid"] == task for r in records) for records in seen):
            break
        assert time.monotonic() < deadline, f"no record for {task}: {seen}"
        time.sleep(0.5)
    assert [sum(r["task_sid"] == task for r in records) for records in seen] == [1, 1]

    # A second run changes nothing, and neither does --check.
    second, noop_seconds = hosts.deh_host()
    assert {h: s["changed"] for h, s in _summary(second.stdout).items()} == {"hub1": 0, "hub2": 0}
    assert "nothing to change" in second.stdout
    checked, _ = hosts.deh_host("--check")
    assert {h: s["would change"] for h, s in _summary(checked.stdout).items()} == {"hub1": 0, "hub2": 0}

    # A new release (the config changed); --check shows it and changes nothing; then it is installed.
    before = [hosts.current(i) for i in (0, 1)]
    hosts.set_config(hosting=hosts.hosting, retention=300)
    checked, _ = hosts.deh_host("--check")
    assert all(s["would change"] > 0 for s in _summary(checked.stdout).values())
    assert [hosts.current(i) for i in (0, 1)] == before
    hosts.deh_host()
    after = [hosts.current(i) for i in (0, 1)]
    assert after != before

    # --rollback returns to the release before, which answers again.
    hosts.deh_host("--rollback")
    assert [hosts.current(i) for i in (0, 1)] == before
    assert all(hosts.request(i, "/healthz")[0] == 200 for i in (0, 1))
    assert all(os.readlink(hosts.base / n / "previous") == a for n, a in zip(hosts.names, after, strict=True))

    # The canary auth token is in no output and no log: deh host's, Ansible's, the service's, nginx's.
    logs = [log, *[p for n in hosts.names for p in (hosts.base / n / "logs").iterdir()]]
    logs += [p for p in Path("/var/log/supervisor").glob("*") if p.is_file()]
    leaked = [str(p) for p in logs if CANARY in p.read_text(errors="replace")]
    leaked += [f"output {i}" for i, text in enumerate(hosts.outputs) if CANARY in text]
    assert leaked == []
    sys.stderr.write(f"deh host: first {first_seconds:.0f} s, no-op {noop_seconds:.0f} s\n")
