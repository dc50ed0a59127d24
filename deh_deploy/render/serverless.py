"""Serverless: the hub's service with its hours and callback functions, the compiled schedule, variables, and a
deployment. It comes first in every apply, so that its domain can be written into the flows in the same run."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from deh_deploy.config.model import HubConfig
from deh_deploy.hours import compile_schedule, dump_schedule
from deh_deploy.hours.record import record as hours_record
from deh_deploy.hours.workdays import compile_promise
from deh_deploy.names import HOURS_VARIABLE, NUMBERS_VARIABLE, friendly, unique
from deh_deploy.render.desired import Desired, Joined, Ref, join, ref, resource

RUNTIME = "node22"
FUNCTIONS = ("hours", "callback")


def templates_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent.parent / "templates", here.parent / "data" / "templates"):
        if (candidate / "functions").is_dir():
            return candidate
    raise FileNotFoundError("templates/functions")


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def schedule_years(today: date) -> list[int]:
    return [today.year, today.year + 1]


def compile_with_promise(hub: HubConfig, *, years: list[int]) -> dict[str, Any]:
    """The schedule the hours Function reads, with the promise's section the callback Function reads from the
    same asset: the rule, and the country's weekend and working weekend days (the hours package knows them)."""
    schedule = compile_schedule(hub.hours, timezone=hub.timezone, years=years)
    rule = hub.hours.holidays
    schedule["promise"] = compile_promise(
        country=rule.country if rule is not None else hub.country.upper(),
        subdivision=rule.subdivision if rule is not None else None,
        within_hours=hub.service.promise.within_hours,
        or_next_working_day=hub.service.promise.or_next_working_day,
        years=years,
    )
    return schedule


def render_serverless(hub: HubConfig, env: str, desired: Desired, *, today: date) -> None:
    service = ref("serverless.service", "hub", "sid")
    environment = ref("serverless.environment", env, "sid")
    desired.add(
        resource(
            "serverless.service",
            "hub",
            {
                "unique_name": unique(hub.slug, env),
                "friendly_name": friendly(hub.slug, env, "hub"),
                "include_credentials": True,
                "ui_editable": False,
            },
        )
    )
    desired.add(
        resource(
            "serverless.environment",
            env,
            {"unique_name": env, "domain_suffix": env[:16], "service_sid": service},
        )
    )
    built: list[str] = []
    for name in FUNCTIONS:
        code = (templates_dir() / "functions" / f"{name}.js").read_text(encoding="utf-8")
        desired.artifacts[f"functions/{name}.js"] = code
        desired.add(
            resource(
                "serverless.function",
                name,
                {
                    "friendly_name": name,
                    "path": f"/{name}",
                    "visibility": "protected",
                    "service_sid": service,
                    "artifact": f"functions/{name}.js",
                    "content_sha256": digest(code),
                },
            )
        )
        built.append(f"serverless.function/{name}")
    schedule = dump_schedule(compile_with_promise(hub, years=schedule_years(today)))
    desired.artifacts["functions/schedule.json"] = schedule
    desired.add(
        resource(
            "serverless.asset",
            "schedule",
            {
                "friendly_name": "schedule",
                "path": "/schedule.json",
                "visibility": "private",
                "service_sid": service,
                "artifact": "functions/schedule.json",
                "content_sha256": digest(schedule),
            },
        )
    )
    built.append("serverless.asset/schedule")
    variables: dict[str, str | Ref | Joined] = {
        "CLOSED_NOW": "true" if hub.raw_hours.get("closed_now") else "false",
        "WORKSPACE_SID": ref("taskrouter.workspace", "flex", "sid"),
        "WORKFLOW_SID": ref("taskrouter.workflow", "hub", "sid"),
        "CALLBACK_QUEUE": hub.routing.callback_queue,
        "PROMISE_HOURS": str(hub.service.promise.within_hours),  # when the schedule cannot be read
        HOURS_VARIABLE: hours_record(
            hub.hours
        ),  # what the private schedule asset holds, in the config's terms
    }
    bought = sorted(num_id for num_id, spec in hub.environment(env).numbers.items() if not spec.adopt)
    if bought:
        # The hub's record of the numbers it bought, by SID: a name can be edited in the console, a SID cannot.
        pairs = [join(" " if i else "", f"{n}=", ref("phone.number", n, "sid")) for i, n in enumerate(bought)]
        variables[NUMBERS_VARIABLE] = join(*pairs)
    for key, value in variables.items():
        desired.add(
            resource(
                "serverless.variable",
                key,
                {"key": key, "value": value, "service_sid": service, "environment_sid": environment},
            )
        )
    desired.add(
        resource(
            "serverless.deployment",
            env,
            {
                "runtime": RUNTIME,
                "service_sid": service,
                "environment_sid": environment,
                "dependencies": [],
                "functions": {n: digest(desired.artifacts[f"functions/{n}.js"]) for n in FUNCTIONS},
                "assets": {"schedule": digest(schedule)},
            },
            after=tuple(built),
        )
    )
