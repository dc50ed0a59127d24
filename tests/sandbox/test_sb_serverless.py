"""Serverless v1: services, environments (409), uploads over multipart, builds, deployments, variables."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from deh_deploy.providers.local_http import LocalTwilioHttpClient
from deh_deploy.sandbox import RunningSandbox
from tests.sandbox.helpers import ACCOUNT

HOURS_JS = b"exports.handler = (ctx, event, cb) => cb(null, { open: true });\n"


def upload(
    sandbox: RunningSandbox, token: str, service: str, parent: str, *, path: str, visibility: str,
    kind: str = "Functions", content: bytes = HOURS_JS,
) -> tuple[int, dict[str, Any]]:  # fmt: skip
    """Upload a version the way Twilio's serverless toolkit does: multipart to serverless-upload."""
    http = LocalTwilioHttpClient(sandbox.url)
    url = http.rewrite(f"https://serverless-upload.twilio.com/v1/Services/{service}/{kind}/{parent}/Versions")
    reply = http.session.post(
        url,
        files={"Content": ("hours.js", content, "application/javascript")},
        data={"Path": path, "Visibility": visibility},
        auth=(ACCOUNT, token),
        timeout=10,
    )
    return reply.status_code, reply.json()


def test_service_unique_names_are_unique_and_immutable(client: Client) -> None:
    services = client.serverless.v1.services
    svc = services.create(unique_name="deh-hu-staging", friendly_name="DEH hu staging")
    assert re.fullmatch(r"deh-hu-staging-\d{4}", svc.domain_base)
    assert services("deh-hu-staging").fetch().sid == svc.sid
    with pytest.raises(TwilioRestException) as exc:
        services.create(unique_name="deh-hu-staging", friendly_name="again")
    assert exc.value.status == 409
    renamed = services(svc.sid).update(friendly_name="DEH hu (staging)", ui_editable=True)
    assert (renamed.friendly_name, renamed.ui_editable, renamed.unique_name) == (
        "DEH hu (staging)",
        True,
        "deh-hu-staging",
    )
    with pytest.raises(TwilioRestException) as exc:
        services.create(unique_name="bad name!", friendly_name="x")
    assert exc.value.code == 20001


def test_environment_domains_and_conflicts(client: Client) -> None:
    svc = client.serverless.v1.services.create(unique_name="deh-mn", friendly_name="DEH mn")
    envs = client.serverless.v1.services(svc.sid).environments
    prod = envs.create(unique_name="production")
    stage = envs.create(unique_name="staging", domain_suffix="stage")
    assert prod.domain_name == f"{svc.domain_base}.twil.io" and prod.build_sid is None
    assert stage.domain_name == f"{svc.domain_base}-stage.twil.io"
    for clash in ({"unique_name": "staging"}, {"unique_name": "other", "domain_suffix": "stage"}):
        with pytest.raises(TwilioRestException) as exc:
            envs.create(**clash)
        assert exc.value.status == 409
        assert exc.value.msg.endswith("Environment with this UniqueName or DomainSuffix already exists.")
    assert [e.unique_name for e in envs.list()] == ["production", "staging"]
    assert envs(stage.sid).delete() is True


def test_upload_build_deploy(sandbox: RunningSandbox, token: str, client: Client) -> None:
    svc = client.serverless.v1.services.create(unique_name="deh-jo", friendly_name="DEH jo")
    service = client.serverless.v1.services(svc.sid)
    fn = service.functions.create(friendly_name="hours")
    status, version = upload(sandbox, token, svc.sid, fn.sid, path="/hours", visibility="protected")
    assert status == 201 and version["sid"].startswith("ZN") and version["function_sid"] == fn.sid
    versions = service.functions(fn.sid).function_versions
    assert [v.sid for v in versions.list()] == [version["sid"]]
    assert versions(version["sid"]).fetch().path == "/hours"
    content = versions(version["sid"]).function_version_content().fetch()
    assert content.content == HOURS_JS.decode()
    asset = service.assets.create(friendly_name="logo")
    status, asset_version = upload(
        sandbox,
        token,
        svc.sid,
        asset.sid,
        path="/logo.txt",
        visibility="private",
        kind="Assets",
        content=b"x",
    )
    assert status == 201 and asset_version["asset_sid"] == asset.sid
    assert [v.visibility for v in service.assets(asset.sid).asset_versions.list()] == ["private"]
    deps = json.dumps([{"name": "luxon", "version": "3.4.4"}])
    build = service.builds.create(
        function_versions=[version["sid"]],
        asset_versions=[asset_version["sid"]],
        dependencies=deps,
        runtime="node22",
    )
    assert build.status == "building"
    assert [v["sid"] for v in build.function_versions] == [version["sid"]]
    assert service.builds(build.sid).build_status().fetch().status == "completed"
    assert [(b.sid, b.status) for b in service.builds.list()] == [(build.sid, "completed")]
    env = service.environments.create(unique_name="production")
    with pytest.raises(TwilioRestException):
        service.environments(env.sid).deployments.create(build_sid="ZB" + "0" * 32)
    deployment = service.environments(env.sid).deployments.create(build_sid=build.sid)
    assert deployment.build_sid == build.sid and deployment.environment_sid == env.sid
    assert service.environments(env.sid).fetch().build_sid == build.sid
    assert [d.sid for d in service.environments(env.sid).deployments.list()] == [deployment.sid]


def test_a_build_finishes_at_the_next_poll_and_must_finish_before_deploying(client: Client) -> None:
    svc = client.serverless.v1.services.create(unique_name="deh-nl", friendly_name="DEH nl")
    service = client.serverless.v1.services(svc.sid)
    env = service.environments.create(unique_name="production")
    build = service.builds.create(runtime="node20")
    with pytest.raises(TwilioRestException) as exc:
        service.environments(env.sid).deployments.create(build_sid=build.sid)
    assert exc.value.code == 20001
    assert service.builds(build.sid).fetch().status == "completed"
    with pytest.raises(TwilioRestException):
        service.builds.create(function_versions=["ZN" + "0" * 32])


def test_upload_rules(sandbox: RunningSandbox, token: str, client: Client) -> None:
    svc = client.serverless.v1.services.create(unique_name="deh-up", friendly_name="DEH up")
    fn = client.serverless.v1.services(svc.sid).functions.create(friendly_name="f")
    status, body = upload(sandbox, token, svc.sid, fn.sid, path="/f", visibility="private")
    assert (status, body["code"]) == (400, 20001)
    status, body = upload(sandbox, token, svc.sid, fn.sid, path="no-slash", visibility="public")
    assert status == 400
    status, body = upload(sandbox, token, svc.sid, "ZH" + "0" * 32, path="/f", visibility="public")
    assert (status, body["code"]) == (404, 20404)


def test_variables_are_keyed_uniquely_and_their_values_never_logged(
    sandbox: RunningSandbox, client: Client
) -> None:
    svc = client.serverless.v1.services.create(unique_name="deh-vars", friendly_name="vars")
    env = client.serverless.v1.services(svc.sid).environments.create(unique_name="production")
    variables = client.serverless.v1.services(svc.sid).environments(env.sid).variables
    tz = variables.create(key="TIMEZONE", value="Europe/Budapest")
    with pytest.raises(TwilioRestException) as exc:
        variables.create(key="TIMEZONE", value="UTC")
    assert exc.value.status == 409
    assert variables(tz.sid).update(value="Asia/Ulaanbaatar").value == "Asia/Ulaanbaatar"
    logged = json.dumps(sandbox.requests())
    assert "Europe/Budapest" not in logged and "Ulaanbaatar" not in logged and "TIMEZONE" in logged
    assert variables(tz.sid).delete() is True
    assert variables.list() == []


def test_a_variable_value_over_450_bytes_is_refused_on_create_and_update(client: Client) -> None:
    svc = client.serverless.v1.services.create(unique_name="deh-big", friendly_name="big")
    env = client.serverless.v1.services(svc.sid).environments.create(unique_name="staging")
    variables = client.serverless.v1.services(svc.sid).environments(env.sid).variables
    fits = variables.create(key="FITS", value="é" * 225)  # 450 bytes in UTF-8, 225 characters
    attempts: list[Callable[[], object]] = [
        lambda: variables.create(key="TOO_BIG", value="x" * 451),
        lambda: variables(fits.sid).update(value="é" * 225 + "x"),
    ]
    for attempt in attempts:
        with pytest.raises(TwilioRestException) as exc:
            attempt()
        assert (exc.value.status, exc.value.code) == (400, 20001)
        assert "maximum of 450 bytes" in exc.value.msg
    assert [v.key for v in variables.list()] == ["FITS"]
    assert variables(fits.sid).fetch().value == "é" * 225


def test_deleting_a_service_deletes_what_it_holds(client: Client) -> None:
    svc = client.serverless.v1.services.create(unique_name="deh-gone", friendly_name="gone")
    fn = client.serverless.v1.services(svc.sid).functions.create(friendly_name="f")
    assert (
        client.serverless.v1.services(svc.sid).functions(fn.sid).update(friendly_name="g").friendly_name
        == "g"
    )
    assert client.serverless.v1.services(svc.sid).delete() is True
    with pytest.raises(TwilioRestException):
        client.serverless.v1.services(svc.sid).functions(fn.sid).fetch()
    fresh = client.serverless.v1.services.create(unique_name="deh-gone", friendly_name="again")
    assert fresh.sid != svc.sid and client.serverless.v1.services(fresh.sid).functions.list() == []
