"""A session's report, from the store (the host running or not): the summary, CSV rows, an HTML page.

The per-trainee debrief is `game.presentation.debrief`'s values, laid out;
nothing here recomputes a verdict or a cause.
"""

from __future__ import annotations

import csv
import datetime as _dt
import html
import io

from game import presentation
from game.i18n import t

from .session import ClassSession

CSV_COLUMNS = ["session", "participant", "pseudonym", "playthrough", "seq", "node", "choice", "at"]


def summary(session: ClassSession) -> dict:
    return session.summary()


def csv_rows(session: ClassSession) -> list[dict]:
    """One row per standing choice, in (participant, seq) order."""
    rows = []
    stored = session.store.all_choices(session.row.id)
    for p in session.store.participants(session.row.id):
        for seq, node, choice, at in stored.get(p.playthrough_id, []):
            rows.append({"session": session.row.id, "participant": p.id, "pseudonym": p.pseudonym,
                         "playthrough": p.playthrough_id, "seq": seq, "node": node, "choice": choice,
                         "at": _dt.datetime.fromtimestamp(at, _dt.timezone.utc).isoformat(timespec="seconds")})
    return rows


def csv_text(session: ClassSession) -> str:
    out = io.StringIO()
    w = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(csv_rows(session))
    return out.getvalue()


def _e(s: object) -> str:
    return html.escape(str(s), quote=True)


def report_html(session: ClassSession, lang: str) -> str:
    """The trainer's report: the class summary, then each trainee's ending and what weighed."""
    sc, s = session.rules.scenario, session.summary()
    parts = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{_e(sc.title)}</title>'
             '<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:50rem;margin:auto;padding:1rem}'
             'td,th{padding:.2rem .5rem;text-align:left}</style></head><body><main>',
             f'<h1>{_e(t("class.report.title", lang, title=sc.title, code=session.row.code))}</h1>',
             f'<p>{_e(t("class.report.counts", lang, participants=s["participants"], choices=s["choices_made"]))}</p>',
             f'<h2>{_e(t("class.report.endings", lang))}</h2><table>']
    for eid, end in sc.endings.items():
        parts.append(f'<tr><th scope="row">{_e(end.title)}</th><td>{s["endings"].get(eid, 0)}</td></tr>')
    parts.append(f'</table><h2>{_e(t("class.report.choices", lang))}</h2>')
    for node, by in s["choices"].items():
        title = sc.nodes[node].title if node in sc.nodes and sc.nodes[node].title else node
        parts.append(f'<h3>{_e(title)}</h3><table>' + "".join(
            f'<tr><th scope="row">{_e(c)}</th><td>{n}</td></tr>' for c, n in by.items()) + '</table>')
    parts.append(f'<h2>{_e(t("class.report.trainees", lang))}</h2>')
    for p in session.players:
        parts.append(f'<section><h3>{_e(p.row.pseudonym)}</h3>')
        if p.pt.state.finished:
            d = presentation.debrief(p.pt, lang)
            parts.append(f'<p><strong>{_e(d.title)}</strong></p><ul>')
            for w in d.weighed:
                causes = "; ".join(f"{delta:+d} {what}" for delta, what in w.causes) or t("ui.debrief.no_change", lang)
                parts.append(f'<li>{_e(w.label)} {w.start} → {w.final} : {_e(causes)}</li>')
            parts.append('</ul>')
        else:
            parts.append(f'<p>{_e(t("class.report.playing", lang, n=len(p.pt.choices)))}</p>')
        parts.append('</section>')
    parts.append('</main></body></html>\n')
    return "".join(parts)
