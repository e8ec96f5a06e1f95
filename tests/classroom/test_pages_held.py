"""The browser pages while the trainer holds the class, pauses it, and after the end: what the trainee reads
before choosing, the disabled choices, the reload without JavaScript and on the signal, the debrief."""

from __future__ import annotations

import json
import threading

import httpx

from game.authoring import library

from .test_pages import Forms, browser

TUTO = library.load("tutoriel")[1].rules


def control(client, host, **body) -> None:
    r = client.post(f"{host.api}/control", json=body, headers=host.trainer)
    assert r.status_code == 200, r.text


def test_a_trainee_at_the_held_step_is_told_before_choosing_and_goes_on_when_released(host, client):
    with browser() as b:
        b.post(f"{host.url}/j/{host.code}?lang=fr", data={"pseudonym": "Lou"})
        start = TUTO.scenario.start
        control(client, host, action="hold", node=start)
        page = b.get(f"{host.url}/j/{host.code}/play").text
        wait = "Le ou la formateur·rice a mis la classe en pause pour discuter : attendez son signal."
        assert wait in page
        assert page.index(wait) < page.index('name="choice"')  # read before the choices
        forms = Forms(page)
        assert forms.buttons and all(disabled for _v, disabled in forms.buttons)
        assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
        assert f"new EventSource('/j/{host.code}/events')" in page
        assert 'aria-describedby="waiting"' in page and 'id="waiting" role="status"' in page
        # the events say when the page no longer waits (the page's cookie says who)
        got: list[dict] = []
        ready = threading.Event()

        def listen():
            with httpx.Client(timeout=10, trust_env=False, cookies=b.cookies) as c:
                with c.stream("GET", f"{host.url}/j/{host.code}/events") as r:
                    assert r.status_code == 200
                    for line in r.iter_lines():
                        if line.startswith("data:"):
                            got.append(json.loads(line[5:]))
                            ready.set()
                            if not got[-1]["wait"]:
                                return

        th = threading.Thread(target=listen, daemon=True)
        th.start()
        assert ready.wait(5) and got[0] == {"wait": True}
        control(client, host, action="release")
        th.join(5)
        assert got[-1] == {"wait": False}
        page = b.get(f"{host.url}/j/{host.code}/play").text
        assert wait not in page and "http-equiv" not in page
        forms = Forms(page)
        choice = next(v for v, disabled in forms.buttons if not disabled)
        r = b.post(f"{host.url}/j/{host.code}/play", data={"seq": forms.seq, "choice": choice})
        assert "done=1" in str(r.url)
        # paused: said likewise, in English too
        control(client, host, action="pause")
        page = b.get(f"{host.url}/j/{host.code}/play?lang=en").text
        assert "The trainer has paused the session: wait for their signal." in page
        assert all(disabled for _v, disabled in Forms(page).buttons)
        control(client, host, action="resume")


def test_events_need_the_page_cookie(host):
    with httpx.Client(timeout=10, trust_env=False) as c:
        r = c.get(f"{host.url}/j/{host.code}/events")
        assert r.status_code == 401


def test_after_the_end_trainees_see_their_debrief_or_their_path(host, client):
    with browser() as early, browser() as done:
        early.post(f"{host.url}/j/{host.code}?lang=fr", data={"pseudonym": "Lou"})
        done.post(f"{host.url}/j/{host.code}?lang=fr", data={"pseudonym": "Max"})
        forms = Forms(early.get(f"{host.url}/j/{host.code}/play").text)
        first = next(v for v, disabled in forms.buttons if not disabled)
        early.post(f"{host.url}/j/{host.code}/play", data={"seq": forms.seq, "choice": first})
        for _ in range(50):  # Max plays to an ending
            forms = Forms(done.get(f"{host.url}/j/{host.code}/play").text)
            if not forms.buttons:
                break
            done.post(f"{host.url}/j/{host.code}/play",
                      data={"seq": forms.seq, "choice": next(v for v, d in forms.buttons if not d)})
        control(client, host, action="end")
        page = early.get(f"{host.url}/j/{host.code}/play").text
        assert "<h1>La séance est terminée</h1>" in page
        assert "voici le chemin que vous avez suivi" in page
        assert not Forms(page).buttons  # nothing more to choose
        chosen = TUTO.choices(TUTO.start(0)[0])
        text = next(c.text for c in chosen if c.id == first)
        assert text.replace("'", "&#x27;") in page
        for point in TUTO.scenario.debrief.key_points:
            assert point.replace("'", "&#x27;") in page
        final = done.get(f"{host.url}/j/{host.code}/play").text
        assert "Ce qui a pesé" in final and "La séance est terminée</h1>" not in final
