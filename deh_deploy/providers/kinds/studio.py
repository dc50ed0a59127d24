"""Studio: the hub's flows, validated by Studio before every write and compared without their layout."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from deh_deploy.changes import Live
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, canon, register


@register
class Flow(Kind):
    name = "studio.flow"
    compared = ("status", "definition")
    products = ("studio.v2.flows", "studio.v2.flow_validate")

    @staticmethod
    def _record(f: Any, definition: Any) -> Record:
        return Record(
            f.sid,
            {"friendly_name": f.friendly_name, "status": f.status, "definition": definition},
            {"webhook_url": f.webhook_url},
        )

    def list(self, ctx: Ctx) -> Iterable[Record]:
        """List, then fetch each owned flow: the list leaves definitions out."""
        from deh_deploy.names import owns

        listed = tuple(ctx.client.studio.v2.flows.list())
        ours = [f for f in listed if owns(ctx.slug, ctx.env, f.friendly_name)]
        with ThreadPoolExecutor(max_workers=max(1, len(ours))) as pool:
            fetched = dict(
                zip(
                    (f.sid for f in ours),
                    pool.map(lambda f: ctx.client.studio.v2.flows(f.sid).fetch(), ours),
                    strict=True,
                )
            )
        for f in listed:
            full = fetched.get(f.sid)
            yield self._record(full, full.definition) if full is not None else self._record(f, None)

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        validate_flow(ctx, attrs)
        made = ctx.client.studio.v2.flows.create(
            friendly_name=attrs["friendly_name"],
            status=attrs["status"],
            definition=attrs["definition"],
            commit_message="deh apply",
        )
        return self._record(made, made.definition)

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        validate_flow(ctx, attrs)
        made = ctx.client.studio.v2.flows(live.sid).update(
            status=attrs["status"],
            friendly_name=attrs["friendly_name"],
            definition=attrs["definition"],
            commit_message="deh apply",
        )
        return self._record(made, made.definition)

    def delete(self, ctx: Ctx, live: Live) -> None:
        ctx.client.studio.v2.flows(live.sid).delete()

    def canonical(self, name: str, value: Any) -> Any:
        return strip_layout(value) if name == "definition" else value

    def detail(self, name: str, old: Any, new: Any) -> str:
        return changed_widgets(old, new) if name == "definition" else ""


SHOWN_ERRORS = 5  # of FlowValidate's list, in the one line an apply that stops prints


def validate_flow(ctx: Ctx, attrs: Attrs) -> None:
    """Studio's own FlowValidate before any create or update. Its refusal (81022) lists every failure in
    ``details.errors``; the error says which widget properties, not just that the flow is invalid."""
    from twilio.base.exceptions import TwilioRestException

    from deh_deploy.errors import ProviderError

    try:
        ctx.client.studio.v2.flow_validate.update(
            friendly_name=attrs["friendly_name"], status=attrs["status"], definition=attrs["definition"]
        )
    except TwilioRestException as exc:
        found = (exc.details or {}).get("errors") if isinstance(exc.details, dict) else None
        if not isinstance(found, list) or not found:
            raise
        parts = [
            f"{e.get('property_path')}: {e.get('message')}"
            for e in found[:SHOWN_ERRORS]
            if isinstance(e, dict)
        ]
        more = f" (and {len(found) - SHOWN_ERRORS} more)" if len(found) > SHOWN_ERRORS else ""
        raise ProviderError(
            f"Studio refused flow {attrs['friendly_name']!r} (Twilio error {exc.code}): {'; '.join(parts)}{more}"
        ) from None


def strip_layout(definition: Any) -> Any:
    """Flow definitions compared without layout-only fields (a widget's ``offset``)."""
    if not isinstance(definition, Mapping):
        return definition
    states = []
    for s in definition.get("states", []):
        props = {k: v for k, v in s.get("properties", {}).items() if k != "offset"}
        states.append({**s, "properties": props})
    return {**definition, "states": sorted(states, key=lambda s: str(s.get("name")))}


def changed_widgets(old: Any, new: Any) -> str:
    def by_name(d: Any) -> dict[str, str]:
        if not isinstance(d, Mapping):
            return {}
        return {str(s.get("name")): canon(s) for s in d.get("states", [])}

    o, n = by_name(old), by_name(new)
    changed = sorted(k for k in o.keys() & n.keys() if o[k] != n[k])
    added, removed = sorted(n.keys() - o.keys()), sorted(o.keys() - n.keys())
    parts = []
    if changed:
        parts.append("widgets changed: " + ", ".join(changed[:12]) + (" …" if len(changed) > 12 else ""))
    if added:
        parts.append("added: " + ", ".join(added[:12]))
    if removed:
        parts.append("removed: " + ", ".join(removed[:12]))
    return "; ".join(parts)
