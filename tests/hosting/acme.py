"""Let's Encrypt's ACME test server on loopback: Debian's ``pebble``, with ``pebble-challtestsrv`` as its DNS so
that any name resolves to 127.0.0.1, and the HTTP-01 challenge really fetched from the host's nginx on the port
the test gives. Pebble's own HTTPS listener gets a certificate made here (Debian ships none); clients trust it
through ``ca_file``. Pebble makes a new root at each start: ``root()`` is the CA its certificates chain to."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.hosting.sshd import free_port

OPENSSL_REQ = (
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=pebble",
)
# The challenge server as a DNS server only, answering every A query with loopback and no AAAA.
ONLY_DNS = ("-http01", "", "-https01", "", "-tlsalpn01", "", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "")


def available() -> str | None:
    """Why the ACME tests cannot run here, or None."""
    missing = [
        tool for tool in ("pebble", "pebble-challtestsrv", "certbot", "openssl") if not shutil.which(tool)
    ]
    if missing:
        return f"needs {', '.join(missing)}: apt-get install -y pebble certbot"
    return None


@dataclass
class Pebble:
    processes: list[subprocess.Popen[bytes]]
    directory: str  # the ACME directory URL
    management: str
    ca_file: Path  # the certificate of pebble's HTTPS listener, for REQUESTS_CA_BUNDLE

    def root(self) -> str:
        """The PEM of the root CA pebble issues under (it changes at every start)."""
        context = ssl.create_default_context(cafile=str(self.ca_file))
        with urllib.request.urlopen(f"{self.management}/roots/0", timeout=10, context=context) as response:
            return str(response.read().decode())

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=10)


def start(folder: Path, *, http_port: int) -> Pebble:
    """Pebble validating HTTP-01 challenges on ``http_port`` of 127.0.0.1, for any name."""
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "listener.pem", folder / "listener.key"
    subprocess.run(
        [*OPENSSL_REQ, "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    acme, management, dns, dns_admin = (free_port() for _ in range(4))
    config = {
        "pebble": {
            "listenAddress": f"127.0.0.1:{acme}",
            "managementListenAddress": f"127.0.0.1:{management}",
            "certificate": str(cert),
            "privateKey": str(key),
            "httpPort": http_port,
            "tlsPort": free_port(),
            "ocspResponderURL": "",
            "externalAccountBindingRequired": False,
        }
    }
    (folder / "pebble.json").write_text(json.dumps(config), encoding="utf-8")
    with open(folder / "challtestsrv.log", "wb") as log:
        dns_server = subprocess.Popen(
            [
                *(
                    "pebble-challtestsrv",
                    "-dns01",
                    f"127.0.0.1:{dns}",
                    "-management",
                    f"127.0.0.1:{dns_admin}",
                ),
                *ONLY_DNS,
            ],
            stdout=log,
            stderr=log,
        )
    with open(folder / "pebble.log", "wb") as log:
        pebble = subprocess.Popen(
            ["pebble", "-config", str(folder / "pebble.json"), "-dnsserver", f"127.0.0.1:{dns}"],
            stdout=log,
            stderr=log,
            env={"PATH": "/usr/bin:/bin", "PEBBLE_VA_NOSLEEP": "1", "PEBBLE_WFE_NONCEREJECT": "0"},
        )
    made = Pebble(
        [pebble, dns_server], f"https://127.0.0.1:{acme}/dir", f"https://127.0.0.1:{management}", cert
    )
    context = ssl.create_default_context(cafile=str(cert))
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(made.directory, timeout=2, context=context) as response:
                if response.status == 200:
                    return made
        except OSError:
            if pebble.poll() is not None or time.monotonic() > deadline:
                made.stop()
                raise AssertionError(f"pebble did not start: {(folder / 'pebble.log').read_text()}") from None
            time.sleep(0.2)
