"""The nginx site the role writes, for each source of its certificate, rendered by Ansible from the role's template
with deh host's inventory and checked by ``nginx -t``: a given certificate and a test host's self-signed one get
the TLS server only; certbot's host gets the plain-HTTP server for the ACME challenge too, and, before certbot
has its certificate, that server alone."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from deh_deploy.config import load_hub
from deh_deploy.hosting.inventory import inventory

ROOT = Path(__file__).resolve().parents[2]
ROLE = ROOT / "templates" / "hosting" / "roles" / "deh_hub"
PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(NGINX).exists(), reason="needs nginx: apt-get install -y nginx"),
    pytest.mark.skipif(not PLAYBOOK.exists(), reason="needs ansible-core: pip install -e '.[test]'"),
]
CASES = {  # name: (what the hosting section adds, the role's deh_hub_nginx_tls)
    "given": ("  certificate: {certificate: CERT, key: KEY}\n", True),
    "self-signed": ("  test_host: true\n", True),
    "certbot": ("", True),
    "certbot-challenge": ("", False),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    work = tmp_path_factory.mktemp("nginx")
    cert, key = work / "cert.pem", work / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=deh"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text(encoding="utf-8"))
    tasks, rendered = [], {}
    for name, (extra, tls) in CASES.items():
        config = work / name / "hungary"
        shutil.copytree(ROOT / "country_configs" / "hungary", config)
        text = (config / "hub.yaml").read_text(encoding="utf-8")
        extra = extra.replace("CERT", str(cert)).replace("KEY", str(key))
        text = re.sub(r"(  database_url_env: DEH_HU_DATABASE_URL\n)", rf"\1{extra}", text)
        (config / "hub.yaml").write_text(text.replace("ssh_user: deh}", f"base_dir: {work / name}}}"))
        made = inventory(load_hub(config), "staging", release={}, environ={})
        group = made["all"]["children"]["deh_hub"]
        host = {k: v for k, v in group["hosts"]["hub1"].items() if not k.startswith("ansible_")}
        facts = {**defaults, **group["vars"], **host, "deh_hub_nginx_tls": tls}
        # What nginx.yml chooses: the given paths, the self-signed pair, certbot's live folder (here: the pair).
        facts["deh_hub_tls_certificate"], facts["deh_hub_tls_key"] = str(cert), str(key)
        rendered[name] = work / f"{name}.conf"
        tasks.append(
            {
                "name": f"Render the site for {name}",
                "ansible.builtin.template": {
                    "src": str(ROLE / "templates" / "nginx.conf.j2"),
                    "dest": str(rendered[name]),
                    "mode": "0644",
                },
                "vars": facts,
            }
        )
        (work / name / "logs").mkdir()
    play = [
        {
            "name": "Render the nginx sites",
            "hosts": "localhost",
            "connection": "local",
            "gather_facts": False,
            "vars": {"ansible_python_interpreter": sys.executable},
            "tasks": tasks,
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
    return rendered


def _nginx_t(site: Path) -> subprocess.CompletedProcess[str]:
    main = site.with_suffix(".main")
    main.write_text(
        f"pid {site.with_suffix('.pid')};\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {site};\n}}\n"
    )
    return subprocess.run(
        [NGINX, "-t", "-q", "-c", str(main), "-p", str(site.parent)],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )


@pytest.mark.parametrize("name", list(CASES))
def test_nginx_accepts_the_site(sites: dict[str, Path], name: str) -> None:
    done = _nginx_t(sites[name])
    assert done.returncode == 0, done.stderr


def test_only_certbot_serves_plain_http_and_before_its_certificate_only_that(sites: dict[str, Path]) -> None:
    listens = {
        name: re.findall(r"^\s*listen (\d+)( ssl)?;", path.read_text(), re.MULTILINE)
        for name, path in sites.items()
    }
    assert listens == {
        "given": [("443", " ssl")],
        "self-signed": [("443", " ssl")],
        "certbot": [("80", ""), ("443", " ssl")],
        "certbot-challenge": [("80", "")],
    }
    assert "location /.well-known/acme-challenge/" in sites["certbot"].read_text()
