"""The core names no resource kind, and only the providers touch the twilio SDK or the HTTP library's exceptions:
a kind's rules live in its module (``providers/kinds/``), Twilio's failures are translated in ``providers/``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deh_deploy.providers.kinds import KINDS

PACKAGE = Path(__file__).resolve().parent.parent / "deh_deploy"
CORE = ["plan.py", "changes.py", "apply.py", "deploy.py", "providers/twilio.py", "providers/planner.py"]
SDK_IMPORT = re.compile(r"^\s*(?:import|from)\s+(?:twilio|requests)\b", re.MULTILINE)


@pytest.mark.parametrize("module", CORE)
def test_the_core_names_no_resource_kind(module: str) -> None:
    text = (PACKAGE / module).read_text(encoding="utf-8")
    named = [kind.name for kind in KINDS if kind.name in text]
    assert named == [], f"{module} names {', '.join(named)}: that rule belongs to the kind's module"


def test_only_the_providers_import_the_sdk_or_requests() -> None:
    outside = [
        str(path.relative_to(PACKAGE))
        for path in sorted(PACKAGE.rglob("*.py"))
        if "providers" not in path.relative_to(PACKAGE).parts
        and SDK_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    # The hub service checks Twilio's signatures with the SDK's RequestValidator; only its Viber bridge calls
    # Twilio (Conversations, through the SDK) and Viber's REST API (with requests).
    assert outside == ["hub/bridge.py", "hub/signatures.py", "hub/viber.py"]


# The pipeline's layers, bottom first: a module may import from its own layer and those below, never above.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "diagnostics", "secrets", "names", "legacy_names", "inputs", "files", "crashlog", "studio_widgets",
     "stopping", "taskrouter_expressions"),
    ("i18n", "sms", "phones", "textchecks", "messages", "hours", "channels"),
    ("config", "init"),
    ("render",),
    ("changes", "plan", "terms", "providers", "sandbox", "simulate", "hub", "hosting"),
    ("apply", "deploy", "validation", "runbook", "wiring"),
    ("reporters", "cli"),
)  # fmt: skip
IMPORT = re.compile(r"^\s*(?:from|import)\s+deh_deploy\.([a-z_0-9]+)", re.MULTILINE)
IMPORT_FROM = re.compile(r"^\s*from\s+deh_deploy\s+import\s+([a-z_0-9, ]+)", re.MULTILINE)


def _layer(part: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if part in layer)


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {
        p.stem for p in PACKAGE.iterdir() if p.name not in {"__init__.py", "py.typed", "__pycache__", "data"}
    }
    assert sorted(p for p in parts if not any(p in layer for layer in LAYERS)) == []


def test_imports_point_down_the_pipeline() -> None:
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        part = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if part == "__init__" or path.name == "__main__.py":  # entry points, like the CLI
            continue
        text = path.read_text(encoding="utf-8")
        named = [n.split(" as ")[0].strip() for group in IMPORT_FROM.findall(text) for n in group.split(",")]
        for imported in [*IMPORT.findall(text), *named]:
            if imported != part and _layer(imported) > _layer(part):
                upward.append(f"{path.relative_to(PACKAGE)} imports deh_deploy.{imported}")
    assert upward == []
