"""The live preview for trainers: the scenario's map, its problems, and play, as the file is saved.

`PreviewScene(ctx, path)` watches the file (it reads it again every quarter
of a second and compares the bytes: editors that save by renaming are seen
too). On a change it runs `check` on the file, in the interface's language:
when there is no error, the scenario is reloaded and the player's choices
are replayed to the same point (through the controller, which alone plays);
when there are errors, they are listed with their codes and lines, and the
last version that loaded stays on screen and playable. Warnings are listed
too, above the story.

Left: the map (game/ui/map.py) with the path played so far; a click on a
node plays from the start to that node (the shortest way, with the same
seed). Right: the problems, the node's text, its choices (1-9 or a click),
the gauges with the range the analysis found reachable. Ctrl+Z undoes, R
restarts, Esc leaves.

The words of this screen are here, in French and English: they only concern
trainers and are kept beside the one screen that uses them.
"""

from __future__ import annotations

import time
from pathlib import Path

import pygame

from game.authoring.check import check_file
from game.authoring.layout import choices_to, layout
from game.engine.analysis import analyze

from ..controller import Controller
from ..map import MapView
from ..scene import Pop, Scene
from . import button_height, button_width

#: a number of its own: pygame_gui takes its events' numbers from the same range (custom_type)
WATCH_EVENT = pygame.event.custom_type()
WATCH_MS = 200
ANALYSIS_STATES = 50_000

class PreviewScene(Scene):
    name = "preview"

    def __init__(self, ctx, path: str | Path, seed: int = 0):
        super().__init__(ctx)
        self.path = Path(path)
        self.seed = seed
        self.ctl: Controller | None = None
        self.diagnostics: list = []
        self.status = ""
        self.analysis = None
        self.lay = None
        self.map: MapView | None = None
        self._bytes: bytes | None = None
        self.last_reload_seconds: float | None = None
        self.reload()
        pygame.time.set_timer(WATCH_EVENT, WATCH_MS)

    def w(self, key: str, **values) -> str:
        return self.ctx.t(f"ui.preview.{key}", **values)

    # ---- watching and reloading --------------------------------------------------------
    def _read(self) -> bytes | None:
        try:
            return self.path.read_bytes()
        except OSError:
            return None

    def poll(self) -> bool:
        """Read the file; if it changed since the last look, reload. Returns whether it reloaded."""
        data = self._read()
        if data == self._bytes:
            return False
        self.reload(data)
        return True

    def reload(self, data: bytes | None = None) -> None:
        """Check the file and, when it has no error, play on in it at the same point."""
        t0 = time.perf_counter()
        self._bytes = self._read() if data is None else data
        now = time.strftime("%H:%M:%S")
        cache: dict = {}
        diags = check_file(self.path, cache=cache, lang=self.ctx.lang)
        loaded = cache.get((self.path.resolve(), self.ctx.lang))  # the file as check read it: read once
        errors = [d for d in diags if d.severity == "error"]
        self.diagnostics = sorted(diags, key=lambda d: (d.severity != "error", d.line, d.col))
        if errors or loaded is None or not loaded.ok:
            self.status = self.w("broken", n=len(errors), time=now) if self.ctl else self.w("unreadable")
        else:
            if self.ctl is None:
                self.ctl = Controller(loaded, self.ctx.lang, self.seed, dirs=None, autosave=False)
                self.status = self.w("watching")
            else:
                self.ctl = self._replayed(loaded, now)
            self._refresh_schema()
            self.analysis = analyze(self.ctl.loaded.rules, max_states=ANALYSIS_STATES)
            self.lay = layout(self.ctl.scenario)
        self.last_reload_seconds = time.perf_counter() - t0
        if self.manager is not None:
            self.build()

    def _replayed(self, loaded, now: str) -> Controller:
        """A controller on the new version, with the same seed and the same choices, as far as they go."""
        ctl = Controller(loaded, self.ctx.lang, self.ctl.seed, dirs=None, autosave=False)
        before = list(self.ctl.pt.choices)
        for k, choice in enumerate(before):
            res = ctl.choose(choice)
            if not hasattr(res, "changes"):  # refused: the edit removed or hid this choice
                reason = getattr(res, "reason", "")
                self.status = self.w("stopped", time=now, n=k + 1, reason=reason)
                return ctl
        self.status = self.w("reloaded", time=now, n=len(before))
        return ctl

    def schema_file(self) -> Path:
        """The per-scenario schema the editor reads (`pandore schema --for FILE -o <lang>.schema.json`)."""
        return self.path.with_name(self.path.stem + ".schema.json")

    def _refresh_schema(self) -> None:
        """Keep the editor's per-scenario schema in step with the file, when the trainer has set one up:
        a node added in the file is then completed by the editor after the next save."""
        target = self.schema_file()
        if not target.is_file():
            return
        from game.authoring.files import atomic_write_text
        from game.authoring.loader import LoadError, read_document
        from game.authoring.schema import schema_for, schema_text

        try:
            text = schema_text(schema_for(read_document(self.path).data))
            if target.read_text(encoding="utf-8") != text:
                atomic_write_text(target, text)
        except (LoadError, OSError, UnicodeDecodeError):
            pass  # the schema is a help for the editor; the preview goes on without it

    # ---- layout --------------------------------------------------------------------------
    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        w, h = ctx.size
        pad = m.pad
        bh = button_height(ctx, "small")
        self.bar = pygame.Rect(0, 0, w, bh + pad * 2)
        x = w - pad * 2
        for key, action in (("back", self.leave), ("undo", self.undo), ("restart", self.restart)):
            label = self.w(key)
            bw = button_width(ctx, label, "small")
            x -= bw
            self.button(pygame.Rect(x, pad, bw, bh), label, action, object_id="#quiet", focusable=False,
                        enabled=self.ctl is not None and (key != "undo" or self.ctl.can_undo))
            x -= pad // 2
        self.bar_title_w = x - pad * 3
        body = pygame.Rect(pad * 2, self.bar.bottom + pad, w - pad * 4, h - self.bar.bottom - pad * 2)
        map_w = int(body.width * 0.56)
        help_h = ctx.text(self.w("help"), "small", "text_muted", map_w).get_height()
        self.map_rect = pygame.Rect(body.x, body.y, map_w, body.height - help_h - pad // 2)
        self.side = pygame.Rect(self.map_rect.right + pad * 2, body.y, body.right - self.map_rect.right - pad * 2,
                                body.height)
        old = self.map
        if self.lay is not None:
            unreachable = set(self.analysis.unreachable) if self.analysis and self.analysis.complete else set()
            words = {t: self.w("tone." + t) for t in ("positive", "mixed", "negative")}
            self.map = MapView(ctx, self.map_rect, self.lay, start=self.ctl.scenario.start, unreachable=unreachable,
                               tone_words=words)
            if old is not None and old.rect == self.map.rect:
                self.map.zoom, self.map.pan = old.zoom, old.pan
            self.map.set_path(self.path_nodes(), self.current_node())
        self.choice_rects: list[tuple[pygame.Rect, str, bool]] = []

    def path_nodes(self) -> list[str]:
        if self.ctl is None:
            return []
        out = [s.node for s in self.ctl.pt.states]
        end = self.ctl.state.ending
        if end and (not out or out[-1] != end):
            out.append(end)
        return out

    def current_node(self) -> str | None:
        if self.ctl is None:
            return None
        return self.ctl.state.ending or self.ctl.state.node

    # ---- actions ------------------------------------------------------------------------------
    def choose(self, choice_id: str):
        if self.ctl is None or self.ctl.finished:
            return None
        self.ctl.choose(choice_id)
        self.build()
        return None

    def undo(self):
        if self.ctl is not None and self.ctl.undo():
            self.build()
        return None

    def restart(self):
        if self.ctl is not None:
            self.ctl.restart()
            self.build()
        return None

    def play_to(self, node: str):
        """Play from the start to `node` (the shortest way with this seed)."""
        if self.ctl is None:
            return None
        path = choices_to(self.ctl.loaded.rules, self.ctl.seed, node)
        if path is None:
            self.status = self.w("no_path", node=node)
        else:
            self.ctl.restart()
            for c in path:
                self.ctl.choose(c)
            self.status = self.w("jumped", node=node, n=len(path))
        self.build()
        return None

    def leave(self):
        pygame.time.set_timer(WATCH_EVENT, 0)
        if len(self.ctx.app.stack) > 1:
            return Pop()
        from ..scene import Quit

        return Quit(0)

    # ---- events ---------------------------------------------------------------------------------
    def handle(self, event):
        if event.type == WATCH_EVENT:
            self.poll()
            return None
        if self.map is not None:
            picked = self.map.handle(event)
            if picked is not None:
                return self.play_to(picked.node)
            if self.map.consumed:
                self.dirty = True
                return None
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            for rect, cid, available in self.choice_rects:
                if rect.collidepoint(event.pos) and available:
                    return self.choose(cid)
        if event.type == pygame.KEYDOWN:
            ctrl = event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
            if event.key == pygame.K_ESCAPE:
                return self.leave()
            if event.key == pygame.K_z and ctrl:
                return self.undo()
            if event.key == pygame.K_r and not ctrl:
                return self.restart()
            if event.key == pygame.K_F5:
                self.reload()
                return None
            if pygame.K_1 <= event.key <= pygame.K_9:
                k = event.key - pygame.K_1
                choices = self.shown()["choices"]
                if k < len(choices) and choices[k][2]:
                    return self.choose(choices[k][0])
                return None
        return super().handle(event)

    # ---- what the trainer sees (also read by the tests) --------------------------------------------
    def shown(self) -> dict:
        """The texts on screen: status, diagnostics, node text, choices, gauges, map nodes."""
        out = {"status": self.status, "diagnostics": [d.header() for d in self.diagnostics], "text": "",
               "choices": [], "gauges": [], "map": sorted(self.lay.boxes) if self.lay else [],
               "path": self.path_nodes(), "current": self.current_node()}
        if self.ctl is not None:
            view = self.ctl.view_at(-1)
            if self.ctl.finished:
                end = self.ctl.scenario.endings[self.ctl.state.ending]
                out["text"] = self.w("ending", title=end.title) + "\n" + self.ctl.pt.rules.render(end.text, self.ctl.state)
            else:
                out["text"] = ((view.title + "\n") if view.title else "") + view.text
            out["choices"] = [(c.id, c.text, c.available) for c in view.choices] if not self.ctl.finished else []
            ranges = self.analysis.gauge_ranges if self.analysis else {}
            for g, gauge in self.ctl.scenario.gauges.items():
                lo, hi = ranges.get(g, (gauge.min, gauge.max))
                out["gauges"].append(f"{gauge.label} {self.ctl.gauges_at()[g]}  ({self.w('range', lo=lo, hi=hi)})")
        return out

    def _draw_sources(self, surface: pygame.Surface) -> None:
        """No version has loaded yet: where the map will be, each problem's line of the file, marked."""
        ctx, pad = self.ctx, self.ctx.metrics.pad
        r = self.map_rect
        pygame.draw.rect(surface, ctx.colour("surface"), r)
        pygame.draw.rect(surface, ctx.colour("border"), r, 1)
        y = r.y + pad
        t = ctx.text(self.w("no_map"), "small", "text_muted", r.width - 2 * pad, style="bold")
        surface.blit(t, (r.x + pad, y))
        y += t.get_height() + pad
        for d in self.diagnostics:
            if not d.source_line:
                continue
            where = ctx.text(f"{Path(d.file).name}:{d.line}:{d.col}", "small", "text_muted")
            src = d.source_line.rstrip()
            code = ctx.fit(src, "small", "text", r.width - 2 * pad)
            caret = ctx.font("small").size(src[: max(0, d.col - 1)])[0]
            if y + where.get_height() + code.get_height() * 2 > r.bottom:
                break
            surface.blit(where, (r.x + pad, y))
            y += where.get_height()
            surface.blit(code, (r.x + pad, y))
            y += code.get_height()
            if caret < r.width - 2 * pad:
                mark = ctx.text("^", "small", "negative", style="bold")
                surface.blit(mark, (r.x + pad + caret, y - mark.get_height() // 3))
            y += code.get_height() + pad // 2

    # ---- drawing ----------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        pad = m.pad
        surface.fill(ctx.colour("bg"))
        pygame.draw.rect(surface, ctx.colour("surface_alt"), self.bar)
        title = self.w("title") + (f" — {self.ctl.scenario.title}" if self.ctl else f" — {self.path.name}")
        s = ctx.fit(title, "body", "heading", max(40, self.bar_title_w), style="bold")
        surface.blit(s, (pad * 2, self.bar.centery - s.get_height() // 2))
        if self.map is not None:
            self.map.draw(surface)
        else:
            self._draw_sources(surface)
        shown = self.shown()
        x, y, width = self.side.x, self.side.y, self.side.width
        bottom = self.side.bottom
        broken = any(d.severity == "error" for d in self.diagnostics)
        st = ctx.text(shown["status"], "small", "negative" if broken else "text_muted", width, style="bold" if broken else "regular")
        surface.blit(st, (x, y))
        y += st.get_height() + pad // 2
        if self.diagnostics:
            box_h = min(int(self.side.height * (0.5 if self.ctl else 0.9)), 40 + 60 * len(self.diagnostics))
            box = pygame.Rect(x, y, width, box_h)
            pygame.draw.rect(surface, ctx.colour("warning_bg"), box, border_radius=m.radius)
            pygame.draw.rect(surface, ctx.colour("warning_border"), box, 1, border_radius=m.radius)
            yy = box.y + pad // 2
            for d in self.diagnostics:
                colour = "negative" if d.severity == "error" else "warning_text"
                line = d.header().replace(d.file, Path(d.file).name, 1)
                t = ctx.text(line, "small", colour, width - pad * 2, style="bold")
                if yy + t.get_height() > box.bottom - pad // 2:
                    break
                surface.blit(t, (box.x + pad, yy))
                yy += t.get_height()
                if d.hint:
                    hint = ctx.text("→ " + d.hint, "small", "warning_text", width - pad * 3)
                    if yy + hint.get_height() <= box.bottom - pad // 2:
                        surface.blit(hint, (box.x + pad * 2, yy))
                        yy += hint.get_height()
                yy += pad // 3
            y = box.bottom + pad
        if self.ctl is None:
            return
        gauges = shown["gauges"]
        gh = sum(ctx.text(g, "small", "text", width).get_height() for g in gauges)
        text_bottom = bottom - gh - pad
        body = ctx.text(shown["text"], "body", "text", width, max_lines=max(1, (text_bottom - y) // max(1, m["body"] * 2)))
        surface.blit(body, (x, y), area=pygame.Rect(0, 0, width, max(0, text_bottom - y)))
        y += min(body.get_height(), max(0, text_bottom - y)) + pad
        self.choice_rects = []
        for i, (cid, text, available) in enumerate(shown["choices"]):
            label = f"{i + 1}. {text}" + ("" if available else f" ({self.w('disabled')})")
            t = ctx.text(label, "body", "button_text" if available else "button_disabled_text", width - pad * 2)
            r = pygame.Rect(x, y, width, t.get_height() + pad)
            if r.bottom > text_bottom:
                break
            pygame.draw.rect(surface, ctx.colour("button_bg" if available else "button_disabled_bg"), r,
                             border_radius=m.radius)
            pygame.draw.rect(surface, ctx.colour("button_border"), r, 1, border_radius=m.radius)
            surface.blit(t, (r.x + pad, r.y + pad // 2))
            self.choice_rects.append((r, cid, available))
            y = r.bottom + pad // 2
        y = bottom - gh
        for g in gauges:
            t = ctx.text(g, "small", "text", width)
            surface.blit(t, (x, y))
            y += t.get_height()
        help_ = ctx.text(self.w("help"), "small", "text_muted", self.map_rect.width)
        surface.blit(help_, (self.map_rect.x, self.map_rect.bottom + pad // 2))
