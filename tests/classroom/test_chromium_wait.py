"""The waiting page in a real Chromium: held, it reloads itself at once when the trainer releases the class
(EventSource); with JavaScript off, every few seconds (meta refresh). Skipped, with the reason, without
Chromium or Playwright."""

from __future__ import annotations

import time

import httpx

from game.authoring import library

from .browser import CHROMIUM, FLAGS, skip_without_chromium

skip_without_chromium()

WAIT = "Le ou la formateur·rice a mis la classe en pause pour discuter : attendez son signal."


def control(host, **body) -> None:
    r = httpx.post(f"{host.api}/control", json=body, headers=host.trainer, trust_env=False, timeout=10)
    assert r.status_code == 200, r.text


def joined_page(browser, host, javascript: bool):
    ctx = browser.new_context(java_script_enabled=javascript)
    page = ctx.new_page()
    page.goto(f"{host.url}/j/{host.code}?lang=fr")
    page.fill("#pseudonym", "Alex")
    with page.expect_navigation():
        page.click("button[type=submit]")
    return page


def test_the_waiting_page_reloads_on_release_with_and_without_javascript(host):
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            with_js = joined_page(browser, host, javascript=True)
            without = joined_page(browser, host, javascript=False)
            control(host, action="hold", node=library.load("tutoriel")[1].rules.scenario.start)
            for page in (with_js, without):
                page.reload()
                assert WAIT in page.inner_text("main")
                assert page.locator("button[name=choice]:not([disabled])").count() == 0
            control(host, action="release")
            t0 = time.monotonic()
            with_js.wait_for_selector("button[name=choice]:not([disabled])", timeout=5000)
            assert time.monotonic() - t0 < 2.0  # the signal, not the 5 s refresh
            assert WAIT not in with_js.inner_text("main")
            without.wait_for_selector("button[name=choice]:not([disabled])", timeout=8000)  # the meta refresh
            assert WAIT not in without.inner_text("main")
        finally:
            browser.close()


def test_a_trainee_reading_the_step_is_told_at_once_when_the_trainer_holds_it(host):
    """With JavaScript, the page being read reloads when the class is held at its step: the trainee reads
    the trainer's words before choosing, without a refused choice first."""
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            page = joined_page(browser, host, javascript=True)
            assert page.locator("button[name=choice]:not([disabled])").count() > 0
            time.sleep(0.5)  # the page's events line is open
            t0 = time.monotonic()
            control(host, action="hold", node=library.load("tutoriel")[1].rules.scenario.start)
            page.wait_for_selector("#waiting", timeout=5000)
            assert time.monotonic() - t0 < 3.0
            assert WAIT in page.inner_text("main")
            assert page.locator("button[name=choice]:not([disabled])").count() == 0
            control(host, action="release")
        finally:
            browser.close()
