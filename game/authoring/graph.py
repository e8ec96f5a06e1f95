"""The scenario map: DOT and Mermaid text, SVG/PNG through Graphviz's `dot`.

Nodes carry their id and a short label; choices are labelled edges; outcome
branches are dashed with their share of the weights; trigger jumps leave
from a hexagon and are drawn thick and purple; endings are coloured by tone;
a choice with `if` (hidden when false) is dotted, one with `available_if`
(shown disabled) dotted with an open arrowhead, both with their condition in
the label; the start has an entry arrow; what no path reaches (or a choice never
available) is greyed. DOT and Mermaid are pure text; SVG and PNG need the
`dot` program, and `GraphvizMissing` carries install instructions when it is
not there.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from fractions import Fraction

from game.engine.analysis import Analysis, static_reachable
from game.engine.model import Scenario, TextVariant
from game.i18n.typography import visible

FORMATS = ("dot", "mermaid", "svg", "png")

TONE_FILL = {"positive": "#c8e6c9", "mixed": "#ffe0b2", "negative": "#ffcdd2"}
TONE_STROKE = {"positive": "#2e7d32", "mixed": "#ef6c00", "negative": "#c62828"}
GREY = "#9e9e9e"
GREY_FILL = "#f0f0f0"
TRIGGER = "#7b1fa2"

INSTALL = """Graphviz's 'dot' program is needed for {fmt} output, and it is not installed.
Install it, then run the same command again:
  Debian / Ubuntu:  sudo apt install graphviz
  macOS:            brew install graphviz
  Windows:          the installer from https://graphviz.org/download/ (tick "add to PATH"),
                    or: winget install graphviz
Without Graphviz, 'pandore graph FILE --format mermaid' gives a map that pastes into
a Markdown page (GitHub, GitLab, VS Code preview), and '--format dot' the DOT text."""


class GraphvizMissing(Exception):
    """`dot` is not on PATH; the message says how to install it."""

    def __init__(self, fmt: str):
        super().__init__(INSTALL.format(fmt=fmt.upper()))


class GraphvizFailed(Exception):
    """`dot` ran but failed; the message holds its error output, `detail` dot's own words."""

    def __init__(self, message: str, detail: str | None = None):
        super().__init__(message)
        self.detail = detail if detail is not None else message


@dataclass(frozen=True)
class _Map:
    """What to draw, independent of the output syntax."""

    nodes: list[tuple[str, str, str]]  # (id, kind 'node'|'ending', label)
    tones: dict[str, str]
    start: str
    # (from, to, label, style 'choice'|'if'|'available_if'|'outcome'|'trigger', grey)
    edges: list[tuple[str, str, str, str, bool]]
    triggers: list[tuple[str, str, str | None]]  # (id, label, goto)
    grey: set[str]


def _clean(text: str) -> str:
    """A text from the file with its control characters shown as pictures (nothing a file holds may
    act on the map's own syntax: an escape or a NUL; newlines are each format's to write)."""
    return visible(text)


def _short(text: str, width: int) -> str:
    text = " ".join(_clean(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _first_text(text) -> str:
    if isinstance(text, str):
        return text
    return text[0].text if text and isinstance(text[0], TextVariant) else ""


def build_map(scenario: Scenario, analysis: Analysis | None = None) -> _Map:
    """The map's content. Greyed: unreachable parts (from the analysis when complete, else statically)."""
    fr = scenario.language == "fr"
    if analysis is not None and analysis.complete:
        grey = set(analysis.unreachable)
        never = set(analysis.never_available)
        fired_never = set(analysis.triggers_never_fired)
    else:
        reach = static_reachable(scenario)
        grey = {n for n in list(scenario.nodes) + list(scenario.endings) if n not in reach}
        never, fired_never = set(), set()
    nodes = []
    for nid, node in scenario.nodes.items():
        nodes.append((nid, "node", _short(node.title or _first_text(node.text) or "", 40)))
    for eid, end in scenario.endings.items():
        nodes.append((eid, "ending", _short(end.title, 40)))
    edges = []
    for nid, node in scenario.nodes.items():
        ids = scenario.choice_ids(nid)
        for j, ch in enumerate(node.choices):
            label = _short(ch.text, 32)
            off = nid in grey or (nid, ids[j]) in never
            if ch.outcomes:
                total = sum(o.weight for o in ch.outcomes)  # > 0: every weight is
                for o in ch.outcomes:
                    share = Fraction(o.weight / total).limit_denominator(1000)  # 0.0001/0.0001 is 1/2
                    edges.append((nid, o.goto, f"{label} ({share.numerator}/{share.denominator})", "outcome", off))
            elif ch.if_:  # hidden when false: dotted, the condition in the label
                edges.append((nid, ch.goto, f"[{'si' if fr else 'if'} {_short(ch.if_, 24)}] {label}", "if", off))
            elif ch.available_if:  # shown disabled when false: dotted with an open arrowhead
                word = "grisé sauf si" if fr else "disabled unless"
                edges.append((nid, ch.goto, f"[{word} {_short(ch.available_if, 24)}] {label}", "available_if", off))
            else:
                edges.append((nid, ch.goto, label, "choice", off))
    triggers = []
    for i, t in enumerate(scenario.triggers):
        tid = t.id or f"trigger.{i + 1}"
        word = ("après un choix, si " if fr else "after a choice, if ") + t.if_
        if t.once:
            word += " (une fois)" if fr else " (once)"
        triggers.append((tid, _short(word, 48), t.goto))
        if tid in fired_never:
            grey.add("trigger:" + tid)
    tones = {eid: e.tone for eid, e in scenario.endings.items()}
    return _Map(nodes, tones, scenario.start, edges, triggers, grey)


def _dot_str(s: str) -> str:
    s = _clean(s)
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(scenario: Scenario, analysis: Analysis | None = None) -> str:
    """The map as Graphviz DOT text."""
    m = build_map(scenario, analysis)
    out = [f"digraph {_dot_str(scenario.id)} {{",
           f"  graph [rankdir=TB, fontname=\"Helvetica\", labelloc=t, label={_dot_str(scenario.title)}];",
           "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=10];",
           "  edge [fontname=\"Helvetica\", fontsize=9];",
           "  \"__start__\" [shape=point, width=0.15, label=\"\"];",
           f"  \"__start__\" -> {_dot_str(m.start)};"]
    for nid, kind, label in m.nodes:
        text = nid + ("\n" + label if label else "")
        attrs = [f"label={_dot_str(text)}"]
        if kind == "ending":
            tone = m.tones[nid]
            attrs += [f"fillcolor=\"{TONE_FILL[tone]}\"", f"color=\"{TONE_STROKE[tone]}\"",
                      "style=\"rounded,filled,bold\""]
        if nid == m.start:
            attrs.append("penwidth=2")
        if nid in m.grey:
            attrs += [f"color=\"{GREY}\"", f"fontcolor=\"{GREY}\"", f"fillcolor=\"{GREY_FILL}\"",
                      "style=\"rounded,filled,dashed\""]
        out.append(f"  {_dot_str(nid)} [{', '.join(attrs)}];")
    for a, b, label, style, off in m.edges:
        attrs = [f"label={_dot_str(label)}"]
        if style == "outcome":
            attrs.append("style=dashed")
        elif style == "if":
            attrs.append("style=dotted")
        elif style == "available_if":
            attrs += ["style=dotted", "arrowhead=empty"]
        if off or a in m.grey:
            attrs += [f"color=\"{GREY}\"", f"fontcolor=\"{GREY}\""]
        out.append(f"  {_dot_str(a)} -> {_dot_str(b)} [{', '.join(attrs)}];")
    for tid, label, goto in m.triggers:
        key = "trigger:" + tid
        colour = GREY if key in m.grey else TRIGGER
        out.append(f"  {_dot_str(key)} [shape=hexagon, style=filled, fillcolor=\"#f3e5f5\", color=\"{colour}\", "
                   f"fontcolor=\"{colour}\", label={_dot_str(tid + chr(10) + label)}];")
        if goto:
            out.append(f"  {_dot_str(key)} -> {_dot_str(goto)} [style=bold, color=\"{colour}\", penwidth=2];")
    out.append("}")
    return "\n".join(out) + "\n"


def _mm_id(kind: str, ident: str) -> str:
    # Prefixed: Mermaid reserves words such as 'end'; dots are not allowed in ids.
    return f"{kind}_{ident.replace('.', '__')}"


def _mm_str(s: str) -> str:
    s = _clean(s).replace("\r", " ")
    for ch, code in (("&", "#38;"), ('"', "#34;"), ("<", "#60;"), (">", "#62;"), ("|", "#124;")):
        s = s.replace(ch, code)
    # '#38;' itself contains '#' and ';' only, which Mermaid reads as an entity: fine.
    return '"' + s.replace("\n", "<br/>") + '"'


def to_mermaid(scenario: Scenario, analysis: Analysis | None = None) -> str:
    """The map as a Mermaid flowchart (paste it into a ```mermaid block of a Markdown page)."""
    m = build_map(scenario, analysis)
    # One line: a newline in the title would end the comment and start Mermaid of the file's making.
    title = " ".join(_clean(scenario.title).split())
    out = ["flowchart TD", f"  %% {scenario.id}: {title}", "  start__(( )) --> " + _mm_id("n", m.start)]
    grey_links: list[int] = []
    trigger_links: list[int] = []
    link = 1  # the start arrow is link 0
    for nid, kind, label in m.nodes:
        text = _mm_str(nid + ("\n" + label if label else ""))
        if kind == "ending":
            cls = "unreachable" if nid in m.grey else m.tones[nid]
            out.append(f"  {_mm_id('n', nid)}([{text}]):::{cls}")
        else:
            out.append(f"  {_mm_id('n', nid)}[{text}]" + (":::unreachable" if nid in m.grey else ""))
    for a, b, label, style, off in m.edges:
        arrow = "-.->" if style == "outcome" else "-->"
        out.append(f"  {_mm_id('n', a)} {arrow}|{_mm_str(label)}| {_mm_id('n', b)}")
        if off or a in m.grey:
            grey_links.append(link)
        link += 1
    for tid, label, goto in m.triggers:
        key = _mm_id("t", tid)
        grey = "trigger:" + tid in m.grey
        out.append(f"  {key}{{{{{_mm_str(tid + chr(10) + label)}}}}}:::{'unreachable' if grey else 'trigger'}")
        if goto:
            out.append(f"  {key} ==> {_mm_id('n', goto)}")
            (grey_links if grey else trigger_links).append(link)
            link += 1
    out += [
        f"  classDef positive fill:{TONE_FILL['positive']},stroke:{TONE_STROKE['positive']},stroke-width:2px",
        f"  classDef mixed fill:{TONE_FILL['mixed']},stroke:{TONE_STROKE['mixed']},stroke-width:2px",
        f"  classDef negative fill:{TONE_FILL['negative']},stroke:{TONE_STROKE['negative']},stroke-width:2px",
        f"  classDef trigger fill:#f3e5f5,stroke:{TRIGGER},color:{TRIGGER}",
        f"  classDef unreachable fill:{GREY_FILL},stroke:{GREY},color:{GREY},stroke-dasharray:4 3",
    ]
    if trigger_links:
        out.append(f"  linkStyle {','.join(map(str, trigger_links))} stroke:{TRIGGER},stroke-width:2px")
    if grey_links:
        out.append(f"  linkStyle {','.join(map(str, grey_links))} stroke:{GREY},color:{GREY}")
    return "\n".join(out) + "\n"


def dot_program() -> str | None:
    """The path of Graphviz's `dot`, or None."""
    return shutil.which("dot")


def render(dot_text: str, fmt: str, timeout: float = 60) -> bytes:
    """Run `dot -T<fmt>` on DOT text. Raises GraphvizMissing or GraphvizFailed."""
    exe = dot_program()
    if exe is None:
        raise GraphvizMissing(fmt)
    try:
        done = subprocess.run([exe, f"-T{fmt}"], input=dot_text.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizFailed(f"Graphviz took more than {timeout:.0f} s to draw the map", f"> {timeout:.0f} s") from None
    except OSError as e:
        raise GraphvizFailed(f"cannot run Graphviz ({exe}): {e.strerror or e}", f"{exe}: {e.strerror or e}") from None
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip()
        raise GraphvizFailed(f"Graphviz failed: {err or 'exit code ' + str(done.returncode)}",
                             err or f"exit {done.returncode}")
    return done.stdout
