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
        "deh_hub_http_port": 80,
    }
    assert group["vars"]["deh_hub_secret_names"] == list(SECRETS)
    assert group["vars"]["deh_hub_test_host"] is False
    assert group["vars"]["deh_hub_tls"] == "certbot"  # no certificate given, not a test host
    assert group["vars"]["deh_hub_certbot_directory"] == "https://acme-v02.api.letsencrypt.org/directory"
    assert "deh_database" not in made["all"]["children"]
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


def _with_hosting(tmp_path: Path, hosting: str) -> Path:
    config = tmp_path / "hungary"
    shutil.copytree(HUNGARY, config)
    text = (config / "hub.yaml").read_text(encoding="utf-8")
    (config / "hub.yaml").write_text(re.sub(r"hosting:\n(  .*\n)+", hosting, text), encoding="utf-8")
    return config


DATABASE_SECRETS = {
    **{k: v for k, v in SECRETS.items() if k != "DEH_HU_DATABASE_URL"},
    "DEH_HU_DATABASE_PASSWORD": "database-password-canary",
}


def test_a_database_on_a_server_of_its_own_is_a_group_and_the_app_hosts_are_its_only_clients(
    tmp_path: Path,
) -> None:
    config = _with_hosting(
        tmp_path,
        "hosting:\n  domain: deh.voroskereszt.hu\n  hosts:\n"
        "    - {name: hub1, address: 192.0.2.10, ssh_user: deh}\n"
        "    - {name: hub2, address: hub2.voroskereszt.hu, ssh_user: deh}\n"
        "  database:\n    host: {name: db1, address: 192.0.2.20, ssh_user: deh}\n"
        "    password_env: DEH_HU_DATABASE_PASSWORD\n",
    )
    hub = load_hub(config)
    made = inventory(hub, "production", release={}, environ=DATABASE_SECRETS)
    database = made["all"]["children"]["deh_database"]
    assert database["hosts"] == {
        "db1": {
            "ansible_host": "192.0.2.20",
            "ansible_port": 22,
            "ansible_user": "deh",
            "ansible_python_interpreter": "/usr/bin/python3",
            "deh_become": True,
        }
    }
    assert database["vars"] == {
        "deh_postgresql_name": "deh_hungary_production",
        "deh_postgresql_password_env": "DEH_HU_DATABASE_PASSWORD",
        "deh_postgresql_port": 5432,
        "deh_postgresql_listen": "192.0.2.20",
        "deh_postgresql_clients": ["127.0.0.1/32", "::1/128", "192.0.2.10/32", "hub2.voroskereszt.hu"],
    }
    assert made["all"]["children"]["deh_hub"]["vars"]["deh_hub_database"] == {
        "url_variable": "DEH_HUB_DATABASE_URL",
        "user": "deh_hungary_production",
        "name": "deh_hungary_production",
        "address": "192.0.2.20",
        "port": 5432,
        "password_env": "DEH_HU_DATABASE_PASSWORD",
    }
    # The service reads the URL deh host derives; the password stays on the deploying machine.
    assert "DEH_HU_DATABASE_PASSWORD" not in secret_names(hub, "production")
    assert "database-password-canary" not in json.dumps(made)


def test_a_database_on_the_one_app_host_is_reached_on_loopback(tmp_path: Path) -> None:
    config = _with_hosting(
        tmp_path,
        "hosting:\n  domain: deh.voroskereszt.hu\n  hosts:\n"
        "    - {name: hub1, address: 192.0.2.10, ssh_user: deh}\n"
        "  database: {host: hub1, password_env: DEH_HU_DATABASE_PASSWORD, name: deh_hu}\n",
    )
    made = inventory(load_hub(config), "staging", release={}, environ=DATABASE_SECRETS)
    assert made["all"]["children"]["deh_database"]["hosts"] == {"hub1": {}}  # its connection is deh_hub's
    assert made["all"]["children"]["deh_database"]["vars"]["deh_postgresql_listen"] == "127.0.0.1"
    assert made["all"]["children"]["deh_hub"]["vars"]["deh_hub_database"]["address"] == "127.0.0.1"


def test_a_missing_database_password_stops_before_anything_connects(tmp_path: Path) -> None:
    config = _with_hosting(
        tmp_path,
        "hosting:\n  domain: deh.voroskereszt.hu\n  hosts:\n"
        "    - {name: hub1, address: 192.0.2.10}\n"
        "  database: {host: hub1, password_env: DEH_HU_DATABASE_PASSWORD}\n",
    )
    environ = {k: v for k, v in DATABASE_SECRETS.items() if k != "DEH_HU_DATABASE_PASSWORD"}
    with pytest.raises(
        HostingError,
        match=r"^missing variable DEH_HU_DATABASE_PASSWORD \(the password of the database deh host installs\)$",
    ):
        check_environment(load_hub(config), "staging", environ)


def test_a_test_host_gets_a_self_signed_certificate_and_a_given_one_wins(tmp_path: Path) -> None:
    base = "hosting:\n  domain: deh.voroskereszt.hu\n  hosts:\n    - {name: hub1, address: 192.0.2.10}\n"
    given = "  certificate: {certificate: /etc/ssl/deh/fullchain.pem, key: /etc/ssl/deh/privkey.pem}\n"
    for extra, tls in (("  test_host: true\n", "self-signed"), (given, "given"), ("", "certbot")):
        folder = tmp_path / tls
        folder.mkdir()
        hub = load_hub(_with_hosting(folder, base + extra))
        assert hub.hosting is not None and hub.hosting.tls == tls
