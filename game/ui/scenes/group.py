"""Group mode: one screen on the projector, the class discusses each decision, then votes.

`pandore play SCENARIO --group`, or « Jouer en groupe » on the title screen,
plays the scenario as usual (the play scene, its views, gauges, feedback and
debrief) with one difference: the choices are a vote. The trainer counts the
raised hands (a choice's number key once per hand, or the count typed for a
selected choice), validates, and the majority proceeds; on a tie the trainer
picks among the tied choices only. An optional timer (T: 30, 60, 90 s, off)
gives the class a moment to talk before the vote opens, as Kahoot's team
talk does.

Every vote is committed with its choice in a classroom session of mode
"group" (`ClassSession.vote`) in the local store, with one participant,
« Groupe », so that `pandore report SESSION` finds the group's votes. A store
that cannot be written is said before play; the game may then go on
unrecorded, and every screen says so (the top bar, the pause menu, the
debrief). The votes stay in memory too: the debrief shows them either way.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

import pygame

from game.authoring.loader import Loaded
from game.classroom.classview import VoteView, majority, vote_views
from game.engine import Rejected
from game.i18n import t

from .. import userdata
from ..controller import Controller, ReloadResult, StepReport, load_scenario_file
from ..scene import Pop, Push, Replace, Result, Scene
from .. import text as text_mod
from ..widgets import draw_choice_face, rounded
from .briefing import BriefingScene
from .pause import PauseScene
from .picker import PickerScene
from .play import PlayScene
from . import button_height, button_width, draw_panel, esc, font_tag, panel_rect

#: The timer's durations, in the order T cycles through them (0: no timer).
TIMER_STEPS = (0, 30, 60, 90)
#: The most hands a choice can get (a typed count is capped here).
MAX_HANDS = 999

_stores: dict[Path, object] = {}


# ---------------------------------------------------------------------------------------------
# recording: the group's session in the local store


def open_store(path: Path | None = None):
    """The local store (one per path and process: its writer thread serves every group game)."""
    from game.classroom.store import Store, default_path

    path = Path(path) if path is not None else default_path()
    store = _stores.get(path)
    if store is None:
        store = Store(path)
        _stores[path] = store
    return store


def store_path() -> Path:
    from game.classroom.store import default_path

    return default_path()


def store_problem(error: BaseException, path: Path, lang: str) -> str:
    """Why the store cannot be written, as a located sentence in `lang` (never SQLite's English)."""
    if isinstance(error, OSError):
        return userdata.file_problem(error, path, lang)
    folder = path.parent
    if folder.is_dir() and not os.access(folder, os.W_OK):
        return t("ui.problem.read_only", lang, folder=str(folder), file=str(path))
    return t("ui.group.store_other", lang, file=str(path))


@dataclass
class Recording:
    """Where the group's votes are kept: the session and its one participant, or why not."""

    session: object | None = None
    player: object | None = None
    path: Path | None = None
    error: BaseException | None = None
    votes: list = field(default_factory=list)  # (seq, node, counts, chosen, tie_break, at), in memory too


def start_recording(loaded: Loaded, lang: str, store_at: Path | None = None, seed: int | None = None) -> Recording:
    """A group session of `loaded`'s file in the local store with its participant « Groupe »; on failure,
    a Recording holding the error (nothing raised)."""
    from game.classroom.session import ClassSession

    path = Path(store_at) if store_at is not None else store_path()
    try:
        store = open_store(path)
        session = ClassSession.create(store, Path(loaded.path), mode="group")
        player = session.join(t("ui.group.participant", lang), seed=seed)
    except (OSError, sqlite3.Error, ValueError) as e:
        return Recording(path=path, error=e)
    return Recording(session, player, path)


class GroupController(Controller):
    """A controller whose choices are the class's votes, each committed with its vote to the session.

    The playthrough on screen is the truth; the store follows it (`_sync`): a write that fails leaves
    `save_error` set (the screens say « non enregistrée ») and the next vote, undo or « Réessayer »
    tries again from where the store stopped."""

    group = True

    def __init__(self, loaded: Loaded, lang: str, recording: Recording, seed: int | None = None,
                 dirs: userdata.Dirs | None = None):
        self.recording = recording
        if recording.player is not None:  # the session replays with its participant's seed: the same draws
            seed = recording.player.row.seed
        super().__init__(loaded, lang, seed, dirs, autosave=False)
        self.pending_vote: tuple[dict[str, int], bool] | None = None
        self.save_error = (recording.error, recording.path) if recording.error is not None else None

    # ---- the session -----------------------------------------------------------------
    @property
    def session(self):
        return self.recording.session

    @property
    def recorded(self) -> bool:
        return self.session is not None

    def _sync(self) -> None:
        """Bring the store to the playthrough on screen: undo what it has beyond, vote what it lacks."""
        rec = self.recording
        if rec.session is None:
            return
        p = rec.player
        try:
            while len(p.pt.choices) > len(self.pt.choices) or (
                    list(p.pt.choices) != list(self.pt.choices[:len(p.pt.choices)])):
                rec.session.undo(p, p.row.playthrough_id, len(p.pt.choices))
            for seq, _node, counts, chosen, tie_break, _at in rec.votes:
                if seq > len(p.pt.choices):
                    rec.session.vote(p, seq, counts, chosen, tie_break)
        except Exception as e:  # noqa: BLE001  (a disk, a lock, a refusal: said, then tried again)
            self.save_error = (e, rec.path)
            return
        self.save_error = None

    # ---- playing ------------------------------------------------------------------------
    def choose(self, choice_id: str) -> StepReport | Rejected:
        """The choice the vote made (`pending_vote` holds its counts and whether a tie was broken)."""
        if self.pending_vote is None:
            raise RuntimeError("a group choice needs its vote (set pending_vote first)")
        counts, tie_break = self.pending_vote
        self.pending_vote = None
        seq, node = self.turn + 1, self.state.node
        result = super().choose(choice_id)
        if isinstance(result, Rejected):
            return result
        self.recording.votes.append((seq, node, dict(counts), choice_id, bool(tie_break), time.time()))
        self._sync()
        if self.finished:
            self.end()
        return result

    def end(self) -> None:
        """The group's game is over (an ending, or the trainer quits): the session ends, so that it is
        never offered to be hosted again; its votes stay for the report."""
        rec = self.recording
        if rec.session is None or rec.session.state == "ended" or self.save_error is not None:
            return
        try:
            rec.session.control("end")
        except Exception as e:  # noqa: BLE001  (said like any write that failed)
            self.save_error = (e, rec.path)

    def undo(self) -> bool:
        if not super().undo():
            return False
        self.recording.votes = [v for v in self.recording.votes if v[0] <= self.turn]
        self._sync()
        return True

    def restart(self) -> None:
        super().restart()
        self.recording.votes = []
        self._sync()

    def reload(self) -> ReloadResult:
        # the session keeps the text it started with: a group game does not follow the file
        return ReloadResult(True, t("ui.group.no_reload", self.lang))

    # ---- saving: the store, not the autosave --------------------------------------------
    def _save(self) -> None:
        return None

    def retry_save(self) -> bool:
        self._sync()
        return self.save_error is None

    def save_problem(self) -> str | None:
        if self.save_error is None:
            return None
        error, path = self.save_error
        return store_problem(error, path or store_path(), self.lang)

    # ---- what the debrief shows ------------------------------------------------------------
    def votes(self) -> list:
        """The votes as `ClassSession.votes()` gives them: the store's while it is in step, else memory's."""
        if self.session is not None and self.save_error is None:
            return self.session.votes()
        return list(self.recording.votes)

    def group_votes(self) -> tuple[VoteView, ...]:
        return vote_views(self.pt.rules, self.votes(), self.pt)

    def group_line(self) -> str:
        """Where the votes are: the session's code and the report command, or why they are not kept."""
        if self.session is not None and self.save_error is None:
            row = self.session.row
            return t("ui.group.session_line", self.lang, code=row.code, session=row.id)
        return t("ui.group.unrecorded_line", self.lang, reason=self.save_problem() or "")


def vote_sentence(v: VoteView, lang: str) -> str:
    """« 7 voix sur 12, 3 d’avance » / « 4 voix sur 12 : égalité, départagée par le ou la formateur·rice »."""
    mine = next((b.n for b in v.bars if b.choice == v.chosen), 0)
    if v.tie_break:
        return t("ui.group.result_tie", lang, n=mine, total=v.total)
    return t("ui.group.result", lang, n=mine, total=v.total, margin=v.margin)


# ---------------------------------------------------------------------------------------------
# the vote: the node's choices with their counts, the timer, « Valider le vote »


class VotePanel:
    """The choices as a vote (in place of the play scene's ChoiceList: `height`, `place`, `handle`,
    `draw`, `animating`). The counts, the selection and what is typed live here; the scene acts."""

    def __init__(self, ctx, rect: pygame.Rect, choices, footer_h: int):
        self.ctx = ctx
        self.rect = pygame.Rect(rect)
        self.choices = list(choices)
        self.counts: dict[str, int] = {c.id: 0 for c in self.choices if c.available}
        self.selected = -1  # the row whose count is being typed
        self.typed = ""
        self.tied: list[str] = []  # the tie the trainer breaks, when there is one
        self.taps: list[str] = []  # choices in the order hands were added (Backspace removes the last)
        self.scroll = 0
        self.footer_h = footer_h
        self.flash: tuple[int, float] | None = None
        self.closed = False  # the timer runs: the vote is not open yet
        self._layout()

    def reset_to(self, choices, footer_h: int, keep: "VotePanel | None") -> None:
        """A new layout keeping what was counted (a rebuild, a new language, a resize)."""
        self.footer_h = footer_h
        if keep is not None and [c.id for c in keep.choices] == [c.id for c in choices]:
            self.counts, self.selected, self.typed = dict(keep.counts), keep.selected, keep.typed
            self.tied, self.taps, self.scroll = list(keep.tied), list(keep.taps), keep.scroll
        self._layout()

    def _layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        pad = m.pad
        gap = max(6, pad * 2 // 3)
        self.badge = round(m["choice"] * 1.9)
        big = ctx.font("h2", "bold")
        self.count_w = max(big.size("888")[0], m.px(56))
        self.pm = max(round(ctx.font("h3", "bold").get_linesize() * 1.35), m.px(40))  # the − / + buttons
        self.pick_w = max(ctx.font("button", "bold").size(ctx.t("ui.group.pick"))[0] + pad * 2, self.pm * 2 + pad)
        right = max(self.count_w + 2 * self.pm + pad * 3, self.pick_w + self.pm + self.count_w + pad * 3)
        self.right_w = right
        text_w = max(80, self.rect.width - self.badge - pad * 3 - right)
        self.rows = []
        y = 0
        for i, v in enumerate(self.choices):
            colour = "button_text" if v.available else "button_disabled_text"
            body = ctx.text(v.text, "choice", colour, text_w, style="semibold" if v.available else "regular")
            hint = None
            if not v.available:
                msg = ctx.t("ui.group.unavailable") + (f" — {v.hint}" if v.hint else "")
                hint = ctx.text(msg, "small", "button_disabled_text", text_w, style="italic")
            h = body.get_height() + (hint.get_height() + pad // 2 if hint else 0)
            h = max(h + pad * 2 - 4, self.badge + pad, self.pm + pad)
            self.rows.append((v, i + 1, pygame.Rect(0, y, self.rect.width, h), body, hint))
            y += h + gap
        self.rows_h = max(0, y - gap)

    @property
    def height(self) -> int:
        return self.rows_h + self.footer_h

    def place(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        self.rows_rect = pygame.Rect(rect.x, rect.y, rect.width, max(0, rect.height - self.footer_h))
        self.footer = pygame.Rect(rect.x, self.rows_rect.bottom, rect.width, rect.bottom - self.rows_rect.bottom)
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    @property
    def max_scroll(self) -> int:
        return max(0, self.rows_h - self.rows_rect.height)

    def row_rect(self, i: int) -> pygame.Rect:
        return self.rows[i][2].move(self.rows_rect.x, self.rows_rect.y - self.scroll)

    def minus_rect(self, i: int) -> pygame.Rect:
        r = self.row_rect(i)
        m = self.ctx.metrics
        x = r.right - m.pad - self.pm * 2 - self.count_w - m.pad
        return pygame.Rect(x, r.centery - self.pm // 2, self.pm, self.pm)

    def count_rect(self, i: int) -> pygame.Rect:
        r = self.row_rect(i)
        m = self.ctx.metrics
        x = r.right - m.pad - self.pm - self.count_w - m.pad // 2
        return pygame.Rect(x, r.y + 4, self.count_w, r.height - 8)

    def plus_rect(self, i: int) -> pygame.Rect:
        r = self.row_rect(i)
        m = self.ctx.metrics
        return pygame.Rect(r.right - m.pad - self.pm, r.centery - self.pm // 2, self.pm, self.pm)

    def pick_rect(self, i: int) -> pygame.Rect:
        r = self.row_rect(i)
        m = self.ctx.metrics
        h = button_height(self.ctx)
        return pygame.Rect(self.count_rect(i).x - m.pad // 2 - self.pick_w, r.centery - h // 2, self.pick_w, h)

    def ensure_visible(self, i: int) -> None:
        r = self.rows[i][2]
        if r.top < self.scroll:
            self.scroll = r.top
        elif r.bottom > self.scroll + self.rows_rect.height:
            self.scroll = r.bottom - self.rows_rect.height
        self.scroll = max(0, min(self.scroll, self.max_scroll))

    # ---- the counts ---------------------------------------------------------------------------
    def index_of(self, number: int) -> int:
        """The row of choice number `number` (1-based, as shown), or -1."""
        return number - 1 if 1 <= number <= len(self.rows) else -1

    def votable(self, i: int) -> bool:
        return 0 <= i < len(self.rows) and self.rows[i][0].available

    def add(self, i: int, n: int = 1) -> bool:
        if not self.votable(i):
            return False
        cid = self.rows[i][0].id
        new = max(0, min(MAX_HANDS, self.counts[cid] + n))
        if new == self.counts[cid]:
            return False
        if n > 0:
            self.taps.extend([cid] * (new - self.counts[cid]))
        else:
            for _ in range(self.counts[cid] - new):
                for k in range(len(self.taps) - 1, -1, -1):
                    if self.taps[k] == cid:
                        del self.taps[k]
                        break
        self.counts[cid] = new
        self.tied = []
        return True

    def set_count(self, i: int, n: int) -> bool:
        if not self.votable(i):
            return False
        cid = self.rows[i][0].id
        self.counts[cid] = max(0, min(MAX_HANDS, n))
        self.taps = [c for c in self.taps if c != cid] + [cid] * self.counts[cid]
        self.tied = []
        return True

    def remove_last(self) -> bool:
        """Remove a hand: from the selected choice, else from the choice that got the last one."""
        if self.selected >= 0:
            return self.add(self.selected, -1)
        while self.taps:
            cid = self.taps[-1]
            i = next(k for k, row in enumerate(self.rows) if row[0].id == cid)
            if self.counts.get(cid, 0) > 0:
                return self.add(i, -1)
            self.taps.pop()
        return False

    def clear(self) -> None:
        self.counts = {k: 0 for k in self.counts}
        self.taps, self.tied, self.selected, self.typed = [], [], -1, ""

    # ---- the ChoiceList interface ----------------------------------------------------------------
    def handle(self, event) -> None:
        """The scene handles the vote's keys and clicks (GroupPlayScene.handle); nothing picks here."""
        return None

    @property
    def animating(self) -> bool:
        return self.flash is not None and self.ctx.now < self.flash[1]

    def hit(self, pos) -> tuple[str, int] | None:
        """What a click at `pos` reaches: ("minus"|"plus"|"count"|"pick"|"row", row index), or None."""
        if not self.rows_rect.collidepoint(pos):
            return None
        for i in range(len(self.rows)):
            if not self.row_rect(i).collidepoint(pos):
                continue
            v = self.rows[i][0]
            if not v.available:
                return "row", i
            if self.tied:
                return ("pick", i) if v.id in self.tied and self.pick_rect(i).collidepoint(pos) else ("row", i)
            for what, rect in (("minus", self.minus_rect(i)), ("plus", self.plus_rect(i)),
                               ("count", self.count_rect(i))):
                if rect.inflate(6, 6).collidepoint(pos):
                    return what, i
            return "row", i
        return None

    def draw(self, surface: pygame.Surface) -> None:
        ctx, m, closed = self.ctx, self.ctx.metrics, self.closed
        pad = m.pad
        prev = surface.get_clip()
        surface.set_clip(self.rows_rect.inflate(m.focus_width * 2 + 4, m.focus_width * 2 + 4))
        for i, (v, number, _r, body, hint) in enumerate(self.rows):
            r = self.row_rect(i)
            if r.bottom < self.rows_rect.top - 4 or r.top > self.rows_rect.bottom + 4:
                continue
            tied = v.id in self.tied
            bg = "button_disabled_bg" if not v.available else ("button_hover" if tied else "button_bg")
            rounded(surface, ctx.colour(bg), r, m.radius)
            border = "accent" if tied else ("border" if not v.available else "button_border")
            rounded(surface, ctx.colour(border), r, m.radius, max(1, m.border + (2 if tied else 0)))
            c = (r.x + pad + self.badge // 2, r.centery)
            draw_choice_face(surface, ctx, r, c, self.badge, pad, number, v.available, body, hint)
            if hint is not None:
                continue
            # the count, large; typed digits show with a caret in the selected row
            cr = self.count_rect(i)
            if i == self.selected:
                rounded(surface, ctx.colour("surface"), cr, m.radius // 2)
                rounded(surface, ctx.colour("focus"), cr, m.radius // 2, m.focus_width)
                shown = self.typed or str(self.counts[v.id])
            else:
                shown = str(self.counts[v.id])
            big = ctx.text(shown, "h2", "heading" if not closed else "text_muted", style="bold")
            br = big.get_rect(center=cr.center)
            surface.blit(big, br)
            if i == self.selected:  # the caret after what is typed
                pygame.draw.line(surface, ctx.colour("focus"), (br.right + 2, br.y + 4), (br.right + 2, br.bottom - 4),
                                 max(2, m.focus_width - 1))
            if self.tied:
                if tied:
                    pr = self.pick_rect(i)
                    rounded(surface, ctx.colour("accent"), pr, m.radius)
                    lab = ctx.text(ctx.t("ui.group.pick"), "button", "accent_text", style="bold")
                    surface.blit(lab, lab.get_rect(center=pr.center))
                continue
            for sign, rect in (("−", self.minus_rect(i)), ("+", self.plus_rect(i))):
                colour = "button_disabled_text" if closed else "button_text"
                rounded(surface, ctx.colour("button_bg" if not closed else "button_disabled_bg"), rect, m.radius)
                rounded(surface, ctx.colour("button_border"), rect, m.radius, max(1, m.border))
                s = ctx.text(sign, "h3", colour, style="bold")
                surface.blit(s, s.get_rect(center=rect.center))
            if self.flash and self.flash[0] == i and ctx.now < self.flash[1]:
                rounded(surface, ctx.colour("negative"), r, m.radius, 2)
        for i, row in enumerate(self.rows):
            if i == self.selected:
                fr = self.row_rect(i).inflate(m.focus_width * 2 + 2, m.focus_width * 2 + 2)
                rounded(surface, ctx.colour("focus"), fr, m.radius + 3, m.focus_width)
        surface.set_clip(prev)
        if self.max_scroll:
            track = pygame.Rect(self.rows_rect.right + 3, self.rows_rect.y, 4, self.rows_rect.height)
            pygame.draw.rect(surface, ctx.colour("bg_deep"), track, border_radius=2)
            h = max(20, self.rows_rect.height * self.rows_rect.height // max(1, self.rows_h))
            y = self.rows_rect.y + (self.rows_rect.height - h) * self.scroll // self.max_scroll
            pygame.draw.rect(surface, ctx.colour("scrollbar"), (track.x, y, 4, h), border_radius=2)


_DIGITS = {**{getattr(pygame, f"K_{d}"): d for d in range(10)}, **{getattr(pygame, f"K_KP{d}"): d for d in range(10)}}
_ENTER = (pygame.K_RETURN, pygame.K_KP_ENTER)
_MINUS = (pygame.K_MINUS, pygame.K_KP_MINUS)
_PLUS = (pygame.K_PLUS, pygame.K_KP_PLUS, pygame.K_EQUALS)


class GroupPlayScene(PlayScene):
    """The play scene, whose choices are the class's vote (see the module's docstring)."""

    name = "group_play"

    def __init__(self, ctx, controller: GroupController, notice: str | None = None):
        self.panel: VotePanel | None = None
        self.status: tuple[str, str] | None = None  # (text, colour key) under the choices
        self.timer_step = 0  # index in TIMER_STEPS: the duration chosen, kept for the next decisions
        self.timer_left: float | None = None  # seconds until the vote opens; None: it is open
        self._timer_last = 0.0
        self._timer_shown: int | None = None
        self._node_key = None
        super().__init__(ctx, controller, notice)

    # ---- layout: PlayScene's, with the vote in place of the choices -------------------------------
    def choice_list(self, rect, shown):
        keep = self.panel
        same = keep is not None and self._node_key == (self.ctl.turn, self.ctl.state.node)
        if not same:  # a new decision: no hands yet; the timer starts if the trainer chose one
            self._node_key = (self.ctl.turn, self.ctl.state.node)
            self.status = None
            self._start_timer()
        panel = VotePanel(self.ctx, rect, shown, self._footer_height(rect.width))
        if same:
            panel.reset_to(shown, panel.footer_h, keep)
        self.panel = panel
        return panel

    @property
    def voting(self) -> bool:
        return self.report is None and isinstance(self.choices, VotePanel) and not self.dead_end

    @property
    def vote_open(self) -> bool:
        return self.timer_left is None

    def _footer_height(self, width: int) -> int:
        ctx, m = self.ctx, self.ctx.metrics
        bh = button_height(ctx)
        return m.pad + ctx.font("body", "bold").get_linesize() * 2 + m.pad // 2 + bh + m.pad // 2

    def layout(self) -> None:
        super().layout()
        if not self.voting:
            return
        ctx, m = self.ctx, self.ctx.metrics
        f = self.panel.footer
        bh = button_height(ctx)
        y = f.bottom - bh
        tkey = "ui.group.timer_off" if not TIMER_STEPS[self.timer_step] else "ui.group.timer_on"
        timer_label = self.t(tkey, n=TIMER_STEPS[self.timer_step])
        clear_label = self.t("ui.group.clear")
        if self.panel.tied:
            main_label, main = self.t("ui.group.back_to_count"), self.back_to_count
        elif self.vote_open:
            main_label, main = self.t("ui.group.validate"), self.validate
        else:
            main_label, main = self.t("ui.group.open_now"), self.open_vote
        mw = button_width(ctx, main_label, style="bold", minimum=m.px(200))
        tw = button_width(ctx, timer_label)
        cw = button_width(ctx, clear_label)
        if tw + cw + mw + 2 * m.pad > f.width:  # narrow: the timer and clear buttons share what is left
            room = max(m.px(80), (f.width - mw - 2 * m.pad) // 2)
            tw = cw = room
        x = f.x
        self.button(pygame.Rect(x, y, tw, bh), timer_label, self.cycle_timer)
        x += tw + m.pad
        self.button(pygame.Rect(x, y, cw, bh), clear_label, self.clear)
        self.main_button = self.button(pygame.Rect(f.right - mw, y, mw, bh), main_label, main, object_id="#primary")
        if self.focus < 0 or self.focus >= len(self.focusables):
            self.focus = len(self.focusables) - 1  # Enter validates
        self.status_rect = pygame.Rect(f.x, f.y + m.pad // 2, f.width, y - f.y - m.pad)

    # ---- the timer ----------------------------------------------------------------------------------
    def _start_timer(self) -> None:
        seconds = TIMER_STEPS[self.timer_step]
        self.timer_left = float(seconds) if seconds else None
        self._timer_last = self.ctx.now
        self._timer_shown = None

    def cycle_timer(self):
        """T: the next duration (30, 60, 90 s, none), started now; none opens the vote."""
        self.timer_step = (self.timer_step + 1) % len(TIMER_STEPS)
        self._start_timer()
        if self.timer_left is None:
            self.status = (self.t("ui.group.vote_open"), "text")
        else:
            self.status = (self.t("ui.group.discuss", n=TIMER_STEPS[self.timer_step]), "text")
        self.build()
        return None

    def open_vote(self):
        self.timer_left = None
        self.status = (self.t("ui.group.vote_open"), "text")
        self.focus = -1
        self.build()
        return None

    def on_enter(self) -> None:
        self._timer_last = self.ctx.now  # a modal above stopped the clock: the class was not discussing
        super().on_enter()

    def update(self, dt: float):
        if self.timer_left is not None and self.voting:
            now = self.ctx.now
            self.timer_left -= max(0.0, now - self._timer_last)
            self._timer_last = now
            if self.timer_left <= 0:
                return self.open_vote()
            shown = self.seconds_left
            if shown != self._timer_shown:
                self._timer_shown = shown
                self.dirty = True
        else:
            self._timer_last = self.ctx.now
        return super().update(dt)

    @property
    def seconds_left(self) -> int | None:
        if self.timer_left is None:
            return None
        return max(0, int(-(-self.timer_left // 1)))  # 29.2 s left shows 30

    # ---- the vote ------------------------------------------------------------------------------------
    def _say(self, key: str, colour: str = "text", **values) -> None:
        self.status = (self.t(key, **values), colour)
        self.dirty = True

    def _closed(self) -> bool:
        if self.vote_open:
            return False
        self._say("ui.group.not_yet", "negative", n=self.seconds_left or 0)
        return True

    def tap(self, i: int, n: int = 1) -> None:
        p = self.panel
        if not 0 <= i < len(p.rows):
            return
        if not p.votable(i):
            p.flash = (i, self.ctx.now + 1.2)
            self._say("ui.group.not_votable", "negative", n=i + 1)
            return
        if self._closed():
            return
        if p.add(i, n):
            self.status = None
        elif n < 0:
            self._say("ui.group.none_to_remove", "text_muted")
        self.dirty = True

    def select(self, i: int) -> None:
        p = self.panel
        if self._closed():
            return
        if not p.votable(i):
            p.flash = (i, self.ctx.now + 1.2)
            self._say("ui.group.not_votable", "negative", n=i + 1)
            return
        p.selected, p.typed = i, ""
        p.ensure_visible(i)
        self._say("ui.group.typing", n=i + 1)

    def commit_typed(self) -> None:
        p = self.panel
        if p.selected >= 0 and p.typed:
            p.set_count(p.selected, int(p.typed))
        p.selected, p.typed = -1, ""
        self.status = None
        self.dirty = True

    def clear(self):
        self.panel.clear()
        self.status = None
        self.build()
        return None

    def validate(self):
        p = self.panel
        if self._closed():
            return None
        if p.selected >= 0:
            self.commit_typed()
        tied, _top = majority(p.counts)
        if not tied:
            self._say("ui.group.zero", "negative")
            return None
        if len(tied) == 1:
            return self.commit(tied[0], tie_break=False)
        p.tied = tied
        self._say("ui.group.tie", "warning_text", choices=self._numbers(tied))
        self.focus = -1
        self.build()
        return None

    def _numbers(self, ids) -> str:
        return ", ".join(str(number) for v, number, *_ in self.panel.rows if v.id in ids)

    def pick(self, i: int):
        p = self.panel
        if not 0 <= i < len(p.rows):
            return None
        if p.rows[i][0].id not in p.tied:
            self._say("ui.group.tie_only", "negative", choices=self._numbers(p.tied))
            return None
        return self.commit(p.rows[i][0].id, tie_break=True)

    def back_to_count(self):
        self.panel.tied = []
        self.status = None
        self.focus = -1
        self.build()
        return None

    def commit(self, choice: str, tie_break: bool):
        self.ctl.pending_vote = (dict(self.panel.counts), tie_break)
        return self.choose(choice)

    def _feedback_html(self, r: StepReport) -> str:
        html = super()._feedback_html(r)
        shown = self.ctl.group_votes()
        if not shown or shown[-1].seq != self.ctl.turn:
            return html
        line = font_tag(self.ctx, "body", esc(self.t("ui.group.voted", result=vote_sentence(shown[-1], self.ctx.lang))),
                        "heading", bold=True)
        return line + "<br><br>" + html

    def reload(self):
        self.set_notice(self.t("ui.group.no_reload"))
        return None

    def pause(self):
        return Push(GroupPauseScene(self.ctx, self.ctl))

    def on_result(self, result):
        if result is Result.RESTART:
            self._node_key = None  # a new first decision: no hands counted yet
        return super().on_result(result)

    # ---- events ---------------------------------------------------------------------------------
    def handle(self, event):
        if self.voting:
            if event.type == pygame.KEYDOWN:
                done, result = self._key(event)
                if done:
                    self._skip()
                    self.dirty = True
                    return result
            elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP) and event.button == 1:
                where = self.panel.hit(event.pos)
                if where is not None:
                    if event.type == pygame.MOUSEBUTTONUP:
                        return self._click(*where)
                    return None
            elif event.type == pygame.MOUSEWHEEL and self.panel.max_scroll and \
                    self.panel.rows_rect.collidepoint(pygame.mouse.get_pos()):
                p = self.panel
                p.scroll = max(0, min(p.max_scroll, p.scroll - event.y * 40))
                self.dirty = True
                return None
        return super().handle(event)

    def _click(self, what: str, i: int):
        if what == "pick":
            return self.pick(i)
        if what == "plus":
            self.tap(i)
        elif what == "minus":
            self.tap(i, -1)
        elif what == "count":
            self.select(i)
        elif not self.panel.votable(i):
            self.tap(i)  # says why it takes no vote
        self.dirty = True
        return None

    def _key(self, event) -> tuple[bool, object]:
        """(handled, transition) for the vote's keys; keys it leaves go to the play scene."""
        k, p = event.key, self.panel
        ctrl = event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
        if ctrl:
            return False, None
        if k in _DIGITS:
            d = _DIGITS[k]
            if p.tied:
                return True, (self.pick(p.index_of(d)) if d else None)
            if p.selected >= 0:
                if len(p.typed) < len(str(MAX_HANDS)):
                    p.typed = (p.typed + str(d)).lstrip("0") or "0"
                return True, None
            if d:
                self.tap(p.index_of(d))
            return True, None
        if k == pygame.K_BACKSPACE or k in _MINUS:
            if p.tied:
                return True, None
            if k == pygame.K_BACKSPACE and p.selected >= 0 and p.typed:
                p.typed = p.typed[:-1]
                return True, None
            if not self._closed():
                if p.remove_last():
                    self.status = None
                else:
                    self._say("ui.group.none_to_remove", "text_muted")
            return True, None
        if k in _PLUS and p.selected >= 0:
            self.tap(p.selected)
            return True, None
        if k in (pygame.K_UP, pygame.K_DOWN):
            if p.tied or not self.vote_open:
                return True, None
            votable = [i for i in range(len(p.rows)) if p.votable(i)]
            if not votable:
                return True, None
            if p.selected >= 0 and p.typed:
                p.set_count(p.selected, int(p.typed))
            if p.selected not in votable:
                nxt = votable[0] if k == pygame.K_DOWN else votable[-1]
            else:
                j = votable.index(p.selected) + (1 if k == pygame.K_DOWN else -1)
                nxt = votable[j % len(votable)]
            self.select(nxt)
            return True, None
        if k in _ENTER and p.selected >= 0:
            self.commit_typed()
            return True, None
        if k == pygame.K_ESCAPE and (p.selected >= 0 or p.tied):
            if p.tied:
                return True, self.back_to_count()
            p.selected, p.typed = -1, ""
            self.status = None
            return True, None
        if k == pygame.K_t:
            return True, self.cycle_timer()
        if k == pygame.K_DELETE:
            return True, self.clear()
        if k in _ENTER or k in (pygame.K_TAB, pygame.K_LEFT, pygame.K_RIGHT):
            return True, self.handle_focus_key(event)
        return False, None

    # ---- drawing ------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        if self.voting:
            self.panel.closed = not self.vote_open  # PlayScene.draw draws the panel as its choices
        super().draw(surface)
        if self.voting:
            self._draw_footer(surface)

    def _draw_footer(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        r = self.status_rect
        y = r.y
        if self.timer_left is not None:
            self._draw_countdown(surface)
        if self.status is not None:
            text, colour = self.status
        elif self.panel.tied:
            text, colour = self.t("ui.group.tie", choices=self._numbers(self.panel.tied)), "warning_text"
        else:
            total = sum(self.panel.counts.values())
            text = self.t("ui.group.hands", n=total) + "  ·  " + self.t("ui.group.keys")
            colour = "text_muted"
        s = ctx.text(text, "body", colour, r.width, style="bold" if colour != "text_muted" else "regular",
                     max_lines=2)
        surface.blit(s, (r.x, y))

    def _draw_countdown(self, surface: pygame.Surface) -> None:
        """The countdown over the foot of the picture, twice the largest heading: read from the back."""
        ctx, m = self.ctx, self.ctx.metrics
        left = self.seconds_left or 0
        big = text_mod.line(f"{left // 60}:{left % 60:02d}", ctx.font_path("bold"), m["h1"] * 2,
                            ctx.colour("heading"), ctx.theme.sign_font("bold"))
        st = self.stage
        box = pygame.Rect(st.x + m.pad, 0, st.width - 2 * m.pad, big.get_height() + m.pad)
        box.bottom = st.bottom - m.pad
        rounded(surface, ctx.colour("surface"), box, m.radius)
        rounded(surface, ctx.colour("accent"), box, m.radius, max(3, m.border * 3))
        surface.blit(big, (box.x + m.pad, box.y + (box.height - big.get_height()) // 2))
        lab = ctx.text(self.t("ui.group.discussing"), "body", "text", max(40, box.width - big.get_width() - m.pad * 3),
                       style="bold", max_lines=3)
        surface.blit(lab, (box.x + big.get_width() + m.pad * 2, box.y + (box.height - lab.get_height()) // 2))

    def status_text(self) -> str:
        """What the line under the vote says now (for tests and the voice)."""
        if self.status is not None:
            return self.status[0]
        if self.panel is not None and self.panel.tied:
            return self.t("ui.group.tie", choices=self._numbers(self.panel.tied))
        return self.t("ui.group.hands", n=sum(self.panel.counts.values())) if self.panel else ""


# ---------------------------------------------------------------------------------------------
# around the game: the picker, the briefing, a store that cannot be written, the pause menu


class GroupPauseScene(PauseScene):
    """The pause menu, saying where the votes are kept (a group game is not resumed after quitting)."""

    #: the pause menu's words that are not true of a group game, and what it says instead
    WORDS = {"ui.pause.saved": "ui.group.pause_note", "ui.pause.save_quit": "ui.group.quit"}

    @property
    def t(self):
        base, session = self.ctx.t, self.ctl.session

        def t(key: str, **values) -> str:
            if key in self.WORDS and session is not None:
                return base(self.WORDS[key], code=session.row.code)
            return base(key, **values)

        return t

    def save_quit(self):
        self.ctl.end()
        return super().save_quit()

    def quit_unsaved(self):
        out = super().quit_unsaved()
        if out is not None:
            self.ctl.end()
        return out

    def step_out(self):
        self.ctl.end()
        return super().step_out()


class StoreProblemScene(Scene):
    """The votes cannot be kept: said before play; « Jouer sans enregistrer » or « Retour »."""

    modal = True
    name = "group_store_problem"

    def __init__(self, ctx, reason: str):
        super().__init__(ctx)
        self.reason = reason

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        self.rect = panel_rect(ctx, 720, 420)
        inner = self.rect.width - 4 * m.pad
        self.head = ctx.text(self.t("ui.group.store_title"), "h2", "heading", inner, style="bold")
        self.body = ctx.text(self.t("ui.group.store_failed", reason=self.reason), "body", "warning_text", inner)
        bh = button_height(ctx)
        self.rect.height = min(ctx.size[1] - 2 * m.pad,
                               m.pad * 6 + self.head.get_height() + self.body.get_height() + bh)
        self.rect.centery = ctx.size[1] // 2
        y = self.rect.bottom - m.pad * 2 - bh
        go, back = self.t("ui.group.play_unrecorded"), self.t("ui.back")
        gw = button_width(ctx, go, style="bold")
        bw = button_width(ctx, back)
        self.button(pygame.Rect(self.rect.x + m.pad * 2, y, bw, bh), back, lambda: Pop(None))
        self.button(pygame.Rect(self.rect.right - m.pad * 2 - gw, y, gw, bh), go, lambda: Pop("unrecorded"),
                    object_id="#primary")
        if self.focus < 0:
            self.focus = 0  # going on unrecorded is a decision: Enter alone goes back

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return Pop(None)
        return None

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ctx.metrics
        draw_panel(self.ctx, surface, self.rect)
        surface.blit(self.head, (self.rect.x + m.pad * 2, self.rect.y + m.pad * 2))
        surface.blit(self.body, (self.rect.x + m.pad * 2, self.rect.y + m.pad * 3 + self.head.get_height()))


class GroupBriefingScene(BriefingScene):
    """The briefing, saying how the group plays; « Commencer » opens the group's session."""

    name = "group_briefing"

    def __init__(self, ctx, loaded: Loaded, seed: int | None = None, store_at: Path | None = None):
        super().__init__(ctx, loaded, seed=seed, notice=ctx.t("ui.group.briefing"))
        self.store_at = store_at
        self.recording: Recording | None = None

    def layout(self) -> None:
        self.notice = self.t("ui.group.briefing")
        super().layout()

    def start(self):
        rec = start_recording(self.loaded, self.ctx.lang, self.store_at, self.seed)
        if rec.error is not None:
            self.recording = rec
            return Push(StoreProblemScene(self.ctx, store_problem(rec.error, rec.path, self.ctx.lang)))
        return self._play(rec)

    def _play(self, rec: Recording):
        ctl = GroupController(self.loaded, self.ctx.lang, rec, self.seed, self.ctx.dirs)
        return Replace(GroupPlayScene(self.ctx, ctl))

    def on_result(self, result):
        if result == "unrecorded" and self.recording is not None:
            return self._play(self.recording)
        return None


class GroupPickerScene(PickerScene):
    """The picker, whose « Choisir » opens the scenario's group briefing."""

    name = "group_picker"

    def _open(self, card):
        if not card.loaded.ok:
            return super()._open(card)
        return Push(GroupBriefingScene(self.ctx, card.loaded))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        surface.fill(self.ctx.colour("bg"), pygame.Rect(self.heading_pos, (surface.get_width(),
                                                                            self.ctx.font("h2", "bold").get_linesize())))
        surface.blit(self.ctx.text(self.t("ui.group.pick_title"), "h2", "heading", style="bold"), self.heading_pos)


def group_scene(ctx, scenario: Loaded | str | Path | None = None, seed: int | None = None) -> Scene:
    """Group mode's way in: the picker (no scenario), or a scenario's group briefing (its diagnostics if
    the file does not load)."""
    if scenario is None:
        return GroupPickerScene(ctx)
    loaded = scenario if isinstance(scenario, Loaded) else load_scenario_file(scenario)
    if not loaded.ok:
        return ctx.scenes.diagnostics(ctx, str(loaded.path), loaded.diagnostics)
    return GroupBriefingScene(ctx, loaded, seed=seed)
