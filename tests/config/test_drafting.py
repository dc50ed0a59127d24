"""A country being drafted: placeholders are allowed where the config says an environment is not ready yet
(``ready: false``), reported as placeholders, and never reach Twilio or the sandbox."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Deh

ZERO_SID = "AC" + "0" * 32
DRAFT_PRODUCTION = {"environments.production.account_sid": ZERO_SID, "environments.production.ready": False}
SID_LINE = "d/hub.yaml:27:18: $.environments.production.account_sid: "


def test_a_placeholder_in_an_environment_not_ready_passes_strict_as_a_placeholder(
    deh: Deh, make_hub: Callable[..., Path]
) -> None:
    make_hub("d", patch=DRAFT_PRODUCTION)
    result = deh("validate", "--strict", "d")
    assert result.out == [
        SID_LINE
        + "placeholder: the all-zero account SID: fill in the Society's Twilio account before production"
        " is ready (it says ready: false)"
    ]
    assert result.err == ["1 config: 0 errors, 0 warnings, 1 placeholder (allowed: not ready)"]
    assert result.code == 0


def test_the_same_placeholder_in_a_ready_environment_is_a_warning_that_fails_strict(
    deh: Deh, make_hub: Callable[..., Path]
) -> None:
    make_hub("d", patch={"environments.production.account_sid": ZERO_SID})
    result = deh("validate", "--strict", "d")
    assert result.out == [SID_LINE + "warning: placeholder account SID: fill in the Society's Twilio account"]
    assert result.code == 1


def test_what_every_environment_uses_is_allowed_only_when_none_is_ready(
    deh: Deh, make_hub: Callable[..., Path]
) -> None:
    name = {"society.name": "FILL IN: the National Society's name"}
    make_hub("d", patch={**name, "environments.production.ready": False})
    assert deh("validate", "--strict", "d").out == [
        "d/hub.yaml:6:9: $.society.name: warning: placeholder to fill in"
    ]
    make_hub("e", patch={**name, "environments.production.ready": False, "environments.staging.ready": False})
    result = deh("validate", "--strict", "e")
    assert result.out == [
        "e/hub.yaml:6:9: $.society.name: placeholder: to fill in before an environment is ready (each says"
        " ready: false)"
    ]
    assert result.code == 0


def test_github_annotations_show_an_allowed_placeholder_as_a_notice(
    deh: Deh, make_hub: Callable[..., Path]
) -> None:
    make_hub("d", patch=DRAFT_PRODUCTION)
    result = deh("validate", "--strict", "--format", "github", "d")
    assert result.out == [
        "::notice file=d/hub.yaml,line=27,col=18::$.environments.production.account_sid: the all-zero account SID:"
        " fill in the Society's Twilio account before production is ready (it says ready: false)"
    ]


REFUSED = (
    SID_LINE + "placeholder account SID: fill in the Society's Twilio account; plan, apply and destroy refuse"
    " placeholders until they are filled in"
)


@pytest.mark.parametrize(
    "command",
    [
        ("plan", "--sandbox"),
        ("apply", "--sandbox"),
        ("destroy", "--sandbox"),
        ("plan",),  # against Twilio: refused before the credentials are even looked for
    ],
)
def test_plan_apply_and_destroy_refuse_a_placeholder_before_any_request(
    command: tuple[str, ...], deh: Deh, make_hub: Callable[..., Path], tmp_path: Path
) -> None:
    make_hub("d", patch=DRAFT_PRODUCTION)
    result = deh(command[0], "d", "--env", "production", *command[1:])
    assert result.code == 1
    notes = [line for line in result.err if line.startswith("sandbox: ")]  # apply's note on purchases
    assert result.err == [*notes, REFUSED, "deh: 1 problem(s) in the config"]
    assert not (tmp_path / ".deh").exists()  # no sandbox was started


def test_the_refusal_is_one_line_that_counts_the_other_placeholders(
    deh: Deh, make_hub: Callable[..., Path]
) -> None:
    make_hub(
        "d",
        patch={
            **DRAFT_PRODUCTION,
            "society.name": "FILL IN: the National Society's name",
            "environments.staging.account_sid": ZERO_SID,
        },
    )
    staging = deh("plan", "d", "--env", "staging", "--sandbox")
    assert staging.err == [
        "d/hub.yaml:6:9: $.society.name: placeholder to fill in; plan, apply and destroy refuse placeholders until"
        " they are filled in (1 more in staging: deh validate lists them)",
        "deh: 1 problem(s) in the config",
    ]


def test_a_hub_without_placeholders_is_not_held_back_by_ready_false(
    deh: Deh, make_hub: Callable[..., Path]
) -> None:
    make_hub("d", patch={"environments.staging.ready": False})
    assert deh("validate", "--strict", "d").code == 0
    assert deh("plan", "d", "--env", "staging", "--sandbox").code == 0
