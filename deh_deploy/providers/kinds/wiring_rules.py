"""What the kinds that point Twilio at the hub service share: a setting is the hub's when its URL carries the
hub's name (``?deh=<hub>``, see ``deh_deploy.render.wiring``); another hub's is never overwritten; anyone else's
is replaced, and the plan says what it replaces."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from deh_deploy.changes import Live
from deh_deploy.errors import PlanError
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record


class Setting(Kind):
    """A setting the account has exactly one of (a webhook, a callback): creating and updating it are the same
    write, :meth:`_write`."""

    def _write(self, ctx: Ctx, attrs: Attrs) -> Record:
        raise NotImplementedError

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        return self._write(ctx, attrs)

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        return self._write(ctx, attrs)


def hub_of(url: str | None) -> str:
    """The hub a URL was set by (its ``deh`` query parameter), or ``""``."""
    if not url:
        return ""
    names = parse_qs(urlsplit(url).query).get("deh") or [""]
    return names[0] if names[0].startswith("deh-") else ""


def replacing(resource_id: str, what: str, live_url: str | None, *, hub: str) -> str:
    """The note of a create that takes the slot ``what`` over from ``live_url``; a PlanError when another hub
    holds it (two hubs on one account cannot share one setting)."""
    if not live_url:
        return f"points {what} at the hub service"
    other = hub_of(live_url)
    if other and other != hub:
        raise PlanError(
            f"{resource_id}: {what} points at hub {other} ({live_url}); one account's {what} serves one hub: "
            f"destroy {other}'s wiring first, or give {hub} an account of its own"
        )
    return f"points {what} at the hub service; replaces {live_url}"
