"""The browser pages in a real Chromium (Debian's `chromium`, driven by Playwright): keyboard only.

Skipped, with the reason, when Playwright or /usr/bin/chromium cannot be had
(.ci/run installs chromium with apt when it is missing).
"""

from __future__ import annotations

import httpx
import pytest

from .browser import CHROMIUM, skip_without_chromium

skip_without_chromium()
from .browser import page  # noqa: E402,F401  (the fixture)


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the focused element matches `selector` (keyboard only: no click)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement && document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_join_and_play_to_an_ending_keyboard_only(host, page):
    page.goto(f"{host.url}/j/{host.code}?lang=fr")
    assert page.locator("main h1").count() == 1 and page.get_by_label("Votre pseudonyme").count() == 1
    tab_to(page, "#pseudonym")
    page.keyboard.type("Alex")
    page.keyboard.press("Enter")
    page.wait_for_url("**/play")
    summary = lambda: httpx.get(f"{host.api}/summary", headers=host.trainer, trust_env=False).json()  # noqa: E731
    seqs: list[str] = []  # the seq of every form sent

    def send() -> None:
        tab_to(page, "button[name=choice]:not([disabled])")
        seqs.append(page.locator("input[name=seq]").first.get_attribute("value"))
        with page.expect_navigation():
            page.keyboard.press("Enter")

    for step in range(200):
        if page.locator("button[name=choice]").count() == 0:
            break
        if step == 2:  # a reload mid-play loses nothing and records nothing
            made = summary()["choices_made"]
            page.reload()
            assert summary()["choices_made"] == made
        send()
        assert "done=" in page.url or "notice=" in page.url
        if step == 0:  # the back button, then the form shown sent again: never a choice twice
            page.go_back()
            if page.locator("button[name=choice]:not([disabled])").count():
                send()
            assert summary()["choices_made"] == len(set(seqs))
    else:
        raise AssertionError("no ending after 200 choices")
    s = summary()
    assert sum(s["endings"].values()) == 1 and s["choices_made"] == len(set(seqs))
    assert page.locator("h2#weighed").count() == 1  # the debrief
