"""Small hubs cut from Hungary's example, written to a folder: a week's sweep of one takes about a second."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

HUNGARY = Path(__file__).resolve().parents[2] / "country_configs" / "hungary"

Translate = Callable[[str, dict[str, Any]], None]


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _write(path: Path, data: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(dict(data), allow_unicode=True, sort_keys=False), encoding="utf-8")


def small_hub(
    folder: Path,
    *,
    languages: Sequence[str] = ("uk", "hu"),
    channels: Sequence[str] = ("voice", "sms"),
    topics: Sequence[str] = ("housing", "legal"),
    weekly: Mapping[str, list[str]] | None = None,
    translate: Translate | None = None,
) -> Path:
    """Hungary's hub with fewer languages, channels and topics, no holidays or closures; ``weekly`` replaces
    the weekly shifts and ``translate(lang, texts)`` may edit each translation before it is written."""
    hub = _read(HUNGARY / "hub.yaml")
    hub["languages"] = list(languages)
    hub["translations"] = {lang: f"translations/{lang}.yaml" for lang in languages}
    hub["channels"] = {name: spec for name, spec in hub["channels"].items() if name in channels}
    for env in hub["environments"].values():
        if "whatsapp" not in channels:
            env.pop("whatsapp_sender", None)
        if "messenger" not in channels:
            env.pop("messenger_page_id", None)
    hub["topics"] = {name: spec for name, spec in hub["topics"].items() if name in topics}
    for queue in hub["routing"]["queues"].values():
        queue["languages"] = list(languages)
    hub["hours"].pop("public_holidays", None)
    hub["hours"].pop("closures", None)
    if weekly is not None:
        hub["hours"]["weekly"] = dict(weekly)
    hub.pop("templates", None)
    _write(folder / "hub.yaml", hub)
    for lang in languages:
        texts = _read(HUNGARY / "translations" / f"{lang}.yaml")
        texts["topics"] = {name: spec for name, spec in texts["topics"].items() if name in topics}
        texts.pop("templates", None)
        if translate is not None:
            translate(lang, texts)
        _write(folder / "translations" / f"{lang}.yaml", texts)
    return folder
