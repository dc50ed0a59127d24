"""``deh test``: scenario files (``country_configs/<slug>/scenarios/*.yaml``) run against the hub offline."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from deh_deploy import i18n
from deh_deploy.config.document import Document, display_name
from deh_deploy.config.loader import Positions, load
from deh_deploy.config.model import HubConfig
from deh_deploy.config.schema import check_schema, scenario_validator
from deh_deploy.diagnostics import Diagnostic
from deh_deploy.errors import ConfigError
from deh_deploy.inputs import InputProblem, NotAFile, Outside, confined
from deh_deploy.simulate.hub import HubSimulator, Outcome, Script, transcript_lines


@dataclass(frozen=True)
class Result:
    file: str
    line: int
    name: str
    failures: tuple[str, ...]
    transcript: tuple[str, ...] = ()
    outcome: Outcome | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class Suite:
    results: list[Result] = field(default_factory=list)

    @property
    def failed(self) -> list[Result]:
        return [r for r in self.results if not r.passed]


def scenario_files(hub: HubConfig) -> list[Path]:
    return sorted((hub.source.parent / "scenarios").glob("*.yaml"))


def load_scenarios(path: Path, *, folder: Path | None = None) -> tuple[Document, list[Diagnostic]]:
    """One scenario file, checked against scenario.schema.json. With ``folder`` (the country's), a file that
    leads outside it (a symbolic link to an env file, say) is refused before a byte of it is read."""
    name = display_name(path)
    try:
        target = path if folder is None else confined(folder, os.path.relpath(path, folder))
        loaded = load(target, name=name)
    except Outside:
        where = display_name(folder.resolve()) if folder is not None else "its folder"
        return _unreadable(path, name, f"scenario file must be inside {where}")
    except (InputProblem, NotAFile) as exc:
        return _unreadable(path, name, f"scenario file {exc.message}")
    except OSError as exc:
        return _unreadable(path, name, f"cannot read scenario file: {exc.strerror or exc}")
    doc = Document(path, name, loaded.data, loaded.positions, list(loaded.diagnostics))
    if doc.diagnostics:
        return doc, doc.diagnostics
    return doc, check_schema(doc, scenario_validator())


def _unreadable(path: Path, name: str, message: str) -> tuple[Document, list[Diagnostic]]:
    problem = Diagnostic(name, 0, 0, "$", message)
    return Document(path, name, None, Positions(), [problem]), [problem]


def run_suite(hub: HubConfig, files: list[Path] | None = None) -> Suite:
    suite = Suite()
    sims: dict[str, HubSimulator] = {}
    problems: list[Diagnostic] = []
    for path in files if files is not None else scenario_files(hub):
        doc, diagnostics = load_scenarios(path, folder=hub.source.parent)
        if diagnostics:
            problems.extend(diagnostics)
            continue
        checked = _check_scenarios(doc, hub)
        if checked:
            problems.extend(checked)
            continue
        for i, spec in enumerate(doc.data["scenarios"]):
            env = spec.get("env") or next(iter(hub.environments))
            sim = sims.setdefault(env, HubSimulator(hub, env=env))
            _, line, _ = doc.positions.locate(("scenarios", i))
            suite.results.append(run_one(sim, spec, file=doc.name, line=line))
    if problems:
        raise ConfigError(problems)
    return suite


def _check_scenarios(doc: Document, hub: HubConfig) -> list[Diagnostic]:
    """What the schema cannot say: a real instant, a channel and an environment the hub has."""
    out = []
    for i, spec in enumerate(doc.data["scenarios"]):
        try:
            datetime.fromisoformat(spec["at"])
        except ValueError:
            out.append(doc.at(("scenarios", i, "at"), f"{spec['at']!r} is not a real date and time"))
        if spec["channel"] not in hub.channels.enabled:
            out.append(
                doc.at(
                    ("scenarios", i, "channel"),
                    f"{hub.slug} has no {spec['channel']} channel "
                    f"(enabled: {', '.join(hub.channels.enabled)})",
                )
            )
        if "env" in spec and spec["env"] not in hub.environments:
            out.append(doc.at(("scenarios", i, "env"), f"{hub.slug} has no {spec['env']} environment"))
    return out


def run_one(sim: HubSimulator, spec: Mapping[str, Any], *, file: str, line: int) -> Result:
    script = Script(
        presses=list(spec.get("press", [])), sends=list(spec.get("send", [])), says=list(spec.get("say", []))
    )
    at = datetime.fromisoformat(spec["at"])
    conv, outcome = sim.run(
        channel=spec["channel"],
        at=at,
        script=script,
        from_=spec.get("from"),
        hours_fail=bool(spec.get("hours_fail")),
    )
    lines = transcript_lines(conv)
    failures = list(_check(spec.get("expect", {}), outcome, lines))
    return Result(file, line, spec["name"], tuple(failures), tuple(lines), outcome)


def _tag(lang: str) -> str:
    """A tag as the hub writes it (canonical casing), so ``pt-br`` in a scenario expects ``pt-BR``."""
    try:
        return i18n.canonical(lang)
    except ValueError:
        return lang


def _check(expect: Mapping[str, Any], outcome: Outcome, lines: list[str]) -> Iterator[str]:
    if "end" in expect and outcome.end != expect["end"]:
        yield f"expected to end with {expect['end']}, ended with {outcome.end}" + (
            f" ({outcome.detail})" if outcome.detail else ""
        )
    if "language" in expect and outcome.language != _tag(expect["language"]):
        yield f"expected language {expect['language']}, got {outcome.language}"
    for key, value in expect.get("task", {}).items():
        got = (outcome.task or {}).get(key)
        if got != value:
            yield f"expected task {key}={value!r}, got {got!r}"
    text = "\n".join(lines)
    position = 0
    for needle in expect.get("says", []):
        found = text.find(needle, position)
        if found < 0:
            where = "after the previous expected text " if position else ""
            yield f"expected {needle!r} {where}in the transcript"
        else:
            position = found + len(needle)
    for needle in expect.get("not_says", []):
        if needle in text:
            yield f"did not expect {needle!r} in the transcript"
