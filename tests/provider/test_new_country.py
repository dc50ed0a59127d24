"""A country `deh init` has just written applies to the sandbox as it stands: its numbers are sold there (no
regulation with requirements is known for it, so no bundle is asked for), nothing it needs first is missing, and a
second apply writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from deh_deploy.config import load_hub
from deh_deploy.deploy import apply_hub, plan_hub
from deh_deploy.init import init_country
from tests.provider.conftest import World


@pytest.mark.slow
def test_a_fresh_kenya_applies_with_no_error_and_reapplies_with_no_write(
    world: World, tmp_path: Path
) -> None:
    folder = init_country(
        country="KE", name=None, slug=None, languages=(), timezone=None, output_dir=tmp_path, no_input=True
    )
    h = load_hub(folder)
    world.login(h)
    # Twilio sells numbers in Kenya; the sandbox's default world does not until asked (as `--sandbox` asks).
    world.sandbox.seed(h.environment("staging").account_sid, countries=["KE"])
    with world.connect(h) as conn:
        first = apply_hub(h, "staging", conn, allow_purchase=True)
    assert not first.outcome.failed
    assert any(c.purchase for c in first.plan.writes), "a number in KE was bought"
    with world.connect(h) as conn:
        assert plan_hub(h, "staging", conn).empty
        second = apply_hub(h, "staging", conn, allow_purchase=True)
    assert second.writes == 0
