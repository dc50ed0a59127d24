"""Twilio-shaped errors raised by sandbox handlers and turned into HTTP responses.

The body is Twilio's legacy error shape (``code``, ``message``, ``more_info``, ``status`` and an optional
``details``), which the ``twilio`` SDK turns into ``TwilioRestException``.

Codes documented by Twilio (or in the project's Twilio notes): 81022 flow definition validation failed (at
``/v2/Flows/Validate``, with ``details.errors``), 20001 invalid parameter, 20003 authenticate,
20404 not found, 20429 too many requests, 20503 service unavailable, 21422 number not available, 21649 bundle
required, 21712 number already in another messaging service, 21714 messaging service pool full.

Codes chosen here because no source could confirm the real one (treat as *unverified*):

- ``UNVERIFIED_CONFLICT`` (HTTP 409, code 20409): Serverless Service ``UniqueName``, Environment
  ``UniqueName`` or ``DomainSuffix``, Variable ``Key``, a Conversations address that is configured twice.
  (The Environment *message* is documented; its code is not.)
- 20001 (HTTP 400) for TaskRouter duplicates other than queues (activities, workers, task channels), for
  a TaskRouter expression that does not parse, for a WhatsApp template
  name that was already used, and for malformed Content.
- 20003 with HTTP 404 when the path names another account than the credentials, so that no test can reach an
  account its credentials do not own.
- 20001 (HTTP 400) for a Serverless Variable value over 450 bytes: the limit is in Twilio's spec, the code
  of the refusal is not (82006 is the run-time error of a context over 3 KB, not a refusal of the write).
- 21631 address required, 21452 no number in area code, 21710 number already in this messaging service,
  20004 method not allowed, 20500 internal error.
"""

from __future__ import annotations

from typing import Any

from deh_deploy.errors import DehError

UNVERIFIED_CONFLICT = 20409


class ApiError(DehError):
    """A request the sandbox refuses the way Twilio would. Never leaves the server."""

    def __init__(
        self, status: int, code: int, message: str, *, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "message": self.message,
            "more_info": f"https://www.twilio.com/docs/errors/{self.code}",
            "status": self.status,
        }
        if self.details is not None:
            out["details"] = self.details
        return out


def error_body(status: int, code: int, message: str) -> dict[str, Any]:
    return ApiError(status, code, message).body()


def not_found(path: str) -> ApiError:
    return ApiError(404, 20404, f"The requested resource {path} was not found")


def invalid(message: str) -> ApiError:
    return ApiError(400, 20001, message)


def missing(form_key: str) -> ApiError:
    return ApiError(400, 20001, f"Missing required parameter {form_key} in the post body")


def conflict(message: str) -> ApiError:
    return ApiError(409, UNVERIFIED_CONFLICT, message)
