"""Serverless builds: upload each function and asset version (multipart, not in the SDK), build them, wait for the
build, and deploy it to the environment."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from deh_deploy.errors import ProviderError
from deh_deploy.providers.kinds.base import Ctx

log = logging.getLogger(__name__)
UPLOAD = "https://serverless-upload.twilio.com/v1/Services/{service}/{folder}/{sid}/Versions"
# A build is looked at once at once, then after a wait that doubles from BUILD_POLL_SECONDS up to
# BUILD_POLL_MAX_SECONDS: a quick build is seen at once, a long one (real builds take seconds to minutes) is polled
# once a second, as Twilio's own serverless-toolkit polls (packages/serverless-api/src/api/builds.ts).
BUILD_POLL_SECONDS = 0.2
BUILD_POLL_MAX_SECONDS = 1.0
BUILD_TIMEOUT_SECONDS = 300


@dataclass(frozen=True)
class Upload:
    """One version to upload: to the Function or Asset ``sid`` in ``folder`` ("Functions", "Assets")."""

    folder: str
    sid: str
    path: str
    visibility: str
    content: str
    content_type: str


def upload_version(ctx: Ctx, service_sid: str, upload: Upload) -> str:
    """Upload a version through the SDK's own HTTP client (its retries, its counter); returns the version's SID."""
    from urllib3 import encode_multipart_formdata

    filename = upload.path.rsplit("/", 1)[-1] or "content"
    body, ctype = encode_multipart_formdata(
        {
            "Path": upload.path,
            "Visibility": upload.visibility,
            "Content": (filename, upload.content.encode("utf-8"), upload.content_type),
        }
    )
    url = UPLOAD.format(service=service_sid, folder=upload.folder, sid=upload.sid)
    response = ctx.client.http_client.request(
        "POST",
        url,
        data=body,
        headers={"Content-Type": ctype, "Accept": "application/json"},
        auth=ctx.client.auth,
    )
    if response.status_code >= 300:
        raise ProviderError(f"upload of {upload.path} failed: HTTP {response.status_code}")
    return str(json.loads(response.text)["sid"])


def build_and_deploy(
    ctx: Ctx,
    *,
    service_sid: str,
    environment_sid: str,
    functions: Sequence[Upload],
    assets: Sequence[Upload],
    dependencies: Any,
    runtime: str,
) -> None:
    """Upload the versions side by side, build them, wait for the build, deploy it to the environment."""
    service = ctx.client.serverless.v1.services(service_sid)
    uploads = [*functions, *assets]
    with ThreadPoolExecutor(max_workers=max(1, len(uploads))) as pool:
        versions = list(pool.map(lambda u: upload_version(ctx, service_sid, u), uploads))
    build = service.builds.create(
        function_versions=versions[: len(functions)],
        asset_versions=versions[len(functions) :],
        dependencies=json.dumps(dependencies),
        runtime=runtime,
    )
    log.debug("build %s of %d versions: %s", build.sid, len(versions), build.status)
    waited, pause = 0.0, 0.0
    status = build.status
    while status not in ("completed", "failed"):  # the first look at once, then ever less often, up to 1 s
        if waited > BUILD_TIMEOUT_SECONDS:
            raise ProviderError(f"build {build.sid} still {status} after {BUILD_TIMEOUT_SECONDS} s")
        if pause:
            ctx.sleep(pause)
        waited += pause
        pause = min(BUILD_POLL_MAX_SECONDS, pause * 2 if pause else BUILD_POLL_SECONDS)
        status = service.builds(build.sid).build_status().fetch().status
    if status == "failed":
        raise ProviderError(
            f"build {build.sid} failed on Twilio; see the Serverless build log in the console"
        )
    deployment = service.environments(environment_sid).deployments.create(build_sid=build.sid)
    log.debug("build %s deployed (%s)", build.sid, deployment.sid)
