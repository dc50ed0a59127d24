"""One handler per resource kind: how to list it, match it, compare it, and create, update or delete it.

This is the one place that knows Twilio's shapes. Handlers get a :class:`Ctx` with the SDK client and the live
state so far, so that children can find their parents' SIDs.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from twilio.rest import Client

from deh_deploy.plan import FieldChange, Live

Attrs = Mapping[str, Any]


@dataclass
class Ctx:
    client: Client
    account_sid: str
    slug: str
    env: str
    live: dict[str, Live] = field(default_factory=dict)
    artifacts: Mapping[str, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    reads: dict[str, list[Any] | Exception] = field(
        default_factory=dict
    )  # lists shared by two kinds within one populate
    reads_lock: threading.Lock = field(default_factory=threading.Lock)

    def sid(self, resource_id: str) -> str | None:
        found = self.live.get(resource_id)
        return found.sid if found else None


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Kind:
    name: str
    # identities of desired attrs / of a live record: a match is any shared identity
    identity: Callable[[Attrs], tuple[str, ...]]
    list: Callable[[Ctx], Iterable[tuple[str, Attrs, dict[str, Any]]]]  # (sid, attrs, extra)
    create: Callable[[Ctx, Attrs], tuple[str, Attrs, dict[str, Any]]]
    update: Callable[[Ctx, Live, Attrs], tuple[str, Attrs, dict[str, Any]]] | None
    delete: Callable[[Ctx, Live], None] | None
    compared: tuple[str, ...]
    parent: str | None = None  # a resource id whose live existence the list needs
    adopt_only: bool = False  # never created or deleted by deh, only adopted and configured
    replace_on_update: bool = False  # immutable on Twilio: an update is delete + create
    # a read a create will need, made as soon as apply starts rather than when the create's turn comes
    prefetch: Callable[[Ctx], None] | None = None

    def diff(self, live: Live, desired: Attrs) -> tuple[FieldChange, ...]:
        out = []
        for name in self.compared:
            if name not in desired:
                continue
            old, new = live.attrs.get(name), desired[name]
            if name == "definition":
                old, new = strip_layout(old), strip_layout(new)
            if _canon(old) != _canon(new):
                detail = changed_widgets(old, new) if name == "definition" else ""
                out.append(FieldChange(name, live.attrs.get(name), desired[name], detail))
        return tuple(out)


def strip_layout(definition: Any) -> Any:
    """Flow definitions compared without layout-only fields (a widget's ``offset``)."""
    if not isinstance(definition, Mapping):
        return definition
    states = []
    for s in definition.get("states", []):
        props = {k: v for k, v in s.get("properties", {}).items() if k != "offset"}
        states.append({**s, "properties": props})
    return {**definition, "states": sorted(states, key=lambda s: str(s.get("name")))}


def changed_widgets(old: Any, new: Any) -> str:
    def by_name(d: Any) -> dict[str, str]:
        if not isinstance(d, Mapping):
            return {}
        return {str(s.get("name")): _canon(s) for s in d.get("states", [])}

    o, n = by_name(old), by_name(new)
    changed = sorted(k for k in o.keys() & n.keys() if o[k] != n[k])
    added, removed = sorted(n.keys() - o.keys()), sorted(o.keys() - n.keys())
    parts = []
    if changed:
        parts.append("widgets changed: " + ", ".join(changed[:12]) + (" …" if len(changed) > 12 else ""))
    if added:
        parts.append("added: " + ", ".join(added[:12]))
    if removed:
        parts.append("removed: " + ", ".join(removed[:12]))
    return "; ".join(parts)


def _by(field_name: str) -> Callable[[Attrs], tuple[str, ...]]:
    return lambda a: (str(a[field_name]),) if a.get(field_name) else ()


# -- Serverless ---------------------------------------------------------------------------------------------------
def _svc(ctx: Ctx) -> Any:
    sid = ctx.sid("serverless.service/hub")
    assert sid, "serverless service not yet created"
    return ctx.client.serverless.v1.services(sid)


def _env_ctx(ctx: Ctx) -> Any:
    sid = ctx.sid(f"serverless.environment/{ctx.env}")
    assert sid, "serverless environment not yet created"
    return _svc(ctx).environments(sid)


SERVICE = Kind(
    "serverless.service",
    _by("unique_name"),
    list=lambda ctx: (
        (
            s.sid,
            {
                "unique_name": s.unique_name,
                "friendly_name": s.friendly_name,
                "include_credentials": s.include_credentials,
                "ui_editable": s.ui_editable,
            },
            {},
        )
        for s in ctx.client.serverless.v1.services.list()
    ),
    create=lambda ctx, a: _service_create(ctx, a),
    update=lambda ctx, live, a: _service_update(ctx, live, a),
    delete=lambda ctx, live: ctx.client.serverless.v1.services(live.sid).delete() and None,
    compared=("friendly_name", "include_credentials", "ui_editable"),
)


def _service_attrs(s: Any) -> tuple[str, Attrs, dict[str, Any]]:
    return (
        s.sid,
        {
            "unique_name": s.unique_name,
            "friendly_name": s.friendly_name,
            "include_credentials": s.include_credentials,
            "ui_editable": s.ui_editable,
        },
        {},
    )


def _service_create(ctx: Ctx, a: Attrs) -> tuple[str, Attrs, dict[str, Any]]:
    return _service_attrs(
        ctx.client.serverless.v1.services.create(
            unique_name=a["unique_name"],
            friendly_name=a["friendly_name"],
            include_credentials=a["include_credentials"],
            ui_editable=a["ui_editable"],
        )
    )


def _service_update(ctx: Ctx, live: Live, a: Attrs) -> tuple[str, Attrs, dict[str, Any]]:
    return _service_attrs(
        ctx.client.serverless.v1.services(live.sid).update(
            friendly_name=a["friendly_name"],
            include_credentials=a["include_credentials"],
            ui_editable=a["ui_editable"],
        )
    )


def _environment(e: Any) -> tuple[str, Attrs, dict[str, Any]]:
    return (
        e.sid,
        {"unique_name": e.unique_name, "domain_suffix": e.domain_suffix},
        {"domain_name": e.domain_name},
    )


ENVIRONMENT = Kind(
    "serverless.environment",
    _by("unique_name"),
    list=lambda ctx: (_environment(e) for e in _svc(ctx).environments.list()),
    create=lambda ctx, a: _environment(
        _svc(ctx).environments.create(unique_name=a["unique_name"], domain_suffix=a["domain_suffix"])
    ),
    update=None,
    delete=lambda ctx, live: _svc(ctx).environments(live.sid).delete() and None,
    compared=("domain_suffix",),
    parent="serverless.service/hub",
    replace_on_update=True,
)


def _named(kind: str, sdk: Callable[[Ctx], Any]) -> Kind:
    """Serverless functions and assets: containers named by friendly name; their content ships with a deployment."""
    return Kind(
        kind,
        _by("friendly_name"),
        list=lambda ctx: ((f.sid, {"friendly_name": f.friendly_name}, {}) for f in sdk(ctx).list()),
        create=lambda ctx, a: (lambda f: (f.sid, {"friendly_name": f.friendly_name}, {}))(
            sdk(ctx).create(friendly_name=a["friendly_name"])
        ),
        update=None,
        delete=lambda ctx, live: sdk(ctx)(live.sid).delete() and None,
        compared=("friendly_name",),
        parent="serverless.service/hub",
    )


FUNCTION = _named("serverless.function", lambda ctx: _svc(ctx).functions)
ASSET = _named("serverless.asset", lambda ctx: _svc(ctx).assets)

DEPLOYMENT_VARIABLE = "DEH_DEPLOYMENT"


def _shared(ctx: Ctx, key: str, fetch: Callable[[], Iterable[Any]]) -> list[Any]:
    """One list serving two kinds within a populate (variables and the deployment; numbers and their routes)."""
    with ctx.reads_lock:
        if key not in ctx.reads:
            try:
                ctx.reads[key] = list(fetch())
            except Exception as exc:  # the second kind gets the same failure, not a second round of retries
                ctx.reads[key] = exc
        got = ctx.reads[key]
    if isinstance(got, Exception):
        raise got
    return got


def _env_variables(ctx: Ctx) -> list[Any]:
    return _shared(ctx, "variables", lambda: _env_ctx(ctx).variables.list())


def _variables(ctx: Ctx) -> Iterable[tuple[str, Attrs, dict[str, Any]]]:
    for v in _env_variables(ctx):
        if v.key != DEPLOYMENT_VARIABLE:
            yield v.sid, {"key": v.key, "value": v.value}, {}


VARIABLE = Kind(
    "serverless.variable",
    _by("key"),
    list=_variables,
    create=lambda ctx, a: (lambda v: (v.sid, {"key": v.key, "value": v.value}, {}))(
        _env_ctx(ctx).variables.create(key=a["key"], value=a["value"])
    ),
    update=lambda ctx, live, a: (lambda v: (v.sid, {"key": v.key, "value": v.value}, {}))(
        _env_ctx(ctx).variables(live.sid).update(value=a["value"])
    ),
    delete=lambda ctx, live: _env_ctx(ctx).variables(live.sid).delete() and None,
    compared=("value",),
    parent="serverless.environment/{env}",
)


# -- TaskRouter -----------------------------------------------------------------------------------------------------
def _ws(ctx: Ctx) -> Any:
    sid = ctx.sid("taskrouter.workspace/flex")
    assert sid, "workspace not yet known"
    return ctx.client.taskrouter.v1.workspaces(sid)


def _workspace_create(ctx: Ctx, a: Attrs) -> tuple[str, Attrs, dict[str, Any]]:
    w = ctx.client.taskrouter.v1.workspaces.create(friendly_name=a["friendly_name"])
    return w.sid, {"friendly_name": w.friendly_name}, {}


WORKSPACE = Kind(
    "taskrouter.workspace",
    _by("friendly_name"),
    list=lambda ctx: (
        (w.sid, {"friendly_name": w.friendly_name}, {}) for w in ctx.client.taskrouter.v1.workspaces.list()
    ),
    create=_workspace_create,
    update=None,
    delete=None,
    compared=(),
    adopt_only=True,
)

TASK_CHANNEL = Kind(
    "taskrouter.task_channel",
    _by("unique_name"),
    list=lambda ctx: ((c.sid, {"unique_name": c.unique_name}, {}) for c in _ws(ctx).task_channels.list()),
    create=lambda ctx, a: (lambda c: (c.sid, {"unique_name": c.unique_name}, {}))(
        _ws(ctx).task_channels.create(friendly_name=a["unique_name"], unique_name=a["unique_name"])
    ),
    update=None,
    delete=None,
    compared=(),
    parent="taskrouter.workspace/flex",
    adopt_only=True,
)

ACTIVITY = Kind(
    "taskrouter.activity",
    _by("friendly_name"),
    list=lambda ctx: (
        (x.sid, {"friendly_name": x.friendly_name, "available": x.available}, {})
        for x in _ws(ctx).activities.list()
    ),
    create=lambda ctx, a: (
        lambda x: (x.sid, {"friendly_name": x.friendly_name, "available": x.available}, {})
    )(_ws(ctx).activities.create(friendly_name=a["friendly_name"], available=a["available"])),
    update=None,
    delete=lambda ctx, live: _ws(ctx).activities(live.sid).delete() and None,
    compared=("available",),
    parent="taskrouter.workspace/flex",
    replace_on_update=True,
)


def _queue(q: Any) -> tuple[str, Attrs, dict[str, Any]]:
    return q.sid, {"friendly_name": q.friendly_name, "target_workers": q.target_workers}, {}


def _queue_identity(a: Attrs) -> tuple[str, ...]:
    """A queue is known by its name up to the colon (``DEH hungary staging cva``), so its title can change."""
    name = str(a.get("friendly_name") or "")
    return (name.split(":", 1)[0],) if name else ()


QUEUE = Kind(
    "taskrouter.queue",
    _queue_identity,
    list=lambda ctx: (_queue(q) for q in _ws(ctx).task_queues.list()),
    create=lambda ctx, a: _queue(
        _ws(ctx).task_queues.create(friendly_name=a["friendly_name"], target_workers=a["target_workers"])
    ),
    update=lambda ctx, live, a: _queue(
        _ws(ctx)
        .task_queues(live.sid)
        .update(friendly_name=a["friendly_name"], target_workers=a["target_workers"])
    ),
    delete=lambda ctx, live: _ws(ctx).task_queues(live.sid).delete() and None,
    compared=("friendly_name", "target_workers"),
    parent="taskrouter.workspace/flex",
)


def _workflow(w: Any) -> tuple[str, Attrs, dict[str, Any]]:
    config = json.loads(w.configuration) if isinstance(w.configuration, str) else w.configuration
    return (
        w.sid,
        {
            "friendly_name": w.friendly_name,
            "configuration": config,
            "task_reservation_timeout": w.task_reservation_timeout,
        },
        {},
    )


WORKFLOW = Kind(
    "taskrouter.workflow",
    _by("friendly_name"),
    list=lambda ctx: (_workflow(w) for w in _ws(ctx).workflows.list()),
    create=lambda ctx, a: _workflow(
        _ws(ctx).workflows.create(
            friendly_name=a["friendly_name"],
            configuration=json.dumps(a["configuration"], sort_keys=True),
            task_reservation_timeout=a["task_reservation_timeout"],
        )
    ),
    update=lambda ctx, live, a: _workflow(
        _ws(ctx)
        .workflows(live.sid)
        .update(
            configuration=json.dumps(a["configuration"], sort_keys=True),
            task_reservation_timeout=a["task_reservation_timeout"],
        )
    ),
    delete=lambda ctx, live: _ws(ctx).workflows(live.sid).delete() and None,
    compared=("configuration", "task_reservation_timeout"),
    parent="taskrouter.workspace/flex",
)


# -- Studio ---------------------------------------------------------------------------------------------------------
def _flow(f: Any, definition: Any) -> tuple[str, Attrs, dict[str, Any]]:
    return (
        f.sid,
        {"friendly_name": f.friendly_name, "status": f.status, "definition": definition},
        {"webhook_url": f.webhook_url},
    )


def _flows(ctx: Ctx) -> Iterable[tuple[str, Attrs, dict[str, Any]]]:
    """List, then fetch each owned flow: the list leaves definitions out."""
    from deh_deploy.render.names import owns

    listed = list(ctx.client.studio.v2.flows.list())
    ours = [f for f in listed if owns(ctx.slug, ctx.env, f.friendly_name)]
    with ThreadPoolExecutor(max_workers=max(1, len(ours))) as pool:
        fetched = dict(
            zip(
                (f.sid for f in ours),
                pool.map(lambda f: ctx.client.studio.v2.flows(f.sid).fetch(), ours),
                strict=True,
            )
        )
    for f in listed:
        full = fetched.get(f.sid)
        yield _flow(full, full.definition) if full is not None else _flow(f, None)


def validate_flow(ctx: Ctx, a: Attrs) -> None:
    """Studio's own FlowValidate before any create or update; its errors name the widget property."""
    ctx.client.studio.v2.flow_validate.update(
        friendly_name=a["friendly_name"], status=a["status"], definition=a["definition"]
    )


def _flow_create(ctx: Ctx, a: Attrs) -> tuple[str, Attrs, dict[str, Any]]:
    validate_flow(ctx, a)
    f = ctx.client.studio.v2.flows.create(
        friendly_name=a["friendly_name"],
        status=a["status"],
        definition=a["definition"],
        commit_message="deh apply",
    )
    return _flow(f, f.definition)


def _flow_update(ctx: Ctx, live: Live, a: Attrs) -> tuple[str, Attrs, dict[str, Any]]:
    validate_flow(ctx, a)
    f = ctx.client.studio.v2.flows(live.sid).update(
        status=a["status"],
        friendly_name=a["friendly_name"],
        definition=a["definition"],
        commit_message="deh apply",
    )
    return _flow(f, f.definition)


FLOW = Kind(
    "studio.flow",
    _by("friendly_name"),
    list=_flows,
    create=_flow_create,
    update=_flow_update,
    delete=lambda ctx, live: ctx.client.studio.v2.flows(live.sid).delete() and None,
    compared=("status", "definition"),
)


# -- Content API ----------------------------------------------------------------------------------------------------
def _content(c: Any) -> tuple[str, Attrs, dict[str, Any]]:
    approvals = c.approval_requests or {}
    status = approvals.get("status") if isinstance(approvals, Mapping) else None
    return (
        c.sid,
        {
            "friendly_name": c.friendly_name,
            "language": c.language,
            "variables": c.variables or {},
            "types": c.types or {},
        },
        {"approval_status": status or "unsubmitted"},
    )


def submit_approval(ctx: Ctx, sid: str, approval: Attrs) -> str:
    """Ask WhatsApp to approve a template; returns the status Twilio gives (usually "received")."""
    from twilio.rest.content.v1.content.approval_create import ApprovalCreateList

    req = ApprovalCreateList.ContentApprovalRequest(
        {"name": approval["name"], "category": approval["category"]}
    )
    return str(ctx.client.content.v1.contents(sid).approval_create.create(req).status or "received")


def _content_create(ctx: Ctx, a: Attrs) -> tuple[str, Attrs, dict[str, Any]]:
    from twilio.rest.content.v1.content import ContentList

    body = {
        "friendly_name": a["friendly_name"],
        "language": a["language"],
        "variables": a["variables"],
        "types": a["types"],
    }
    c = ctx.client.content.v1.contents.create(ContentList.ContentCreateRequest(body))
    approval = a.get("whatsapp_approval")
    status = submit_approval(ctx, c.sid, approval) if approval else "unsubmitted"
    return c.sid, {**body}, {"approval_status": status}


CONTENT = Kind(
    "content.template",
    _by("friendly_name"),
    list=lambda ctx: (_content(c) for c in ctx.client.content.v1.content_and_approvals.list()),
    create=_content_create,
    update=None,
    delete=lambda ctx, live: ctx.client.content.v1.contents(live.sid).delete() and None,
    compared=("language", "variables", "types"),
    replace_on_update=True,
)


# -- Messaging ------------------------------------------------------------------------------------------------------
def _msg_service(s: Any) -> tuple[str, Attrs, dict[str, Any]]:
    return (
        s.sid,
        {"friendly_name": s.friendly_name, "use_inbound_webhook_on_number": s.use_inbound_webhook_on_number},
        {},
    )


MESSAGING_SERVICE = Kind(
    "messaging.service",
    _by("friendly_name"),
    list=lambda ctx: (_msg_service(s) for s in ctx.client.messaging.v1.services.list()),
    create=lambda ctx, a: _msg_service(
        ctx.client.messaging.v1.services(
            ctx.client.messaging.v1.services.create(friendly_name=a["friendly_name"]).sid
        ).update(use_inbound_webhook_on_number=a["use_inbound_webhook_on_number"])
    ),
    update=lambda ctx, live, a: _msg_service(
        ctx.client.messaging.v1.services(live.sid).update(
            use_inbound_webhook_on_number=a["use_inbound_webhook_on_number"]
        )
    ),
    delete=lambda ctx, live: ctx.client.messaging.v1.services(live.sid).delete() and None,
    compared=("use_inbound_webhook_on_number",),
)


def _mg(ctx: Ctx) -> Any:
    sid = ctx.sid("messaging.service/hub")
    assert sid, "messaging service not yet created"
    return ctx.client.messaging.v1.services(sid)


SERVICE_NUMBER = Kind(
    "messaging.service_number",
    _by("phone_number_sid"),
    list=lambda ctx: (
        (p.sid, {"phone_number_sid": p.sid, "service_sid": p.service_sid}, {})
        for p in _mg(ctx).phone_numbers.list()
    ),
    create=lambda ctx, a: (lambda p: (p.sid, {"phone_number_sid": p.sid, "service_sid": p.service_sid}, {}))(
        _mg(ctx).phone_numbers.create(phone_number_sid=a["phone_number_sid"])
    ),
    update=None,
    delete=lambda ctx, live: _mg(ctx).phone_numbers(live.sid).delete() and None,
    compared=(),
    parent="messaging.service/hub",
)


# -- Conversations and Flex -----------------------------------------------------------------------------------------
def _address(x: Any) -> tuple[str, Attrs, dict[str, Any]]:
    auto = x.auto_creation or {}
    return (
        x.sid,
        {
            "type": x.type,
            "address": x.address,
            "friendly_name": x.friendly_name,
            "auto_creation": {
                "enabled": bool(auto.get("enabled")),
                "type": auto.get("type"),
                "studio_flow_sid": auto.get("studio_flow_sid"),
                "webhook_filters": list(auto.get("webhook_filters") or []),
            },
        },
        {},
    )


def _address_args(a: Attrs) -> dict[str, Any]:
    auto = a["auto_creation"]
    return {
        "friendly_name": a["friendly_name"],
        "auto_creation_enabled": auto["enabled"],
        "auto_creation_type": auto["type"],
        "auto_creation_studio_flow_sid": auto["studio_flow_sid"],
        "auto_creation_webhook_filters": auto["webhook_filters"],
    }


ADDRESS = Kind(
    "conversations.address",
    _by("address"),
    list=lambda ctx: (_address(x) for x in ctx.client.conversations.v1.address_configurations.list()),
    create=lambda ctx, a: _address(
        ctx.client.conversations.v1.address_configurations.create(
            type=a["type"], address=a["address"], **_address_args(a)
        )
    ),
    update=lambda ctx, live, a: _address(
        ctx.client.conversations.v1.address_configurations(live.sid).update(**_address_args(a))
    ),
    delete=lambda ctx, live: ctx.client.conversations.v1.address_configurations(live.sid).delete() and None,
    compared=("friendly_name", "auto_creation"),
)


def _flex_flow(f: Any) -> tuple[str, Attrs, dict[str, Any]]:
    integration = f.integration or {}
    return (
        f.sid,
        {
            "friendly_name": f.friendly_name,
            "channel_type": f.channel_type,
            "integration_type": f.integration_type,
            "integration": {"flow_sid": integration.get("flow_sid")},
            "enabled": f.enabled,
            "contact_identity": f.contact_identity,
        },
        {},
    )


def _flex_chat_service(ctx: Ctx) -> None:
    """The Flex configuration names the chat service every Flex Flow belongs to."""
    _shared(ctx, "flex_configuration", lambda: [ctx.client.flex_api.v1.configuration().fetch()])


def _flex_flow_create(ctx: Ctx, a: Attrs) -> tuple[str, Attrs, dict[str, Any]]:
    _flex_chat_service(ctx)
    chat_service = ctx.reads["flex_configuration"][0].chat_service_instance_sid  # type: ignore[index]
    return _flex_flow(
        ctx.client.flex_api.v1.flex_flow.create(
            friendly_name=a["friendly_name"],
            chat_service_sid=chat_service,
            channel_type=a["channel_type"],
            integration_type=a["integration_type"],
            integration_flow_sid=a["integration"]["flow_sid"],
            enabled=a["enabled"],
            contact_identity=a["contact_identity"],
        )
    )


FLEX_FLOW = Kind(
    "flex.flow",
    _by("friendly_name"),
    list=lambda ctx: (_flex_flow(f) for f in ctx.client.flex_api.v1.flex_flow.list()),
    create=_flex_flow_create,
    update=lambda ctx, live, a: _flex_flow(
        ctx.client.flex_api.v1.flex_flow(live.sid).update(
            integration_flow_sid=a["integration"]["flow_sid"], enabled=a["enabled"]
        )
    ),
    delete=lambda ctx, live: ctx.client.flex_api.v1.flex_flow(live.sid).delete() and None,
    compared=("integration", "enabled"),
    prefetch=_flex_chat_service,
)


# -- Phone numbers: money and identity ------------------------------------------------------------------------------
def _number(n: Any) -> tuple[str, Attrs, dict[str, Any]]:
    return n.sid, {"phone_number": n.phone_number, "friendly_name": n.friendly_name}, {}


def _route(n: Any) -> tuple[str, Attrs, dict[str, Any]]:
    return (
        n.sid,
        {"phone_number_sid": n.sid, "voice_url": n.voice_url or None, "sms_url": n.sms_url or None},
        {},
    )


def _number_identity(a: Attrs) -> tuple[str, ...]:
    return tuple(str(a[k]) for k in ("adopt", "phone_number", "friendly_name") if a.get(k))


def _incoming(ctx: Ctx) -> list[Any]:
    return _shared(ctx, "numbers", lambda: ctx.client.api.v2010.account.incoming_phone_numbers.list())


def _numbers(ctx: Ctx) -> Iterable[tuple[str, Attrs, dict[str, Any]]]:
    return (_number(n) for n in _incoming(ctx))


def _set_route(ctx: Ctx, a: Attrs) -> tuple[str, Attrs, dict[str, Any]]:
    return _route(
        ctx.client.api.v2010.account.incoming_phone_numbers(a["phone_number_sid"]).update(**_urls(a))
    )


def _urls(a: Attrs) -> dict[str, Any]:
    return {k: a[k] for k in ("voice_url", "sms_url") if a.get(k)}


def _purchase(ctx: Ctx, a: Attrs) -> tuple[str, Attrs, dict[str, Any]]:
    """Buy a number. A purchase that fails ambiguously is looked up by its friendly name before anything else."""
    from twilio.base.exceptions import TwilioException

    from deh_deploy.errors import ProviderError

    if a.get("adopt"):
        raise ProviderError(
            f"number {a['adopt']} is not on account {ctx.account_sid}; buy it by hand or use buy:"
        )
    numbers = ctx.client.api.v2010.account.incoming_phone_numbers
    search = ctx.client.api.v2010.account.available_phone_numbers(a["country"])
    kind = {"local": search.local, "mobile": search.mobile, "toll-free": search.toll_free}[a["type"]]
    criteria = {k: v for k, v in a.get("buy", {}).items() if v}
    needs = {f"{c}_enabled": True for c in a.get("capabilities", ())}
    candidates = kind.list(limit=5, **needs, **criteria)
    if not candidates:
        raise ProviderError(f"no {a['type']} number available in {a['country']} matching {criteria or 'any'}")
    chosen = candidates[0].phone_number
    extra = {k: a[k] for k in ("bundle_sid", "address_sid") if a.get(k)}
    try:
        bought = numbers.create(phone_number=chosen, friendly_name=a["friendly_name"], **extra)
    except TwilioException as exc:
        if getattr(exc, "status", 500) < 500 and not isinstance(exc, ConnectionError):
            raise
        bought = _find_by_name(ctx, a["friendly_name"], exc)
    except Exception as exc:  # dropped connection, timeout: the purchase may have happened
        bought = _find_by_name(ctx, a["friendly_name"], exc)
    return _number(bought)


def _find_by_name(ctx: Ctx, name: str, cause: Exception) -> Any:
    found = ctx.client.api.v2010.account.incoming_phone_numbers.list(friendly_name=name)
    if found:
        return found[0]
    raise cause


NUMBER = Kind(
    "phone.number",
    _number_identity,
    list=_numbers,
    create=_purchase,
    update=lambda ctx, live, a: _number(
        ctx.client.api.v2010.account.incoming_phone_numbers(live.sid).update(friendly_name=a["friendly_name"])
    ),
    delete=lambda ctx, live: ctx.client.api.v2010.account.incoming_phone_numbers(live.sid).delete() and None,
    compared=("friendly_name",),
)

# Where a number's calls and messages go. Never deleted: a kept number keeps its last route until told otherwise.
ROUTE = Kind(
    "phone.route",
    _by("phone_number_sid"),
    list=lambda ctx: (_route(n) for n in _incoming(ctx)),
    create=_set_route,
    update=lambda ctx, live, a: _set_route(ctx, a),
    delete=None,
    compared=("voice_url", "sms_url"),
)


# -- The Serverless deployment: content, build, deploy -------------------------------------------------------------
UPLOAD = "https://serverless-upload.twilio.com/v1/Services/{service}/{folder}/{sid}/Versions"
BUILD_POLL_SECONDS = 0.2
BUILD_TIMEOUT_SECONDS = 300


def _deployment_list(ctx: Ctx) -> Iterable[tuple[str, Attrs, dict[str, Any]]]:
    for v in _env_variables(ctx):
        if v.key == DEPLOYMENT_VARIABLE:
            try:
                yield v.sid, json.loads(v.value), {}
            except ValueError:
                yield v.sid, {}, {}


def upload_version(
    ctx: Ctx, *, folder: str, sid: str, path: str, visibility: str, content: str, content_type: str
) -> str:
    """Upload a Function or Asset version (multipart; not in the SDK), through the SDK's own HTTP client."""
    from urllib3 import encode_multipart_formdata

    from deh_deploy.errors import ProviderError

    body, ctype = encode_multipart_formdata(
        {
            "Path": path,
            "Visibility": visibility,
            "Content": (path.rsplit("/", 1)[-1] or "content", content.encode("utf-8"), content_type),
        }
    )
    url = UPLOAD.format(service=ctx.sid("serverless.service/hub"), folder=folder, sid=sid)
    response = ctx.client.http_client.request(
        "POST",
        url,
        data=body,
        headers={"Content-Type": ctype, "Accept": "application/json"},
        auth=ctx.client.auth,
    )
    if response.status_code >= 300:
        raise ProviderError(f"upload of {path} failed: HTTP {response.status_code}")
    return str(json.loads(response.text)["sid"])


def deploy(ctx: Ctx, a: Attrs, artifacts: Mapping[str, str], sleep: Callable[[float], None]) -> Attrs:
    from deh_deploy.errors import ProviderError

    svc = _svc(ctx)
    uploads = [
        (
            "Functions",
            f"serverless.function/{n}",
            f"/{n}",
            "protected",
            f"functions/{n}.js",
            "application/javascript",
        )
        for n in sorted(a["functions"])
    ]
    uploads += [
        (
            "Assets",
            f"serverless.asset/{n}",
            f"/{n}.json",
            "private",
            f"functions/{n}.json",
            "application/json",
        )
        for n in sorted(a["assets"])
    ]

    def upload(spec: tuple[str, str, str, str, str, str]) -> str:
        folder, rid, path, visibility, artifact, content_type = spec
        sid = ctx.sid(rid)
        assert sid, f"{rid} not yet created"
        return upload_version(
            ctx,
            folder=folder,
            sid=sid,
            path=path,
            visibility=visibility,
            content=artifacts[artifact],
            content_type=content_type,
        )

    with ThreadPoolExecutor(max_workers=len(uploads)) as pool:
        versions = list(pool.map(upload, uploads))
    function_versions = versions[: len(a["functions"])]
    asset_versions = versions[len(a["functions"]) :]
    build = svc.builds.create(
        function_versions=function_versions,
        asset_versions=asset_versions,
        dependencies=json.dumps(a["dependencies"]),
        runtime=a["runtime"],
    )
    waited = 0.0
    status = build.status
    while status not in ("completed", "failed"):  # the first look at once, then every BUILD_POLL_SECONDS
        if waited > BUILD_TIMEOUT_SECONDS:
            raise ProviderError(f"build {build.sid} still {status} after {BUILD_TIMEOUT_SECONDS} s")
        if waited:
            sleep(BUILD_POLL_SECONDS)
        waited += BUILD_POLL_SECONDS
        status = svc.builds(build.sid).build_status().fetch().status
    if status == "failed":
        raise ProviderError(
            f"build {build.sid} failed on Twilio; see the Serverless build log in the console"
        )
    _env_ctx(ctx).deployments.create(build_sid=build.sid)
    return a


def _deployment_write(ctx: Ctx, live: Live | None, a: Attrs) -> tuple[str, Attrs, dict[str, Any]]:
    deploy(ctx, a, ctx.artifacts, ctx.sleep)
    value = json.dumps(dict(a), sort_keys=True)
    env = _env_ctx(ctx)
    var = (
        env.variables(live.sid).update(value=value)
        if live
        else env.variables.create(key=DEPLOYMENT_VARIABLE, value=value)
    )
    return var.sid, dict(a), {}


DEPLOYMENT = Kind(
    "serverless.deployment",
    lambda a: ("deployment",),
    list=_deployment_list,
    create=lambda ctx, a: _deployment_write(ctx, None, a),
    update=lambda ctx, live, a: _deployment_write(ctx, live, a),
    delete=None,
    compared=("functions", "assets", "runtime", "dependencies"),
    parent="serverless.environment/{env}",
)

# Populate order: parents before children.
KINDS: tuple[Kind, ...] = (
    SERVICE,
    ENVIRONMENT,
    FUNCTION,
    ASSET,
    VARIABLE,
    DEPLOYMENT,
    WORKSPACE,
    TASK_CHANNEL,
    ACTIVITY,
    QUEUE,
    WORKFLOW,
    FLOW,
    CONTENT,
    NUMBER,
    ROUTE,
    MESSAGING_SERVICE,
    SERVICE_NUMBER,
    ADDRESS,
    FLEX_FLOW,
)
BY_NAME = {k.name: k for k in KINDS}
