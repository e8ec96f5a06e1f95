"""A session's debrief report, from the store (the host running or not): an HTML page, CSV rows, the summary.

The page is self-contained (no network: no external style sheet, script or
font; charts are inline SVG, each with a title and a description that carry
its numbers) and prints on A4. Every number on it is a value of
`game.classroom.classview` (the class) or `game.presentation` (one trainee):
this module lays them out and never counts, sorts or hides anything itself.
"""

from __future__ import annotations

import csv
import datetime as _dt
import html
import io
import re
import textwrap
import time

from game import presentation
from game.i18n import t, typography

from . import classview, retention
from .session import ClassSession

#: The CSV's fixed columns; one column per gauge (its id, the value after the choice) comes before `at`.
CSV_COLUMNS = ["session", "participant", "pseudonym", "playthrough", "seq", "node", "choice", "at"]
#: Cells that a spreadsheet would read as a formula (CSV injection): a pseudonym starting so gets a "'".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def summary(session: ClassSession) -> dict:
    """DESIGN.md's `/summary` object (what `pandore report --json` prints)."""
    return session.summary()


# ---------------------------------------------------------------------------------------------
# CSV


def csv_columns(session: ClassSession, anonymous: bool = False) -> list[str]:
    """The CSV's header: the fixed columns, one per gauge (a gauge whose id is a fixed column's name is
    `gauge_<id>`) before `at`; without `pseudonym` when `anonymous`."""
    fixed = [c for c in CSV_COLUMNS if not (anonymous and c == "pseudonym")]
    gauges = [g if g not in CSV_COLUMNS else f"gauge_{g}" for g in session.rules.scenario.gauges]
    return fixed[:-1] + gauges + fixed[-1:]


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_rows(session: ClassSession, anonymous: bool = False) -> list[dict]:
    """One row per standing choice, in the order of joining then seq: the gauges are the values after
    that choice (the playthrough replayed: its state after choice `seq`); `at` in ISO 8601, UTC."""
    rows = []
    stored = session.store.all_choices(session.row.id)
    by_pt = {p.row.playthrough_id: p.pt for p in session.players}
    gauges = list(session.rules.scenario.gauges)
    names = csv_columns(session)[len(CSV_COLUMNS) - 1:-1]
    for p in session.store.participants(session.row.id):
        pt = by_pt.get(p.playthrough_id)
        for seq, node, choice, at in stored.get(p.playthrough_id, []):
            row = {"session": session.row.id, "participant": p.id, "pseudonym": _cell(p.pseudonym),
                   "playthrough": p.playthrough_id, "seq": seq, "node": node, "choice": choice}
            state = pt.states[seq] if pt is not None and seq < len(pt.states) else None
            for gid, name in zip(gauges, names):
                row[name] = state.gauges[gid] if state is not None else ""
            row["at"] = _dt.datetime.fromtimestamp(at, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            if anonymous:
                del row["pseudonym"]
            rows.append(row)
    return rows


def csv_text(session: ClassSession, sep: str = ",", anonymous: bool = False) -> str:
    """The CSV (no byte order mark: the caller writing a file adds it, see docs/classroom.md)."""
    out = io.StringIO()
    w = csv.DictWriter(out, csv_columns(session, anonymous), delimiter=sep, lineterminator="\n")
    w.writeheader()
    w.writerows(csv_rows(session, anonymous))
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# the HTML page

STYLE = """
@page { size: A4; margin: 15mm 14mm 16mm; }
* { box-sizing: border-box; }
html { color: #111; background: #fff; font: 10.5pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; }
body { margin: 0 auto; max-width: 182mm; padding: 1rem; }
h1 { font-size: 19pt; line-height: 1.2; margin: 0 0 .4rem; }
h2 { font-size: 14pt; margin: 1.4rem 0 .5rem; padding-bottom: .15rem; border-bottom: 1.5pt solid #111;
     break-after: avoid; page-break-after: avoid; }
.head { break-inside: avoid; page-break-inside: avoid; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11.5pt; margin: .9rem 0 .3rem; break-after: avoid; page-break-after: avoid; }
p, li, dd { overflow-wrap: anywhere; }
.block, figure, .trainee, tr, dl.meta { break-inside: avoid; page-break-inside: avoid; }
figure { margin: .3rem 0 .9rem; }
figcaption { font-weight: bold; margin-bottom: .2rem; }
figcaption .n { font-weight: normal; }
svg { display: block; width: 100%; height: auto; overflow: visible; }
svg text { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; fill: #111; }
.note { font-style: italic; margin: .1rem 0 .3rem; }
.note::before { content: "⚠ "; font-style: normal; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .5rem 0 1rem; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: .2rem 0 .6rem; font-size: 9.5pt; }
th, td { border: .5pt solid #777; padding: .15rem .35rem; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead th { background: #eee; }
ol.paths > li { margin-bottom: .6rem; break-inside: avoid; page-break-inside: avoid; }
ol.steps { margin: .1rem 0; padding-left: 1.4rem; }
.ending { font-weight: bold; }
.appendix { break-before: page; page-break-before: always; }
.trainee h3 { margin: .5rem 0 0; font-size: 10.5pt; }
.trainee h3 .n { font-weight: normal; }
.trainee ul { margin: .05rem 0 .3rem; padding-left: 1.2rem; font-size: 9pt; line-height: 1.35; }
/* an inline-block: Chromium splits the last block of a page despite break-inside: avoid; this one it moves */
footer { display: inline-block; width: 100%; margin-top: 1.6rem; padding-top: .4rem; border-top: 1pt solid #111;
         font-size: 9pt; break-inside: avoid; page-break-inside: avoid; }
footer code, p code { font-size: 9pt; }
@media print {
  body { padding: 0; max-width: none; }
  a { color: inherit; text-decoration: none; }
}
"""

#: The bar chart's geometry, in SVG user units (the chart is scaled to the page's width).
WIDTH = 680
LABEL_W = 300  # the choice texts, wrapped
BAR_X = LABEL_W + 12
BAR_W = 270  # 100 %
LINE = 15  # one line of label
LABEL_CHARS = 42  # characters per label line (about LABEL_W at the chart's font size)
BOLD = ' font-weight="bold"'


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def _wrap(text: str, width: int = LABEL_CHARS) -> list[str]:
    """A label in lines for the SVG (which does not wrap): a number stays with its unit, '»' with its word."""
    text = typography.keep_together(re.sub(r"[ \t\r\n]+", " ", str(text)).strip())
    return textwrap.wrap(text, width, break_long_words=True) or [""]


def _label(lines: list[str], middle: float) -> str:
    """The lines of a label as tspans, the block centred on `middle` (a baseline sits ~4 units below the
    middle of its line at the charts' font size)."""
    first = middle + 4 - (len(lines) - 1) * LINE / 2
    last = len(lines) - 1  # a space ends each line but the last: the text reads whole when copied
    return "".join(f'<tspan x="0" y="{first + i * LINE:.1f}">{_e(line)}{" " if i < last else ""}</tspan>'
                   for i, line in enumerate(lines))


_num = classview.number_text


def _when(ts: float, lang: str) -> str:
    d = _dt.datetime.fromtimestamp(ts)
    return t("class.report.date_time", lang, date=typography.date(d.date(), lang), time=typography.time(d, lang))


def _svg_open(chart_id: str, title: str, desc: str, height: int, cls: str) -> str:
    return (f'<svg class="{cls}" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            f'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-t">{_e(title)}</title><desc id="{chart_id}-d">{_e(desc)}</desc>')


def _bars_svg(chart_id: str, title: str, bars, lang: str, chosen: str | None = None) -> str:
    """Horizontal bars, one per `classview.Bar` (or EndingCount-like rows with .text/.n/.share/.percent),
    each labelled and followed by its count and percent; the description says the same in words."""
    rows, y = [], 6
    words = []
    for b in bars:
        lines = _wrap(b.text + (" ✓" if chosen is not None and b.choice == chosen else ""))
        h = max(len(lines) * LINE, 18) + 8
        count = t("class.report.bar_value", lang, n=b.n, percent=typography.percent(b.percent, lang))
        words.append(t("class.report.bar_words", lang, text=b.text, value=count))
        top = y + (h - 18) // 2
        label = _label(lines, top + 9)
        strong = chosen is not None and b.choice == chosen
        rows.append(
            f'<g class="row" data-choice="{_e(b.choice)}" data-n="{b.n}" data-percent="{b.percent}">'
            f'<text font-size="12.5"{BOLD if strong else ""}>{label}</text>'
            f'<rect class="track" x="{BAR_X}" y="{top}" width="{BAR_W}" height="18" fill="none" stroke="#999" '
            f'stroke-width="0.75"/>'
            f'<rect class="bar" x="{BAR_X}" y="{top}" width="{b.share * BAR_W:.1f}" height="18" '
            f'fill="{"#111" if strong else "#555"}"/>'
            f'<text x="{BAR_X + BAR_W + 8}" y="{top + 13}" font-size="12.5" font-weight="bold">{_e(count)}</text>'
            '</g>')
        y += h
    desc = t("class.report.chart_desc", lang, items="; ".join(words))
    return _svg_open(chart_id, title, desc, y + 4, "bars") + "".join(rows) + "</svg>"


def _box_svg(chart_id: str, g: classview.GaugeSpread, rows, lang: str) -> str:
    """A box plot per row (label, Spread): whiskers from low to high, the box from q1 to q3, the median;
    the axis spans the gauge's bounds and says at which end is better."""
    lo, hi = g.minimum, g.maximum
    span = (hi - lo) or 1
    x = lambda v: BAR_X + (v - lo) / span * BAR_W  # noqa: E731
    out, y, words = [], 6, []
    for label, s in rows:
        lines = _wrap(label)
        h = max(len(lines) * LINE, 20) + 8
        mid = y + h // 2 - 2
        values = t("class.report.spread_words", lang, n=s.n, low=_num(s.low, lang), q1=_num(s.q1, lang),
                   median=_num(s.median, lang), q3=_num(s.q3, lang), high=_num(s.high, lang))
        words.append(t("class.report.bar_words", lang, text=label, value=values))
        text = _label(lines, mid)
        out.append(
            f'<g class="box" data-n="{s.n}" data-low="{s.low}" data-median="{s.median}" data-high="{s.high}">'
            f'<text font-size="12.5">{text}</text>'
            f'<line x1="{x(s.low):.1f}" x2="{x(s.high):.1f}" y1="{mid}" y2="{mid}" stroke="#111" stroke-width="1.5"/>'
            f'<line x1="{x(s.low):.1f}" x2="{x(s.low):.1f}" y1="{mid - 6}" y2="{mid + 6}" stroke="#111" '
            'stroke-width="1.5"/>'
            f'<line x1="{x(s.high):.1f}" x2="{x(s.high):.1f}" y1="{mid - 6}" y2="{mid + 6}" stroke="#111" '
            'stroke-width="1.5"/>'
            f'<rect x="{x(s.q1):.1f}" y="{mid - 9}" width="{max(x(s.q3) - x(s.q1), 1.5):.1f}" height="18" '
            'fill="#ddd" stroke="#111" stroke-width="1.25"/>'
            f'<line class="median" x1="{x(s.median):.1f}" x2="{x(s.median):.1f}" y1="{mid - 9}" y2="{mid + 9}" '
            'stroke="#111" stroke-width="3.5"/>'
            f'<text x="{BAR_X + BAR_W + 8}" y="{mid + 4}" font-size="12">{_e(t("class.report.spread_n", lang, n=s.n))}'
            '</text></g>')
        y += h
    # the axis: the gauge's bounds and quarters, and which end is better
    ticks = "".join(
        f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{y}" y2="{y + 5}" stroke="#111"/>'
        f'<text x="{x(v):.1f}" y="{y + 17}" font-size="11" text-anchor="middle">{_e(_num(v, lang))}</text>'
        for v in sorted({lo, lo + span / 4, lo + span / 2, lo + 3 * span / 4, hi}))
    better = t("class.report.better_right" if g.good == "high" else "class.report.better_left", lang)
    anchor, bx = ("end", BAR_X + BAR_W) if g.good == "high" else ("start", BAR_X)
    axis = (f'<line x1="{BAR_X}" x2="{BAR_X + BAR_W}" y1="{y}" y2="{y}" stroke="#111"/>{ticks}'
            f'<text x="{bx}" y="{y + 32}" font-size="11.5" font-style="italic" text-anchor="{anchor}">'
            f'{_e(better)}</text>')
    desc = t("class.report.box_desc", lang, sense=g.sense, low=lo, high=hi, items="; ".join(words))
    title = t("class.report.box_title", lang, gauge=g.label)
    return _svg_open(chart_id, title, desc, y + 40, "boxes") + "".join(out) + axis + "</svg>"


def _few_note(split: classview.Split, lang: str) -> str:
    if not classview.is_few(split):
        return ""
    return f'<p class="note">{_e(t("class.report.few", lang, n=classview.MIN_SPLIT))}</p>'


def _split_block(i: int, split: classview.Split, lang: str) -> str:
    counts = t("class.report.answers", lang, n=split.total)
    if split.waiting:
        counts += " · " + t("class.report.waiting", lang, n=split.waiting)
    return (f'<section class="block split" data-node="{_e(split.node)}" data-total="{split.total}">'
            f'<figure><figcaption>{_e(split.title)} <span class="n">— {_e(counts)}</span></figcaption>'
            + _few_note(split, lang)
            + _bars_svg(f"split-{i}", t("class.report.split_title", lang, title=split.title, answers=counts),
                        split.bars, lang)
            + '</figure></section>')


def _gauge_block(i: int, g: classview.GaugeSpread, lang: str) -> str:
    rows = ([(t("class.report.whole_class", lang), g.now)] if g.now is not None else []) + \
        [(title, s) for _eid, title, s in g.by_ending]
    if not rows:
        return ""
    head = "".join(f'<th scope="col" class="num">{_e(t(f"class.report.col.{c}", lang))}</th>'
                   for c in ("n", "low", "q1", "median", "q3", "high"))
    body = "".join(
        f'<tr><th scope="row">{_e(label)}</th>'
        + "".join(f'<td class="num">{_e(_num(v, lang))}</td>' for v in (s.n, s.low, s.q1, s.median, s.q3, s.high))
        + '</tr>' for label, s in rows)
    return (f'<section class="block gauge" data-gauge="{_e(g.gauge)}"><figure>'
            f'<figcaption>{_e(g.label)} <span class="n">— {_e(g.sense)}'
            f' · {_e(t("class.report.bounds", lang, low=g.minimum, high=g.maximum))}</span></figcaption>'
            + _box_svg(f"gauge-{i}", g, rows, lang)
            + f'<table><thead><tr><th scope="col">{_e(t("class.report.col.who", lang))}</th>{head}</tr></thead>'
            f'<tbody>{body}</tbody></table></figure></section>')


def _vote_block(i: int, v: classview.VoteView, lang: str) -> str:
    mine = next((b.n for b in v.bars if b.choice == v.chosen), 0)
    said = t("class.report.vote_chosen", lang, choice=typography.quote(v.chosen_text, lang), n=mine, total=v.total)
    said += " " + (t("class.report.vote_tie", lang) if v.tie_break else t("class.report.vote_margin", lang, n=v.margin))
    return (f'<section class="block vote" data-seq="{v.seq}" data-node="{_e(v.node)}">'
            f'<figure><figcaption>{_e(t("class.report.vote_step", lang, seq=v.seq, title=v.title))}</figcaption>'
            f'<p>{_e(said)}</p>'
            + _bars_svg(f"vote-{i}", t("class.report.vote_title", lang, seq=v.seq, title=v.title), v.bars, lang,
                        chosen=v.chosen)
            + '</figure></section>')


def _head(title: str, intro: str | None = None) -> str:
    """A part's heading and its introduction, kept together and with what follows when printed."""
    return (f'<div class="head"><h2>{_e(title)}</h2>' + (f'<p>{_e(intro)}</p>' if intro else "") + '</div>')


def _list(items, cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<ul{attr}>" + "".join(f"<li>{_e(x)}</li>" for x in items) + "</ul>"


def _trainee_block(tr: classview.Trainee, pt, lang: str) -> str:
    parts = [f'<section class="trainee" data-participant="{_e(tr.participant_id)}"><h3>{_e(tr.pseudonym)}']
    if pt is not None and pt.state.finished:
        d = presentation.debrief(pt, lang)
        parts.append(f' <span class="n">— {_e(t("class.report.ending_reached", lang, title=d.title))}'
                     f' · {_e(t("class.report.choices_made", lang, n=tr.seq))}</span></h3><ul>')
        for w in d.weighed:
            causes = t("class.report.list_sep", lang).join(f"{delta:+d} {what}" for delta, what in w.causes) or t("ui.debrief.no_change", lang)
            parts.append(f'<li>{_e(t("class.report.weighed", lang, label=w.label, start=w.start, final=w.final, causes=causes))}</li>')
        parts.append('</ul>')
    else:
        parts.append(f' <span class="n">— {_e(t("class.report.still_playing", lang, where=tr.where, n=tr.seq, status=tr.status_text))}'
                     '</span></h3>')
    parts.append('</section>')
    return "".join(parts)


def _footer(session: ClassSession, lang: str, now: float, env=None) -> str:
    policy = retention.from_env(env)
    created = _when(session.row.created, lang)
    lines = [t("class.report.created", lang, when=created, id=session.row.id)]
    if policy is not None:
        until = _when(session.row.created + policy.seconds, lang)
        lines.append(t("class.report.retention_set", lang, duration=policy.words(lang), until=until))
        command = f"pandore sessions purge --older-than {policy.text}"
    else:
        lines.append(t("class.report.retention_none", lang, env=retention.ENV))
        command = "pandore sessions purge --older-than 30d"
    purge = t("class.report.retention_how", lang, command="\x00")
    before, _, after = purge.partition("\x00")
    items = [f"<p>{_e(x)}</p>" for x in lines]
    items.append(f"<p>{_e(before)}<code>{_e(command)}</code>{_e(after)}</p>")
    items.append(f"<p>{_e(t('class.report.privacy', lang))}</p>")
    items.append(f"<p>{_e(t('class.report.generated', lang, when=_when(now, lang)))}</p>")
    return '<footer id="retention">' + "".join(items) + "</footer>"


def report_html(session: ClassSession, lang: str, *, now: float | None = None, env=None) -> str:
    """The trainer's debrief report of `session` in `lang`: one self-contained HTML page (str).

    The values are `classview.of_session(session, lang)`'s (every split, small ones included, with a note
    under `classview.MIN_SPLIT` answers), the group's votes in group mode, the scenario's objectives, key
    points and questions, each trainee's ending and what weighed (`presentation.debrief`), and a footer on
    retention (`PANDORE_RETENTION` in `env`, default os.environ) and on what is stored."""
    now = time.time() if now is None else now
    sc, row = session.rules.scenario, session.row
    view = classview.of_session(session, lang, now=now, away_after=float("inf"))
    group = row.mode == "group"
    title = t("class.report.title", lang, title=sc.title, code=row.code)
    out = [f'<!doctype html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
           '<meta name="viewport" content="width=device-width, initial-scale=1">'
           f'<title>{_e(title)}</title><style>{STYLE}</style></head><body><main>',
           f'<header><h1>{_e(title)}</h1>']

    meta = [("scenario", t("class.report.scenario_value", lang, title=sc.title, id=sc.id)),
            ("date", _when(row.created, lang)),
            ("mode", t(f"class.report.mode_{'group' if group else 'class'}", lang)),
            ("state", t(f"class.report.state_{row.state}", lang)),
            ("participants", t("class.report.participants_value", lang, n=view.participants,
                               finished=view.finished, playing=view.playing)),
            ("choices", t("class.report.choices_value", lang, n=view.choices_made))]
    out.append('<dl class="meta">' + "".join(
        f'<dt>{_e(t(f"class.report.meta.{k}", lang))}</dt><dd data-meta="{k}">{_e(v)}</dd>' for k, v in meta)
        + '</dl></header>')

    if sc.objectives:
        out.append(f'<section class="part block" id="objectives"><h2>{_e(t("class.report.objectives", lang))}</h2>'
                   + _list(sc.objectives) + '</section>')

    if group:
        votes = classview.vote_views(session.rules, session.votes(),
                                     next((p.pt for p in session.players), None))
        out.append('<section class="part" id="votes">' + _head(t("class.report.votes", lang),
                                                                 t("class.report.votes_intro", lang)))
        out.extend(_vote_block(i, v, lang) for i, v in enumerate(votes, 1))
        if not votes:
            out.append(f'<p>{_e(t("class.report.no_votes", lang))}</p>')
        out.append('</section>')
    else:
        out.append('<section class="part" id="splits">' + _head(
            t("class.report.choices", lang), t("class.report.splits_intro", lang, n=classview.MIN_SPLIT)))
        out.extend(_split_block(i, s, lang) for i, s in enumerate(view.splits, 1))
        if not view.splits:
            out.append(f'<p>{_e(t("class.report.no_choices", lang))}</p>')
        out.append('</section>')

    reached = t("class.report.answers_finished", lang, n=view.finished)
    out.append(f'<section class="part block" id="endings"><h2>{_e(t("class.report.endings", lang))}</h2>'
               f'<figure><figcaption>{_e(t("class.report.endings_caption", lang))} '
               f'<span class="n">— {_e(reached)}</span></figcaption>'
               + _bars_svg("endings", t("class.report.endings_title", lang, answers=reached),
                           classview.ending_bars(view), lang)
               + '</figure></section>')

    out.append('<section class="part" id="gauges">' + _head(t("class.report.gauges", lang),
                                                              t("class.report.gauges_intro", lang)))
    out.extend(_gauge_block(i, g, lang) for i, g in enumerate(view.gauges, 1))
    out.append('</section>')

    out.append('<section class="part" id="paths">'
               + _head(t("class.report.paths", lang), t("class.report.paths_intro", lang) if view.paths else None))
    if view.paths:
        out.append('<ol class="paths">')
        for path in view.paths:
            steps = "".join(f"<li>{_e(t('class.report.path_step', lang, node=node, choice=typography.quote(choice, lang)))}</li>"
                            for node, choice in path.steps)
            out.append(f'<li data-n="{path.n}"><strong>{_e(t("class.report.path_n", lang, n=path.n))}</strong>'
                       f'<ol class="steps">{steps}</ol>'
                       f'<span class="ending">{_e(t("class.report.ending_reached", lang, title=path.ending_title))}'
                       '</span></li>')
        out.append('</ol>')
    else:
        out.append(f'<p>{_e(t("class.report.no_paths", lang))}</p>')
    out.append('</section>')

    debrief = sc.debrief
    out.append(f'<section class="part" id="discussion"><h2>{_e(t("class.report.discussion", lang))}</h2>')
    out.append(f'<section class="block"><h3>{_e(t("class.report.key_points", lang))}</h3>'
               + (_list(debrief.key_points) if debrief.key_points else
                  f'<p>{_e(t("class.report.none_written", lang))}</p>') + '</section>')
    out.append(f'<section class="block"><h3>{_e(t("class.report.questions", lang))}</h3>'
               + (_list(debrief.questions) if debrief.questions else
                  f'<p>{_e(t("class.report.none_written", lang))}</p>') + '</section>')
    if debrief.sources:
        out.append(f'<section class="block"><h3>{_e(t("class.report.sources", lang))}</h3>'
                   + _list(debrief.sources) + '</section>')
    out.append('</section>')

    pts = {p.row.id: p.pt for p in session.players}
    out.append(f'<section class="part appendix" id="trainees"><h2>{_e(t("class.report.trainees", lang))}</h2>')
    out.extend(_trainee_block(tr, pts.get(tr.participant_id), lang) for tr in view.trainees)
    if not view.trainees:
        out.append(f'<p>{_e(t("class.report.no_trainees", lang))}</p>')
    out.append('</section>')

    out.append('</main>' + _footer(session, lang, now, env) + '</body></html>\n')
    return "".join(out)
