"""The browser pages on a real host, driven with plain HTTP (forms, redirects, cookies): no JavaScript."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx

from game.authoring import library
from game.engine import Playthrough
from game import presentation

TUTO = library.load("tutoriel")[1].rules


class Forms(HTMLParser):
    """The choice buttons (value, disabled) and hidden seq of a page."""

    def __init__(self, text: str):
        super().__init__()
        self.buttons: list[tuple[str, bool]] = []
        self.seq: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "button" and a.get("name") == "choice":
            self.buttons.append((a["value"], "disabled" in a))
        if tag == "input" and a.get("name") == "seq" and self.seq is None:
            self.seq = a["value"]


def seed_of(host, token: str) -> int:
    import sqlite3

    db = sqlite3.connect(host.home / "data" / "classroom.sqlite3")
    try:
        return db.execute("SELECT seed FROM participants WHERE token = ?", (token,)).fetchone()[0]
    finally:
        db.close()


def browser() -> httpx.Client:
    return httpx.Client(timeout=10, trust_env=False, follow_redirects=True)


def test_join_page_has_the_privacy_notice_in_both_languages(host):
    with browser() as b:
        fr = b.get(f"{host.url}/j/{host.code}?lang=fr")
        assert fr.status_code == 200 and '<html lang="fr">' in fr.text
        assert "Aucune adresse IP" in fr.text and 'for="pseudonym"' in fr.text and "<main" in fr.text
        en = b.get(f"{host.url}/j/{host.code.lower()}?lang=en")
        assert "No IP address" in en.text and '<html lang="en">' in en.text
        missing = b.get(f"{host.url}/j/NOPE22")
        assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
        bad = b.post(f"{host.url}/j/{host.code}", data={"pseudonym": "x" * 10_000})
        assert bad.status_code == 422 and 'role="alert"' in bad.text


def test_play_to_an_ending_with_reload_and_double_submit(host, client):
    with browser() as b:
        r = b.post(f"{host.url}/j/{host.code}?lang=fr", data={"pseudonym": "Lou"})
        assert r.status_code == 200 and str(r.url).endswith("/play")
        # the host's playthrough, replayed here to check every page against presentation's values
        summary = client.get(f"{host.api}/summary", headers=host.trainer).json()
        assert summary["participants"] == 1
        token = b.cookies[f"pandore_{host.code}"]
        for step in range(200):
            page = b.get(f"{host.url}/j/{host.code}/play")
            if "ui.debrief" in page.text:
                raise AssertionError("a catalogue key leaked into the page")
            forms = Forms(page.text)
            if not forms.buttons:
                break
            assert forms.seq == str(step + 1)
            if step == 1:  # a reload shows the same page, records nothing
                assert b.get(f"{host.url}/j/{host.code}/play").text == page.text
            choice = next(v for v, disabled in forms.buttons if not disabled)
            r = b.post(f"{host.url}/j/{host.code}/play", data={"seq": forms.seq, "choice": choice})
            assert r.status_code == 200 and f"done={forms.seq}" in str(r.url)
            if step == 0:  # a double submit: the same form sent again records nothing more
                again = b.post(f"{host.url}/j/{host.code}/play", data={"seq": forms.seq, "choice": choice})
                assert again.status_code == 200
                made = client.get(f"{host.api}/summary", headers=host.trainer).json()["choices_made"]
                assert made == 1
                # the feedback shown is presentation's, for the choice just made
                assert "<h2 id=\"fb\">" in r.text
        else:
            raise AssertionError("no ending after 200 choices")
        summary = client.get(f"{host.api}/summary", headers=host.trainer).json()
        assert sum(summary["endings"].values()) == 1
        ending = next(iter(summary["endings"]))
        title = TUTO.scenario.endings[ending].title
        final = b.get(f"{host.url}/j/{host.code}/play").text
        assert f"<h1>{title}</h1>".replace("'", "&#x27;") in final or title in final
        assert "Ce qui a pesé" in final or "What weighed" in final
        assert token


def test_pages_render_presentation_values(host, client):
    """The node and feedback a page shows are game.presentation's, for the host's playthrough."""
    with browser() as b:
        b.post(f"{host.url}/j/{host.code}?lang=en", data={"pseudonym": "Sam"})
        page = b.get(f"{host.url}/j/{host.code}/play").text
        import html as _html

        text = _html.unescape(page)
        pt = Playthrough.start(TUTO, seed_of(host, b.cookies[f"pandore_{host.code}"]))
        first = presentation.node_view(pt, -1, "en")
        assert first.title is None or first.title in text
        for c in first.choices:
            assert c.text in text
        forms = Forms(page)
        choice = next(v for v, d in forms.buttons if not d)
        r = b.post(f"{host.url}/j/{host.code}/play", data={"seq": "1", "choice": choice})
        report = presentation.step_report(pt.choose(choice), 0, "en")
        shown = _html.unescape(r.text)
        assert report.choice_text in shown
        for f in report.feedback:
            assert f in shown
        # a stale form (seq 1 again, another choice) is refused with a readable notice, not recorded twice
        other = [v for v, d in forms.buttons if not d and v != choice]
        if other:
            r = b.post(f"{host.url}/j/{host.code}/play", data={"seq": "1", "choice": other[0]})
            assert r.status_code == 200 and 'role="status"' in r.text
        assert client.get(f"{host.api}/summary", headers=host.trainer).json()["choices_made"] == 1
        undo = b.post(f"{host.url}/j/{host.code}/undo", data={"seq": "1"})
        assert undo.status_code == 200
        assert client.get(f"{host.api}/summary", headers=host.trainer).json()["choices_made"] == 0
        assert re.search(r'name="seq" value="1"', undo.text)


def test_a_form_with_a_seq_that_is_no_number_is_refused_calmly(host, client):
    with browser() as b:
        b.post(f"{host.url}/j/{host.code}?lang=fr", data={"pseudonym": "Noa"})
        for seq in ("²", "9" * 5000, "-1", ""):
            for route, data in (("play", {"seq": seq, "choice": "x"}), ("undo", {"seq": seq})):
                r = b.post(f"{host.url}/j/{host.code}/{route}", data=data)
                assert r.status_code < 500, (route, seq, r.status_code)
        for done in ("²", "9" * 5000):
            r = b.get(f"{host.url}/j/{host.code}/play?done={done}")
            assert r.status_code == 200, (done, r.status_code)
