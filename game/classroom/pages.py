"""The browser pages: `{url}/j/{code}` to join, then play, in server-rendered HTML.

No JavaScript is needed: forms, POST-redirect-GET, and a seq in every choice
form so that a reload, the back button or a double submit never records a
choice twice (the same choice at the same seq is an idempotent success). What
the player is told (the node, the feedback, the debrief) comes from
`game.presentation`; these pages only lay its values out.

While the trainer holds the class at the trainee's step (or pauses the
session), the play page says so before any choice, with the choices
disabled; it reloads itself every few seconds without JavaScript (a meta
refresh inside <noscript>), and with it, at once on the trainer's signal (an
EventSource on `/j/{code}/events`, which reads the page's cookie: the token
never appears in the page). After the session's end a trainee sees their
debrief, or the path they took when the end came first.
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from game import presentation
from game.i18n import LANGUAGES, t

from . import lrs, xapi
from .session import ApiError, ClassSession

CSS = """
:root{--ink:#1b1b1b;--bg:#fbfaf7;--accent:#1F5F73;--muted:#555;--bad:#A0302A;--good:#2B6E47}
*{box-sizing:border-box}body{margin:0;font:1.05rem/1.5 system-ui,sans-serif;color:var(--ink);background:var(--bg)}
header,main,footer{max-width:42rem;margin:0 auto;padding:.75rem 1rem}
header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex-wrap:wrap}
a{color:var(--accent)}:focus-visible{outline:3px solid #E0A000;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem}
button{font:inherit;padding:.6rem .9rem;border:2px solid var(--accent);background:#fff;color:var(--ink);
border-radius:.4rem;cursor:pointer;width:100%;text-align:left;margin:.25rem 0}
button:disabled{border-color:#999;color:#555;cursor:not-allowed;background:#eee}
ol.choices{padding-left:1.5rem}.hint{color:var(--muted);font-size:.95rem}
.thread{list-style:none;padding:0}.thread li{margin:.4rem 0;padding:.5rem .7rem;border-radius:.6rem;max-width:85%;background:#e9eef0}
.thread li.sent{margin-left:auto;background:#d8ead9}.meta{font-size:.85rem;color:var(--muted)}
.card{border:1px solid #bbb;border-radius:.5rem;padding:.75rem;background:#fff}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.5rem;list-style:none;padding:0}
.tiles li{border:1px solid #bbb;border-radius:.4rem;padding:.5rem;background:#fff}
.better{color:var(--good)}.worse{color:var(--bad)}.notice{border-left:4px solid #E0A000;padding:.5rem .75rem;background:#fff6dd}
.wait{border:3px solid #E0A000;border-radius:.5rem;padding:.75rem 1rem;background:#fff6dd;font-weight:600;font-size:1.15rem}
meter{width:10rem}table{border-collapse:collapse}td,th{padding:.2rem .5rem;text-align:left}
"""


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def _lang(request: Request, s: ClassSession) -> str:
    q = request.query_params.get("lang") or request.cookies.get("pandore_lang")
    if q in LANGUAGES:
        return q
    return s.row.language if s.row.language in LANGUAGES else "fr"


def _cookie(s: ClassSession) -> str:
    return f"pandore_{s.row.code}"


#: Seconds between the reloads of a waiting page without JavaScript.
WAIT_REFRESH = 5


def page(lang: str, title: str, body: str, status: int = 200, code: str | None = None, head: str = "") -> HTMLResponse:
    other = "en" if lang == "fr" else "fr"
    switch = f'<a href="?lang={other}" hreflang="{other}" lang="{other}">{_e(t("class.page.other_lang", other))}</a>'
    doc = (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f'<title>{_e(title)}</title><style>{CSS}</style>{head}</head><body>'
           f'<a class="skip" href="#main">{_e(t("class.page.skip", lang))}</a>'
           f'<header><p><strong>Pandore</strong>{" · " + _e(code) if code else ""}</p><nav aria-label="'
           f'{_e(t("class.page.language", lang))}">{switch}</nav></header>'
           f'<main id="main">{body}</main></body></html>')
    return HTMLResponse(doc, status_code=status, headers={"Cache-Control": "no-store"})


def error_page(request: Request, s: ClassSession, e: ApiError) -> HTMLResponse:
    lang = _lang(request, s)
    key = f"class.error.{e.code}"
    text = t(key, lang)
    if text == key:
        text = e.message
    return page(lang, t("class.error.title", lang),
                f'<h1>{_e(t("class.error.title", lang))}</h1><p role="alert">{_e(text)}</p>'
                f'<p><a href="/j/{_e(s.row.code)}">{_e(t("class.error.back", lang))}</a></p>', status=e.status)


async def _form(request: Request) -> dict[str, str]:
    from .app import read_body

    raw = await read_body(request)
    try:
        data = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "malformed", "the form could not be read") from None
    return {k: v[0] for k, v in data.items()}


def _gauges(s: ClassSession, pt, lang: str) -> str:
    rows = []
    for name, g in s.rules.scenario.gauges.items():
        v = pt.state.gauges[name]
        good = t(f"ui.gauge.good_{g.good}", lang)
        rows.append(f'<tr><th scope="row">{_e(g.label)}</th><td><meter min="{g.min}" max="{g.max}" value="{v}" '
                    f'aria-label="{_e(g.label)}">{v}</meter></td><td>{v}/{g.max}</td>'
                    f'<td class="hint">{_e(good)}</td></tr>')
    return (f'<section aria-labelledby="gauges"><h2 id="gauges">{_e(t("class.play.gauges", lang))}</h2>'
            f'<table>{"".join(rows)}</table></section>')


def _report(r, lang: str) -> str:
    parts = [f'<section aria-labelledby="fb" class="notice"><h2 id="fb">{_e(t("ui.feedback.your_choice", lang))}</h2>',
             f'<p>{_e(r.choice_text)}</p>']
    if r.reply:
        parts.append(f'<p><em>{_e(r.reply)}</em></p>')
    parts += [f'<p>{_e(f)}</p>' for f in r.feedback]
    parts.append(f'<h3>{_e(t("ui.feedback.what_moved", lang))}</h3>')
    if r.changes:
        items = []
        for c in r.changes:
            word = t("ui.feedback.better" if c.better else "ui.feedback.worse", lang)
            items.append(f'<li class="{"better" if c.better else "worse"}">{_e(c.label)} : {c.delta:+d} '
                         f'({c.old} → {c.new}, {_e(word)}) — {_e(c.cause)}</li>')
        parts.append(f'<ul>{"".join(items)}</ul>')
    else:
        parts.append(f'<p>{_e(t("ui.feedback.nothing", lang))}</p>')
    parts.append('</section>')
    return "".join(parts)


def _node(v, lang: str, heading: str) -> str:
    """A step's content; its heading is the node's title, else `heading` (the page's title): one h1 a page."""
    out = [f'<h1>{_e(v.title or heading)}</h1>']
    if v.kind == "sms" and v.thread:
        items = "".join(
            f'<li class="{"sent" if b.sent else "received"}"><span class="meta">{_e(b.sender)}'
            f'{" · " + _e(b.at) if b.at else ""}</span><br>{_e(b.text)}</li>' for b in v.thread)
        label = t("class.play.sms", lang, contact=v.contact or "")
        out.append(f'<section aria-label="{_e(label)}"><h2>{_e(label)}</h2><ul class="thread">{items}</ul></section>')
    if v.kind == "dashboard" and v.panel is not None:
        p = v.panel
        rows = [f'<p class="meta">{_e(p.tag or t("ui.dashboard.tag", lang))}</p><h2>{_e(p.title)}</h2>']
        if p.subject:
            rows.append(f'<p>{_e(p.subject)}</p>')
        if p.score is not None:
            rows.append(f'<p>{_e(t("ui.dashboard.score", lang))} : {p.score}/{p.score_max}</p>')
        if p.criteria:
            rows.append(f'<h3>{_e(t("ui.dashboard.criteria", lang))}</h3><dl>' + "".join(
                f'<dt>{_e(c.label)}</dt><dd>{_e(c.value)}</dd>' for c in p.criteria) + '</dl>')
        if p.recommendation:
            rows.append(f'<p><strong>{_e(t("ui.dashboard.recommendation", lang))}</strong> : {_e(p.recommendation)}</p>')
        if p.confidence is not None:
            rows.append(f'<p>{_e(t("ui.dashboard.confidence", lang, value=p.confidence))}</p>')
        out.append(f'<section class="card" aria-label="{_e(p.title)}">{"".join(rows)}</section>')
    if v.kind == "visio" and v.participants:
        tiles = []
        for p in v.participants:
            state = [] if p.connection == "good" else [t(f"ui.visio.{p.connection}", lang)]
            if not p.camera:
                state.append(t("ui.visio.camera_off", lang))
            tiles.append(f'<li><strong>{_e(p.name)}</strong>{"<br>" + _e(p.role) if p.role else ""}'
                         + "".join(f'<br><span class="meta">{_e(x)}</span>' for x in state) + '</li>')
        label = t("ui.visio.call", lang, n=len(v.participants))
        out.append(f'<section aria-label="{_e(label)}"><h2>{_e(label)}</h2><ul class="tiles">{"".join(tiles)}</ul></section>')
    for para in [x for x in v.text.split("\n\n") if x.strip()]:
        out.append(f'<p>{_e(para.strip())}</p>')
    return "".join(out)


def waiting(s: ClassSession, pt) -> str | None:
    """Why this trainee cannot choose now: "held" (the class held at their step), "paused"; None if they can."""
    if pt.state.finished or s.state == "ended":
        return None
    if s.state == "paused":
        return "paused"
    if s.held_node is not None and pt.state.node == s.held_node:
        return "held"
    return None


def _wait_head(code: str) -> str:
    """Reload the waiting page: by itself every WAIT_REFRESH s without JavaScript; with it, on the signal."""
    script = ("(function(){if(!window.EventSource)return setTimeout(function(){location.reload()},%d);"
              "var es=new EventSource('/j/%s/events');es.addEventListener('change',function(e){var d;"
              "try{d=JSON.parse(e.data)}catch(x){return}if(!d.wait){es.close();location.reload()}});"
              "es.onerror=function(){es.close();setTimeout(function(){location.reload()},%d)}})();"
              % (WAIT_REFRESH * 1000, code, WAIT_REFRESH * 1000))
    return (f'<noscript><meta http-equiv="refresh" content="{WAIT_REFRESH}"></noscript>'
            f'<script>{script}</script>')


def _live_head(code: str) -> str:
    """A step being read, with JavaScript: the open events line is the trainee's heartbeat (the trainer
    sees them online while they read), and the page reloads when the trainer holds the class at this
    step or pauses, so the trainee is told before choosing. Without JavaScript the page stays as it is
    (a choice made then is answered with the notice)."""
    script = ("(function(){if(!window.EventSource)return;var es=new EventSource('/j/%s/events');"
              "es.addEventListener('change',function(e){var d;try{d=JSON.parse(e.data)}catch(x){return}"
              "if(d.wait){es.close();location.reload()}})})();" % code)
    return f'<script>{script}</script>'


def _choices(s: ClassSession, pt, v, lang: str, disabled: bool = False) -> str:
    seq = len(pt.choices) + 1
    items = []
    for i, c in enumerate(v.choices, 1):
        hint_id = f"hint{i}"
        if disabled:
            items.append(f'<li><button type="submit" name="choice" value="{_e(c.id)}" disabled '
                         f'aria-describedby="waiting">{_e(c.text)}</button></li>')
        elif c.available:
            items.append(f'<li><button type="submit" name="choice" value="{_e(c.id)}">{_e(c.text)}</button></li>')
        else:
            hint = c.hint or t("class.play.unavailable", lang)
            items.append(f'<li><button type="submit" name="choice" value="{_e(c.id)}" disabled '
                         f'aria-describedby="{hint_id}">{_e(c.text)}</button>'
                         f'<span class="hint" id="{hint_id}">{_e(hint)}</span></li>')
    return (f'<form method="post" action="/j/{_e(s.row.code)}/play"><fieldset><legend><h2>'
            f'{_e(t("class.play.choices", lang))}</h2></legend><input type="hidden" name="seq" value="{seq}">'
            f'<ol class="choices">{"".join(items)}</ol></fieldset></form>')


def _debrief(s: ClassSession, pt, lang: str) -> str:
    d = presentation.debrief(pt, lang)
    out = [f'<h1>{_e(d.title)}</h1>', *[f'<p>{_e(x)}</p>' for x in d.text.split("\n\n") if x.strip()],
           f'<section aria-labelledby="weighed"><h2 id="weighed">{_e(t("ui.debrief.weighed", lang))}</h2><ul>']
    for w in d.weighed:
        causes = "; ".join(f"{delta:+d} {what}" for delta, what in w.causes) or t("ui.debrief.no_change", lang)
        out.append(f'<li><strong>{_e(w.label)}</strong> {w.start} → {w.final} : {_e(causes)}</li>')
    out.append('</ul></section>')
    out.append(f'<section aria-labelledby="yours"><h2 id="yours">{_e(t("ui.debrief.your_choices", lang))}</h2><ol>')
    for h in d.choices:
        fb = "".join(f'<br><span class="hint">{_e(f)}</span>' for f in h.feedback)
        out.append(f'<li>{_e(h.choice)}{fb}</li>')
    out.append('</ol></section>')
    for key, items in (("ui.debrief.objectives", d.objectives), ("ui.debrief.key_points", d.key_points),
                       ("ui.debrief.sources", d.sources)):
        if items:
            out.append(f'<section><h2>{_e(t(key, lang))}</h2><ul>' + "".join(f'<li>{_e(x)}</li>' for x in items)
                       + '</ul></section>')
    return "".join(out)


def _ended(s: ClassSession, pt, lang: str) -> str:
    """The session ended before this trainee's ending: the path they took, its feedback, the key points."""
    out = [f'<h1>{_e(t("class.ended.title", lang))}</h1>',
           f'<p class="notice" role="status">{_e(t("class.ended.partial", lang))}</p>',
           f'<section aria-labelledby="yours"><h2 id="yours">{_e(t("ui.debrief.your_choices", lang))}</h2><ol>']
    for h in presentation.history(pt, lang):
        if h.choice is None:
            continue
        fb = "".join(f'<br><span class="hint">{_e(f)}</span>' for f in h.feedback)
        out.append(f'<li>{_e(h.choice)}{fb}</li>')
    out.append('</ol></section>')
    sc = s.rules.scenario
    for key, items in (("ui.debrief.objectives", sc.objectives), ("ui.debrief.key_points", sc.debrief.key_points),
                       ("ui.debrief.sources", sc.debrief.sources)):
        if items:
            out.append(f'<section><h2>{_e(t(key, lang))}</h2><ul>' + "".join(f'<li>{_e(x)}</li>' for x in items)
                       + '</ul></section>')
    return "".join(out)


def add_pages(app: FastAPI, s: ClassSession) -> None:
    def find(code: str) -> ClassSession:
        if code.upper() != s.row.code:
            raise ApiError(404, "unknown_session", "no session with this code here")
        return s

    def me(request: Request):
        return s.player(request.cookies.get(_cookie(s)))

    @app.get("/j/{code}", response_class=HTMLResponse, include_in_schema=False)
    async def join_page(code: str, request: Request):
        find(code)
        lang = _lang(request, s)
        resume = ""
        if me(request) is not None:
            resume = f'<p><a href="/j/{s.row.code}/play">{_e(t("class.join.continue", lang))}</a></p>'
        lrs_notice = f' {_e(t("class.join.privacy_lrs", lang))}' if lrs.status_of(s.row.id) is not None else ""
        body = (f'<h1>{_e(t("class.join.title", lang, title=s.rules.scenario.title))}</h1>{resume}'
                f'<form method="post" action="/j/{s.row.code}?lang={lang}"><p><label for="pseudonym">'
                f'{_e(t("class.join.pseudonym", lang))}</label><br><input id="pseudonym" name="pseudonym" '
                f'maxlength="32" required autocomplete="off" aria-describedby="privacy"></p>'
                f'<p id="privacy" class="hint">{_e(t("class.join.privacy", lang))}{lrs_notice}</p>'
                f'<p><button type="submit">{_e(t("class.join.submit", lang))}</button></p></form>')
        resp = page(lang, t("class.join.title", lang, title=s.rules.scenario.title), body, code=s.row.code)
        resp.set_cookie("pandore_lang", lang, samesite="lax")
        return resp

    @app.post("/j/{code}", include_in_schema=False)
    async def join_post(code: str, request: Request):
        find(code)
        form = await _form(request)
        p = await s.join_async(form.get("pseudonym", ""))
        resp = RedirectResponse(f"/j/{s.row.code}/play", status_code=303)
        resp.set_cookie(_cookie(s), p.row.token, httponly=True, samesite="lax", max_age=12 * 3600)
        return resp

    @app.get("/j/{code}/play", response_class=HTMLResponse, include_in_schema=False)
    async def play_page(code: str, request: Request):
        find(code)
        lang = _lang(request, s)
        p = me(request)
        if p is None:
            return RedirectResponse(f"/j/{s.row.code}", status_code=303)
        pt = p.pt
        parts = []
        notice = request.query_params.get("notice")
        if notice in ("held", "paused", "ended", "expected_seq", "choice_refused", "undo_forbidden"):
            parts.append(f'<p class="notice" role="status">{_e(t("class.notice." + notice, lang))}</p>')
        done = request.query_params.get("done", "")
        if done.isascii() and done.isdigit() and len(done) <= 9 and 1 <= int(done) <= len(pt.choices):
            parts.append(_report(presentation.step_report(pt, int(done) - 1, lang), lang))
        title = t("class.play.title", lang, title=s.rules.scenario.title, n=len(pt.choices) + 1)
        wait = waiting(s, pt)
        if pt.state.finished:
            parts.append(_debrief(s, pt, lang))
        elif s.state == "ended":
            parts.append(_ended(s, pt, lang))
        else:
            v = presentation.node_view(pt, -1, lang)
            if wait is not None:  # said before the step, so that it is read before any choice
                parts.append(f'<p class="wait" id="waiting" role="status">{_e(t("class.wait." + wait, lang))}'
                             f'<br><span class="hint">{_e(t("class.wait.refresh", lang))}</span></p>')
            parts.append(_node(v, lang, title))
            parts.append(_choices(s, pt, v, lang, disabled=wait is not None))
        parts.append(_gauges(s, pt, lang))
        if pt.choices and s.undo_allowed and s.state != "ended":
            parts.append(f'<form method="post" action="/j/{s.row.code}/undo"><input type="hidden" name="seq" '
                         f'value="{len(pt.choices)}"><button type="submit">{_e(t("class.play.undo", lang))}'
                         f'</button></form>')
        playing = not pt.state.finished and s.state != "ended"
        head = _wait_head(s.row.code) if wait is not None else (_live_head(s.row.code) if playing else "")
        return page(lang, title, "".join(parts), code=s.row.code, head=head)

    @app.get("/j/{code}/events", include_in_schema=False)
    async def events(code: str, request: Request):
        """Server-sent events for the waiting page (its cookie says who): `change` with {"wait"} at every
        change of the session; the page reloads when it no longer waits."""
        import asyncio
        import json

        from fastapi.responses import StreamingResponse

        find(code)
        p = me(request)
        if p is None:
            raise ApiError(401, "unauthorized", "join the session first")

        async def stream():
            seen = -1
            idle = 0.0
            while not getattr(app.state, "stopping", False):
                xapi.seen(p)  # an open page is a heartbeat, as the API's stream
                if s.version != seen:
                    seen = s.version
                    idle = 0.0
                    yield f"event: change\ndata: {json.dumps({'wait': waiting(s, p.pt) is not None})}\n\n"
                elif idle >= 15:
                    idle = 0.0
                    yield ": still here\n\n"
                await asyncio.sleep(0.25)
                idle += 0.25

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

    def _back(notice: str | None = None, done: int | None = None) -> RedirectResponse:
        q = f"?notice={quote(notice)}" if notice else (f"?done={done}" if done else "")
        return RedirectResponse(f"/j/{s.row.code}/play{q}", status_code=303)

    async def _submit(code: str, request: Request, act, refused: tuple[int, ...], done: bool):
        """A form's action for the participant: refusals come back as a notice on the play page."""
        find(code)
        p = me(request)
        if p is None:
            return RedirectResponse(f"/j/{s.row.code}", status_code=303)
        form = await _form(request)
        raw = form.get("seq", "")
        seq = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else -1  # '²' or 5,000 digits: no seq
        try:
            await act(p, seq, form)
        except ApiError as e:
            if e.status in refused:
                return _back(e.code)
            raise
        return _back(done=seq) if done else _back()

    @app.post("/j/{code}/play", include_in_schema=False)
    async def play_post(code: str, request: Request):
        return await _submit(code, request, lambda p, seq, form: s.choose_async(p, p.row.playthrough_id, seq,
                                                                          form.get("choice", "")),
                             (409, 422, 423), done=True)

    @app.post("/j/{code}/undo", include_in_schema=False)
    async def undo_post(code: str, request: Request):
        return await _submit(code, request, lambda p, seq, form: s.undo_async(p, p.row.playthrough_id, seq),
                             (403, 409, 422, 423), done=False)


def add_qr(app: FastAPI, s: ClassSession) -> None:
    """`/j/{code}/qr.svg`: the QR code of the join address, for the projector."""
    from fastapi.responses import Response

    @app.get("/j/{code}/qr.svg", include_in_schema=False)
    async def qr(code: str, request: Request):
        if code.upper() != s.row.code:
            raise ApiError(404, "unknown_session", "no session with this code here")
        import segno

        base = app.state.base_url or str(request.base_url).rstrip("/")
        svg = segno.make(f"{base}/j/{s.row.code}", error="m").svg_inline(scale=8, title=f"{base}/j/{s.row.code}")
        return Response(svg, media_type="image/svg+xml")
