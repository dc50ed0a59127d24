"""Hubs grown from Hungary's example for benchmarks: more languages (real tags, distinct texts), topics and queues.

Every text of an added language is Ukrainian's with the language's tag in front, so that no line is shared between
two languages (the sweep would rightly call a shared line misplaced); the WhatsApp templates are left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HUNGARY = Path(__file__).resolve().parent.parent / "country_configs" / "hungary"
LANGUAGES = ("uk", "ru", "hu", "ro", "pl", "de", "en", "cs", "tr")  # each with a Twilio voice


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _tagged(value: Any, tag: str) -> Any:
    if isinstance(value, str):
        return f"[{tag}] {value}"
    if isinstance(value, dict):
        return {k: _tagged(v, tag) for k, v in value.items()}
    return value


def grown_hub(folder: Path, *, languages: int = 3, topics: int = 6, queues: int = 3) -> Path:
    """Hungary with ``languages`` languages, ``topics`` topics (at most 9) and ``queues`` queues."""
    hub = _read(HUNGARY / "hub.yaml")
    langs = list(LANGUAGES[:languages])
    hub["languages"] = langs
    hub["translations"] = {lang: f"translations/{lang}.yaml" for lang in langs}
    hub.pop("templates", None)
    base_topics = list(hub["topics"].items())
    names = [f"q{i}" for i in range(1, queues + 1)]
    hub["routing"]["queues"] = {n: {"name": f"Queue {n}", "languages": langs} for n in names}
    hub["routing"]["default_queue"] = hub["routing"]["callback_queue"] = names[0]
    grown = {}
    for i in range(topics):
        name, spec = base_topics[i % len(base_topics)]
        grown[name if i < len(base_topics) else f"{name}_{i}"] = {**spec, "queue": names[i % queues]}
    hub["topics"] = grown
    _write(folder / "hub.yaml", hub)
    uk = _read(HUNGARY / "translations" / "uk.yaml")
    for lang in langs:
        texts = _read(HUNGARY / "translations" / f"{lang}.yaml") if lang in ("uk", "ru", "hu") else None
        if texts is None:
            texts = {"messages": _tagged(uk["messages"], lang), "topics": _tagged(uk["topics"], lang)}
        texts.pop("templates", None)
        source = dict(texts["topics"])
        texts["topics"] = {}
        for name in grown:
            base = name.rsplit("_", 1)[0] if name not in source else name
            entry = source[base]
            texts["topics"][name] = entry if name in source else _tagged(entry, name)
        _write(folder / "translations" / f"{lang}.yaml", texts)
    return folder
