"""The emulator without HTTP: authenticate, parse, route, run the handler in one transaction, log."""

from __future__ import annotations

import base64
import binascii
import copy
import hmac
import json
import threading
import traceback
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

from deh_deploy.errors import UsageError
from deh_deploy.sandbox import (
    callbacks,
    channels,
    content,
    conversations,
    numbers,
    serverless,
    studio,
    taskrouter,
)
from deh_deploy.sandbox.crud import routes_for
from deh_deploy.sandbox.errors import ApiError, error_body, not_found
from deh_deploy.sandbox.faults import FaultGate, Faults
from deh_deploy.sandbox.guard import token_file, write_private
from deh_deploy.sandbox.kinds import KINDS
from deh_deploy.sandbox.model import NO_HOOKS, Ctx, Hooks, Reply, Route
from deh_deploy.sandbox.render import iso_now
from deh_deploy.sandbox.store import Store
from deh_deploy.sandbox.webhooks import Dispatcher

LOG_LIMIT = 200_000
WRITES = frozenset({"POST", "PUT", "DELETE"})


def _routes() -> dict[str, list[Route]]:
    hooks: dict[str, Hooks] = {}
    specials: list[Route] = []
    for module in (numbers, studio, serverless, content, channels, taskrouter, conversations, callbacks):
        hooks.update(getattr(module, "HOOKS", {}))
        specials += getattr(module, "ROUTES", [])
    table: dict[str, list[Route]] = {}
    for route in specials:
        table.setdefault(route.product, []).append(route)
    for kind in KINDS:
        for route in routes_for(kind, hooks.get(kind.name, NO_HOOKS)):
            table.setdefault(route.product, []).append(route)
    return table


ROUTES = _routes()


@dataclass(frozen=True)
class Outcome:
    status: int
    body: Any
    write: bool  # a successful POST/PUT/DELETE
    entry: dict[str, Any]  # the request log's entry for it


class Core:
    def __init__(self, db_path: Path, faults: Faults | None = None) -> None:
        self.store = Store(db_path)
        self.admin_token = self.store.admin_token
        try:
            write_private(token_file(db_path), self.admin_token + "\n")
        except UsageError:
            self.store.close()
            raise
        self.gate = FaultGate(faults or Faults())
        self._log: deque[dict[str, Any]] = deque(maxlen=LOG_LIMIT)
        self._log_lock = threading.Lock()
        self.webhooks = Dispatcher()

    def close(self) -> None:
        self.webhooks.close()
        self.store.close()

    # -- request log --------------------------------------------------------------------------------
    def log(self, entry: dict[str, Any]) -> None:
        with self._log_lock:
            self._log.append(entry)

    def requests(self) -> list[dict[str, Any]]:
        with self._log_lock:
            return list(self._log)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._log.clear()

    # -- API requests -------------------------------------------------------------------------------
    def authenticate(self, header: str | None) -> str:
        """The account the Basic credentials (AccountSid:AuthToken or ApiKeySid:secret) belong to."""
        refused = ApiError(401, 20003, "Authenticate")
        if not header or not header.startswith("Basic "):
            raise refused
        try:
            user, _, secret = base64.b64decode(header[6:], validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise refused from None
        if user.startswith("SK"):
            key = self.store.api_key(user)
            if key is not None and hmac.compare_digest(key[1], secret):
                return key[0]
        elif user.startswith("AC"):
            token = self.store.account_token(user)
            if token is not None and hmac.compare_digest(token, secret):
                return user
        raise refused

    def _route(self, method: str, product: str, path: str) -> tuple[Route, dict[str, str]]:
        allowed = False
        for route in ROUTES.get(product, ()):
            m = route.pattern.match(path)
            if m is None:
                continue
            if route.method == method:
                return route, {k: v for k, v in m.groupdict().items() if v is not None}
            allowed = True
        if allowed:
            raise ApiError(405, 20004, f"Method {method} not allowed for {path}")
        raise not_found(path)

    def handle(self, method: str, target: str, headers: Mapping[str, str], body: bytes) -> Outcome:
        """Serve one API request; ``target`` is ``/<product>/<path>?<query>``."""
        split = urlsplit(target)
        product, _, rest = split.path.lstrip("/").partition("/")
        path = "/" + rest
        content_type = headers.get("Content-Type", "")
        entry: dict[str, Any] = {
            "method": method,
            "product": product,
            "path": path,
            "query": split.query,
            "content_type": content_type,
            **body_for_log(body),
        }
        try:
            account = self.authenticate(headers.get("Authorization"))
            route, params = self._route(method, product, path)
            ctx = Ctx(
                store=self.store,
                account=account,
                now=iso_now(),
                method=method,
                product=product,
                path=path,
                query=parse_qs(split.query, keep_blank_values=True),
                content_type=content_type,
                body=body,
                headers=headers,
            )
            _parse_body(ctx, content_type, body)
            if "account" in params and params["account"] != account:
                raise ApiError(
                    404, 20003, f"The requested resource {path} was not found for these credentials"
                )
            with self.store.transaction():
                reply: Reply = route.handler(ctx, params)
            if ctx.deliveries:  # committed: now Twilio would call out
                self.webhooks.submit(ctx.deliveries)
            status, payload = reply.status, reply.body
        except ApiError as exc:
            status, payload = exc.status, exc.body()
        except Exception:  # an emulator bug must not kill the server: answer 500 and keep the trace
            status, payload = 500, error_body(500, 20500, "Internal sandbox error")
            entry["error"] = traceback.format_exc()
        entry.update(status=status, response=payload)
        self.log(redact(entry))
        return Outcome(status, payload, method in WRITES and status < 400, entry)

    def log_fault(
        self,
        method: str,
        target: str,
        headers: Mapping[str, str],
        body: bytes,
        fault: str,
        status: int | None = None,
        payload: Any = None,
    ) -> None:
        split = urlsplit(target)
        product, _, rest = split.path.lstrip("/").partition("/")
        self.log(
            {
                "method": method,
                "product": product,
                "path": "/" + rest,
                "query": split.query,
                "content_type": headers.get("Content-Type", ""),
                **body_for_log(body),
                "status": status,
                "response": payload,
                "fault": fault,
            }
        )


REDACTED = "[redacted]"


def redact(entry: dict[str, Any]) -> dict[str, Any]:
    """Serverless variable values are where secrets live: the log keeps their keys, never their values."""
    if entry["product"] != "serverless" or "/Variables" not in entry["path"]:
        return entry
    pairs = parse_qsl(entry.get("body", ""), keep_blank_values=True)
    entry["body"] = urlencode([(k, REDACTED if k == "Value" else v) for k, v in pairs])
    response = copy.deepcopy(entry.get("response"))
    if isinstance(response, dict):
        for rec in response.get("variables", [response]):
            if isinstance(rec, dict) and "value" in rec:
                rec["value"] = REDACTED
    entry["response"] = response
    return entry


def body_for_log(body: bytes) -> dict[str, str]:
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body": "", "body_base64": base64.b64encode(body).decode()}


def _parse_body(ctx: Ctx, content_type: str, body: bytes) -> None:
    mime = content_type.split(";")[0].strip().lower()
    if mime == "application/x-www-form-urlencoded" or (not mime and body):
        try:
            ctx.form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise ApiError(400, 20001, "The request body is not UTF-8") from None
    elif mime == "application/json":
        try:
            ctx.json = json.loads(body or b"null")
        except ValueError:
            raise ApiError(400, 20001, "The request body is not valid JSON") from None
