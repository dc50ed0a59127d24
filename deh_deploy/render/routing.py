"""TaskRouter: the adopted Flex workspace, its task channels, extra activities, queues and the workflow."""

from __future__ import annotations

from typing import Any

from deh_deploy import channels
from deh_deploy.config.model import HubConfig, Queue
from deh_deploy.names import friendly
from deh_deploy.render.desired import Desired, ref, resource

TARGET_TIMEOUT = 300  # seconds a task waits for a matching worker before the next target


def language_skill(lang: str) -> str:
    return f"language*{lang}"


def queue_name(slug: str, env: str, queue: Queue) -> str:
    """``DEH hungary staging cva: Cash and voucher assistance``: the id before the colon is the queue's identity,
    so renaming a queue in the config renames it on Twilio instead of replacing it (and its waiting tasks)."""
    return friendly(slug, env, f"{queue.id}: {queue.name}")


def queue_expression(queue: Queue) -> str:
    """Workers who may receive a queue's tasks: one of its languages, and any extra skills it names."""
    langs = " OR ".join(f'routing.skills HAS "{language_skill(lang)}"' for lang in queue.languages)
    parts = [f"({langs})" if len(queue.languages) > 1 else langs]
    parts += [f'routing.skills HAS "{skill}"' for skill in queue.skills]
    return " AND ".join(parts)


def workflow_configuration(hub: HubConfig) -> dict[str, Any]:
    """Tasks go to their topic's queue, to a worker with the task's language; callbacks to the callback queue."""
    callback = ref("taskrouter.queue", hub.routing.callback_queue, "sid")
    filters: list[dict[str, Any]] = [
        {
            "filter_friendly_name": f"callbacks {lang}",
            "expression": f'type == "callback" AND language == "{lang}"',
            "targets": [
                {
                    "queue": callback,
                    "expression": f'routing.skills HAS "{language_skill(lang)}"',
                    "timeout": TARGET_TIMEOUT,
                },
                {"queue": callback},
            ],
        }
        for lang in hub.languages
    ]
    for queue in hub.routing.queues.values():
        for lang in queue.languages:
            filters.append(
                {
                    "filter_friendly_name": f"{queue.id} {lang}",
                    "expression": f'queue == "{queue.id}" AND language == "{lang}"',
                    "targets": [
                        {
                            "queue": ref("taskrouter.queue", queue.id, "sid"),
                            "expression": f'routing.skills HAS "{language_skill(lang)}"',
                            "timeout": TARGET_TIMEOUT,
                        },
                        {"queue": ref("taskrouter.queue", queue.id, "sid")},
                    ],
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
                    "target_workers": queue_expression(queue),
                    "workspace_sid": ref("taskrouter.workspace", "flex", "sid"),
                },
            )
        )
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
