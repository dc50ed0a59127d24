"""Settings for every test: property tests judge results, never how long an example took (a loaded CI machine
must not fail a correct test), and timing targets live in ``benchmarks/``.

The quick loop (``-m "not slow"``) tries fewer examples per property (``deh-quick``); the full suite keeps
Hypothesis's 100."""

from __future__ import annotations

import pytest
from hypothesis import settings

settings.register_profile("deh", deadline=None)
settings.register_profile("deh-quick", parent=settings.get_profile("deh"), max_examples=20)
settings.load_profile("deh")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("markexpr", "") == "not slow":
        settings.load_profile("deh-quick")
