"""axe-core in a real Chromium on every kind of browser page: no serious or critical accessibility violation.

axe-core comes from npm (tests/classroom/axe/package.json and its lock file;
`make test` runs `npm ci` there when npm is present). The pages are checked in
French and English, at a phone's width and a laptop's: the join page, each
step of a playthrough with its feedback, a notice, the undo form, the
ending with its debrief, and an error page.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from .browser import skip_without_chromium
from .conftest import start_host

skip_without_chromium()
from .browser import page  # noqa: E402,F401  (the fixture)

AXE = Path(__file__).with_name("axe") / "node_modules" / "axe-core" / "axe.min.js"
if not AXE.exists():
    pytest.skip("axe-core is not installed: `make test` installs it with `npm ci` in tests/classroom/axe "
                "when npm is present (npm was not found, or the install failed)", allow_module_level=True)

SERIOUS = ("serious", "critical")
PHONE, LAPTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}


def violations(page) -> list[dict]:
    """axe's serious and critical violations on the page as it is (WCAG 2.x A and AA, and best practices)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in SERIOUS]


def check(page, where: str, seen: list[str]) -> None:
    found = violations(page)
    seen.append(where)
    assert not found, f"{where}: " + json.dumps(
        [{"id": v["id"], "impact": v["impact"], "help": v["help"],
          "nodes": [n["target"] for n in v["nodes"][:3]], "summary": v["nodes"][0].get("failureSummary")}
         for v in found], ensure_ascii=False, indent=1)


@pytest.mark.parametrize("scenario", ["tutoriel", "formation-distance"])  # SMS; dashboard card and video tiles
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_serious_accessibility_violation_on_any_page(home, page, scenario, lang):
    host = start_host(home, scenario)
    seen: list[str] = []
    try:
        with httpx.Client(timeout=10, trust_env=False) as c:
            page.set_viewport_size(PHONE)
            page.goto(f"{host.url}/j/{host.code}?lang={lang}")
            check(page, "join page", seen)
            page.fill("#pseudonym", "Alex")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert page.url.endswith("/play")
            check(page, "first step", seen)

            for step in range(1, 60):
                enabled = page.locator("button[name=choice]:not([disabled])")
                if enabled.count() == 0:
                    break
                page.set_viewport_size(LAPTOP if step % 2 else PHONE)
                with page.expect_navigation():
                    enabled.first.focus()
                    page.keyboard.press("Enter")
                assert "done=" in page.url, page.url
                check(page, f"step {step} with its feedback ({page.viewport_size['width']}px)", seen)
                if step == 1:
                    if page.locator("form[action$='/undo'] button").count():  # the undo form is on the page
                        check(page, "undo offered", seen)
                    # the trainer pauses: the page being read reloads by itself and says so before any choice
                    with page.expect_navigation(timeout=15_000):
                        held = c.post(f"{host.api}/control", headers=host.trainer, json={"action": "pause"})
                        assert held.status_code == 200
                    page.wait_for_selector("#waiting")
                    check(page, "the trainer paused: the waiting page", seen)
                    page.goto(page.url.split("?")[0] + "?notice=paused")  # what a choice sent then is answered
                    check(page, "a notice (the trainer paused)", seen)
                    # the page shows the choices disabled while paused, and reloads by itself at the resume
                    assert page.locator("button[name=choice]:not([disabled])").count() == 0
                    with page.expect_navigation(timeout=15_000):
                        assert c.post(f"{host.api}/control", headers=host.trainer,
                                      json={"action": "resume"}).status_code == 200
            else:
                raise AssertionError("no ending after 60 choices")
            assert page.locator("h2#weighed").count() == 1  # the debrief
            page.set_viewport_size(PHONE)
            check(page, "the ending and its debrief (phone)", seen)
            page.set_viewport_size(LAPTOP)
            check(page, "the ending and its debrief (laptop)", seen)

            page.goto(f"{host.url}/j/ZZZZZZ?lang={lang}")
            assert page.locator("[role=alert]").count() == 1
            check(page, "an error page (unknown session)", seen)
    finally:
        host.stop()
    assert len(seen) >= 6, seen


def test_the_check_finds_a_violation_when_there_is_one(host, page):
    """The harness itself: an unnamed button and an image without text are reported as critical."""
    page.goto(f"{host.url}/j/{host.code}")
    assert violations(page) == []
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', "
                  "'<button></button><img src=\"x.png\">')")
    assert {v["id"] for v in violations(page)} >= {"button-name", "image-alt"}
