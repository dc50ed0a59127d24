"""``deh host``: parse, run the playbook through one library call, print its progress and the summary per host.
Ansible and the hosting package are imported inside the command, so ``deh --help`` stays fast."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from deh_deploy.cli.options import EnvOpt, PathArg


def host(
    path: PathArg,
    env: EnvOpt,
    check: Annotated[
        bool, typer.Option("--check", help="Show what would change on the hosts and change nothing.")
    ] = False,
    rollback: Annotated[
        bool, typer.Option("--rollback", help="Return every host to the release it ran before.")
    ] = False,
    log: Annotated[
        Path | None, typer.Option("--log", help="Ansible's own output (default .deh/host-<slug>-<env>.log).")
    ] = None,
) -> None:
    """Install the hub service on the config's hosts (Ansible over SSH) behind nginx with TLS."""
    from deh_deploy.config import load_hub
    from deh_deploy.errors import HostingError, UsageError
    from deh_deploy.hosting.run import Mode, run
    from deh_deploy.secrets import redact

    if check and rollback:
        raise UsageError("--check and --rollback do not go together")
    hub = load_hub(path)
    hub.environment(env)
    log = log or Path(".deh") / f"host-{hub.slug}-{env}.log"

    def progress(line: str) -> None:
        sys.stderr.write(redact(line) + "\n")
        sys.stderr.flush()

    mode: Mode = "check" if check else "rollback" if rollback else "deploy"
    outcome = run(hub, env, mode=mode, log=log, progress=progress)
    verb = "would change" if check else "changed"
    for h in outcome.hosts:
        sys.stdout.write(
            f"{h.host}: ok={h.ok} {verb}={h.changed} failed={h.failed} "
            f"unreachable={h.unreachable} skipped={h.skipped}\n"
        )
    if not outcome.ok:
        first = outcome.failures[0] if outcome.failures else "a host failed"
        raise HostingError(f"{first} (Ansible's output: {outcome.log})")
    what = "nothing to change" if outcome.changed == 0 else f"{outcome.changed} {verb}"
    sys.stdout.write(f"{len(outcome.hosts)} host(s): {what}; Ansible's output in {outcome.log}\n")
