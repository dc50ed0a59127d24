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
    assert outside == []
