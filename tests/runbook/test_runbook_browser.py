"""The runbook's page in the real headless browser (Debian's chromium): it renders every step with its status and
the twelve months, holds no script, and prints (to PDF, with its print style) as a trainer hands it over."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from deh_deploy.config import load_hub
from deh_deploy.runbook.build import build
from deh_deploy.runbook.pages import page
from tests.hub.test_report_browser import browse

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize("country", ["hungary", "mongolia"])
def test_the_page_renders_every_step_and_prints(country: str, tmp_path: Path) -> None:
    book = build(
        load_hub(ROOT / "country_configs" / country), "staging", account=None, today=date(2026, 12, 2)
    )
    html = tmp_path / "runbook.html"
    html.write_text(page(book), encoding="utf-8")
    assert "<script" not in html.read_text(encoding="utf-8")
    dom = browse(html.as_uri(), "--dump-dom")
    statuses = re.findall(r'<li class="[a-z]+" data-status="([a-z ]+)"', dom)
    assert len(statuses) == len(book.items())
    assert {s for s in statuses if s != "note"} <= {"unknown", "to do", "done"}
    assert len(re.findall(r'<div class="month">', dom)) == 12
    assert f"<h1>Go-live runbook: {book.society} ({country}, staging)</h1>" in dom
    pdf = tmp_path / "runbook.pdf"
    browse(html.as_uri(), f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
