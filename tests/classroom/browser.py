"""Debian's Chromium driven by Playwright (`executable_path`: no browser download), for the page tests."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def skip_without_chromium() -> None:
    """Skip the calling test module, with the reason, when Chromium or Playwright cannot be had."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (.ci/run installs it with apt when it can)",
                    allow_module_level=True)
    pytest.importorskip("playwright.sync_api", reason="Playwright (pip `playwright`) is not installed")


@pytest.fixture
def page():
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        except Exception as e:  # noqa: BLE001  (a browser that cannot start is a skip with its reason)
            pytest.skip(f"chromium could not be started: {e}")
        pg = browser.new_page()
        yield pg
        browser.close()
