"""The library says at debug level what it decided and did (the lease, each planned change and why, each write and
its result), naming resources by id and SID, never a secret nor a variable's value."""

from __future__ import annotations

import logging

import pytest

from deh_deploy.deploy import apply_hub
from tests.provider.conftest import World, hub


def test_apply_logs_its_decisions_and_no_secret(world: World, caplog: pytest.LogCaptureFixture) -> None:
    h = hub("hungary")
    token = world.login(h)
    with caplog.at_level(logging.DEBUG, logger="deh_deploy"), world.connect(h) as conn:
        apply_hub(h, "staging", conn, allow_purchase=True)
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("deh_deploy")]
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name.startswith("deh_deploy"))
    assert any(line.startswith("lease deh--lease-hungary-staging taken (ZS") for line in lines)
    assert any(line.startswith("lease ZS") and line.endswith(" released") for line in lines)
    assert "apply plan: create serverless.service/hub: not on the account" in lines
    assert any(
        line.startswith("apply plan: create phone.number/main: not on the account (BUY a ") for line in lines
    )
    assert any(line.startswith("create serverless.service/hub: done (ZS") for line in lines)
    assert any(line.startswith("create studio.flow/voice: done (FW") for line in lines)
    text = "\n".join(lines)
    assert token not in text
    assert "CLOSED_NOW" in text and '"false"' not in text, "variables by name, not by value"
