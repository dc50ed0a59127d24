"""What a hub should look like on Twilio: resources with symbolic references, and the artifacts they carry."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

# A reference to a value known only once another resource exists: ${ref:<kind>/<key>.<attribute>}
REF = re.compile(r"\$\{ref:(?P<kind>[a-z_.]+)/(?P<key>[A-Za-z0-9_.*+-]+)\.(?P<attr>[a-z_]+)\}")


def ref(kind: str, key: str, attr: str) -> str:
    return f"${{ref:{kind}/{key}.{attr}}}"


def canonical_json(data: Any) -> str:
    """Sorted keys, no insignificant whitespace differences, UTF-8 kept readable; byte-identical run to run."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def refs_in(value: Any) -> Iterator[tuple[str, str, str]]:
    """Every (kind, key, attr) referenced anywhere inside a value."""
    if isinstance(value, str):
        for m in REF.finditer(value):
            yield m["kind"], m["key"], m["attr"]
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from refs_in(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from refs_in(v)


@dataclass(frozen=True)
class Resource:
    """One thing deh-deploy owns (or adopts) on Twilio. ``key`` is unique within ``kind``."""

    kind: str
    key: str
    attrs: Mapping[str, Any]
    depends_on: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.kind}/{self.key}"

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "attrs": dict(self.attrs),
            "depends_on": list(self.depends_on),
        }


def resource(kind: str, key: str, attrs: Mapping[str, Any], *, after: tuple[str, ...] = ()) -> Resource:
    """A resource whose dependencies are the resources it references, plus any explicit ``after``."""
    deps = {f"{k}/{key_}" for k, key_, _ in refs_in(attrs)} | set(after)
    deps.discard(f"{kind}/{key}")
    return Resource(kind, key, dict(attrs), tuple(sorted(deps)))


@dataclass
class Desired:
    """Everything render produces for one environment."""

    slug: str
    env: str
    resources: list[Resource] = field(default_factory=list)
    artifacts: dict[str, str] = field(default_factory=dict)

    def add(self, res: Resource) -> Resource:
        self.resources.append(res)
        return res

    def by_id(self) -> dict[str, Resource]:
        return {r.id: r for r in self.resources}

    def resources_json(self) -> str:
        return canonical_json(
            {
                "slug": self.slug,
                "env": self.env,
                "resources": [r.as_json() for r in sorted(self.resources, key=lambda r: r.id)],
            }
        )
