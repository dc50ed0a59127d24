"""``deh export``: after apply, the hub's flows with the account's real SIDs, as the Studio console imports them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from twilio.rest import Client

from deh_deploy.cli import main
from deh_deploy.deploy import apply_hub
from deh_deploy.providers.kinds.studio import strip_layout
from tests.provider.conftest import ROOT, World, hub

HUNGARY = ROOT / "country_configs" / "hungary"
SID = re.compile(r"\b[A-Z]{2}[0-9a-f]{32}\b")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    captured = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), captured.out, captured.err


def account_sids(client: Client) -> set[str]:
    """Every SID a flow may name, listed from the account."""
    found: set[str] = set()
    for service in client.serverless.v1.services.list():
        found.add(service.sid)
        found |= {e.sid for e in client.serverless.v1.services(service.sid).environments.list()}
        found |= {f.sid for f in client.serverless.v1.services(service.sid).functions.list()}
    for workspace in client.taskrouter.v1.workspaces.list():
        found.add(workspace.sid)
        found |= {w.sid for w in client.taskrouter.v1.workspaces(workspace.sid).workflows.list()}
        found |= {c.sid for c in client.taskrouter.v1.workspaces(workspace.sid).task_channels.list()}
    found |= {c.sid for c in client.content.v1.contents.list()}
    return found


@pytest.mark.slow  # a hub applied to the sandbox, more than a second of CPU
def test_export_after_apply_writes_flows_whose_every_sid_is_on_the_account(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    h = hub("hungary")
    world.login(h)
    with world.connect(h) as conn:
        assert not apply_hub(h, "staging", conn, allow_purchase=True).outcome.failed
    out = tmp_path / "export"
    code, stdout, stderr = run(
        capsys, "export", str(HUNGARY), "-e", "staging", "--sandbox-url", world.sandbox.url, "-o", str(out)
    )
    assert (code, stderr) == (0, "")
    assert stdout.splitlines() == [
        f"create    {out}/flows/messaging.json",
        f"create    {out}/flows/voice.json",
    ]
    with world.connect(h) as conn:
        sids = account_sids(conn.client)
        live = {
            f.friendly_name.rsplit(" ", 1)[-1]: conn.client.studio.v2.flows(f.sid).fetch().definition
            for f in conn.client.studio.v2.flows.list()
        }
        domain = next(
            e.domain_name
            for s in conn.client.serverless.v1.services.list()
            for e in conn.client.serverless.v1.services(s.sid).environments.list()
        )
        for name in ("voice", "messaging"):
            text = (out / "flows" / f"{name}.json").read_text(encoding="utf-8")
            assert "${" not in text, "no placeholder is left"
            named = set(SID.findall(text))
            assert {s[:2] for s in named} >= {"ZS", "ZE", "ZH", "WW", "TC"}
            assert named <= sids, f"{name}: not on the account: {sorted(named - sids)}"
            assert f"https://{domain}/" in text
            definition = json.loads(text)
            assert strip_layout(definition) == strip_layout(live[name]), "what is exported is what is live"
            valid = conn.client.studio.v2.flow_validate.update(
                friendly_name=f"import {name}", status="published", definition=definition
            )
            assert valid.valid
    messaging = (out / "flows" / "messaging.json").read_text(encoding="utf-8")
    assert "HX" in {s[:2] for s in SID.findall(messaging)}, "the callbacks carry the templates in use"
    again = run(
        capsys, "export", str(HUNGARY), "-e", "staging", "--sandbox-url", world.sandbox.url, "-o", str(out)
    )
    assert again[1].split() == [
        "identical",
        f"{out}/flows/messaging.json",
        "identical",
        f"{out}/flows/voice.json",
    ]


def test_export_before_apply_says_what_is_not_on_the_account_and_writes_nothing(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    world.login(hub("hungary"))
    out = tmp_path / "export"
    code, stdout, stderr = run(
        capsys, "export", str(HUNGARY), "-e", "staging", "--sandbox-url", world.sandbox.url, "-o", str(out)
    )
    assert code == 1
    assert stdout == ""
    [line] = stderr.splitlines()
    assert "flows/messaging.json: not on the account yet: content.template/callback.hu, " in line
    assert line.endswith("; run deh apply first")
    assert not out.exists()
