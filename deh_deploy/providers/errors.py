"""SDK and transport failures as the one-sentence errors the rest of deh-deploy deals in.

The twilio SDK raises ``TwilioException`` (and its ``TwilioRestException`` with a status and a code) and the HTTP
layer raises ``requests`` exceptions. Nothing outside ``providers/`` names either: what they mean for the user is
decided here, once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import requests
from twilio.base.exceptions import TwilioException

from deh_deploy.errors import ProviderError
from deh_deploy.providers.deadline import NoAnswer
from deh_deploy.providers.http import Unreachable

P = ParamSpec("P")
R = TypeVar("R")


def provider_error(exc: BaseException, *, subject: str | None = None) -> ProviderError | None:
    """The ProviderError an SDK or transport failure stands for, or None when ``exc`` is neither.

    With a ``subject`` (a resource id, "cannot read <kind>") the sentence is about that one request; without, it is
    about the command as a whole, which a re-run continues."""
    if isinstance(exc, NoAnswer | Unreachable):  # each names the server: Twilio, or the sandbox at its URL
        said = str(exc)
        return ProviderError(
            f"{subject}: {said}" if subject else f"{said}; what was done is kept: run it again"
        )
    if isinstance(exc, requests.RequestException):
        name = type(exc).__name__
        if subject is not None:
            return ProviderError(f"{subject}: the connection failed ({name})")
        return ProviderError(f"the connection failed ({name}); what was done is kept: run the command again")
    if isinstance(exc, TwilioException):
        if subject is not None:
            return ProviderError(f"{subject}: {reason(exc)}")
        return ProviderError(f"Twilio refused a request: {first_line(exc)}")
    return None


def status_of(exc: BaseException) -> int | None:
    """The HTTP status Twilio answered with, when ``exc`` is such an answer."""
    status = getattr(exc, "status", None) if isinstance(exc, TwilioException) else None
    return status if isinstance(status, int) else None


def reason(exc: BaseException) -> str:
    code = getattr(exc, "code", None)
    msg = first_line(exc)
    return f"Twilio error {code}: {msg}" if code else msg


def first_line(exc: BaseException) -> str:
    return (str(getattr(exc, "msg", "") or exc).splitlines() or [type(exc).__name__])[0]


def sdk_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """A connection that failed for good (after the retries the HTTP layer makes), or a request Twilio refused, is
    an expected failure: one sentence, not a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except (requests.RequestException, TwilioException) as exc:
            translated = provider_error(exc)
            assert translated is not None
            raise translated from None

    return wrapper
