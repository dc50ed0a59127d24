"""The wiring: Twilio pointed at the hub service, when the config gives the service's public URL for the
environment (``hub.public_url.<env>``, the URL the service checks Twilio's signatures against).

Each setting is a resource like any other: TaskRouter's workspace event callback (the ``/twilio/taskrouter``
route takes its form posts as they come) and the Conversations post-event webhook of the account
(``/twilio/conversations``); and the voice flow's Record Voicemail widgets post their recording's status to
``/twilio/recording`` (a property of the flow, written with it). Their transcripts still go to the callback
Function, which adds the text to the call-back task for the agent: the service never stores a transcript's text.
With ``hub.viber_bridge`` on, the Viber bot's webhook is one more (``providers/kinds/viber.py``: Viber's API). Each URL carries ``?deh=<hub>``, the hub's unique name, so that a plan knows the
setting as its own (and another hub's as not its own) by the URL alone; Twilio signs the query with the URL.
Without the URL nothing is rendered, and a config without it renders exactly as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from deh_deploy.names import unique
from deh_deploy.render.desired import Desired, ref, resource

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig

# The hub service's routes (deh_deploy/hub/kinds/: a test holds the two to each other).
TASKROUTER_PATH = "/twilio/taskrouter"
CONVERSATIONS_PATH = "/twilio/conversations"
RECORDING_PATH = "/twilio/recording"
VIBER_PATH = "/viber"  # hub/viber_settings.py INBOUND_PATH
# The TaskRouter events the service turns into records (deh_deploy/hub/kinds/taskrouter.py).
TASK_EVENTS = ("task.created", "reservation.accepted", "task.completed", "task.canceled", "workflow.timeout")
# The Conversations events it reads (deh_deploy/hub/kinds/conversations.py).
CONVERSATION_EVENTS = ("onMessageAdded", "onConversationStateUpdated")


def public_url(hub: HubConfig, env: str) -> str | None:
    return hub.service.public_url.get(env) or None


def hook_url(hub: HubConfig, env: str, path: str) -> str:
    base = public_url(hub, env)
    assert base, "no public URL for this environment"
    return f"{base}{path}?deh={unique(hub.slug, env)}"


def recording_callback(hub: HubConfig, env: str) -> str | None:
    """The Record Voicemail widget's ``recording_status_callback_url``: the service's recording route."""
    return hook_url(hub, env, RECORDING_PATH) if public_url(hub, env) else None


def render_wiring(hub: HubConfig, env: str, desired: Desired) -> None:
    if public_url(hub, env) is None:
        return
    name = unique(hub.slug, env)
    desired.add(
        resource(
            "taskrouter.workspace_events",
            "hub",
            {
                "friendly_name": name,
                "workspace_sid": ref("taskrouter.workspace", "flex", "sid"),
                "event_callback_url": hook_url(hub, env, TASKROUTER_PATH),
                "events_filter": ",".join(TASK_EVENTS),
            },
        )
    )
    desired.add(
        resource(
            "conversations.post_webhook",
            "hub",
            {
                "friendly_name": name,
                "post_webhook_url": hook_url(hub, env, CONVERSATIONS_PATH),
                "filters": list(CONVERSATION_EVENTS),
                "method": "POST",
                "target": "webhook",
            },
        )
    )
    if hub.service.viber_bridge:
        from deh_deploy.channels.viber import Viber

        bot = hub.channels.settings.get("viber")
        if isinstance(bot, Viber):
            desired.add(
                resource(
                    "viber.webhook",
                    "bot",
                    {
                        "friendly_name": name,
                        "url": hook_url(hub, env, VIBER_PATH),
                        "token_env": bot.token_env,
                    },
                )
            )
