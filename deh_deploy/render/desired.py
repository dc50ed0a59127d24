"""What a hub should look like on Twilio: resources whose attributes hold references (:mod:`.refs`) where a
value is known only once another resource exists, and the artifacts they carry."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from deh_deploy.render.refs import Joined, Ref, join, json_form, ref, refs_in

__all__ = [
    "Artifacts",
    "Desired",
    "Joined",
    "Ref",
    "Resource",
    "canonical_json",
    "join",
    "ref",
    "refs_in",
    "resource",
]


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


class Artifacts(MutableMapping[str, str]):
    """Artifact name → the text of its file. A text given as a function is made when it is first read: plan and
    apply compare values and never read most files, and writing indented JSON is most of render's time."""

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self._items: dict[str, str | Callable[[], str]] = dict(texts or {})

    def later(self, name: str, make: Callable[[], str]) -> None:
        """``name``'s text is ``make()``, made on first reading."""
        self._items[name] = make

    def __getitem__(self, name: str) -> str:
        item = self._items[name]
        if not isinstance(item, str):
            item = self._items[name] = item()
        return item

    def __setitem__(self, name: str, text: str) -> None:
        self._items[name] = text

    def __delitem__(self, name: str) -> None:
        del self._items[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class Desired:
    """Everything render produces for one environment."""

    slug: str
    env: str
    resources: list[Resource] = field(default_factory=list)
    artifacts: MutableMapping[str, str] = field(default_factory=Artifacts)
    # The JSON artifacts as values, references in place: what their final form is filled in from.
    documents: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.artifacts, Artifacts):
            self.artifacts = Artifacts(self.artifacts)

    def add(self, res: Resource) -> Resource:
        self.resources.append(res)
        return res

    def add_document(self, name: str, value: Any) -> None:
        """A JSON artifact: its file (references in their file form) and the value it is written from."""
        self.documents[name] = value
        self.add_later(name, lambda: canonical_json(value))

    def by_id(self) -> dict[str, Resource]:
        return {r.id: r for r in self.resources}

    def add_resources_json(self) -> None:
        """``resources.json``: the resources as they are now, written when it is read."""
        slug, env, resources = self.slug, self.env, list(self.resources)
        self.add_later("resources.json", lambda: _resources_json(slug, env, resources))

    def add_later(self, name: str, make: Callable[[], str]) -> None:
        """An artifact whose text ``make`` writes when it is read."""
        assert isinstance(self.artifacts, Artifacts)  # __post_init__ made it one
        self.artifacts.later(name, make)


def _resources_json(slug: str, env: str, resources: list[Resource]) -> str:
    return canonical_json(
        {"slug": slug, "env": env, "resources": [r.as_json() for r in sorted(resources, key=lambda r: r.id)]}
    )
