"""The one exception tree. The CLI maps each branch to an exit status.

- ``DehError`` and its children are *expected*: one message, exit 1 (``UsageError``: exit 2).
- Anything else is unexpected: the CLI prints "An unexpected error has occurred", writes the
  traceback to a log file and exits 3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deh_deploy.diagnostics import Diagnostic


class DehError(Exception):
    """An expected failure with a message fit for the user. Exit status 1."""

    exit_code = 1


class UsageError(DehError):
    """Wrong options, a missing or unreadable file. Exit status 2."""

    exit_code = 2


class AnswerError(UsageError):
    """An answer to one of ``deh init``'s questions is refused; ``suggestion`` is what was most likely meant
    (``Turkish`` → ``tr``), offered as the answer when the question is asked again."""

    def __init__(self, message: str, *, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion


class ConfigError(DehError):
    """The configuration is invalid; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.format() for d in diagnostics))


class RenderError(DehError):
    """A template or artifact could not be produced."""


class UnresolvedReference(RenderError):
    """A reference whose value is not known: what it refers to is not live (yet), or does not give that value."""


class ProviderError(DehError):
    """Twilio (or the sandbox) refused or failed a request."""


class CredentialsError(DehError):
    """Credentials are missing or belong to the wrong account."""


class SafetyError(DehError):
    """A plan exceeds a safety threshold or touches money/identity without consent."""


class PlanError(DehError):
    """A saved plan is unreadable, tampered with or stale."""


class LeaseError(DehError):
    """Another apply holds the deployment lease for this account."""


class SimulationError(DehError):
    """A flow cannot be executed (unknown widget, bad transition, loop)."""


class Terminated(BaseException):
    """SIGTERM (what CI sends on cancel), or Ctrl-C under the lease, honoured at a safe point: no new work is
    started, the requests on their way finish within their deadline, the lease is released, and deh exits 143
    (130 for Ctrl-C). A BaseException, so that no ``except Exception`` swallows it, and no KeyboardInterrupt,
    which click would take for an abort. Its argument names the signal ("SIGTERM", "SIGINT")."""

    @property
    def signal_name(self) -> str:
        return str(self.args[0]) if self.args else "SIGTERM"


class HubError(DehError):
    """The hub service cannot start or run: a missing variable, an unreachable database, a port in use."""


class HostingError(DehError):
    """``deh host`` cannot deploy: a missing variable or key, no checkout to build from, a failed or unreachable
    host (named with the task that failed)."""


class HubUnhealthy(DehError):
    """Apply held back the wiring (Twilio pointed at the hub service) because the service is not healthy;
    everything else was applied."""
