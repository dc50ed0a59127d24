"""A readable summary of a rendered hub (the phone menu in every language, topics, hours), through a sandboxed
Jinja2 with StrictUndefined. Configured text is passed in as data and never evaluated as a template."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from deh_deploy.config.model import HubConfig
from deh_deploy.i18n import language
from deh_deploy.render.desired import Desired
from deh_deploy.render.serverless import templates_dir
from deh_deploy.textchecks import fill

if TYPE_CHECKING:
    from jinja2.sandbox import SandboxedEnvironment


@cache
def _env() -> SandboxedEnvironment:
    """Jinja2 is imported here, not with the module: ``deh validate`` imports ``render`` for its names only."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        loader=FileSystemLoader(templates_dir() / "render"),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_summary(hub: HubConfig, env: str, desired: Desired) -> str:
    langs = []
    for i, tag in enumerate(hub.languages, start=1):
        t = hub.texts[tag]
        langs.append(
            {
                "tag": tag,
                "info": language(tag),
                "digit": i,
                "choice": fill(t.messages["language_choice"], digit=str(i)),
                "welcome": t.messages["welcome"],
                "menu": [
                    fill(t.messages["topic_option"], digit=str(n), topic=t.titles[topic.id])
                    for n, topic in enumerate(hub.topics, start=1)
                ],
                "after_hours": fill(t.messages["after_hours"], promise=t.messages["promise"]),
            }
        )
    kinds: dict[str, int] = {}
    for r in desired.resources:
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    return (
        _env()
        .get_template("summary.md.j2")
        .render(
            hub=hub,
            env=env,
            languages=langs,
            kinds=sorted(kinds.items()),
            weekly=hub.raw_hours.get("weekly", {}),
        )
    )
