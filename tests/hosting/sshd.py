"""A real OpenSSH server on loopback as a target host: its own host key, a client key the test generates, and a
known_hosts file naming it, so ``deh host`` connects with host-key checking on."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

SSHD = Path("/usr/sbin/sshd")


def available() -> str | None:
    """Why the end-to-end tests cannot run here, or None."""
    missing = [tool for tool in ("sshd", "nginx", "supervisord", "ssh-keygen") if not _which(tool)]
    if missing:
        return f"needs {', '.join(missing)}: apt-get install -y openssh-server nginx supervisor"
    return None


def _which(tool: str) -> bool:
    return shutil.which(tool) is not None or Path("/usr/sbin", tool).exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Sshd:
    process: subprocess.Popen[bytes]
    port: int
    key: Path
    known_hosts: Path

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start(folder: Path, *, setenv: dict[str, str] | None = None) -> Sshd:
    """An sshd on a free loopback port; ``setenv``: variables every session on the host gets (sshd's SetEnv)."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    host_key, key = folder / "host_key", folder / "id_ed25519"
    for path in (host_key, key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    (folder / "authorized_keys").write_text(Path(f"{key}.pub").read_text())
    port = free_port()
    config = folder / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {host_key}\nPidFile {folder / 'sshd.pid'}\n"
        f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPermitRootLogin prohibit-password\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
        "Subsystem sftp internal-sftp\nMaxSessions 50\nMaxStartups 50\n"
        + "".join(f"SetEnv {name}={value}\n" for name, value in (setenv or {}).items())
    )
    known = folder / "known_hosts"
    known.write_text(
        f"[127.0.0.1]:{port} {Path(f'{host_key}.pub').read_text().split(' ', 2)[0]} "
        f"{Path(f'{host_key}.pub').read_text().split(' ', 2)[1]}\n"
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    with open(folder / "sshd.log", "wb") as log:
        process = subprocess.Popen([str(SSHD), "-D", "-e", "-f", str(config)], stderr=log)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return Sshd(process, port, key, known)
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    raise AssertionError(f"sshd did not start: {(folder / 'sshd.log').read_text()}")
