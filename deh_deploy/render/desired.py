"""What a hub should look like on Twilio: resources whose attributes hold references (:mod:`.refs`) where a
value is known only once another resource exists, and the artifacts they carry."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from deh_deploy.render.refs import Joined, Ref, join, json_form, ref, refs_in

__all__ = ["Desired", "Joined", "Ref", "Resource", "canonical_json", "join", "ref", "refs_in", "resource"]


def canonical_json(data: Any) -> str:
    """Sorted keys, no insignificant whitespace differences, UTF-8 kept readable; byte-identical run to run.
    References are written in their file form (``{"$ref": …}``)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2, default=json_form) + "\n"


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
    """A resource whose dependencies are the resources it references, plus any explicit ``after``. One that
    refers to itself keeps that dependency, for render's check to refuse (a SID is not known before it exists)."""
    deps = {r.target for r in refs_in(attrs)} | set(after)
    return Resource(kind, key, dict(attrs), tuple(sorted(deps)))


@dataclass
class Desired:
    """Everything render produces for one environment."""

    slug: str
    env: str
    resources: list[Resource] = field(default_factory=list)
    artifacts: dict[str, str] = field(default_factory=dict)
    # The JSON artifacts as values, references in place: what their final form is filled in from.
    documents: dict[str, Any] = field(default_factory=dict)

    def add(self, res: Resource) -> Resource:
        self.resources.append(res)
        return res

    def add_document(self, name: str, value: Any) -> None:
        """A JSON artifact: its file (references in their file form) and the value it is written from."""
        self.documents[name] = value
        self.artifacts[name] = canonical_json(value)

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
