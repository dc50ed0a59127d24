"""Where each widget sits in the Studio canvas: a tree grown from the trigger, each widget below the widget that
first leads to it and siblings side by side, so that each language and each branch is a column of its own rather
than one column of every widget, 200 pixels apart, that no one can read.

Offsets are layout only: plans compare flows without them (``studio.strip_layout``), so a new layout is written
with the next change of a flow and never forces a write by itself. They depend on nothing but the widgets and
their transitions, so a render is byte-identical run to run.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

WIDTH, HEIGHT = 300, 200  # a widget's box in the Studio canvas, about
COLUMN, ROW = WIDTH + 50, HEIGHT + 80  # room between boxes for the transition lines


def offsets(states: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """``{widget: {"x": …, "y": …}}``. The tree is breadth first from the first widget (the trigger), each widget's
    parent the first widget that reaches it; a widget the trigger never reaches (a branch no topic takes) starts a
    tree of its own to the right."""
    names = [str(s["name"]) for s in states]
    nexts = {str(s["name"]): [str(t.get("next") or "") for t in s.get("transitions", ())] for s in states}
    children: dict[str, list[str]] = {n: [] for n in names}
    depth: dict[str, int] = {}
    roots: list[str] = []
    reached = {nxt for name in names[1:] for nxt in nexts[name]}
    for start in [names[0], *(n for n in names if n not in reached), *names]:
        if start in depth:
            continue
        roots.append(start)
        depth[start] = 0
        queue = deque([start])
        while queue:
            name = queue.popleft()
            for nxt in nexts[name]:
                if nxt in children and nxt not in depth:
                    depth[nxt] = depth[name] + 1
                    children[name].append(nxt)
                    queue.append(nxt)
    column: dict[str, float] = {}
    leaves = 0
    for root in roots:  # children before their parent, without recursion: a flow may be deep
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            name, placed_children = stack.pop()
            kids = children[name]
            if not kids:
                column[name] = leaves
                leaves += 1
            elif placed_children:
                column[name] = (column[kids[0]] + column[kids[-1]]) / 2  # above the middle of its children
            else:
                stack.append((name, True))
                stack.extend((kid, False) for kid in reversed(kids))
    return {n: {"x": round(column[n] * COLUMN), "y": depth[n] * ROW} for n in names}
