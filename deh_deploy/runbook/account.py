"""What the account says of the runbook's steps, read through the provider like a plan (read-only, the account
checked first): numbers on it, bundles approved, the WhatsApp sender online, templates approved, the Messenger
address (which needs the Page), and which skills the workspace's agents carry."""

from __future__ import annotations

import json
from typing import Any

from deh_deploy.config.model import HubConfig
from deh_deploy.deploy import read
from deh_deploy.errors import PlanError
from deh_deploy.providers.connect import Connection
from deh_deploy.providers.errors import sdk_errors
from deh_deploy.providers.kinds.conversations import check_sender
from deh_deploy.providers.market import check_bundle
from deh_deploy.render.skills import listed
from deh_deploy.runbook.model import Account, Status

Check = tuple[Status, str]


@sdk_errors
def read_account(hub: HubConfig, env: str, conn: Connection) -> Account:
    reading = read(hub, env, conn)
    ctx, live = reading.provider.ctx, reading.inventory.live
    desired = {r.id: r for r in reading.desired.resources}
    checks: dict[str, Check] = {}
    for spec in hub.environment(env).numbers.values():
        rid = f"phone.number/{spec.id}"
        found = live.get(rid)
        checks[f"number:{spec.id}"] = (
            ("done", f"on the account: {found.attrs.get('phone_number')}")
            if found
            else (
                "to do",
                "not on the account yet: deh apply buys it" if not spec.adopt else "not on the account",
            )
        )
        if not spec.adopt:
            checks[f"bundle:{spec.id}"] = _bundle(ctx, desired[rid].attrs, spec.id, bool(found))
    sender = hub.environment(env).prerequisites.get("whatsapp_sender")
    if sender and "whatsapp" in hub.channels.enabled:
        checks["sender"] = _passes(lambda: check_sender(ctx, "WhatsApp", f"whatsapp:{sender}"), "ONLINE")
    for rid, resource in desired.items():
        if resource.kind == "content.template" and "whatsapp" in hub.channels.enabled:
            record = live.get(rid)
            status = str(record.extra.get("approval_status", "")) if record else ""
            checks[f"template:{resource.key}"] = (
                ("done", "approved")
                if status == "approved"
                else (
                    "to do",
                    f"{status} on the account" if status else "not submitted yet: deh apply submits it",
                )
            )
    if "messenger" in hub.channels.enabled:
        checks["page"] = (
            ("done", "the Messenger address is live, which Twilio makes only for a connected Page")
            if "conversations.address/messenger" in live
            else ("unknown", "no Twilio API shows a connected Page")
        )
    checks.update(_skills(hub, conn, live.get("taskrouter.workspace/flex")))
    return Account(hub.environment(env).account_sid, conn.where, checks)


def _bundle(ctx: Any, attrs: Any, key: str, bought: bool) -> Check:
    what = f"numbers.{key}: a {attrs.get('type', 'local')} number in {attrs.get('country', '?')}"
    named = attrs.get("bundle_sid") or attrs.get("bundle_sid_env")
    return _passes(
        lambda: check_bundle(ctx, attrs, what), "approved" if named else "no bundle needed", bought
    )


def _passes(check: Any, said: str, done_anyway: bool = False) -> Check:
    try:
        check()
    except PlanError as exc:
        return ("done", f"bought already; {exc}") if done_anyway else ("to do", str(exc))
    return "done", said


def _skills(hub: HubConfig, conn: Connection, workspace: Any) -> dict[str, Check]:
    """A skill is done once an agent of the workspace carries it (``routing.skills`` of a worker)."""
    if workspace is None:
        return {f"skill:{s}": ("to do", "no Flex workspace on the account") for s in listed(hub)}
    held: dict[str, int] = {}
    for worker in conn.client.taskrouter.v1.workspaces(workspace.sid).workers.list():
        try:
            skills = json.loads(worker.attributes or "{}").get("routing", {}).get("skills", [])
        except (ValueError, AttributeError):
            continue
        for skill in skills if isinstance(skills, list) else []:
            held[str(skill)] = held.get(str(skill), 0) + 1
    return {
        f"skill:{s}": ("done", f"{held[s]} agent(s)") if held.get(s) else ("to do", "no agent has it yet")
        for s in listed(hub)
    }
