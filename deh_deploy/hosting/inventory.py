"""The config's ``hosting`` section as Ansible's inventory: one group, ``deh_hub``, with a host per server.

Secrets never enter the inventory: it names the variables (``deh_hub_secret_names``) and the role reads their
values from the deploying machine's environment when it writes the host's secrets file.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deh_deploy.errors import HostingError

if TYPE_CHECKING:
    from deh_deploy.config.model import Host, Hosting, HubConfig


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
    if hosting.database is not None:
        name = hosting.database.password_env
        register(environ.get(name))
        if not environ.get(name):
            raise HostingError(f"missing variable {name} (the password of the database deh host installs)")
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
    group with what every host shares: the release, the domain, the certificate and the secrets' names; and the
    ``deh_database`` group, the host deh host installs PostgreSQL on, when the config asks for one."""
    environ = os.environ if environ is None else environ
    hosting = hosting_of(hub)
    hosts: dict[str, Any] = {}
    for host in hosting.hosts:
        hosts[host.name] = {
            **_connection(hosting, host, environ),
            "deh_hub_name": f"deh-{hub.slug}-{env}-{host.name}",
            "deh_hub_user": host.service_user or f"deh-{hub.slug}-{env}",
            "deh_hub_base": host.base_dir or f"/opt/deh-{hub.slug}-{env}",
            "deh_hub_app_port": host.app_port,
            "deh_hub_https_port": host.https_port,
            "deh_hub_http_port": host.http_port,
        }
    certificate, key = hosting.certificate or ("", "")
    group_vars = {
        "deh_hub_env": env,
        "deh_hub_domain": hosting.domain,
        "deh_hub_secret_names": secret_names(hub, env),
        "deh_hub_test_host": hosting.test_host,
        "deh_hub_tls": hosting.tls,
        "deh_hub_certificate": certificate,
        "deh_hub_certificate_key": key,
        "deh_hub_certbot_directory": hosting.certbot.directory,
        "deh_hub_certbot_email": hosting.certbot.email or "",
        "deh_hub_database": _database_url(hub, env),
        **release,
    }
    groups: dict[str, Any] = {"deh_hub": {"hosts": hosts, "vars": group_vars}}
    if hosting.database is not None:
        groups["deh_database"] = _database_group(hub, env, environ)
    return {"all": {"children": groups}}


def _connection(hosting: Hosting, host: Host, environ: Mapping[str, str]) -> dict[str, Any]:
    """How Ansible reaches a host: address, port, user, the key and the known_hosts file named by variable."""
    user = host.ssh_user or "root"
    entry: dict[str, Any] = {
        "ansible_host": host.address,
        "ansible_port": host.ssh_port,
        "ansible_user": user,
        "ansible_python_interpreter": "/usr/bin/python3",
        "deh_become": user != "root",
    }
    if hosting.ssh_key_env:
        entry["ansible_ssh_private_key_file"] = environ[hosting.ssh_key_env]
    if hosting.known_hosts_env:
        entry["ansible_ssh_common_args"] = (
            f"-o UserKnownHostsFile={environ[hosting.known_hosts_env]} -o StrictHostKeyChecking=yes"
        )
    return entry


def database_name(hub: HubConfig, env: str) -> str:
    """The database and its role: the config's name, else ``deh_<slug>_<env>``."""
    database = hosting_of(hub).database
    assert database is not None
    return database.name or f"deh_{hub.slug}_{env}".replace("-", "_")[:63]


def database_address(hosting: Hosting) -> str:
    """Where the app hosts reach PostgreSQL: the config's address; else loopback when the one app host is the
    database host; else the database host's address."""
    database = hosting.database
    assert database is not None
    if database.address:
        return database.address
    if database.server is not None:
        return database.server.address
    if [h.name for h in hosting.hosts] == [database.host]:
        return "127.0.0.1"
    return next(h.address for h in hosting.hosts if h.name == database.host)


def _database_url(hub: HubConfig, env: str) -> dict[str, Any]:
    """What the app hosts need to write their database URL: its parts, and the password's variable by name."""
    hosting = hosting_of(hub)
    if hosting.database is None:
        return {}
    name = database_name(hub, env)
    return {
        "url_variable": hosting.database_url_variable,
        "user": name,
        "name": name,
        "address": database_address(hosting),
        "port": hosting.database.port,
        "password_env": hosting.database.password_env,
    }


def _database_group(hub: HubConfig, env: str, environ: Mapping[str, str]) -> dict[str, Any]:
    hosting = hosting_of(hub)
    database = hosting.database
    assert database is not None
    server = database.server
    entry = _connection(hosting, server, environ) if server is not None else {}
    clients = [_client(h.address) for h in hosting.hosts]
    return {
        "hosts": {database.host: entry},
        "vars": {
            "deh_postgresql_name": database_name(hub, env),
            "deh_postgresql_password_env": database.password_env,
            "deh_postgresql_port": database.port,
            "deh_postgresql_listen": database_address(hosting),
            "deh_postgresql_clients": list(dict.fromkeys(["127.0.0.1/32", "::1/128", *clients])),
        },
    }


def _client(address: str) -> str:
    """An app host as pg_hba.conf names it: an IP address as a one-address network, a host name as written."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    return f"{ip}/{ip.max_prefixlen}"
