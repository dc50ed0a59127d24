"""``deh host`` for a public domain with a database of its own: the app host gets its certificate from an ACME
certificate authority through certbot (Let's Encrypt's test server, pebble, on loopback, with the real HTTP-01
challenge fetched from the host's nginx), and a second host, a server only for the database, gets PostgreSQL's
role and database in this machine's existing cluster. Both hosts are real OpenSSH servers on loopback. One story,
in order, as every step builds on what the first run installed."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from deh_deploy.hub.db import VERSION_TABLE
from tests.hosting import acme, sshd

ROOT = Path(__file__).resolve().parents[2]
DEH = Path(sys.executable).parent / "deh"
CANARY = "canary" + "a11ce5" * 5  # the Twilio auth token
PASSWORD = "p@ss/w'rd:%+" + secrets.token_hex(8)  # the database role's: quoted in SQL, escaped in the URL
SECRETS = {
    "TWILIO_AUTH_TOKEN": CANARY,
    "DEH_HU_PERSON_KEY": "person-key-for-public-hosting-tests",
    "DEH_HU_SUPERVISOR_TOKEN": "supervisor-token-for-public-hosting-tests",
    "DEH_HU_PROTECTION_TOKEN": "protection-token-for-public-hosting-tests",
    "DEH_TEST_DATABASE_PASSWORD": PASSWORD,
}
PSQL = ["runuser", "-u", "postgres", "--", "psql", "-X", "-tA", "-d", "postgres"]


def _unavailable() -> str | None:
    return (
        sshd.available()
        or acme.available()
        or (None if shutil.which("pg_lsclusters") else "needs postgresql")
    )


pytestmark = [
    pytest.mark.slow,
    # One machine's nginx and supervisord serve every deh host test: they run one after another, on one worker.
    pytest.mark.xdist_group("hosting"),
    pytest.mark.timeout(1200),
    pytest.mark.skipif(_unavailable() is not None, reason=str(_unavailable())),
]


class PublicHost:
    """An app host for a public domain (certbot) and a database server, both sshd's on this machine."""

    def __init__(self, work: Path, base: Path) -> None:
        self.work, self.base = work, base
        self.https, self.http, self.app = sshd.free_port(), sshd.free_port(), sshd.free_port()
        self.pebble = acme.start(work / "pebble", http_port=self.http)
        # The app host trusts pebble's HTTPS listener beside the system's authorities (pip still reaches its index),
        # as a host trusts Let's Encrypt's: every SSH session gets the bundle.
        self.trusted = work / "trusted.pem"
        system = Path("/etc/ssl/certs/ca-certificates.crt")
        self.trusted.write_text(
            (system.read_text() if system.is_file() else "") + self.pebble.ca_file.read_text(),
            encoding="utf-8",
        )
        self.servers = [
            sshd.start(work / "ssh-app", setenv={"REQUESTS_CA_BUNDLE": str(self.trusted)}),
            sshd.start(work / "ssh-db"),
        ]
        tag = secrets.token_hex(4)
        self.domain = f"hub-{tag}.deh-test.example.org"
        self.database = f"deh_t_{tag}"
        self.user = f"dehpub-{tag}"
        self.name = "deh-hungary-staging-pub1"
        self.config = work / "hungary"
        shutil.copytree(ROOT / "country_configs" / "hungary", self.config)
        app, db = self.servers
        hosting = (
            f"hosting:\n  domain: {self.domain}\n"
            "  ssh_key_env: DEH_TEST_SSH_KEY\n  known_hosts_env: DEH_TEST_KNOWN_HOSTS\n"
            f"  certbot: {{directory: '{self.pebble.directory}', email: it@deh-test.example.org}}\n"
            f"  hosts:\n    - {{name: pub1, address: 127.0.0.1, ssh_port: {app.port}, base_dir: {base}, "
            f"service_user: {self.user}, app_port: {self.app}, https_port: {self.https}, "
            f"http_port: {self.http}}}\n"
            f"  database:\n    host: {{name: db1, address: 127.0.0.1, ssh_port: {db.port}}}\n"
            f"    password_env: DEH_TEST_DATABASE_PASSWORD\n    name: {self.database}\n"
        )
        text = (ROOT / "country_configs" / "hungary" / "hub.yaml").read_text(encoding="utf-8")
        text = re.sub(r"hosting:\n(  .*\n)+", hosting, text)
        text = text.replace("staging: https://deh-staging.voroskereszt.hu", f"staging: https://{self.domain}")
        (self.config / "hub.yaml").write_text(text, encoding="utf-8")
        known = work / "known_hosts"
        known.write_text("".join(s.known_hosts.read_text() for s in self.servers))
        (db.key.parent / "authorized_keys").write_text(Path(f"{app.key}.pub").read_text())
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DEH_"))},
            **SECRETS,
            "DEH_TEST_SSH_KEY": str(app.key),
            "DEH_TEST_KNOWN_HOSTS": str(known),
        }
        self.outputs: list[str] = []
        # The role starts cron for certbot's renewal on a host without systemd; stop it after if it was not running.
        self.cron_was_running = subprocess.run(["pgrep", "-x", "cron"], capture_output=True).returncode == 0

    def deh_host(self, *args: str) -> subprocess.CompletedProcess[str]:
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
        return done

    def served_certificate(self, root: Path) -> Mapping[str, Any]:
        """The certificate nginx serves for the domain, verified against ``root`` (pebble's CA) and the name."""
        context = ssl.create_default_context(cafile=str(root))
        with (
            socket.create_connection(("127.0.0.1", self.https), timeout=10) as raw,
            context.wrap_socket(raw, server_hostname=self.domain) as tls,
        ):
            return tls.getpeercert() or {}

    def https_get(self, path: str, root: Path) -> tuple[int, bytes]:
        context = ssl.create_default_context(cafile=str(root))
        context.check_hostname = False  # the request goes to 127.0.0.1; served_certificate checks the name
        request = urllib.request.Request(
            f"https://127.0.0.1:{self.https}{path}", headers={"Host": self.domain}
        )
        with urllib.request.urlopen(request, timeout=10, context=context) as response:
            return response.status, response.read()

    def cleanup(self) -> None:
        subprocess.run(
            ["certbot", "delete", "--non-interactive", "--cert-name", self.name], capture_output=True
        )
        Path(f"/etc/supervisor/conf.d/{self.name}.conf").unlink(missing_ok=True)
        Path(f"/etc/nginx/conf.d/{self.name}.conf").unlink(missing_ok=True)
        subprocess.run(["supervisorctl", "update"], capture_output=True, check=False)
        subprocess.run(["nginx", "-s", "reload"], capture_output=True, check=False)
        for sql in (f"DROP DATABASE IF EXISTS {self.database}", f"DROP ROLE IF EXISTS {self.database}"):
            subprocess.run([*PSQL, "-c", sql], capture_output=True, check=False, cwd="/")
        for hba in Path("/etc/postgresql").glob("*/*/pg_hba.conf"):
            text = hba.read_text()
            block = re.compile(
                rf"# BEGIN hub database {self.database}:.*?# END hub database {self.database}:[^\n]*\n", re.S
            )
            if block.search(text):
                hba.write_text(block.sub("", text))
                subprocess.run([*PSQL, "-c", "SELECT pg_reload_conf()"], capture_output=True, cwd="/")
        subprocess.run(["userdel", self.user], capture_output=True, check=False)
        if not self.cron_was_running:
            subprocess.run(["service", "cron", "stop"], capture_output=True, check=False)
        for s in self.servers:
            s.stop()
        self.pebble.stop()
        shutil.rmtree(self.base, ignore_errors=True)


@pytest.fixture
def public(tmp_path: Path) -> Iterator[PublicHost]:
    base = Path(tempfile.mkdtemp(prefix="deh-host-public-"))
    base.chmod(0o755)
    made = PublicHost(tmp_path, base)
    try:
        yield made
    finally:
        made.cleanup()


def _summary(out: str) -> dict[str, dict[str, int]]:
    lines = re.findall(r"^((?:pub|db)\d): (.*)$", out, re.MULTILINE)
    return {
        host: {k.strip(): int(v) for k, v in re.findall(r"([a-z ]+)=(\d+)", rest)} for host, rest in lines
    }


def test_a_public_host_gets_its_certificate_from_certbot_and_its_database_from_a_host_of_its_own(
    public: PublicHost, tmp_path: Path
) -> None:
    # A first run installs PostgreSQL's role and database on db1, then the service on pub1, its certificate
    # obtained by certbot from the ACME server (the challenge fetched from nginx on the host's http_port).
    first = public.deh_host()
    summary = _summary(first.stdout)
    assert set(summary) == {"pub1", "db1"}
    assert all(s["changed"] > 0 and s["failed"] == 0 and s["unreachable"] == 0 for s in summary.values())
    assert "task: Obtain the certificate" in first.stderr
    assert "task: Create the role and the database" in first.stderr

    # nginx serves a certificate for the domain that chains to the ACME server's root.
    root = tmp_path / "pebble-root.pem"
    root.write_text(public.pebble.root())
    served = public.served_certificate(root)
    assert ("DNS", public.domain) in served["subjectAltName"]
    status, body = public.https_get("/healthz", root)
    assert (status, json.loads(body)["database"]) == (200, "ok")

    # Plain HTTP answers the ACME challenge's folder and sends everything else to HTTPS.
    request = urllib.request.Request(
        f"http://127.0.0.1:{public.http}/healthz", headers={"Host": public.domain}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(request, timeout=10)
    moved.value.close()
    assert moved.value.code == 301
    assert moved.value.headers["Location"] == f"https://{public.domain}:{public.https}/healthz"

    # The service's database is the one the role made, reached with the role's password (URL-escaped).
    env_file = public.base / "shared" / "hub.env"
    assert env_file.stat().st_mode & 0o777 == 0o600
    url = re.search(r"^DEH_HUB_DATABASE_URL='?([^'\n]+)'?$", env_file.read_text(), re.MULTILINE)
    assert url is not None and url.group(1).endswith(f"@127.0.0.1:5432/{public.database}")
    tables = subprocess.run(
        [
            *PSQL,
            "-d",
            public.database,
            "-c",
            f"SELECT tableowner FROM pg_tables WHERE tablename = '{VERSION_TABLE}'",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    )
    assert tables.stdout.split() == [public.database]

    # Debian's certbot renews it with what certonly stored: the ACME server, the webroot, nginx reloaded.
    renewal = Path(f"/etc/letsencrypt/renewal/{public.name}.conf").read_text()
    assert f"server = {public.pebble.directory}" in renewal
    assert "authenticator = webroot" in renewal
    assert "renew_hook = nginx -s reload" in renewal
    before = served["serialNumber"]
    subprocess.run(
        [
            "certbot",
            "renew",
            "--non-interactive",
            "--no-random-sleep-on-renew",
            "--cert-name",
            public.name,
            "--force-renewal",
        ],
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "REQUESTS_CA_BUNDLE": str(public.trusted)},
        capture_output=True,
        check=True,
        timeout=120,
    )
    deadline = time.monotonic() + 10
    while public.served_certificate(root)["serialNumber"] == before:
        assert time.monotonic() < deadline, "nginx still serves the certificate from before the renewal"
        time.sleep(0.2)

    # A second run changes nothing: the certificate is there, the role, database and password are as they were.
    second = public.deh_host()
    assert {h: s["changed"] for h, s in _summary(second.stdout).items()} == {"pub1": 0, "db1": 0}
    checked = public.deh_host("--check")
    assert {h: s["would change"] for h, s in _summary(checked.stdout).items()} == {"pub1": 0, "db1": 0}

    # Neither the auth token nor the database password is in any output or log.
    logs = [public.work / ".deh" / "host-hungary-staging.log", *(public.base / "logs").iterdir()]
    leaked = [str(p) for p in logs for s in (CANARY, PASSWORD) if s in p.read_text(errors="replace")]
    leaked += [
        f"output {i}" for i, text in enumerate(public.outputs) for s in (CANARY, PASSWORD) if s in text
    ]
    assert leaked == []


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None
