"""The rendered TaskRouter expressions, parsed before Twilio sees them.

Queue ``TargetWorkers`` and the workflow's filter and target expressions are built from the config (queue ids,
languages, skill names); one that does not parse would be refused by Twilio in the middle of an apply. ``deh
validate`` renders the routing alone (no flows, no templates) and parses every expression with Twilio's grammar
(``deh_deploy.taskrouter_expressions``), pointing each failure at the config key the expression came from.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from deh_deploy.config import Document
from deh_deploy.config.model import HubConfig
from deh_deploy.diagnostics import Diagnostic
from deh_deploy.render.desired import Desired
from deh_deploy.render.refs import refs_in
from deh_deploy.render.routing import render_routing
from deh_deploy.taskrouter_expressions import problem

WORKFLOW = "taskrouter/workflow.json"


def _queue_key(hub: HubConfig, value: Any) -> tuple[str | int, ...]:
    """The config key of the (first) queue a part of the workflow sends tasks to."""
    for r in refs_in(value):
        if r.kind == "taskrouter.queue" and r.key in hub.routing.queues:
            return ("routing", "queues", r.key)
    return ("routing",)


def _workflow(hub: HubConfig, config: Any) -> Iterator[tuple[tuple[str | int, ...], str, object]]:
    routing = config.get("task_routing", {}) if isinstance(config, dict) else {}
    for i, flt in enumerate(routing.get("filters", [])):
        where = _queue_key(hub, flt.get("targets"))
        yield where, f"the workflow's filter {i} ({flt.get('filter_friendly_name')})", flt.get("expression")
        for j, target in enumerate(flt.get("targets", [])):
            if "expression" in target:
                yield where, f"target {j} of the workflow's filter {i}", target["expression"]


def expression_problems(doc: Document, hub: HubConfig) -> list[Diagnostic]:
    """One diagnostic per rendered TaskRouter expression that does not parse, at the key it came from."""
    env = next(iter(hub.environments))
    desired = Desired(hub.slug, env)
    render_routing(hub, env, desired)
    found: list[tuple[tuple[str | int, ...], str, object]] = [
        (("routing", "queues", res.key), "the queue's target workers", res.attrs.get("target_workers"))
        for res in desired.resources
        if res.kind == "taskrouter.queue"
    ]
    found += _workflow(hub, desired.documents[WORKFLOW])
    out = []
    for where, what, text in found:
        why = problem(text)
        if why is not None:
            out.append(doc.at(where, f"{what} expression {text!r} would not parse on TaskRouter: {why}"))
    return out
