"""TaskRouter's Events log, read through the SDK, as the event callbacks the hub service would have received.

TaskRouter keeps a workspace's events for 30 days (``GET /v1/Workspaces/{sid}/Events``). An event's
``event_data`` holds, in snake case, the fields its callback posts in Pascal case (``task_sid`` is ``TaskSid``),
so an event read here is the same event a webhook delivers, under the same ``Sid``: the hub's inbox takes it
once, however it arrived.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from twilio.base.exceptions import TwilioException

from deh_deploy.errors import ProviderError, UsageError
from deh_deploy.providers.connect import Connection
from deh_deploy.providers.errors import provider_error, sdk_errors

KEPT_DAYS = 30  # what TaskRouter keeps; older events are gone
PAGE_SIZE = 1000


def pascal(name: str) -> str:
    """``task_queue_sid`` -> ``TaskQueueSid``: an event field as its callback names it."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def as_callback(event: Any) -> dict[str, str]:
    """One Events API event as the form parameters of its event callback (every value a string)."""
    params: dict[str, str] = {}
    data = event.event_data if isinstance(event.event_data, Mapping) else {}
    for name, value in data.items():
        if value is not None:
            params[pascal(str(name))] = value if isinstance(value, str) else str(value)
    ms = int(event.event_date_ms) if event.event_date_ms is not None else None
    params.update(
        {
            "Sid": str(event.sid),
            "EventType": str(event.event_type or ""),
            "AccountSid": str(event.account_sid or ""),
            "WorkspaceSid": str(event.workspace_sid or ""),
            "ResourceType": str(event.resource_type or ""),
            "ResourceSid": str(event.resource_sid or ""),
        }
    )
    if ms is not None:
        params.update(TimestampMs=str(ms), Timestamp=str(ms // 1000))
    return params


@sdk_errors
def workspace_sid(conn: Connection, friendly_name: str) -> str:
    """The SID of the hub's workspace (Flex's, adopted by its name)."""
    found = [w.sid for w in conn.client.taskrouter.v1.workspaces.list(friendly_name=friendly_name)]
    if not found:
        raise ProviderError(f'no TaskRouter workspace named "{friendly_name}" on this account')
    return str(found[0])


def task_events(
    conn: Connection, *, workspace: str, days: int, now: datetime | None = None
) -> Iterator[dict[str, str]]:
    """Every event of the last ``days`` days (at most 30) in the workspace, page after page, as callbacks.

    A generator, so that a month of a busy workspace is never in memory at once; a failure while paging is
    the same one sentence as any other SDK failure."""
    if not 1 <= days <= KEPT_DAYS:
        raise UsageError(
            f"--since must be 1 to {KEPT_DAYS} days: TaskRouter keeps {KEPT_DAYS} days of events"
        )
    end = (now or datetime.now(UTC)).astimezone(UTC)
    events = conn.client.taskrouter.v1.workspaces(workspace).events
    try:
        for event in events.stream(start_date=end - timedelta(days=days), end_date=end, page_size=PAGE_SIZE):
            yield as_callback(event)
    except (requests.RequestException, TwilioException) as exc:
        translated = provider_error(exc, subject=f"reading the Events of workspace {workspace}")
        assert translated is not None
        raise translated from None
