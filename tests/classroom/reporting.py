"""A class of simulated trainees in-process, and the report's numbers read back from its HTML."""

from __future__ import annotations

import html
import random
import re
from html.parser import HTMLParser
from pathlib import Path

from game.classroom.session import ClassSession

MINI = """format: 1
id: mini
language: fr
title: Une seule question
start: a
nodes:
  a:
    text: Que faites-vous ?
    choices:
      - {id: x, text: Répondre, goto: fin}
      - {id: y, text: Attendre, goto: fin}
endings:
  fin: {title: Fin, text: Voilà., tone: mixed}
"""


def mini_scenario(tmp_path: Path) -> Path:
    """A scenario with no debrief at all (no key points, no questions)."""
    path = tmp_path / "mini" / "fr.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(MINI, encoding="utf-8")
    return path


def play_class(session: ClassSession, n: int = 30, seed: int = 3, unfinished: int = 4) -> list:
    """`n` trainees join; all but the last `unfinished` play to an ending, those make 0-2 choices."""
    rng = random.Random(seed)
    players = []
    for i in range(n):
        p = session.join(f"Stagiaire-{i:02d}")
        limit = 200 if i < n - unfinished else rng.randrange(3)
        for _ in range(limit):
            if p.pt.state.finished:
                break
            open_ = [c.id for c in session.rules.choices(p.pt.state) if c.available]
            session.choose(p, p.row.playthrough_id, len(p.pt.choices) + 1, rng.choice(open_))
        players.append(p)
    return players


class Figures(HTMLParser):
    """The report's blocks and the data attributes of their chart rows: what a reader of the page sees."""

    def __init__(self, text: str):
        super().__init__()
        self.splits: dict[str, dict] = {}  # node -> {"total", "rows": [(choice, n, percent)], "few"}
        self.endings: list[tuple[str, int, int]] = []
        self.votes: list[dict] = []
        self.gauges: dict[str, list[dict]] = {}
        self.meta: dict[str, str] = {}
        self._block: tuple[str, object] | None = None
        self._meta: str | None = None
        self._in_endings = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "section" and "split" in cls:
            entry = {"total": int(a["data-total"]), "rows": [], "few": False}
            self.splits[a["data-node"]] = entry
            self._block = ("split", entry)
        elif tag == "section" and "vote" in cls:
            entry = {"seq": int(a["data-seq"]), "node": a["data-node"], "rows": []}
            self.votes.append(entry)
            self._block = ("vote", entry)
        elif tag == "section" and "gauge" in cls:
            rows: list[dict] = []
            self.gauges[a["data-gauge"]] = rows
            self._block = ("gauge", rows)
        elif tag == "section" and a.get("id") == "endings":
            self._block = ("endings", self.endings)
        elif tag == "section":
            self._block = None
        elif tag == "g" and "row" in cls and self._block:
            row = (a["data-choice"], int(a["data-n"]), int(a["data-percent"]))
            kind, entry = self._block
            if kind in ("split", "vote"):
                entry["rows"].append(row)
            elif kind == "endings":
                entry.append(row)
        elif tag == "g" and "box" in cls and self._block and self._block[0] == "gauge":
            self._block[1].append({k[5:]: float(v) for k, v in a.items() if k.startswith("data-")})
        elif tag == "p" and "note" in cls and self._block and self._block[0] == "split":
            self._block[1]["few"] = True
        elif tag == "dd" and "data-meta" in a:
            self._meta = a["data-meta"]

    def handle_data(self, data):
        if self._meta:
            self.meta[self._meta] = self.meta.get(self._meta, "") + data

    def handle_endtag(self, tag):
        if tag == "dd":
            self._meta = None


def plain(text: str) -> str:
    """The page's text with its tags removed and its spaces made plain (for asserting sentences)."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))
