"""The config's ``hosting`` section as Ansible's inventory: one group, ``deh_hub``, with a host per server.

Secrets never enter the inventory: it names the variables (``deh_hub_secret_names``) and the role reads their
values from the deploying machine's environment when it writes the host's secrets file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deh_deploy.errors import HostingError

if TYPE_CHECKING:
    from deh_deploy.config.model import Hosting, HubConfig


def hosting_of(hub: HubConfig) -> Hosting:
    if hub.hosting is None:
        raise HostingError(f"{hub.source}: no hosting section: name the hosts deh host installs on")
    return hub.hosting


def secret_names(hub: HubConfig, env: str) -> list[str]:
    """The variables the hub service reads its secrets from, in a fixed order, without repeats."""
    hosting = hosting_of(hub)
    names = [hub.environment(env).credentials.auth_token, hub.service.person_key_env]
    names += [role.token_env for role in hub.service.roles.values()]
    if hosting.database_url_env:
        names.append(hosting.database_url_env)
    return list(dict.fromkeys(names))


def check_environment(hub: HubConfig, env: str, environ: Mapping[str, str]) -> None:
    """Every secret the service needs and every file the connection needs, before Ansible starts."""
    from deh_deploy.secrets import register

    for name in secret_names(hub, env):
        register(environ.get(name))
        if not environ.get(name):
            raise HostingError(f"missing variable {name} (the hub service reads it on the hosts)")
    hosting = hosting_of(hub)
    for var, what in (
        (hosting.ssh_key_env, "SSH private key"),
        (hosting.known_hosts_env, "known_hosts file"),
    ):
        if var is None:
            continue
        value = environ.get(var)
        if not value:
            raise HostingError(f"missing variable {var} (the path of the {what})")
        if not Path(value).is_file():
            raise HostingError(f"{var}: {value}: no such file (the {what})")


def inventory(
    hub: HubConfig, env: str, *, release: Mapping[str, str], environ: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Ansible's inventory (its YAML/JSON form) for ``env``: the hosts with their connection and folders, the
    group with what every host shares: the release, the domain, the certificate and the secrets' names."""
    environ = os.environ if environ is None else environ
    hosting = hosting_of(hub)
    ssh_args = []
    if hosting.known_hosts_env:
        ssh_args += [
            f"-o UserKnownHostsFile={environ[hosting.known_hosts_env]}",
            "-o StrictHostKeyChecking=yes",
        ]
    hosts: dict[str, Any] = {}
    for host in hosting.hosts:
        user = host.ssh_user or "root"
        entry: dict[str, Any] = {
            "ansible_host": host.address,
            "ansible_port": host.ssh_port,
            "ansible_user": user,
            "ansible_python_interpreter": "/usr/bin/python3",
            "deh_become": user != "root",
            "deh_hub_name": f"deh-{hub.slug}-{env}-{host.name}",
            "deh_hub_user": host.service_user or f"deh-{hub.slug}-{env}",
            "deh_hub_base": host.base_dir or f"/opt/deh-{hub.slug}-{env}",
            "deh_hub_app_port": host.app_port,
            "deh_hub_https_port": host.https_port,
        }
        if hosting.ssh_key_env:
            entry["ansible_ssh_private_key_file"] = environ[hosting.ssh_key_env]
        if ssh_args:
            entry["ansible_ssh_common_args"] = " ".join(ssh_args)
        hosts[host.name] = entry
    certificate, key = hosting.certificate or ("", "")
    group_vars = {
        "deh_hub_env": env,
        "deh_hub_domain": hosting.domain,
        "deh_hub_secret_names": secret_names(hub, env),
        "deh_hub_test_host": hosting.test_host,
        "deh_hub_certificate": certificate,
        "deh_hub_certificate_key": key,
        **release,
    }
    return {"all": {"children": {"deh_hub": {"hosts": hosts, "vars": group_vars}}}}
