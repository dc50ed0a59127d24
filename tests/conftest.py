"""Settings for every test: property tests judge results, never how long an example took (a loaded CI machine
must not fail a correct test), and timing targets live in ``benchmarks/``."""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("deh", deadline=None)
settings.load_profile("deh")
