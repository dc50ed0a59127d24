"""A stateful emulator of the Twilio REST endpoints deh-deploy uses, on loopback, persisted in SQLite."""

from __future__ import annotations

from deh_deploy.sandbox.faults import Faults
from deh_deploy.sandbox.server import RunningSandbox, serve_forever, start

__all__ = ["Faults", "RunningSandbox", "serve_forever", "start"]
