"""The report in a real headless browser (Debian's chromium) against the hub service over real HTTP, on SQLite and
PostgreSQL: the login is required, the page renders with its plots, and the static ``deh report`` file renders the
same. A screenshot of the demo's report is left in ``$DEH_TEST_ARTIFACTS`` (CI sets it), else under the
test's tmp path; its path is printed."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import HUNGARY, SECRETS
from .server import Server, start

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig

pytestmark = pytest.mark.slow
LAST = date(2026, 11, 29)
PERIOD = "from=2026-08-03&to=2026-11-29"
USER, PASSWORD = "supervisor", SECRETS["DEH_HU_SUPERVISOR_TOKEN"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        why = "chromium is not installed (apt-get install -y chromium)"
        if (
            os.environ.get("DEH_REQUIRE_BROWSER") == "1"
        ):  # CI installs it: there a missing browser is a failure
            pytest.fail(why)
        pytest.skip(why)
    return found


def browse(url: str, *args: str) -> str:
    """What the browser made of ``url``: its DOM after rendering (``--dump-dom``), or the command's output."""
    done = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", *args, url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


@pytest.fixture(scope="module")
def live(
    module_db_url: str, hungary: HubConfig, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, str]]:
    """The hub service on a database the full demo filled (seed 1, four months to 29 November)."""
    from deh_deploy.hub.report.build import demo_service
    from deh_deploy.hub.report.demo import fill

    service = demo_service(hungary, "staging", module_db_url, environ=SECRETS)
    fill(service, seed=1, last=LAST, now=datetime(2026, 11, 29, 18, tzinfo=UTC))
    service.close()
    server = start(module_db_url, SECRETS, cwd=tmp_path_factory.mktemp("run"))
    yield server, module_db_url
    server.stop()


def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def cards(dom: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="([^"]+)">[^<]*<b>([^<]*)</b>', dom))


def test_the_report_needs_a_login_with_a_roles_token(live: tuple[Server, str]) -> None:
    server, _ = live
    status, _ = server.request("GET", f"/report?{PERIOD}")
    assert status == 401
    assert server.request("GET", "/report", headers=_basic(USER, "wrong"))[0] == 401
    assert server.request("GET", "/report", headers=_basic("protection", PASSWORD))[0] == 401
    assert server.request("GET", "/report.csv", headers={"Authorization": f"Bearer {PASSWORD}"})[0] == 401
    status, body = server.request("GET", f"/report.csv?{PERIOD}", headers=_basic(USER, PASSWORD))
    assert status == 200 and body.decode().startswith("feedback_id,received,closed,channel,language,type")
    status, body = server.request("GET", "/report?from=2026-13-01", headers=_basic(USER, PASSWORD))
    assert (status, body) == (400, b"not a date (YYYY-MM-DD): '2026-13-01'")
    dom = browse(f"{server.base}/report?{PERIOD}", "--dump-dom")
    assert "<svg" not in dom and "Contacts" not in dom


def test_the_page_renders_with_its_plots_and_the_static_file_renders_the_same(
    live: tuple[Server, str], tmp_path: Path
) -> None:
    server, db_url = live
    url = f"http://{USER}:{PASSWORD}@127.0.0.1:{server.port}/report?{PERIOD}"
    served = browse(url, "--dump-dom")
    assert served.count("<svg") == 7 and served.count('class="plot') >= 7
    numbers = cards(served)
    assert numbers["Contacts"] and numbers["Promise kept"].endswith("%")
    # CI keeps the screenshot as an artifact (DEH_TEST_ARTIFACTS); elsewhere it stays in the test's folder.
    where = Path(os.environ.get("DEH_TEST_ARTIFACTS") or tmp_path)
    where.mkdir(parents=True, exist_ok=True)
    shot = where / f"demo-report-{'postgresql' if db_url.startswith('postgresql') else 'sqlite'}.png"
    browse(url, f"--screenshot={shot}", "--window-size=1200,4200")
    assert shot.stat().st_size > 50_000
    print(f"\nscreenshot of the demo report: {shot}")

    out = tmp_path / "report.html"
    subprocess.run(
        [sys.executable, "-m", "deh_deploy.cli", "report", str(HUNGARY), "--from", "2026-08-03", "--to",
         "2026-11-29", "--out", str(out), "--database-url", db_url],
        check=True, capture_output=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    static = browse(out.as_uri(), "--dump-dom")
    assert cards(static) == numbers
    assert static.count("<svg") == served.count("<svg")
    assert out.stat().st_mode & 0o777 == 0o600
