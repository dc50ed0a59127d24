"""The inventory deh host gives Ansible: hosts and folders from the config, secrets by name only; and the lines
deh host stops with before it connects."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deh_deploy.config import load_hub
from deh_deploy.errors import HostingError
from deh_deploy.hosting.inventory import check_environment, inventory, secret_names

ROOT = Path(__file__).resolve().parents[2]
HUNGARY = ROOT / "country_configs" / "hungary"
SECRETS = {
    "TWILIO_AUTH_TOKEN": "canary-token-0123456789abcdef",
    "DEH_HU_PERSON_KEY": "person-key-for-tests",
    "DEH_HU_SUPERVISOR_TOKEN": "supervisor-token-for-tests",
    "DEH_HU_PROTECTION_TOKEN": "protection-token-for-tests",
    "DEH_HU_DATABASE_URL": "postgresql://deh:password-canary@db.example.org/deh",
}


def test_the_service_reads_the_auth_token_the_person_key_the_readers_and_the_database_url() -> None:
    assert secret_names(load_hub(HUNGARY), "staging") == list(SECRETS)


def test_the_inventory_names_the_secrets_and_holds_none_of_them() -> None:
    hub = load_hub(HUNGARY)
    made = inventory(hub, "staging", release={"deh_hub_release": "abc"}, environ=SECRETS)
    group = made["all"]["children"]["deh_hub"]
    assert group["hosts"]["hub1"] == {
        "ansible_host": "192.0.2.10",
        "ansible_port": 22,
        "ansible_user": "deh",
        "ansible_python_interpreter": "/usr/bin/python3",
        "deh_become": True,
        "deh_hub_name": "deh-hungary-staging-hub1",
        "deh_hub_user": "deh-hungary-staging",
        "deh_hub_base": "/opt/deh-hungary-staging",
        "deh_hub_app_port": 8780,
        "deh_hub_https_port": 443,
    }
    assert group["vars"]["deh_hub_secret_names"] == list(SECRETS)
    assert group["vars"]["deh_hub_test_host"] is False
    text = json.dumps(made)
    assert [value for value in SECRETS.values() if value in text] == []


def test_a_missing_secret_stops_before_anything_connects() -> None:
    hub = load_hub(HUNGARY)
    environ = {k: v for k, v in SECRETS.items() if k != "DEH_HU_PERSON_KEY"}
    with pytest.raises(HostingError, match=r"^missing variable DEH_HU_PERSON_KEY \(the hub service reads it"):
        check_environment(hub, "staging", environ)


def test_a_key_file_that_is_not_there_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "hungary"
    shutil.copytree(HUNGARY, config)
    text = (config / "hub.yaml").read_text(encoding="utf-8")
    (config / "hub.yaml").write_text(text.replace("hosting:\n", "hosting:\n  ssh_key_env: DEH_HU_SSH_KEY\n"))
    environ = {**SECRETS, "DEH_HU_SSH_KEY": str(tmp_path / "nope")}
    with pytest.raises(
        HostingError, match=rf"^DEH_HU_SSH_KEY: {re.escape(str(tmp_path))}/nope: no such file"
    ):
        check_environment(load_hub(config), "staging", environ)


def test_deh_host_without_a_variable_says_so_in_one_line_and_exits_1(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", **{k: v for k, v in SECRETS.items() if k != "TWILIO_AUTH_TOKEN"}}
    done = subprocess.run(
        [sys.executable, "-m", "deh_deploy.cli", "host", str(HUNGARY), "--env", "staging"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "deh: missing variable TWILIO_AUTH_TOKEN (the hub service reads it on the hosts)\n"
    )


def test_the_log_is_private_and_never_written_through_a_planted_symlink(tmp_path: Path) -> None:
    import os

    from deh_deploy.hosting.run import open_log

    log = tmp_path / ".deh" / "host.log"
    os.close(open_log(log))
    assert log.stat().st_mode & 0o777 == 0o600
    target, planted = tmp_path / "elsewhere", tmp_path / ".deh" / "planted.log"
    target.write_text("kept\n")
    planted.symlink_to(target)
    with pytest.raises(HostingError, match=r"planted\.log: cannot write the log: "):
        open_log(planted)
    assert target.read_text() == "kept\n"
