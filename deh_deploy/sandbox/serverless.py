"""Serverless v1 beyond plain CRUD: domains, builds (building -> completed on the next poll), deployments,
the multipart upload host (``serverless-upload``) and function version content."""

from __future__ import annotations

import hashlib
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from deh_deploy.sandbox.crud import find, resolve_parents, template_regex
from deh_deploy.sandbox.errors import invalid, not_found
from deh_deploy.sandbox.kinds import BY_NAME
from deh_deploy.sandbox.model import Ctx, Hooks, Reply, Route
from deh_deploy.sandbox.render import render
from deh_deploy.sandbox.store import Record

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
_VISIBILITY = ("public", "protected", "private")


def service_before_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    if not _NAME.match(rec["unique_name"]):
        raise invalid("Invalid UniqueName: use letters, digits and dashes")
    n = ctx.store.next_n("#domain")
    digits = 1000 + int(hashlib.sha256(f"domain:{n}".encode()).hexdigest()[:8], 16) % 9000
    rec["domain_base"] = f"{rec['unique_name'].lower()}-{digits}"


def environment_before_create(ctx: Ctx, parents: list[Record], rec: Record) -> None:
    suffix = rec.get("domain_suffix") or None
    if suffix is not None and not _NAME.match(suffix):
        raise invalid("Invalid DomainSuffix: use letters, digits and dashes")
    rec["domain_suffix"] = suffix
    rec["domain_name"] = f"{parents[-1]['domain_base']}{'-' + suffix if suffix else ''}.twil.io"


def _versions(ctx: Ctx, kind_name: str, service: Record, sids: list[str], key: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    kind = BY_NAME[kind_name]
    for sid in sids:
        ver = ctx.store.get(kind_name, ctx.account, sid)
        if ver is None or ver["service_sid"] != service["sid"]:
            raise invalid(f"Invalid {key}: {sid} is not a version in service {service['sid']}")
        view = render(kind, ver)
        view.pop("links", None)
        out.append(view)
    return out


def build_before_create(ctx: Ctx, parents: list[Record], rec: Record) -> None:
    service = parents[-1]
    rec["function_versions"] = _versions(
        ctx, "serverless.function_version", service, rec["function_versions"], "FunctionVersions"
    )
    rec["asset_versions"] = _versions(
        ctx, "serverless.asset_version", service, rec["asset_versions"], "AssetVersions"
    )
    deps = rec.get("dependencies")
    if not isinstance(deps, list) or not all(
        isinstance(d, dict) and isinstance(d.get("name"), str) and isinstance(d.get("version"), str)
        for d in deps
    ):
        raise invalid("Invalid Dependencies: a JSON array of {name, version} expected")


def _poll(ctx: Ctx, rec: Record) -> None:
    """A build finishes at the first poll after its creation."""
    if rec["status"] == "building":
        rec["status"] = "completed"
        rec["date_updated"] = ctx.now
        ctx.store.save("serverless.build", rec)


def build_view(ctx: Ctx, rec: Record, out: dict[str, Any], listing: bool) -> None:
    if not listing and ctx.method == "GET":
        _poll(ctx, rec)
        out["status"] = rec["status"]
        out["date_updated"] = rec["date_updated"]


def deployment_before_create(ctx: Ctx, parents: list[Record], rec: Record) -> None:
    build = ctx.store.get("serverless.build", ctx.account, rec["build_sid"])
    if build is None or build["service_sid"] != parents[0]["sid"]:
        raise invalid(f"Invalid BuildSid: {rec['build_sid']} is not a build of service {parents[0]['sid']}")
    if build["status"] != "completed":
        raise invalid(f"Build {build['sid']} is {build['status']}, not completed")


def deployment_after_create(ctx: Ctx, parents: list[Record], rec: Record) -> None:
    env = dict(parents[-1])
    env["build_sid"] = rec["build_sid"]
    env["date_updated"] = ctx.now
    ctx.store.save("serverless.environment", env)


HOOKS = {
    "serverless.service": Hooks(before_create=service_before_create),
    "serverless.environment": Hooks(before_create=environment_before_create),
    "serverless.build": Hooks(before_create=build_before_create, view=build_view),
    "serverless.deployment": Hooks(
        before_create=deployment_before_create, after_create=deployment_after_create
    ),
}


# -- custom routes ----------------------------------------------------------------------------------
def build_status(ctx: Ctx, params: dict[str, str]) -> Reply:
    parents = resolve_parents(ctx, BY_NAME["serverless.build"], params)
    rec = find(ctx, BY_NAME["serverless.build"], params["p1"], parents[-1]["sid"])
    if rec is None:
        raise not_found(ctx.path)
    _poll(ctx, rec)
    keys = ("sid", "account_sid", "service_sid", "status")
    url = f"https://serverless.twilio.com/v1/Services/{rec['service_sid']}/Builds/{rec['sid']}/Status"
    return Reply(200, {**{k: rec[k] for k in keys}, "url": url})


def version_content(ctx: Ctx, params: dict[str, str]) -> Reply:
    kind = BY_NAME["serverless.function_version"]
    parents = resolve_parents(ctx, kind, params)
    rec = find(ctx, kind, params["p2"], parents[-1]["sid"])
    blob = ctx.store.blob(params["p2"])
    if rec is None or blob is None:
        raise not_found(ctx.path)
    keys = ("sid", "account_sid", "service_sid", "function_sid")
    url = render(kind, rec)["url"] + "/Content"
    return Reply(
        200, {**{k: rec[k] for k in keys}, "content": blob[1].decode("utf-8", "replace"), "url": url}
    )


def _multipart(ctx: Ctx) -> dict[str, EmailMessage]:
    if not ctx.content_type.lower().startswith("multipart/form-data"):
        raise invalid("Expected a multipart/form-data body")
    head = f"Content-Type: {ctx.content_type}\r\n\r\n".encode()
    msg = BytesParser(policy=policy.HTTP).parsebytes(head + ctx.body)
    parts: dict[str, EmailMessage] = {}
    for part in msg.iter_parts():
        assert isinstance(part, EmailMessage)
        name = part.get_param("name", header="content-disposition")
        if isinstance(name, str):
            parts[name] = part
    return parts


def upload(ctx: Ctx, params: dict[str, str]) -> Reply:
    """``POST serverless-upload.twilio.com/v1/Services/{ZS}/{Functions|Assets}/{ZH}/Versions``."""
    is_function = params["p1"] == "Functions"
    kind = BY_NAME["serverless.function_version" if is_function else "serverless.asset_version"]
    parent_params = {"p0": params["p0"], "p1": params["p2"]}
    parents = resolve_parents(ctx, kind, parent_params)
    parts = _multipart(ctx)
    for key in ("Content", "Path", "Visibility"):
        if key not in parts:
            raise invalid(f"Missing required parameter {key} in the post body")
    path = str(parts["Path"].get_content()).strip()
    visibility = str(parts["Visibility"].get_content()).strip()
    if visibility not in _VISIBILITY:
        raise invalid(f"Invalid Visibility: {visibility!r}")
    if is_function and visibility == "private":
        raise invalid("Invalid Visibility: a function version cannot be private")
    if not path.startswith("/"):
        raise invalid("Invalid Path: it must start with /")
    content = parts["Content"].get_payload(decode=True)
    assert isinstance(content, bytes)
    sid = ctx.store.next_sid(kind.prefix)
    rec: Record = {"sid": sid, "account_sid": ctx.account, "service_sid": parents[0]["sid"]}
    rec[kind.parents[-1][1]] = parents[-1]["sid"]
    rec.update(path=path, visibility=visibility, date_created=ctx.now)
    ctx.store.insert(kind.name, ctx.account, parents[-1]["sid"], rec)
    ctx.store.put_blob(sid, parts["Content"].get_content_type(), content)
    out = render(kind, rec)
    return Reply(201, out)


ROUTES = [
    Route("GET", "serverless", template_regex("/v1/Services/{S}/Builds/{B}/Status"), build_status),
    Route(
        "GET",
        "serverless",
        template_regex("/v1/Services/{S}/Functions/{F}/Versions/{V}/Content"),
        version_content,
    ),
    Route(
        "POST",
        "serverless-upload",
        re.compile(r"^/v1/Services/(?P<p0>[^/]+)/(?P<p1>Functions|Assets)/(?P<p2>[^/]+)/Versions$"),
        upload,
    ),
]
