"""The channel parts of the published schemas, built from the channel table.

``schemas/hub.schema.json`` stays a static file for editors and ``check-jsonschema``; its ``channels`` object and
the channels' prerequisites in ``$defs.environment`` are written from the table by
``python -m deh_deploy.channels --write-schema``, and a test fails when file and table disagree. ``deh validate``
does not read those parts from the file: it builds them from the table in memory (``publish``), so a channel
registered at run time is validated like the built-in ones.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from deh_deploy import channels

if TYPE_CHECKING:
    from deh_deploy.channels.definition import JSON, Channel

DESCRIPTION = "The channels people can use. Leave a channel out to disable it."
EXAMPLES = [{"voice": {"number": "main"}}]
# The environment's own keys that the prerequisites follow in $defs.environment.
AFTER = "numbers"
# scenario.schema.json is laid out by hand, a property a line; only the enum of its channel line is rewritten.
SCENARIO_CHANNEL = re.compile(r'("channel": \{[^\n]*?"enum": )(\[[^\]]*\])')


def channels_schema(table: tuple[Channel, ...] | None = None) -> JSON:
    """The ``channels`` object of the hub schema: one property per channel, at least one of them."""
    return {
        "description": DESCRIPTION,
        "type": "object",
        "properties": {c.name: c.schema for c in table or channels.table()},
        "additionalProperties": False,
        "minProperties": 1,
        "examples": EXAMPLES,
    }


def publish(schema: Mapping[str, Any], table: tuple[Channel, ...] | None = None) -> JSON:
    """The hub schema with its channel parts from the table; the given schema is not changed (copies on the
    way down, so a cached schema can be published again)."""
    table = table or channels.table()
    out = dict(schema)
    out["properties"] = {**schema["properties"], "channels": channels_schema(table)}
    environment = dict(schema["$defs"]["environment"])
    environment["properties"] = _environment_properties(environment["properties"], table)
    out["$defs"] = {**schema["$defs"], "environment": environment}
    return out


def _environment_properties(current: Mapping[str, Any], table: tuple[Channel, ...]) -> JSON:
    owned = {p.key: p.schema for c in table for p in c.needs}
    out: JSON = {}
    for key, value in current.items():
        if key in owned:
            continue
        out[key] = value
        if key == AFTER:
            out.update(owned)
    out.update({k: v for k, v in owned.items() if k not in out})
    return out


def publish_scenarios(schema: Mapping[str, Any], table: tuple[Channel, ...] | None = None) -> JSON:
    """The scenario schema with the channel names of the table."""
    scenarios = schema["properties"]["scenarios"]
    item = scenarios["items"]
    channel = {**item["properties"]["channel"], "enum": [c.name for c in table or channels.table()]}
    item = {**item, "properties": {**item["properties"], "channel": channel}}
    return {**schema, "properties": {**schema["properties"], "scenarios": {**scenarios, "items": item}}}


def hub_schema_text(text: str) -> str:
    """``hub.schema.json``'s text as the table would write it, in the file's layout."""
    return json.dumps(publish(json.loads(text)), indent=2, ensure_ascii=False) + "\n"


def scenario_schema_text(text: str) -> str:
    """``scenario.schema.json``'s text with the table's channel names, every other line left as it is."""
    names = json.dumps(list(channels.names()), ensure_ascii=False)

    def with_names(m: re.Match[str]) -> str:
        return m[1] + names

    new, found = SCENARIO_CHANNEL.subn(with_names, text, count=1)
    if found != 1:
        raise ValueError("scenario.schema.json: no channel enum found")
    return new
