"""Render: a HubConfig → the desired resources and artifacts of one environment. Knows nothing of HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import TYPE_CHECKING

from deh_deploy.errors import RenderError
from deh_deploy.render.desired import Desired, Resource, resource

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig


def render_hub(hub: HubConfig, *, env: str, today: date | None = None) -> Desired:
    """Everything the hub needs on Twilio for ``env``; byte-identical for the same config and year.

    The parts are imported here, not with the package, so that a command needing one part (``deh validate``
    renders the routing alone) does not import the flows, templates and Functions."""
    from deh_deploy.names import friendly
    from deh_deploy.render.channels import MESSAGING_FLOW, VOICE_FLOW, render_channels
    from deh_deploy.render.content import render_content
    from deh_deploy.render.flows import messaging_flow, voice_flow
    from deh_deploy.render.routing import render_routing
    from deh_deploy.render.serverless import render_serverless
    from deh_deploy.render.summary import render_summary
    from deh_deploy.render.wiring import render_wiring

    hub.environment(env)  # a usage error for an unknown environment
    desired = Desired(hub.slug, env)
    render_serverless(hub, env, desired, today=today or date.today())
    render_routing(hub, env, desired)
    render_content(hub, env, desired)
    flows = []
    if hub.channels.voice:
        flows.append((VOICE_FLOW, voice_flow(hub, env)))
    if hub.channels.messaging:
        flows.append((MESSAGING_FLOW, messaging_flow(hub, env)))
    for name, definition in flows:
        desired.add_document(f"flows/{name}.json", definition)
        desired.add(
            resource(
                "studio.flow",
                name,
                {
                    "friendly_name": friendly(hub.slug, env, name),
                    "status": "published",
                    "definition": definition,
                },
            )
        )
    render_channels(hub, env, desired)
    render_wiring(hub, env, desired)
    check_references(desired.resources)
    desired.add_resources_json()
    desired.add_later("summary.md", lambda: render_summary(hub, env, desired))
    return desired


def check_references(resources: list[Resource]) -> None:
    """Every reference names a resource the hub declares, and there is an order to create them in.

    A SID exists only once its resource is created, so resources that refer to each other (two flows whose widgets
    name each other, or a flow that names itself) have no such order. Studio checks a definition when it is
    written (FlowValidate) and refuses a placeholder where a SID goes, so such a cycle cannot be broken by creating
    one with a stand-in and updating it after: it is refused here, naming the resources, before anything is read.
    """
    ids = {r.id for r in resources}
    for r in resources:
        missing = [d for d in r.depends_on if d not in ids]
        if missing:
            raise RenderError(f"{r.id} refers to {', '.join(missing)}, which the hub does not declare")
    for r in resources:
        if r.id in r.depends_on:
            raise RenderError(f"{r.id} refers to itself, whose SID is known only once it exists")
    try:
        TopologicalSorter({r.id: r.depends_on for r in resources}).prepare()
    except CycleError as exc:
        cycle: list[str] = exc.args[1]
        raise RenderError(
            f"{', '.join(sorted(set(cycle)))} refer to each other ({' → '.join(reversed(cycle))}): each "
            "needs the other's SID before it can be created, so none can be created first"
        ) from None


def write_artifacts(desired: Desired, out_dir: Path, *, dry_run: bool = False) -> Iterator[str]:
    """Say per file whether it will be created, is identical or is overwritten; then write the changed ones all
    together or not at all (:func:`deh_deploy.files.write_all`), so the folder never holds a mix of two renders."""
    changed: dict[Path, bytes] = {}
    for name in sorted(desired.artifacts):
        target = out_dir / name
        content = desired.artifacts[name].encode("utf-8")
        if target.is_file():
            status = "identical" if target.read_bytes() == content else "overwrite"
        else:
            status = "create"
        yield f"{status:9} {target}"
        if status != "identical":
            changed[target] = content
    if dry_run or not changed:
        return
    from deh_deploy.files import write_all

    try:
        write_all(changed, stage_in=out_dir)
    except OSError as exc:
        where = exc.filename or out_dir
        raise RenderError(f"cannot write {where}: {exc.strerror or exc}; nothing was changed") from exc


__all__ = ["Desired", "Resource", "check_references", "render_hub", "write_artifacts"]
