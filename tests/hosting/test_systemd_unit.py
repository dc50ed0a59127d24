"""The systemd unit the role writes, rendered by Ansible itself from the role's templates with the variables deh
host gives a host, then checked by systemd: ``systemd-analyze verify`` parses it as systemd would load it (every
directive known and well-formed, the start script executable), and ``systemd-analyze security`` rates its
sandbox. This machine has no systemd as PID 1, so the unit is verified, not started."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from deh_deploy.config import load_hub
from deh_deploy.hosting.inventory import inventory

ROOT = Path(__file__).resolve().parents[2]
ROLE = ROOT / "templates" / "hosting" / "roles" / "deh_hub"
ANALYZE = shutil.which("systemd-analyze")
PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(ANALYZE is None, reason="needs systemd-analyze: apt-get install -y systemd"),
    pytest.mark.skipif(not PLAYBOOK.exists(), reason="needs ansible-core: pip install -e '.[test]'"),
]


@pytest.fixture(scope="module")
def unit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Hungary's staging host ``hub1`` with its folders under a temporary base: the start script and the unit
    written by ansible-playbook from the role's templates, with the role's defaults and deh host's inventory."""
    work = tmp_path_factory.mktemp("unit")
    config = work / "hungary"
    shutil.copytree(ROOT / "country_configs" / "hungary", config)
    base = work / "base"
    text = (config / "hub.yaml").read_text(encoding="utf-8")
    text = text.replace("ssh_user: deh}", f"ssh_user: deh, base_dir: {base}}}")
    (config / "hub.yaml").write_text(text, encoding="utf-8")
    made = inventory(load_hub(config), "staging", release={}, environ={})
    group = made["all"]["children"]["deh_hub"]
    host_vars = {k: v for k, v in group["hosts"]["hub1"].items() if not k.startswith("ansible_")}
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text(encoding="utf-8"))
    for folder in ("bin", "shared", "logs"):
        (base / folder).mkdir(parents=True)
    out = work / "systemd"
    out.mkdir()
    play = [
        {
            "name": "Render the hub service's start script and systemd unit",
            "hosts": "localhost",
            "connection": "local",
            "gather_facts": False,
            "vars": {**defaults, **group["vars"], **host_vars, "ansible_python_interpreter": sys.executable},
            "tasks": [
                {
                    "name": "Write the start script",
                    "ansible.builtin.template": {
                        "src": str(ROLE / "templates" / "hub.sh.j2"),
                        "dest": "{{ deh_hub_base }}/bin/hub",
                        "mode": "0755",
                    },
                },
                {
                    "name": "Write the systemd unit",
                    "ansible.builtin.template": {
                        "src": str(ROLE / "templates" / "hub.service.j2"),
                        "dest": f"{out}/{{{{ deh_hub_name }}}}.service",
                        "mode": "0644",
                    },
                },
            ],
        }
    ]
    (work / "render.yml").write_text(yaml.safe_dump(play), encoding="utf-8")
    done = subprocess.run(
        [str(PLAYBOOK), "-i", "localhost,", str(work / "render.yml")],
        cwd=work,
        env={"PATH": "/usr/bin:/bin", "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(work / "tmp")},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    yield out / "deh-hungary-staging-hub1.service"


def _directives(unit: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in unit.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            found.setdefault(key, []).append(value)
    return found


def _analyze(*args: str) -> subprocess.CompletedProcess[str]:
    assert ANALYZE is not None
    return subprocess.run(
        [ANALYZE, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"PATH": "/usr/bin:/bin"},
    )


def test_systemd_loads_the_unit_without_a_word_of_complaint(unit: Path) -> None:
    done = _analyze("verify", "--man=no", str(unit))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_the_unit_runs_the_release_as_the_service_user_and_restarts_it_on_failure(unit: Path) -> None:
    base = unit.parent.parent / "base"
    directives = _directives(unit)
    assert directives["User"] == directives["Group"] == ["deh-hungary-staging"]
    assert directives["ExecStart"] == [f"{base}/bin/hub {base}/current serve --port 8780"]
    assert directives["WorkingDirectory"] == [f"{base}/shared"]
    assert directives["Restart"] == ["on-failure"]


def test_the_unit_writes_only_its_state_folder_and_logs_and_gains_no_privilege(unit: Path) -> None:
    base = unit.parent.parent / "base"
    directives = _directives(unit)
    for key, value in {
        "NoNewPrivileges": "true",
        "ProtectSystem": "strict",
        "ProtectHome": "true",
        "PrivateTmp": "true",
        "PrivateDevices": "true",
        "CapabilityBoundingSet": "",
        "UMask": "0077",
    }.items():
        assert directives[key] == [value], key
    assert directives["ReadWritePaths"] == [f"{base}/shared {base}/logs"]


def test_systemd_rates_the_units_exposure_2_or_less_of_10(unit: Path) -> None:
    done = _analyze("security", "--offline=true", "--threshold=20", "--json=short", str(unit))
    assert done.returncode == 0, done.stdout + done.stderr
    checks = {c["json_field"]: c["set"] for c in json.loads(done.stdout)}
    expected = (
        "NoNewPrivileges",
        "ProtectSystem",
        "ProtectHome",
        "PrivateTmp",
        "PrivateDevices",
        "UserOrDynamicUser",
    )
    assert {field: checks[field] for field in expected} == dict.fromkeys(expected, True)


def test_a_misspelt_directive_is_what_verify_would_report(unit: Path, tmp_path: Path) -> None:
    broken = tmp_path / unit.name
    broken.write_text(unit.read_text(encoding="utf-8").replace("Restart=", "Restrat="), encoding="utf-8")
    done = _analyze("verify", "--man=no", str(broken))
    assert f"{broken}:" in done.stderr and "Unknown key 'Restrat'" in done.stderr
