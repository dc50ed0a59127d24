"""An http client for the ``twilio`` SDK that sends Twilio's requests to a local sandbox.

``https://<product>.twilio.com/<path>?<query>`` (edge/region hosts included) becomes
``<base>/<product>/<path>?<query>``; any other URL is forwarded untouched. Environment proxies are bypassed
for the sandbox's own host.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response

from deh_deploy.errors import UsageError

_TWILIO_HOST = re.compile(r"^(?P<product>[a-z0-9-]+)(\.[a-z0-9-]+)*\.twilio\.com$")


class LocalTwilioHttpClient(TwilioHttpClient):  # type: ignore[misc]  # the SDK ships no type hints
    def __init__(self, base_url: str, *, timeout: float = 10.0) -> None:
        super().__init__(timeout=timeout)
        base = urlsplit(base_url)
        if base.scheme not in ("http", "https") or not base.netloc:
            raise UsageError(f"the sandbox URL must be http(s)://host[:port][/path], not {base_url!r}")
        self.base_url = base_url
        self._base = base

    def rewrite(self, url: str) -> str:
        """The sandbox URL for a Twilio URL; anything else unchanged."""
        parts = urlsplit(url)
        m = _TWILIO_HOST.match(parts.hostname or "")
        if parts.scheme != "https" or m is None:
            return url
        path = self._base.path.rstrip("/") + "/" + m["product"] + parts.path
        return urlunsplit((self._base.scheme, self._base.netloc, path, parts.query, ""))

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        # requests honours HTTP(S)_PROXY from the environment (and adds it to this dict); the sandbox must
        # be reached directly, so every call starts from a fresh dict that exempts the sandbox's host
        self.proxy = {"no_proxy": self._base.hostname or ""}
        return super().request(method, self.rewrite(url), *args, **kwargs)
