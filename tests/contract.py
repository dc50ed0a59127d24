"""Check traffic logged by the sandbox against Twilio's own OpenAPI files (the contract).

``assert_log_matches_contract(sandbox.requests())`` validates every logged request that the sandbox did
not refuse (form or JSON body, repeated keys as arrays, ``true``/``false`` as booleans, unknown keys
tolerated as the specs do not forbid them) and every success response against the operation in Twilio's
spec, and checks that every URL the emulator writes is a real ``https://<product>.twilio.com`` one. Two
things are in no spec and are checked against the hand-written models below instead:

- error responses (``ERROR_BODY``: Twilio's legacy error shape, with optional ``details``);
- the Serverless upload host (``UPLOAD_FIELDS`` for the multipart request, ``UPLOAD_VERSION`` for the reply);
- the Senders API (``GET messaging.twilio.com/v2/Channels/Senders``, ``SENDERS_PAGE``): it is in
  ``twilio_messaging_v2.json``, which is not among the copied specs; the model follows that file (twilio-oai
  commit d50069b: ``Channel`` required, ``whatsapp`` or ``rcs``; ``sid`` ``XE…``; the status enum).
- the Media Content Service's media fetch (``MCS_MEDIA``: the fields Twilio's Conversations media docs show).

The specs are read once per session from ``$DEH_TWILIO_OAI`` (default ``tests/twilio-oai``, unmodified copies of
Twilio's files, release 2.6.7, with their licence).
A bulk loop repeats one shape: at most ``SAMPLE`` exchanges per (method, endpoint, status) are checked.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import re
from collections.abc import Iterable
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import jsonschema
import pytest
from openapi_core import Config, OpenAPI
from openapi_core.testing import MockRequest, MockResponse

SPEC_FILES = {
    "api": "twilio_api_v2010.json",
    "studio": "twilio_studio_v2.json",
    "taskrouter": "twilio_taskrouter_v1.json",
    "serverless": "twilio_serverless_v1.json",
    "content": "twilio_content_v1.json",
    "content/v2": "twilio_content_v2.json",
    "messaging": "twilio_messaging_v1.json",
    "conversations": "twilio_conversations_v1.json",
    "flex-api": "twilio_flex_v1.json",
    "numbers": "twilio_numbers_v2.json",
}

ERROR_BODY: dict[str, Any] = {
    "type": "object",
    "required": ["code", "message", "more_info", "status"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "integer", "minimum": 20000, "maximum": 99999},
        "message": {"type": "string", "minLength": 1},
        "more_info": {"type": "string", "pattern": r"^https://www\.twilio\.com/docs/errors/\d+$"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "details": {"type": "object"},
    },
}
UPLOAD_FIELDS = {"Content", "Path", "Visibility"}
UPLOAD_VERSION: dict[str, Any] = {
    "type": "object",
    "required": ["sid", "account_sid", "service_sid", "path", "visibility", "date_created", "url"],
    "properties": {
        "sid": {"type": "string", "pattern": "^ZN[0-9a-f]{32}$"},
        "account_sid": {"type": "string", "pattern": "^AC[0-9a-f]{32}$"},
        "service_sid": {"type": "string", "pattern": "^ZS[0-9a-f]{32}$"},
        "function_sid": {"type": "string", "pattern": "^ZH[0-9a-f]{32}$"},
        "asset_sid": {"type": "string", "pattern": "^ZH[0-9a-f]{32}$"},
        "path": {"type": "string", "pattern": "^/"},
        "visibility": {"enum": ["public", "protected", "private"]},
        "date_created": {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"},
        "url": {"type": "string", "pattern": r"^https://serverless\.twilio\.com/v1/Services/ZS[0-9a-f]{32}/"},
    },
    "oneOf": [{"required": ["function_sid"]}, {"required": ["asset_sid"]}],
}


SENDER_STATUSES = [
    "CREATING", "ONLINE", "OFFLINE", "PENDING_VERIFICATION", "VERIFYING", "ONLINE:UPDATING", "TWILIO_REVIEW",
    "DRAFT", "STUBBED",
]  # fmt: skip
SENDER: dict[str, Any] = {
    "type": "object",
    "required": ["sid", "status", "sender_id", "url"],
    "properties": {
        "sid": {"type": "string", "pattern": "^XE[0-9a-fA-F]{32}$"},
        "status": {"enum": SENDER_STATUSES},
        "sender_id": {"type": ["string", "null"], "pattern": r"^(whatsapp|rcs):"},
        "url": {"type": "string", "pattern": r"^https://messaging\.twilio\.com/v2/Channels/Senders/XE"},
    },
}
SENDERS_PAGE: dict[str, Any] = {
    "type": "object",
    "required": ["senders", "meta"],
    "properties": {
        "senders": {"type": "array", "items": SENDER},
        "meta": {"type": "object", "required": ["key", "url"], "properties": {"key": {"const": "senders"}}},
    },
}


def _check_senders(entry: dict[str, Any]) -> list[str]:
    """The Senders API reads: the list (``Channel`` required) and one sender."""
    one = re.fullmatch(r"/v2/Channels/Senders/XE[0-9a-fA-F]{32}", entry["path"])
    if entry["method"] != "GET" or not (one or entry["path"] == "/v2/Channels/Senders"):
        return [f"not a Senders API read the project models: {entry['method']} {entry['path']}"]
    query = dict(parse_qsl(str(entry.get("query", ""))))
    problems = (
        [] if one or query.get("Channel") in ("whatsapp", "rcs") else ["Channel is required: whatsapp or rcs"]
    )
    if entry.get("status") is not None and 200 <= entry["status"] < 300:
        schema = SENDER if one else SENDERS_PAGE
        problems += [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(entry["response"])]
    return problems


def _rfc2822(value: Any) -> bool:
    try:
        return isinstance(value, str) and parsedate_to_datetime(value) is not None
    except (TypeError, ValueError):
        return False


# Twilio's own formats, unknown to openapi-core ("uri" also covers the 2010 API's relative "/2010-04-01/…", and
# the empty value a form post sends to clear a webhook, such as a number's SmsUrl)
FORMATS: dict[str, Any] = {
    "uri": lambda v: not isinstance(v, str) or v == "" or re.match(r"^([a-z][a-z0-9+.-]*:|/)", v) is not None,
    "iso-country-code": lambda v: not isinstance(v, str) or re.fullmatch(r"[A-Z]{2}", v) is not None,
    "phone-number": lambda v: not isinstance(v, str) or re.fullmatch(r"\+?[0-9()* -]{3,20}", v) is not None,
    "date-time-rfc-2822": lambda v: not isinstance(v, str) or _rfc2822(v),
    "uri-map": lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
    "http-method": lambda v: not isinstance(v, str) or v in ("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH"),
    "phone-number-capabilities": lambda v: isinstance(v, dict),
    "currency": lambda v: not isinstance(v, str) or re.fullmatch(r"[A-Za-z]{3}", v) is not None,
    "endpoint": lambda v: True,
    "twiml": lambda v: True,
    "ice-server": lambda v: True,
}
_AUTH = {"Authorization": "Basic " + base64.b64encode(b"ACcontract:check").decode()}


def oai_dir() -> Path:
    default = Path(__file__).resolve().parent / "twilio-oai"  # the copy kept with the tests
    return Path(os.environ.get("DEH_TWILIO_OAI", str(default)))


@functools.cache
def specs() -> dict[str, OpenAPI]:
    """One OpenAPI object per product; skips the calling test when the files are missing."""
    folder = oai_dir()
    missing = [name for name in SPEC_FILES.values() if not (folder / name).is_file()]
    if missing:
        pytest.skip(
            f"Twilio's OpenAPI files are missing from {folder} ({', '.join(missing)}); copy spec/json/<file> "
            "from https://github.com/twilio/twilio-oai (release 2.6.7) there, or set DEH_TWILIO_OAI"
        )
    config = Config(  # Twilio's files are trusted: validating the specs themselves would cost seconds
        spec_validator_cls=None,  # type: ignore[arg-type]  # None is documented as "do not validate"
        extra_format_validators=FORMATS,
        extra_format_unmarshallers={name: lambda v: v for name in FORMATS if name != "uri"},
    )
    return {
        product: OpenAPI.from_dict(json.loads((folder / name).read_text("utf-8")), config=config)
        for product, name in SPEC_FILES.items()
    }


def _spec_for(entry: dict[str, Any]) -> OpenAPI | None:
    product = entry["product"]
    if product == "content" and entry["path"].startswith("/v2/"):
        product = "content/v2"
    return specs().get(product)


def _raw_body(entry: dict[str, Any]) -> bytes:
    if "body_base64" in entry:
        return base64.b64decode(entry["body_base64"])
    return str(entry.get("body", "")).encode("utf-8")


def _request(entry: dict[str, Any]) -> MockRequest:
    content_type = entry.get("content_type") or "application/x-www-form-urlencoded"
    return MockRequest(
        f"https://{entry['product']}.twilio.com",
        entry["method"],
        entry["path"],
        args=parse_qsl(entry.get("query", ""), keep_blank_values=True),  # type: ignore[arg-type]
        headers=dict(_AUTH),
        data=_raw_body(entry) or None,
        content_type=content_type.lower(),
    )


def _errors(errors: Iterable[Exception]) -> list[str]:
    out = []
    for err in errors:
        out.append(f"{type(err).__name__}: {err}")
        cause = getattr(err, "__cause__", None)
        for sub in getattr(cause, "schema_errors", None) or getattr(err, "schema_errors", None) or []:
            out.append(f"    {list(sub.absolute_path)}: {sub.message}")
    return out


def _check_upload(entry: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    head = f"Content-Type: {entry.get('content_type', '')}\r\n\r\n".encode()
    msg = BytesParser(policy=policy.HTTP).parsebytes(head + _raw_body(entry))
    names = set()
    for part in msg.iter_parts() if msg.is_multipart() else ():
        assert isinstance(part, EmailMessage)
        name = part.get_param("name", header="content-disposition")
        names.add(name)
        if name == "Content" and not part.get_filename():
            problems.append("the Content part must be a file (with a filename)")
    accepted = entry.get("status") is None or entry["status"] < 400
    if accepted and (not msg.is_multipart() or names != UPLOAD_FIELDS):
        problems.append(f"multipart fields {sorted(str(n) for n in names)} != {sorted(UPLOAD_FIELDS)}")
    if entry.get("status") == 201:
        problems += [
            e.message for e in jsonschema.Draft7Validator(UPLOAD_VERSION).iter_errors(entry["response"])
        ]
    return problems


_OWN_URL_KEYS = ("url", "uri", "webhook_url", "first_page_uri", "next_page_uri", "previous_page_uri")
_PAGE_URL_KEYS = ("url", "first_page_url", "next_page_url", "previous_page_url")
_OWN_URL = re.compile(r"^(https://[a-z-]+\.twilio\.com/|/2010-04-01/)")


def _resource_urls(rec: dict[str, Any]) -> list[str]:
    out = [rec[k] for k in _OWN_URL_KEYS if isinstance(rec.get(k), str)]
    for key in ("links", "subresource_uris"):
        if isinstance(rec.get(key), dict):
            out += [v for v in rec[key].values() if isinstance(v, str)]
    return out


def own_urls(body: Any) -> list[str]:
    """The URLs the emulator itself wrote: a resource's url/uri/links and a page's, not client data such as
    a voice_url or a URL inside a flow definition."""
    if not isinstance(body, dict):
        return []
    out = _resource_urls(body)
    if isinstance(body.get("meta"), dict):
        out += [body["meta"][k] for k in _PAGE_URL_KEYS if isinstance(body["meta"].get(k), str)]
    for value in body.values():
        if isinstance(value, list):
            out += [url for item in value if isinstance(item, dict) for url in _resource_urls(item)]
    return out


MCS_MEDIA: dict[str, Any] = {
    "type": "object",
    "required": ["sid", "service_sid", "content_type", "filename", "size", "url", "links"],
    "properties": {
        "sid": {"type": "string", "pattern": "^ME[0-9a-fA-F]{32}$"},
        "service_sid": {"type": "string", "pattern": "^IS[0-9a-fA-F]{32}$"},
        "content_type": {"type": "string", "minLength": 1},
        "filename": {"type": ["string", "null"]},
        "size": {"type": "integer", "minimum": 0},
        "url": {
            "type": "string",
            "pattern": r"^https://mcs\.us1\.twilio\.com/v1/Services/IS[0-9a-f]{32}/Media/ME",
        },
        "links": {
            "type": "object",
            "required": ["content", "content_direct_temporary"],
            "properties": {"content_direct_temporary": {"type": "string", "pattern": "^https://"}},
        },
    },
}


def _check_media(entry: dict[str, Any]) -> list[str]:
    if entry["method"] != "GET" or not re.fullmatch(r"/v1/Services/IS\w{32}/Media/ME\w{32}", entry["path"]):
        return [f"the Media Content Service has no {entry['method']} {entry['path']} here"]
    if entry.get("status") == 200:
        return [e.message for e in jsonschema.Draft7Validator(MCS_MEDIA).iter_errors(entry["response"])]
    return []


def check_entry(entry: dict[str, Any]) -> list[str]:
    """Every way one logged exchange departs from the contract (empty when it conforms)."""
    status, response = entry.get("status"), entry.get("response")
    problems: list[str] = []
    if status is not None and status >= 400:
        problems += [e.message for e in jsonschema.Draft7Validator(ERROR_BODY).iter_errors(response)]
    if entry["product"] == "serverless-upload":
        return problems + _check_upload(entry)
    if entry["product"] == "messaging" and entry["path"].startswith("/v2/"):
        return problems + _check_senders(entry)
    if entry["product"] == "mcs":
        return problems + _check_media(entry)
    spec = _spec_for(entry)
    if spec is None:
        return [*problems, f"no OpenAPI file for product {entry['product']!r}"]
    request = _request(entry)
    if status is None or status < 400:  # a refused request may be off-contract: refusing it is the point
        problems += _errors(spec.request_validator.iter_errors(request))
    if status is not None and 200 <= status < 300:
        problems += [f"not a Twilio URL: {url}" for url in own_urls(response) if not _OWN_URL.match(url)]
        data = b"" if response is None else json.dumps(response).encode()
        reply = MockResponse(data, status_code=status, content_type="application/json")
        problems += _errors(spec.response_validator.iter_errors(request, reply))
    return problems


SAMPLE = 25  # exchanges checked per (method, endpoint, status): bulk loops repeat one shape
_SID = re.compile(r"[A-Z]{2}[0-9a-fA-F]{32}")
# Exchanges already found to keep the contract in this session: the check is a pure function of the exchange, and
# tests that apply the same hub to a fresh sandbox repeat most exchanges byte for byte (the sandbox's SIDs are
# deterministic), so each distinct exchange is checked once per session.
_KEPT: set[str] = set()
_KEPT_EXACT: set[str] = (
    set()
)  # and the exchanges themselves, byte for byte (most repeat so): no blanking needed
# In that key, timestamps of either of Twilio's forms stand as one placeholder: a timestamp of a form the contract
# refuses does not match these and keeps its exchange apart.
_STAMP = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep"
    r"|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d [+]0000"
)
# And so do the 32 lower-case hex digits of a SID (its two-letter prefix stays) and of a multipart boundary: which SID
# a concurrent apply gave which resource, and the boundary the SDK drew, change run to run and the contract's
# verdict not at all (its SID patterns take any hex). Upper-case or longer runs keep their exchange apart.
_HEX = re.compile(r"(?<![0-9a-fA-F])[0-9a-f]{32}(?![0-9a-fA-F])")


def assert_log_matches_contract(requests: list[dict[str, Any]]) -> None:
    """Fail with every departure from Twilio's contract found in a sandbox request log."""
    seen: set[str] = set()
    shapes: dict[tuple[str, str, str, Any], int] = {}
    report: list[str] = []
    for entry in requests:
        shape = (entry["method"], entry["product"], _SID.sub("{sid}", entry["path"]), entry.get("status"))
        if shapes.get(shape, 0) >= SAMPLE:
            continue
        key = json.dumps(entry, sort_keys=True, default=str)
        if key in seen:
            continue
        seen.add(key)
        shapes[shape] = shapes.get(shape, 0) + 1
        if key in _KEPT_EXACT:
            continue
        stamped = _HEX.sub("<hex>", _STAMP.sub("<time>", key))
        if stamped in _KEPT:
            _KEPT_EXACT.add(key)
            continue
        problems = check_entry(entry)
        if not problems:
            _KEPT.add(stamped)
            _KEPT_EXACT.add(key)
        else:
            where = f"{entry['method']} {entry['product']}{entry['path']}?{entry.get('query', '')}"
            where += f" -> {entry.get('status')}"
            report.append(where + "\n  " + "\n  ".join(problems))
    if report:
        raise AssertionError(f"{len(report)} exchange(s) break Twilio's contract:\n" + "\n".join(report))
