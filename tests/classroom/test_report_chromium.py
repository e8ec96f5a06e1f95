"""The debrief report of a 30-trainee session in a real Chromium: the charts render with the right bars, and
printed it is A4, nothing sticks out of the page, and every page converts to an image (pdftoppm).

Skipped, with the reason, without Chromium/Playwright (.ci/run installs chromium) or pdftoppm/pdfinfo
(poppler-utils, also installed by .ci/run).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from game.authoring import library
from game.classroom import classview, report
from game.classroom.session import ClassSession
from game.classroom.store import Store

from .browser import skip_without_chromium
from .reporting import play_class

skip_without_chromium()
from .browser import page  # noqa: E402,F401  (the fixture)

A4 = (595.28, 841.89)  # points


@pytest.fixture
def class_report(tmp_path):
    store = Store(tmp_path / "classroom.sqlite3")
    s = ClassSession.create(store, library.load("sms-mineur")[0])
    play_class(s, 30)
    path = tmp_path / "rapport.html"
    path.write_text(report.report_html(s, "fr"), encoding="utf-8")
    yield s, path
    store.close()


def test_the_charts_render_with_one_bar_per_choice(class_report, page):
    s, path = class_report
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    assert requests == [path.as_uri()]  # nothing else is fetched: the page is self-contained
    view = classview.of_session(s, "fr", away_after=float("inf"))
    shown = page.evaluate("""() => [...document.querySelectorAll('section.split')].map(sec => {
        const svg = sec.querySelector('svg'); const box = svg.getBoundingClientRect();
        return {node: sec.dataset.node, w: box.width, h: box.height,
                bars: [...svg.querySelectorAll('rect.bar')].map(r => r.getBBox().width),
                track: svg.querySelector('rect.track').getBBox().width,
                labels: [...svg.querySelectorAll('g.row > text:first-child')].map(t => t.textContent),
                title: svg.querySelector('title').textContent};
    })""")
    assert [x["node"] for x in shown] == [sp.node for sp in view.splits] and len(shown) >= 8
    for x, sp in zip(shown, view.splits):
        assert x["w"] > 300 and x["h"] > 40 and x["title"]  # drawn, not empty
        nodes = s.rules.scenario.nodes[sp.node].choices
        assert len(x["bars"]) == len(nodes) == len(sp.bars)  # one bar per choice of the node
        for width, bar in zip(x["bars"], sp.bars):  # each as long as its share of the answers
            assert width == pytest.approx(bar.share * x["track"], abs=0.2)
        assert [" ".join(label.split()) for label in x["labels"]] == [" ".join(b.text.split()) for b in sp.bars]
    endings = page.evaluate("() => document.querySelectorAll('#endings svg rect.bar').length")
    assert endings == len(s.rules.scenario.endings)
    boxes = page.evaluate("() => [...document.querySelectorAll('section.gauge')].map("
                          "sec => sec.querySelectorAll('svg g.box').length)")
    assert boxes == [1 + len(g.by_ending) for g in view.gauges]


def _printed_overflow(page) -> list[str]:
    """What sticks out of the printed text block (A4 minus the margins)."""
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 687, "height": 1000})  # 182 mm at 96 px per inch: the text block
    return page.evaluate("""() => {
        const right = document.documentElement.clientWidth + 0.5, out = [];
        for (const el of document.querySelectorAll('svg, table, p, li, h1, h2, h3, dl, figure')) {
            const r = el.getBoundingClientRect();
            if (r.right > right || r.left < -0.5) out.push(el.tagName + ' ' + (el.textContent || '').slice(0, 40));
        }
        if (document.documentElement.scrollWidth > document.documentElement.clientWidth) out.push('page width');
        return out;
    }""")


@pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("pdfinfo")),
                    reason="pdftoppm/pdfinfo (poppler-utils) are not installed (.ci/run installs them with apt)")
def test_printed_it_is_a4_and_every_page_converts(class_report, page, tmp_path):
    _s, path = class_report
    page.goto(path.as_uri())
    assert _printed_overflow(page) == []
    pdf = tmp_path / "rapport.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)  # the browser's print: the page's @page size
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                          timeout=60).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    sizes = re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info, re.M)
    assert pages >= 3 and len(sizes) == pages
    for w, h in sizes:
        assert float(w) == pytest.approx(A4[0], abs=1.5) and float(h) == pytest.approx(A4[1], abs=1.5)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == pages
    for png in pngs:
        data = png.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 1500
    # the text of every chart is on paper: the first decision's choices and the footer
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    assert "Les choix à chaque décision" in text and "Aucune adresse IP" in text


AXE = Path(__file__).with_name("axe") / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: `make test` installs it with `npm ci` in "
                    "tests/classroom/axe when npm is present")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_serious_accessibility_violation_in_the_report(class_report, page, tmp_path, lang):
    s, _path = class_report
    path = tmp_path / f"rapport.{lang}.html"
    path.write_text(report.report_html(s, lang), encoding="utf-8")
    page.goto(path.as_uri())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    found = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in result["violations"]
             if v["impact"] in ("serious", "critical")]
    assert found == []
