"""LocalTwilioHttpClient: Twilio URLs go to the sandbox, everything else is left alone."""

from __future__ import annotations

import pytest

from deh_deploy.errors import UsageError
from deh_deploy.providers.local_http import LocalTwilioHttpClient

LOCAL = LocalTwilioHttpClient("http://127.0.0.1:8765")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://api.twilio.com/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?PageSize=1&Page=1",
            "http://127.0.0.1:8765/api/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json?PageSize=1&Page=1",
        ),
        ("https://flex-api.twilio.com/v1/Configuration", "http://127.0.0.1:8765/flex-api/v1/Configuration"),
        ("https://studio.dublin.ie1.twilio.com/v2/Flows", "http://127.0.0.1:8765/studio/v2/Flows"),
        (
            "https://serverless-upload.twilio.com/v1/Services/ZS1/Functions/ZH1/Versions",
            "http://127.0.0.1:8765/serverless-upload/v1/Services/ZS1/Functions/ZH1/Versions",
        ),
        ("https://example.org/webhook", "https://example.org/webhook"),
        ("http://api.twilio.com/2010-04-01", "http://api.twilio.com/2010-04-01"),
        ("https://twilio.com.evil.example/v1", "https://twilio.com.evil.example/v1"),
    ],
)
def test_rewrite(url: str, expected: str) -> None:
    assert LOCAL.rewrite(url) == expected


def test_a_base_path_is_kept() -> None:
    client = LocalTwilioHttpClient("http://localhost:9000/sandbox/", timeout=3)
    assert (
        client.rewrite("https://studio.twilio.com/v2/Flows")
        == "http://localhost:9000/sandbox/studio/v2/Flows"
    )
    assert client.timeout == 3


def test_a_base_url_must_be_http() -> None:
    with pytest.raises(UsageError):
        LocalTwilioHttpClient("127.0.0.1:8765")
