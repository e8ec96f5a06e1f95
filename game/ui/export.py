""""Save my debrief": one self-contained HTML file (inline CSS and SVG chart,
no script, no external resource) that a trainee can keep and print."""

from __future__ import annotations

import datetime as _dt
import html
from pathlib import Path

from game.authoring.files import atomic_write_text
from game.i18n import t, typography

from .controller import Debrief

SERIES = ["#1F5F73", "#A4501A", "#6A4C9C", "#2B6E47", "#A0302A", "#3C6AA8"]
MARKERS = ["circle", "square", "triangle", "diamond", "down", "cross"]
TONE = {"positive": "#2B6E47", "mixed": "#7A5200", "negative": "#A0302A"}


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    s = 5
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s}" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s}" height="{2 * s}" fill="{colour}"/>'
    if kind == "triangle":
        return f'<polygon points="{x:.1f},{y - s - 1:.1f} {x + s + 1:.1f},{y + s:.1f} {x - s - 1:.1f},{y + s:.1f}" fill="{colour}"/>'
    if kind == "diamond":
        return f'<polygon points="{x:.1f},{y - s - 1:.1f} {x + s + 1:.1f},{y:.1f} {x:.1f},{y + s + 1:.1f} {x - s - 1:.1f},{y:.1f}" fill="{colour}"/>'
    if kind == "down":
        return f'<polygon points="{x:.1f},{y + s + 1:.1f} {x + s + 1:.1f},{y - s:.1f} {x - s - 1:.1f},{y - s:.1f}" fill="{colour}"/>'
    return (f'<path d="M{x - s},{y - s}L{x + s},{y + s}M{x - s},{y + s}L{x + s},{y - s}" stroke="{colour}" '
            f'stroke-width="3"/>')


def chart_svg(d: Debrief, bounds: dict[str, tuple[int, int, str]], lang: str) -> str:
    """The gauges over the turns as inline SVG; `bounds`: gauge -> (min, max, label)."""
    w, h, left, top, right, bottom = 720, 300, 48, 16, 16, 40
    pw, ph = w - left - right, h - top - bottom
    n = max(len(v) for v in d.series.values()) if d.series else 1
    turns = max(1, n - 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" '
           f'aria-label="{_e(t("ui.debrief.chart", lang))}" style="max-width:100%;height:auto">']
    for frac in (0, 0.25, 0.5, 0.75, 1):
        y = top + ph - ph * frac
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{w - right}" y2="{y:.1f}" stroke="#D6D1C5"/>')
        if frac in (0, 0.5, 1):
            out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="#4A5562">{int(frac * 100)} %</text>')
    for k in range(n):
        x = left + pw * k / turns
        out.append(f'<text x="{x:.1f}" y="{h - bottom + 16}" font-size="12" text-anchor="middle" fill="#4A5562">{k}</text>')
    out.append(f'<text x="{w - right}" y="{h - 4}" font-size="12" text-anchor="end" fill="#4A5562">{_e(t("ui.debrief.chart_turns", lang))}</text>')
    for i, (name, values) in enumerate(d.series.items()):
        lo, hi, _ = bounds[name]
        colour = SERIES[i % len(SERIES)]
        pts = [(left + pw * k / turns, top + ph - ph * ((v - lo) / (hi - lo) if hi > lo else 0)) for k, v in enumerate(values)]
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="3" points="'
                   + " ".join(f"{x:.1f},{y:.1f}" for x, y in pts) + '"/>')
        out.extend(_marker(MARKERS[i % len(MARKERS)], x, y, colour) for x, y in pts)
    out.append("</svg>")
    return "".join(out)


def debrief_html(d: Debrief, scenario_title: str, bounds: dict[str, tuple[int, int, str]], lang: str) -> str:
    tone = t(f"ui.tone.{d.tone}", lang)
    now = _dt.datetime.now()
    when = f"{typography.date(now, lang)}, {typography.time(now, lang)}"
    legend = "".join(
        f'<li><svg width="28" height="14" aria-hidden="true"><line x1="0" y1="7" x2="28" y2="7" stroke="{SERIES[i % 6]}" '
        f'stroke-width="3"/>{_marker(MARKERS[i % 6], 14, 7, SERIES[i % 6])}</svg> {_e(bounds[g][2])} : '
        f'{vals[0]} → {vals[-1]}</li>'
        for i, (g, vals) in enumerate(d.series.items()))
    weighed = []
    for w in d.weighed:
        items = "".join(f"<li><b>{delta:+d}</b> {_e(what)}</li>" for delta, what in w.causes) or \
            f"<li>{_e(t('ui.debrief.no_change', lang))}</li>"
        weighed.append(f"<h3>{_e(typography.label(w.label, f'{w.start} → {w.final} ({w.final - w.start:+d})', lang))}</h3>"
                       f"<ul>{items}</ul>")
    choices = []
    for e in d.choices:
        fb = "".join(f"<p>{_e(f)}</p>" for f in e.feedback)
        choices.append(f"<li><p class=step>{_e(t('ui.history.step', lang, n=e.turn))}"
                       f"{(' — ' + _e(e.title)) if e.title else ''}</p><p><b>{_e(t('ui.quote', lang, text=typography.inner_quotes(e.choice or '', lang)))}</b></p>{fb}</li>")
    found = "".join(f"<li>{'✓ ' + _e(d.endings[eid]) if eid in d.found else '— ' + _e(t('ui.debrief.not_found', lang))}</li>"
                    for eid in d.endings)
    key_points = "".join(f"<li>{_e(k)}</li>" for k in d.key_points)
    sources = "".join(f"<li>{_e(s)}</li>" for s in d.sources)
    objectives = "".join(f"<li>{_e(o)}</li>" for o in d.objectives)
    css = """
body{font-family:Inter,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;background:#F4F1EA;color:#1E2933;margin:0;line-height:1.5}
main{max-width:860px;margin:0 auto;padding:32px 24px 64px}
h1{font-size:1.9em;margin:.2em 0;color:#15323F} h2{margin-top:1.8em;color:#15323F;border-bottom:1px solid #C9C4B8;padding-bottom:.2em}
h3{font-size:1.05em;margin:1em 0 .3em}
.meta{color:#4A5562} .tone{display:inline-block;padding:.2em .7em;border-radius:1em;font-weight:700;border:2px solid}
section.card{background:#fff;border:1px solid #C9C4B8;border-radius:10px;padding:16px 20px;margin:16px 0}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 24px}
p.step{color:#4A5562;font-size:.9em;margin-bottom:0}
@media print{body{background:#fff}section.card{border:none;padding:0}}
"""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(t('ui.export.title', lang, title=scenario_title))}</title><style>{css}</style></head>
<body><main>
<p class="meta">Pandore — {_e(scenario_title)} — {_e(when)}</p>
<h1>{_e(d.title)}</h1>
<p><span class="tone" style="color:{TONE.get(d.tone, '#1E2933')}">{_e(tone)}</span></p>
<section class="card"><p>{_e(d.text).replace(chr(10), '<br>')}</p></section>
<h2>{_e(t('ui.debrief.chart', lang))}</h2>
<section class="card">{chart_svg(d, bounds, lang)}<ul class="legend">{legend}</ul></section>
<h2>{_e(t('ui.debrief.weighed', lang))}</h2>{''.join(weighed)}
<h2>{_e(t('ui.debrief.your_choices', lang))}</h2><ol>{''.join(choices)}</ol>
{f"<h2>{_e(t('ui.debrief.objectives', lang))}</h2><ul>{objectives}</ul>" if objectives else ''}
{f"<h2>{_e(t('ui.debrief.key_points', lang))}</h2><ul>{key_points}</ul>" if key_points else ''}
{f"<h2>{_e(t('ui.debrief.sources', lang))}</h2><ul>{sources}</ul>" if sources else ''}
<h2>{_e(t('ui.debrief.endings_found', lang, n=len(d.found), total=len(d.endings)))}</h2><ul>{found}</ul>
</main></body></html>
"""


def save_debrief(folder: Path, d: Debrief, scenario_id: str, scenario_title: str,
                 bounds: dict[str, tuple[int, int, str]], lang: str) -> Path:
    """Write the debrief into `folder` (atomically) and return the file's path."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(folder) / f"pandore-{scenario_id}-{stamp}.html"
    atomic_write_text(path, debrief_html(d, scenario_title, bounds, lang))
    return path
