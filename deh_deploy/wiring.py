"""The health gate of the wiring: Twilio is pointed at the hub service only while the service answers healthy.

Before apply writes a setting that points Twilio at the service (a kind whose ``wiring`` is set), it asks
``GET <url>/healthz``, where ``url`` is the service's public URL for the environment, or the address the deploying
machine reaches it by (``--hub-url``, or ``DEH_HUB_URL``, for a machine that cannot reach the public name). An
unhealthy or unreachable service holds the wiring back: everything else is applied, and apply ends with one line
and exit status 1, because a green run that leaves the helpdesk's events going nowhere would be a lie; once
``deh host`` has the service up, the next apply writes the wiring. Clearing a setting (destroy, or a config that
no longer has the URL) is never held back.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from deh_deploy.changes import Delete
from deh_deploy.providers.kinds import REGISTRY

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig
    from deh_deploy.plan import Plan

TIMEOUT = 5.0  # seconds; the service answers /healthz in milliseconds
HUB_URL_ENV = "DEH_HUB_URL"


def target(hub: HubConfig, env: str, override: str | None = None) -> str | None:
    """Where the service's health is asked: the override, ``DEH_HUB_URL``, else the public URL."""
    chosen = override or os.environ.get(HUB_URL_ENV, "").strip() or hub.service.public_url.get(env)
    return chosen.rstrip("/") if chosen else None


def unhealthy(url: str, *, timeout: float = TIMEOUT) -> str | None:
    """Why the service at ``url`` is not healthy, or None when ``/healthz`` answers 200 with status ok."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "not an http or https URL"
    loopback = (parts.hostname or "") in ("127.0.0.1", "localhost", "::1")
    opener = urllib.request.build_opener(*([urllib.request.ProxyHandler({})] if loopback else []))
    request = urllib.request.Request(url + "/healthz", headers={"Accept": "application/json"})
    try:
        with opener.open(request, timeout=timeout) as response:
            body = json.loads(response.read(65536) or b"{}")
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except TimeoutError:
        return f"no answer within {timeout:g} s"
    except (OSError, ValueError) as exc:  # refused, unknown name, TLS, not JSON
        return _reason(exc)
    if not isinstance(body, dict) or body.get("status") != "ok":
        return "not healthy"
    return None


def _reason(exc: BaseException) -> str:
    """``connection refused``, ``name or service not known``…: the cause in a few words, as other lines say it."""
    cause = getattr(exc, "reason", None)
    if isinstance(cause, TimeoutError):
        return "no answer in time"
    found = cause if isinstance(cause, OSError) else exc
    if isinstance(found, OSError) and found.strerror:
        return found.strerror.lower()[:120]
    return (str(cause or exc) or type(exc).__name__)[:120]


def wiring_writes(plan: Plan) -> bool:
    return any(_held_kind(c) for c in plan.changes)


def _held_kind(change: object) -> bool:
    kind = getattr(change, "kind", "")
    return not isinstance(change, Delete) and REGISTRY[kind].wiring


def hold(plan: Plan) -> Plan:
    """The plan without its wiring writes."""
    return replace(plan, changes=tuple(c for c in plan.changes if not _held_kind(c)))


def gate(hub: HubConfig, env: str, plan: Plan, *, hub_url: str | None = None) -> str | None:
    """The line that says why the plan's wiring is held back, or None when it may be written."""
    if not wiring_writes(plan):
        return None
    url = target(hub, env, hub_url)
    if url is None:
        return None
    why = unhealthy(url)
    if why is None:
        return None
    return (
        f"the hub service at {url} does not answer /healthz ({why}): Twilio is not pointed at it; "
        "deploy it with deh host, then run deh apply again"
    )
