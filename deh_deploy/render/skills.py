"""Worker skills in the DEH convention: ``language*<language-region>``, ``comm*<channel>``, ``project*everyone``.

Agents onboarded with the DEH admin manual carry these skills, so the queues and the workflow ask for them; a
queue that asks for anything else never matches them. A Society that already names its skills otherwise maps the
convention's names onto its own in ``routing.skill_names``, and every expression uses the Society's names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from deh_deploy.config.model import HubConfig
from deh_deploy.i18n import language_region

EVERYONE = "project*everyone"


@dataclass(frozen=True)
class Skills:
    """The skill names of one hub: the convention's, renamed where the config says so."""

    country: str
    renamed: Mapping[str, str] = field(default_factory=dict)

    def name(self, convention: str) -> str:
        return self.renamed.get(convention, convention)

    def language(self, tag: str) -> str:
        return self.name(f"language*{language_region(tag, country=self.country)}")

    def comm(self, channel: str) -> str:
        return self.name(f"comm*{channel}")

    @property
    def everyone(self) -> str:
        return self.name(EVERYONE)


def of(hub: HubConfig) -> Skills:
    return Skills(hub.country, hub.routing.skill_names)


def listed(hub: HubConfig) -> tuple[str, ...]:
    """Every skill the hub's queues and workflow ask for, in a fixed order: what an admin must be able to assign."""
    skills = of(hub)
    names = [skills.language(lang) for lang in hub.languages]
    names += [skills.comm(channel) for channel in hub.channels.enabled]
    names.append(skills.everyone)
    names += [skill for queue in hub.routing.queues.values() for skill in queue.skills]
    return tuple(dict.fromkeys(names))
