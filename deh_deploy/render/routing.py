"""TaskRouter: the adopted Flex workspace, its task channels, extra activities, queues and the workflow."""

from __future__ import annotations

from typing import Any

from deh_deploy import channels
from deh_deploy.config.model import HubConfig, Queue
from deh_deploy.names import friendly
from deh_deploy.render import skills
from deh_deploy.render.desired import Desired, Ref, ref, resource

TARGET_TIMEOUT = 300  # seconds a task waits for a matching worker before the next target
FLEX_SKILLS = "taskrouter_skills"  # the Flex configuration's list an admin assigns skills from


def _has(skill: str) -> str:
    return f'routing.skills HAS "{skill}"'


def queue_name(slug: str, env: str, queue: Queue) -> str:
    """``DEH hungary staging cva: Cash and voucher assistance``: the id before the colon is the queue's identity,
    so renaming a queue in the config renames it on Twilio instead of replacing it (and its waiting tasks)."""
    return friendly(slug, env, f"{queue.id}: {queue.name}")


def queue_expression(hub: HubConfig, queue: Queue) -> str:
    """Workers who may receive a queue's tasks: one of its languages, and the extra skills it names, or, when it
    names none, ``project*everyone`` (the project every DEH agent is onboarded with)."""
    names = skills.of(hub)
    langs = " OR ".join(_has(names.language(lang)) for lang in queue.languages)
    parts = [f"({langs})" if len(queue.languages) > 1 else langs]
    parts += [_has(skill) for skill in queue.skills or (names.everyone,)]
    return " AND ".join(parts)


def _targets(queue: Ref, *skill_sets: tuple[str, ...]) -> list[dict[str, Any]]:
    """Try the workers with each set of skills in turn for a while, then any worker of the queue."""
    steps: list[dict[str, Any]] = [
        {"queue": queue, "expression": " AND ".join(map(_has, s)), "timeout": TARGET_TIMEOUT}
        for s in skill_sets
    ]
    return [*steps, {"queue": queue}]


def workflow_configuration(hub: HubConfig) -> dict[str, Any]:
    """Tasks go to their topic's queue, to a worker with the task's language and channel (``comm*<channel>``),
    then to one with the language; callbacks to the callback queue. A task of a channel the hub does not list
    (none today) still finds its queue through the filter without a channel."""
    names = skills.of(hub)
    callback = ref("taskrouter.queue", hub.routing.callback_queue, "sid")
    filters: list[dict[str, Any]] = [
        {
            "filter_friendly_name": f"callbacks {lang}",
            "expression": f'type == "callback" AND language == "{lang}"',
            "targets": _targets(callback, (names.language(lang),)),
        }
        for lang in hub.languages
    ]
    for queue in hub.routing.queues.values():
        target = ref("taskrouter.queue", queue.id, "sid")
        for lang in queue.languages:
            language = names.language(lang)
            for channel in hub.channels.enabled:
                filters.append(
                    {
                        "filter_friendly_name": f"{queue.id} {lang} {channel}",
                        "expression": (
                            f'queue == "{queue.id}" AND language == "{lang}" AND channel == "{channel}"'
                        ),
                        "targets": _targets(target, (language, names.comm(channel)), (language,)),
                    }
                )
            filters.append(
                {
                    "filter_friendly_name": f"{queue.id} {lang}",
                    "expression": f'queue == "{queue.id}" AND language == "{lang}"',
                    "targets": _targets(target, (language,)),
                }
            )
    return {
        "task_routing": {
            "filters": filters,
            "default_filter": {"queue": ref("taskrouter.queue", hub.routing.default_queue, "sid")},
        }
    }


def render_routing(hub: HubConfig, env: str, desired: Desired) -> None:
    desired.add(
        resource("taskrouter.workspace", "flex", {"friendly_name": hub.routing.workspace, "adopt": True})
    )
    # The task channels the channel table hands tasks over on, and Flex's default one.
    for channel in (*dict.fromkeys(c.task_channel for c in channels.table()), "default"):
        desired.add(
            resource(
                "taskrouter.task_channel",
                channel,
                {
                    "unique_name": channel,
                    "adopt": True,
                    "workspace_sid": ref("taskrouter.workspace", "flex", "sid"),
                },
            )
        )
    for activity in hub.routing.activities:
        desired.add(
            resource(
                "taskrouter.activity",
                activity.name,
                {
                    "friendly_name": friendly(hub.slug, env, activity.name),
                    "available": activity.available,
                    "workspace_sid": ref("taskrouter.workspace", "flex", "sid"),
                },
            )
        )
    for queue in hub.routing.queues.values():
        desired.add(
            resource(
                "taskrouter.queue",
                queue.id,
                {
                    "friendly_name": queue_name(hub.slug, env, queue),
                    "target_workers": queue_expression(hub, queue),
                    "workspace_sid": ref("taskrouter.workspace", "flex", "sid"),
                },
            )
        )
    desired.add(resource("flex.skills", "hub", {"name": FLEX_SKILLS, "skills": list(skills.listed(hub))}))
    config = workflow_configuration(hub)
    desired.add_document("taskrouter/workflow.json", config)
    desired.add(
        resource(
            "taskrouter.workflow",
            "hub",
            {
                "friendly_name": friendly(hub.slug, env, "routing"),
                "configuration": config,
                "task_reservation_timeout": 120,
                "workspace_sid": ref("taskrouter.workspace", "flex", "sid"),
            },
        )
    )
