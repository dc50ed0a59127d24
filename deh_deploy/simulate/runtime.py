"""The state of one running conversation, and the helpers widget executors use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deh_deploy.simulate.compiled import CompiledFlow
from deh_deploy.simulate.model import (
    CallContext,
    End,
    EndReason,
    FlexTask,
    FunctionHandler,
    HttpHandler,
    Output,
    Received,
    TriggerKind,
)
from deh_deploy.simulate.templates import liquid_data

DEFAULT_ACCOUNT = "AC" + "0" * 32

# Trigger kind -> its key in the Liquid context (``trigger.call``, ``trigger.message``, ...).
TRIGGER_KEYS: dict[str, str] = {
    "incomingCall": "call",
    "incomingMessage": "message",
    "incomingConversationMessage": "conversation",
}


# One transition as a run records it: (widget, event, next). Conversation.trace makes Transitions of them when it is
# read, which most runs' traces never are.
Traced = tuple[str, str, str]


class Runtime:
    """Mutable state of a run: the Liquid context, what happened so far, and the hooks."""

    __slots__ = (
        "account_sid",
        "address",
        "contact",
        "ctx",
        "ended",
        "events",
        "flow",
        "functions",
        "http",
        "hung_up",
        "missing",
        "seq",
        "trace",
        "transcript",
        "trigger",
        "variables",
        "widgets",
    )

    def __init__(
        self,
        flow: CompiledFlow,
        *,
        trigger: TriggerKind,
        trigger_data: Mapping[str, Any],
        functions: Mapping[str, FunctionHandler],
        http: Mapping[str, HttpHandler] | None,
        flow_data: Mapping[str, Any] | None,
    ) -> None:
        self.flow = flow
        self.trigger: TriggerKind = trigger
        self.functions = functions
        self.http: Mapping[str, HttpHandler] = http or {}
        self.seq = 0
        self.account_sid = str(trigger_data.get("AccountSid") or DEFAULT_ACCOUNT)
        fields = self._trigger_fields(trigger, trigger_data)
        self.contact = str(fields.get("From") or fields.get("Author") or "")
        self.address = str(fields.get("To") or "")
        self.variables: dict[str, Any] = {}
        self.widgets: dict[str, Any] = {}
        self.ctx: dict[str, Any] = {
            "flow": {
                "flow_sid": "FW" + "0" * 32,
                "channel": {"address": self.address},
                "variables": self.variables,
                "data": liquid_data(dict(flow_data or {})),
            },
            "trigger": {TRIGGER_KEYS[trigger]: liquid_data(fields)},
            "contact": {"channel": {"address": self.contact}},
            "widgets": self.widgets,
        }
        self.events: list[Output] = []
        self.transcript: list[Output | Received] = []
        self.trace: list[Traced] = []
        self.missing: list[str] = []
        self.hung_up = False
        self.ended: End | None = None

    def _trigger_fields(self, trigger: TriggerKind, data: Mapping[str, Any]) -> dict[str, Any]:
        base: dict[str, Any] = {"AccountSid": self.account_sid}
        if trigger == "incomingCall":
            base.update(CallSid=self.sid("CA"), Direction="inbound", CallStatus="in-progress")
        elif trigger == "incomingMessage":
            base.update(MessageSid=self.sid("SM"), Body="", NumMedia="0")
        else:
            base.update(ConversationSid=self.sid("CH"), MessageSid=self.sid("IM"), Body="")
        base.update(data)
        if trigger == "incomingConversationMessage":
            base.setdefault("Author", base.get("From", ""))
            base.setdefault("From", base["Author"])
        return base

    def sid(self, prefix: str) -> str:
        """A deterministic SID, unique within this conversation."""
        self.seq += 1
        return f"{prefix}{self.seq:032x}"

    def emit(self, output: Output) -> None:
        self.events.append(output)
        self.transcript.append(output)

    def call_context(self, widget: str, *, method: str = "POST", url: str = "") -> CallContext:
        return CallContext(
            trigger=self.trigger,
            widget=widget,
            contact=self.contact,
            address=self.address,
            variables=dict(self.variables),
            method=method,
            url=url,
        )

    def end(
        self,
        reason: EndReason,
        widget: str,
        *,
        event: str = "",
        task: FlexTask | None = None,
        message: str = "",
    ) -> End:
        return End(
            reason=reason,
            widget=widget,
            task=task,
            variables=dict(self.variables),
            event=event,
            message=message,
            missing_functions=tuple(self.missing),
        )
