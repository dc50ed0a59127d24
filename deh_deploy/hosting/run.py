"""Run the playbook through ansible-runner and tell its events: a line per task as it starts, a line per failed
or unreachable host, and a summary per host from Ansible's own tally. Ansible's raw output goes to a log file
(mode 0600, never through a planted symlink), with every registered secret redacted.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from deh_deploy.errors import HostingError

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig

PLAYBOOKS = Path(__file__).resolve().parents[2] / "templates" / "hosting"
Mode = Literal["deploy", "check", "rollback"]


@dataclass(frozen=True)
class HostSummary:
    host: str
    ok: int
    changed: int
    failed: int
    unreachable: int
    skipped: int


@dataclass(frozen=True)
class Outcome:
    hosts: tuple[HostSummary, ...]
    failures: tuple[str, ...]  # "host: task: message", redacted
    log: Path

    @property
    def changed(self) -> int:
        return sum(h.changed for h in self.hosts)

    @property
    def ok(self) -> bool:
        return not self.failures and all(h.failed == 0 and h.unreachable == 0 for h in self.hosts)


def open_log(path: Path) -> int:
    """The log's descriptor: created 0600, appended to, never through a symlink."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise HostingError(f"{path}: cannot write the log: {exc.strerror or exc}") from None
    os.fchmod(fd, 0o600)
    return fd


def run(
    hub: HubConfig,
    env: str,
    *,
    mode: Mode,
    log: Path,
    progress: Callable[[str], None],
    environ: Mapping[str, str] | None = None,
) -> Outcome:
    """Build the release (not for a rollback), then run the playbook against every host of ``env``."""
    try:
        import ansible_runner
    except ImportError:  # pragma: no cover - the host extra is missing
        raise HostingError("deh host needs Ansible: pip install 'deh-deploy[host]'") from None
    from deh_deploy.hosting import inventory, release
    from deh_deploy.secrets import redact

    environ = dict(os.environ if environ is None else environ)
    playbook_bin = Path(sys.executable).parent / "ansible-playbook"
    if not playbook_bin.exists() and shutil.which("ansible-playbook") is None:
        raise HostingError(
            "deh host needs Ansible: pip install 'deh-deploy[host]' (ansible-playbook not found)"
        )
    inventory.check_environment(hub, env, environ)
    fd = open_log(log)
    stage = Path(tempfile.mkdtemp(prefix="deh-host-"))
    try:
        release_vars: dict[str, str] = {}
        if mode != "rollback":
            progress("building the release")
            built = release.build(hub.source.parent, stage=stage / "build")
            release_vars = {
                "deh_hub_release": built.name,
                "deh_hub_release_src": str(built.folder),
                "deh_hub_wheel": built.wheel,
            }
            progress(f"release {built.name}")
        events = _Events(progress, fd, redact)
        for folder in ("runner", "tmp", "cp"):
            (stage / folder).mkdir()
        envvars = {
            "PATH": f"{playbook_bin.parent}{os.pathsep}{environ.get('PATH', '')}",
            "ANSIBLE_ROLES_PATH": str(PLAYBOOKS / "roles"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_PIPELINING": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_LOCAL_TEMP": str(stage / "tmp"),
            "ANSIBLE_SSH_CONTROL_PATH_DIR": str(stage / "cp"),
            "ANSIBLE_LOG_PATH": "",
        }
        result = ansible_runner.run(
            private_data_dir=str(stage / "runner"),
            project_dir=str(PLAYBOOKS),
            playbook="rollback.yml" if mode == "rollback" else "site.yml",
            inventory=inventory.inventory(hub, env, release=release_vars, environ=environ),
            envvars=envvars,
            cmdline="--check" if mode == "check" else None,
            event_handler=events,
            quiet=True,
            suppress_env_files=True,
        )
        if result.status not in {"successful", "failed"} and not events.stats:
            events.failures.append(f"ansible-runner: {result.status}")
    finally:
        os.close(fd)
        shutil.rmtree(stage, ignore_errors=True)
    return Outcome(events.summaries(), tuple(events.failures), log)


class _Events:
    """ansible-runner's event handler: the progress lines, the failures, the raw output into the log."""

    def __init__(self, progress: Callable[[str], None], fd: int, redact: Callable[[str], str]) -> None:
        self.progress, self.fd, self.redact = progress, fd, redact
        self.failures: list[str] = []
        self.stats: dict[str, Any] = {}

    def __call__(self, event: dict[str, Any]) -> bool:
        text = event.get("stdout") or ""
        if text:
            os.write(self.fd, (self.redact(text) + "\n").encode())
        kind, data = event.get("event", ""), event.get("event_data") or {}
        if kind in {"playbook_on_task_start", "playbook_on_handler_task_start"}:
            self.progress(f"task: {data.get('task', '').strip()}")
        elif kind == "runner_on_failed" and not data.get("ignore_errors"):
            self._fail(data, "failed")
        elif kind == "runner_on_unreachable":
            self._fail(data, "unreachable")
        elif kind == "playbook_on_stats":
            self.stats = data
        return True  # keep the event in the runner's artifacts, which are removed with the stage

    def _fail(self, data: dict[str, Any], how: str) -> None:
        res = data.get("res") or {}
        said = res.get("msg")
        if not said or said == "non-zero return code":  # the command's own last words say more
            said = res.get("stderr") or res.get("stdout") or said
        message = str(said or how).strip().splitlines()
        line = f"{data.get('host', '?')}: {data.get('task', '?')}: {how}: {message[-1] if message else how}"
        self.failures.append(self.redact(line))
        self.progress(self.redact(line))

    def summaries(self) -> tuple[HostSummary, ...]:
        tally = {k: self.stats.get(k) or {} for k in ("ok", "changed", "failures", "dark", "skipped")}
        hosts = sorted({h for counts in tally.values() for h in counts})
        return tuple(
            HostSummary(
                h,
                int(tally["ok"].get(h, 0)),
                int(tally["changed"].get(h, 0)),
                int(tally["failures"].get(h, 0)),
                int(tally["dark"].get(h, 0)),
                int(tally["skipped"].get(h, 0)),
            )
            for h in hosts
        )
