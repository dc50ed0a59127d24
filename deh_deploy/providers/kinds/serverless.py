"""Serverless: the hub's service, its environment, the functions and assets, the environment's variables, and the
deployment (every version uploaded, built and deployed: :mod:`deh_deploy.providers.builds`), recorded in a variable
of its own."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, ClassVar

from deh_deploy.changes import UNKNOWN, FieldChange, Live
from deh_deploy.errors import PlanError
from deh_deploy.names import SID_LENGTH, VARIABLE_BYTES
from deh_deploy.providers.builds import Upload, build_and_deploy
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, register
from deh_deploy.render.desired import Resource
from deh_deploy.render.refs import Ref, fill

SERVICE_ID = "serverless.service/hub"
ENVIRONMENT_ID = "serverless.environment/{env}"
PRODUCTS = ("serverless.v1.services",)
DEPLOYMENT_VARIABLE = "DEH_DEPLOYMENT"


def _svc(ctx: Ctx) -> Any:
    sid = ctx.sid(SERVICE_ID)
    assert sid, "serverless service not yet created"
    return ctx.client.serverless.v1.services(sid)


def _env(ctx: Ctx) -> Any:
    sid = ctx.sid(ENVIRONMENT_ID.format(env=ctx.env))
    assert sid, "serverless environment not yet created"
    return _svc(ctx).environments(sid)


@register
class Service(Kind):
    name = "serverless.service"
    identified_by = "unique_name"
    compared = ("friendly_name", "include_credentials", "ui_editable")
    products = PRODUCTS

    @staticmethod
    def _record(s: Any) -> Record:
        attrs = {
            "unique_name": s.unique_name,
            "friendly_name": s.friendly_name,
            "include_credentials": s.include_credentials,
            "ui_editable": s.ui_editable,
        }
        return Record(s.sid, attrs)

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(s) for s in listed_services(ctx))

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        return self._record(
            ctx.client.serverless.v1.services.create(
                unique_name=attrs["unique_name"],
                friendly_name=attrs["friendly_name"],
                include_credentials=attrs["include_credentials"],
                ui_editable=attrs["ui_editable"],
            )
        )

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        return self._record(
            ctx.client.serverless.v1.services(live.sid).update(
                friendly_name=attrs["friendly_name"],
                include_credentials=attrs["include_credentials"],
                ui_editable=attrs["ui_editable"],
            )
        )

    def delete(self, ctx: Ctx, live: Live) -> None:
        ctx.client.serverless.v1.services(live.sid).delete()


@register
class Environment(Kind):
    name = "serverless.environment"
    identified_by = "unique_name"
    compared = ("domain_suffix",)
    parent = SERVICE_ID
    owned_by_parent = True
    updatable = False
    replace_on_update = True

    @staticmethod
    def _record(e: Any) -> Record:
        return Record(
            e.sid,
            {"unique_name": e.unique_name, "domain_suffix": e.domain_suffix},
            {"domain_name": e.domain_name},
        )

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(e) for e in _svc(ctx).environments.list())

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        made = _svc(ctx).environments.create(
            unique_name=attrs["unique_name"], domain_suffix=attrs["domain_suffix"]
        )
        return self._record(made)

    def delete(self, ctx: Ctx, live: Live) -> None:
        _svc(ctx).environments(live.sid).delete()


class _Container(Kind):
    """Functions and assets: containers named by friendly name; their content ships with the deployment."""

    folder: ClassVar[str]
    content_type: ClassVar[str]
    compared = ("friendly_name",)
    parent = SERVICE_ID
    owned_by_parent = True
    updatable = False

    def _sdk(self, ctx: Ctx) -> Any:
        return getattr(_svc(ctx), self.folder.lower())

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (Record(f.sid, {"friendly_name": f.friendly_name}) for f in self._sdk(ctx).list())

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        made = self._sdk(ctx).create(friendly_name=attrs["friendly_name"])
        return Record(made.sid, {"friendly_name": made.friendly_name})

    def delete(self, ctx: Ctx, live: Live) -> None:
        self._sdk(ctx)(live.sid).delete()


@register
class Function(_Container):
    name = "serverless.function"
    folder = "Functions"
    content_type = "application/javascript"


@register
class Asset(_Container):
    name = "serverless.asset"
    folder = "Assets"
    content_type = "application/json"


def listed_services(ctx: Ctx) -> list[Any]:
    """Every Serverless service on the account, listed once per read: the hub's, and the deployment lease."""
    return ctx.shared("services", lambda: ctx.client.serverless.v1.services.list())


def _not_known(_ref: Ref) -> None:
    return None


def fits(resource_id: str, value: Any) -> Any:
    """``value`` when it fits in a Serverless Variable, else the one line the plan stops with. A SID not yet
    known (a reference, or "known after apply") counts at its fixed length."""
    placeholder = "P" * SID_LENGTH
    sized = str(fill(value, _not_known, unknown=placeholder)).replace(UNKNOWN, placeholder)
    size = len(sized.encode())
    if size > VARIABLE_BYTES:
        raise PlanError(
            f"{resource_id}: the value would be {size} bytes; a Twilio Serverless Variable takes at most "
            f"{VARIABLE_BYTES}"
        )
    return value


def deployment_record(attrs: Attrs) -> str:
    """The DEH_DEPLOYMENT value: the compared fields only, in compact JSON. The service and environment SIDs are
    left out (the variable lives in that environment), which keeps the record near 290 bytes, whatever the hub:
    its size depends on the functions and assets the code ships, never on the config. A record written with the
    SIDs by an earlier version still compares equal, so it is not redeployed for that."""
    record = {k: attrs[k] for k in Deployment.compared}
    text = json.dumps(record, sort_keys=True, separators=(",", ":"))
    fits(f"serverless.deployment ({DEPLOYMENT_VARIABLE})", text)
    return text


def _variables(ctx: Ctx) -> list[Any]:
    return ctx.shared("variables", lambda: _env(ctx).variables.list())


@register
class Variable(Kind):
    name = "serverless.variable"
    identified_by = "key"
    compared = ("value",)
    parent = ENVIRONMENT_ID
    owned_by_parent = True

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (
            Record(v.sid, {"key": v.key, "value": v.value})
            for v in _variables(ctx)
            if v.key != DEPLOYMENT_VARIABLE
        )

    def missing(self, ctx: Ctx, resource: Resource) -> str:
        fits(resource.id, resource.attrs["value"])
        return ""

    def diff(self, live: Live, attrs: Attrs) -> tuple[FieldChange, ...]:
        fits(f"{self.name}/{attrs['key']}", attrs["value"])
        return super().diff(live, attrs)

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        made = _env(ctx).variables.create(key=attrs["key"], value=attrs["value"])
        return Record(made.sid, {"key": made.key, "value": made.value})

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        made = _env(ctx).variables(live.sid).update(value=attrs["value"])
        return Record(made.sid, {"key": made.key, "value": made.value})

    def delete(self, ctx: Ctx, live: Live) -> None:
        _env(ctx).variables(live.sid).delete()


@register
class Deployment(Kind):
    """What is built and deployed, recorded as the environment variable DEH_DEPLOYMENT: writing it uploads every
    function and asset version, builds them and deploys the build."""

    name = "serverless.deployment"
    compared = ("functions", "assets", "runtime", "dependencies")
    parent = ENVIRONMENT_ID
    owned_by_parent = True
    deletable = False
    settles = True

    def identity(self, attrs: Attrs) -> tuple[str, ...]:
        return ("deployment",)

    def missing(self, ctx: Ctx, resource: Resource) -> str:
        deployment_record(resource.attrs)
        return ""

    def diff(self, live: Live, attrs: Attrs) -> tuple[FieldChange, ...]:
        deployment_record(attrs)
        return super().diff(live, attrs)

    def list(self, ctx: Ctx) -> Iterable[Record]:
        for v in _variables(ctx):
            if v.key == DEPLOYMENT_VARIABLE:
                try:
                    yield Record(v.sid, json.loads(v.value))
                except ValueError:
                    yield Record(v.sid, {})

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        self._deploy(ctx, attrs)
        return Record("", dict(attrs))  # recorded by settle()

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        self._deploy(ctx, attrs)
        return Record(live.sid, dict(attrs))

    def settle(self, ctx: Ctx, live: Live | None, attrs: Attrs) -> Record:
        """The record, written once the build is deployed: the entry points, which wait for the functions to be
        live, open beside it. Should it fail, the next plan finds no record and deploys again."""
        if live is None:
            made = _env(ctx).variables.create(key=DEPLOYMENT_VARIABLE, value=deployment_record(attrs))
        else:
            made = _env(ctx).variables(live.sid).update(value=deployment_record(attrs))
        return Record(made.sid, dict(attrs))

    @staticmethod
    def _deploy(ctx: Ctx, attrs: Attrs) -> None:
        def version(kind: type[_Container], name: str, path: str, visibility: str, artifact: str) -> Upload:
            sid = ctx.sid(f"{kind.name}/{name}")
            assert sid, f"{kind.name}/{name} not yet created"
            return Upload(kind.folder, sid, path, visibility, ctx.artifacts[artifact], kind.content_type)

        functions = [
            version(Function, n, f"/{n}", "protected", f"functions/{n}.js")
            for n in sorted(attrs["functions"])
        ]
        assets = [
            version(Asset, n, f"/{n}.json", "private", f"functions/{n}.json") for n in sorted(attrs["assets"])
        ]
        service, environment = ctx.sid(SERVICE_ID), ctx.sid(ENVIRONMENT_ID.format(env=ctx.env))
        assert service and environment, "serverless service or environment not yet created"
        build_and_deploy(
            ctx,
            service_sid=service,
            environment_sid=environment,
            functions=functions,
            assets=assets,
            dependencies=attrs["dependencies"],
            runtime=attrs["runtime"],
        )
