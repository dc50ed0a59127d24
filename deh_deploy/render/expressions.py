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
from deh_deploy.render.refs import refs_in
from deh_deploy.render.routing import queue_expression, workflow_configuration
from deh_deploy.taskrouter_expressions import problem


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
    # The same functions render_routing writes the queues' target workers and the workflow with, without the
    # rest of a render (resources, files): validate checks many hubs, and this is all it needs of the routing.
    found: list[tuple[tuple[str | int, ...], str, object]] = [
        (("routing", "queues", queue.id), "the queue's target workers", queue_expression(hub, queue))
        for queue in hub.routing.queues.values()
    ]
    found += _workflow(hub, workflow_configuration(hub))
    out = []
    for where, what, text in found:
        why = problem(text)
        if why is not None:
            out.append(doc.at(where, f"{what} expression {text!r} would not parse on TaskRouter: {why}"))
    return out
