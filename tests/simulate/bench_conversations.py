"""Measure simulated conversations per second on the hand-written flows (a measurement, not a test).

Run: python tests/simulate/bench_conversations.py [conversations]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from deh_deploy.simulate import (
    CallContext,
    FunctionResult,
    Input,
    Press,
    Run,
    Send,
    Silence,
    TriggerKind,
    compile_flow,
)

FLOWS = Path(__file__).with_name("flows")

CALL_SCRIPTS: list[list[Input]] = [
    [Press("1"), Press("1")],
    [Press("2"), Press("2")],
    [Press("9"), Press("1"), Press("3"), Press("2")],
    [Silence(), Silence()],
    [Press("2"), Press("7"), Press("1")],
]

TEXT_SCRIPTS: list[list[Input]] = [[Send("1")], [Send("what"), Send("2")], [Send(" Help ")], [Silence()]]


def hours(params: Mapping[str, str], ctx: CallContext) -> FunctionResult:
    is_open = ctx.contact[-1] in "02468"
    return FunctionResult(200, {"open": is_open, "message": "We are closed." if not is_open else ""})


def measure(name: str, trigger: TriggerKind, scripts: list[list[Input]], total: int) -> None:
    flow = compile_flow(json.loads((FLOWS / f"{name}.json").read_text(encoding="utf-8")))
    run = Run(flow, functions={"/hours": hours})
    transitions = 0
    ends: dict[str, int] = {}
    started = time.perf_counter()
    for i in range(total):
        conv = run.script(
            trigger=trigger,
            trigger_data={"From": f"+3630{i:07d}", "To": "+3612345678", "Body": "hello"},
            inputs=scripts[i % len(scripts)],
        )
        transitions += len(conv.trace)
        end = conv.ended
        assert end is not None
        ends[end.reason] = ends.get(end.reason, 0) + 1
    elapsed = time.perf_counter() - started
    print(f"{name}: {len(flow.states)} widgets, {flow.template_count} templates")
    print(f"  {total} conversations in {elapsed:.2f} s: {total / elapsed:,.0f} conversations/s (one core)")
    print(f"  {transitions / total:.1f} transitions per conversation; ends: {ends}")


def main(total: int) -> None:
    measure("voice_ivr", "incomingCall", CALL_SCRIPTS, total)
    measure("messaging", "incomingMessage", TEXT_SCRIPTS, total)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
