"""Play: the node's view, its text, the choices, the gauges; then feedback.

Keys: 1-9 choose, arrows + Enter move and choose, Ctrl+Z undoes, H shows
the history, Esc pauses, F5 reloads the scenario from disk and replays the
log. Every decision goes through the controller; this scene only renders
what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game import presentation
from game.i18n import typography
from game.engine import Rejected

from ..controller import Controller, StepReport
from ..scene import Push, Replace, Reset, Result, Scene
from ..views import make_view
from ..widgets import ChoiceList, GaugeHud
from . import button_height, button_width, draw_card, esc, font_tag

@dataclass
class _Part:
    """The right column of one screen of play: its text box, its button and its choices."""

    shows: object  # the StepReport of a choice's feedback, or the NodeView of a node
    col: pygame.Rect
    stage: pygame.Rect
    box: object  # UITextBox
    box_rect: pygame.Rect
    button: object = None  # UIButton: « Continuer », « Voir le bilan » or « Quitter » (a dead end)
    choices: ChoiceList | None = None
    dead_end: bool = False
    view: object = None  # the stage's view, made ahead for the next node
    ahead: bool = False  # made while the player read (hidden until shown)

    def kill(self) -> None:
        for el in (self.box, self.button):
            if el is not None:
                el.kill()


#: a number of its own: pygame_gui takes its events' numbers from the same range (custom_type)
NOTICE_EVENT = pygame.event.custom_type()
NOTICE_SECONDS = 6


class PlayScene(Scene):
    name = "play"

    def __init__(self, ctx, controller: Controller, notice: str | None = None):
        super().__init__(ctx)
        self.ctl = controller
        self.report: StepReport | None = None  # set while the feedback panel shows
        self.notice = notice or controller.notice
        self.fresh = True  # the node on screen has just arrived (entry animations)
        self.reveal_t0 = ctx.now
        self.hud: GaugeHud | None = None
        self.values = dict(controller.gauges_at())
        self._told_unsaved: str | None = None  # the save problem the player was last told about
        self._tell_unsaved()
        if self.notice:
            pygame.time.set_timer(NOTICE_EVENT, NOTICE_SECONDS * 1000, loops=1)

    # ---- layout ----------------------------------------------------------------------
    def build(self) -> None:
        """A new node or the feedback: only the right column and the stage are made again.

        The top bar's buttons stay (they are the same for the whole playthrough, but for
        undo's state): each pygame_gui button costs 2-3 ms to build and draw the first time,
        on the path from a key press to the frame that shows its result. A new manager (a new
        theme, size or language: `ctx.generation`) builds everything (`Scene.build`).
        """
        if self.manager is None or self._manager_generation != self.ctx.generation or not self._content_built \
                or not self._incremental:
            self._ahead, self._todo = [], []  # made for a manager emptied now
            super().build()
            return
        for el in self._content:
            el.kill()
        self.manager.set_focus_set(None)
        self.focusables = []
        self.actions = dict(self._bar_actions)
        self.texts = []
        keep = self.focus
        self._layout_content()
        if 0 <= keep < len(self.focusables):
            self.focus = keep
        elif not 0 <= self.focus < len(self.focusables):
            self.focus = -1
        self.dirty = True

    _content_built = False

    @property
    def _incremental(self) -> bool:
        """Whether only the right column is made again, and the next screens ahead: not for a
        subclass that lays out more or offers the choices its own way (group mode's vote, with
        its buttons and its count: made whole at each build, as before)."""
        return type(self).layout is PlayScene.layout and type(self).choice_list is PlayScene.choice_list

    def layout(self) -> None:
        self._content_built = False
        self._layout_bar()
        self._bar_actions = dict(self.actions)
        self._layout_content()
        self._content_built = True

    def _layout_bar(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        w, h = ctx.size
        pad = m.pad
        margin = max(pad * 2, int(w * 0.02))
        bh = button_height(ctx, "small")
        # top bar
        self.bar = pygame.Rect(0, 0, w, bh + pad * 2)
        x = w - margin
        self._undo_button = None
        for key, action in (("ui.play.menu", self.pause), ("ui.play.undo", self.undo), ("ui.play.history", self.history)):
            label = self.t(key)
            bw = button_width(ctx, label, "small")
            x -= bw
            b = self.button(pygame.Rect(x, pad, bw, bh), label, action, object_id="#quiet", focusable=False)
            if key == "ui.play.undo":
                self._undo_button = b
            x -= pad // 2
        self.bar_title_w = x - margin - pad
        self._margin = margin

    def _column(self, notice: str | None) -> pygame.Rect:
        """The right column under the notice `notice` (None: no notice)."""
        ctx, pad = self.ctx, self.ctx.metrics.pad
        y = self.right.y
        if notice:
            s = ctx.text(notice, "small", "warning_text", self.right.width - 2 * pad)
            y += s.get_height() + pad * 3 // 2 + pad
        return pygame.Rect(self.right.x, y, self.right.width, self.right.bottom - y)

    def _layout_content(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        w, h = ctx.size
        pad = m.pad
        margin = self._margin
        self._content = []
        if self._undo_button is not None:
            if self.ctl.can_undo and not self._undo_button.is_enabled:
                self._undo_button.enable()
            elif not self.ctl.can_undo and self._undo_button.is_enabled:
                self._undo_button.disable()
        body = pygame.Rect(margin, self.bar.bottom + pad, w - 2 * margin, h - self.bar.bottom - pad - margin)
        left_w = max(m.px(320), int(body.width * 0.42))
        self.left = pygame.Rect(body.x, body.y, left_w, body.height)
        self.right = pygame.Rect(self.left.right + margin, body.y, body.right - self.left.right - margin, body.height)
        gauges = list(self.ctl.scenario.gauges.items())
        hud_h = GaugeHud.needed_height(ctx, len(gauges))
        self.hud_rect = pygame.Rect(self.left.x, self.left.bottom - hud_h, self.left.width, hud_h)
        self.stage = pygame.Rect(self.left.x, self.left.y, self.left.width, self.hud_rect.y - self.left.y - pad)
        old = self.hud
        self.hud = GaugeHud(ctx, self.hud_rect, gauges, self.values, self.ctl.gauge_senses())
        if old is not None:
            self.hud.anim = old.anim
        # right column: notice, then text and choices, or the feedback
        self.notice_rect = None
        if self.notice:
            s = ctx.text(self.notice, "small", "warning_text", self.right.width - 2 * pad)
            self.notice_rect = pygame.Rect(self.right.x, self.right.y, self.right.width, s.get_height() + pad * 3 // 2)
        col = self._column(self.notice)
        self.choices = None
        self.text_box = None
        self.card_rect = None
        self.dead_end = False
        self.reveal_rect = None
        # the view of the node on screen, and the column: made now, or taken from what was made ahead
        if self.report is not None:
            node = self.ctl.view_at(-2, with_reply=True)
            self.node = node
            self.view = make_view(ctx, self.stage, node, fresh=self.fresh)
            self._show_feedback(self._take(self.report, col) or self._feedback_part(self.report, col))
        else:
            node = self.ctl.view_at(-1)
            self.node = node
            self._show_node(self._take(node, col) or self._node_part(node, col))
        self._plan_ahead()

    # ---- the right column: made at once, or ahead (hidden) while the player reads -----------------
    def _feedback_part(self, report: StepReport, col: pygame.Rect, visible: bool = True) -> "_Part":
        ctx, m = self.ctx, self.ctx.metrics
        label = self.t("ui.play.see_debrief") if report.finished else self.t("ui.play.continue")
        cw = button_width(ctx, label, style="bold", minimum=m.px(220))
        cbh = button_height(ctx)
        button = self.make_button(pygame.Rect(col.right - cw, col.bottom - cbh, cw, cbh), label, object_id="#primary",
                                  visible=visible)
        card = pygame.Rect(col.x, col.y, col.width, col.height - cbh - m.pad)
        box = self.make_textbox(card, self._feedback_html(report), object_id="#card_text", visible=visible)
        return _Part(report, col, self.stage, box, card, button)

    def _show_feedback(self, part: "_Part") -> None:
        self._adopt(part, self.proceed)
        self.focus = len(self.focusables) - 1
        self.card_rect = part.box_rect

    def _node_part(self, node, col: pygame.Rect, visible: bool = True, view=None) -> "_Part":
        ctx, m = self.ctx, self.ctx.metrics
        pad = m.pad
        shown = list(node.choices)
        dead_end = (not shown or not any(c.available for c in shown)) and not self.ctl.finished
        choices = self.choice_list(pygame.Rect(col.x, col.y, col.width - 8, 10), shown)
        ch_h = min(choices.height, int(col.height * 0.62))
        button = None
        if dead_end:
            label = self.t("ui.play.leave")
            cbh = button_height(ctx)
            lw = button_width(ctx, label, style="bold")
            button = self.make_button(pygame.Rect(col.right - lw, col.bottom - cbh, lw, cbh), label,
                                      object_id="#primary", visible=visible)
            ch_h = cbh
        choices.place(pygame.Rect(col.x, col.bottom - ch_h, col.width - 8, ch_h))
        text_rect = pygame.Rect(col.x, col.y, col.width, col.bottom - ch_h - pad * 2 - col.y)
        html = []
        if node.title:
            html.append(font_tag(ctx, "h3", esc(node.title), "heading", bold=True) + "<br>")
        html.append(esc(node.text))
        if dead_end:
            html.append("<br><br>" + font_tag(ctx, "body", esc(self.t("ui.play.dead_end")), "negative", italic=True))
        box = self.make_textbox(text_rect, "".join(html), visible=visible)
        return _Part(node, col, self.stage, box, text_rect, button, choices, dead_end, view)

    def _show_node(self, part: "_Part") -> None:
        ctx = self.ctx
        if part.view is not None and self.fresh:  # made ahead: its entry animation starts now
            part.view.t0 = ctx.now
            self.view = part.view
        else:
            self.view = make_view(ctx, self.stage, part.shows, fresh=self.fresh)
        self._adopt(part, self.leave)
        self.choices = part.choices
        if part.ahead:
            self.choices.armed_at = ctx.now + self.choices.ARM  # from the moment it is seen
        self.dead_end = part.dead_end
        self.reveal_rect = part.box_rect if (self.fresh and not ctx.settings.reduced_motion) else None
        self.reveal_len = len(part.shows.text) + len(part.shows.title or "")

    def _adopt(self, part: "_Part", action) -> None:
        for el in (part.button, part.box):
            if el is not None:
                if not el.visible:
                    el.show()
                self._content.append(el)
        if part.button is not None:
            self.adopt_button(part.button, action)
        self.texts.append(part.box)
        self.text_box = part.box

    def _take(self, shows, col: pygame.Rect) -> "_Part | None":
        """The part made ahead that shows `shows` in `col`, if any; the others are dropped (killed)."""
        found = None
        for part in getattr(self, "_ahead", ()):
            if found is None and part.col == col and part.stage == self.stage and part.shows == shows and \
                    (part.choices is None or part.dead_end == ((not part.shows.choices or not any(
                        c.available for c in part.shows.choices)) and not self.ctl.finished)):
                found = part
            else:
                part.kill()
        self._ahead = []
        self.made_ahead = found is not None  # (tests, the bench) this screen was made while the player read
        return found

    def _plan_ahead(self) -> None:
        """What the next key press may show: each available choice's feedback, or the next node."""
        self._todo: list[tuple] = []
        self._debrief = None
        if not self._incremental:
            return
        if self.report is not None:
            self._todo.append(("debrief",) if self.report.finished or self.ctl.finished else ("node",))
        elif self.choices is not None and not self.dead_end:
            self._todo += [("report", c.id) for c in self.node.choices if c.available]

    def work_ahead(self) -> bool:
        """(The loop, while nothing happens.) Make one part of what the next key press shows, hidden:
        the text box of a choice's feedback, or of the next node with its view. True when one was made."""
        while getattr(self, "_todo", None):
            job = self._todo.pop(0)
            if job[0] == "debrief":  # the ending's screen, built whole (its buttons are large to draw)
                self._debrief = self.debrief_scene()
                self._debrief.build()
                self._debrief.manager.update(0.0)
                self._debrief.built_ahead = True
                return True
            if job[0] == "report":
                report = self.ctl.preview(job[1])
                if report is None:
                    continue
                part = self._feedback_part(report, self._column(None), visible=False)
            else:
                node = self.ctl.view_at(-1)
                part = self._node_part(node, self._column(self.notice), visible=False,
                                       view=make_view(self.ctx, self.stage, node, fresh=True))
            part.ahead = True
            self._ahead.append(part)
            self.manager.update(0.0)  # its first update (drawing its states) is done too
            return True
        return False

    def choice_list(self, rect: pygame.Rect, shown) -> ChoiceList:
        """The widget that offers the node's choices (group mode puts its vote there)."""
        return ChoiceList(self.ctx, rect, shown)

    def _feedback_html(self, r: StepReport) -> str:
        ctx = self.ctx
        out = [font_tag(ctx, "small", esc(self.t("ui.feedback.your_choice")), "text_muted", bold=True) + "<br>",
               font_tag(ctx, "h3", esc(self.t("ui.quote", text=typography.inner_quotes(r.choice_text, ctx.lang))), "heading", bold=True) + "<br><br>"]
        for f in r.feedback:
            out.append(esc(f) + "<br><br>")
        out.append(font_tag(ctx, "small", esc(self.t("ui.feedback.what_moved")), "text_muted", bold=True) + "<br>")
        if not r.changes:
            out.append(esc(self.t("ui.feedback.nothing")) + "<br>")
        for c in r.changes:
            colour = "positive" if c.better else "negative"
            out.append(f"<b>{esc(c.label)}</b>  {c.old} → {c.new}  "
                       + font_tag(ctx, "body", esc(presentation.delta_text(c.delta, c.better, ctx.lang)), colour, bold=True)
                       + font_tag(ctx, "small", esc(f" — {c.cause}"), "text_muted") + "<br>")
        return "".join(out)

    def _save_choice(self) -> None:
        """The autosave of the choice just shown; a failure (or a success after one) is said at once."""
        self.ctl.save_held()
        if self.ctl.save_problem() != self._told_unsaved and self.manager is not None:
            self._tell_unsaved()
            self.build()  # the notice; the top bar says « non enregistrée » from the controller

    def _tell_unsaved(self) -> None:
        """The autosave failed (a read-only or full disk): say so once, in the player's
        language, with what still works; the top bar keeps saying « non enregistrée »."""
        problem = self.ctl.save_problem()
        if problem is not None and problem != self._told_unsaved:
            self.notice = self.t("ui.save.failed", reason=problem, documents=str(self.ctx.dirs.documents))
            pygame.time.set_timer(NOTICE_EVENT, NOTICE_SECONDS * 1000, loops=1)
        self._told_unsaved = problem

    # ---- actions -------------------------------------------------------------------------
    def choose(self, choice_id: str):
        before = dict(self.ctl.gauges_at())
        self.ctl.hold_saves = True  # written once the frame that shows the choice is on screen
        try:
            result = self.ctl.choose(choice_id)
        finally:
            self.ctl.hold_saves = False
        if self.ctl.save_due:
            self.ctx.after_frame(self._save_choice)
        if isinstance(result, Rejected):
            self.set_notice(result.reason)
            return None
        after = self.ctl.gauges_at()
        deltas = {}
        for c in result.changes:
            d, better = deltas.get(c.gauge, (0, True))
            deltas[c.gauge] = (d + c.delta, c.better)
        deltas = {g: v for g, v in deltas.items() if v[0]}
        self.values = dict(after)
        if self.hud is not None:
            self.hud.set_values(after, deltas)
        del before
        self.notice = None
        self._tell_unsaved()
        if not result.feedback and not result.changes:
            return self.proceed(skip_report=True, finished=result.finished)
        self.report = result
        self.fresh = False
        self.focus = -1
        self.build()
        return None

    def proceed(self, skip_report: bool = False, finished: bool | None = None):
        done = self.report.finished if self.report is not None else bool(finished)
        self.report = None
        if done or self.ctl.finished:
            ready, self._debrief = getattr(self, "_debrief", None), None
            return Replace(ready or self.debrief_scene())
        if self.hud is not None:
            self.hud.clear_deltas()
        self.fresh = True
        self.reveal_t0 = self.ctx.now
        self.focus = -1
        self.build()
        return None

    def debrief_scene(self):
        """The debrief this playthrough ends on (made ahead while the last feedback is read)."""
        return self.ctx.scenes.debrief(self.ctx, self.ctl)

    def undo(self):
        if not self.ctl.undo():
            self.set_notice(self.t("ui.play.nothing_to_undo"))
            return None
        return self.show_undone()

    def show_undone(self):
        """The screen after an undo: the node again, the gauges as they were, said in a notice."""
        self.report = None
        self.fresh = False
        self.values = dict(self.ctl.gauges_at())
        if self.hud is not None:
            self.hud.set_values(self.values, None)
        self.set_notice(self.t("ui.play.undone"))
        return None

    def history(self):
        # on the feedback panel the next node is not on screen yet: the history stops at the choice
        upto = self.ctl.turn if self.report is not None else None
        return Push(self.ctx.scenes.history(self.ctx, self.ctl, upto=upto))

    def pause(self):
        return Push(self.ctx.scenes.pause(self.ctx, self.ctl))

    def leave(self):
        return Reset((self.ctx.scenes.title(self.ctx),))

    def reload(self):
        result = self.ctl.reload()
        if not result.ok:
            return Push(self.ctx.scenes.diagnostics(self.ctx, str(self.ctl.path), list(result.diagnostics), reload=True))
        self.report = None
        self.fresh = False
        self.values = dict(self.ctl.gauges_at())
        if self.hud is not None:
            self.hud.set_values(self.values, None, animate=False)
        self.set_notice(result.notice)
        if self.ctl.finished:
            return Replace(self.ctx.scenes.debrief(self.ctx, self.ctl))
        return None

    def set_notice(self, text: str | None) -> None:
        self.notice = text
        if text:
            pygame.time.set_timer(NOTICE_EVENT, NOTICE_SECONDS * 1000, loops=1)
        self.build()

    def on_result(self, result):
        if result is Result.RELOAD:
            return self.reload()
        if result is Result.RESTART:
            self.ctl.restart()
            self.report = None
            self.fresh = True
            self.values = dict(self.ctl.gauges_at())
            if self.hud is not None:
                self.hud.set_values(self.values, None, animate=False)
            self.notice = None
            self.build()
        return None

    def on_settings(self, old, new) -> None:
        if new.language != old.language:
            self.ctl.switch_language(new.language)
            if self.report is not None and self.ctl.turn:  # the open feedback, in the new language too
                self.report = self.ctl.report(self.ctl.turn - 1)
        self.fresh = False

    # ---- events ------------------------------------------------------------------------------
    def handle(self, event):
        if event.type == NOTICE_EVENT:
            if self.notice:
                self.notice = None
                self.build()
            return None
        if event.type == pygame.KEYDOWN:
            ctrl = event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
            if event.key == pygame.K_z and ctrl:
                return self.undo()
            if event.key == pygame.K_ESCAPE:
                return self.pause()
            if event.key == pygame.K_h and not ctrl:
                return self.history()
            if event.key == pygame.K_F5:
                return self.reload()
            if event.key == pygame.K_SPACE and self._skippable():
                self._skip()
                return None
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self._skippable() and \
                (self.stage.collidepoint(event.pos) or (self.reveal_rect and self.reveal_rect.collidepoint(event.pos))):
            self._skip()
            return None
        if self.view.handle(event):
            return None
        if self.report is None and self.choices is not None and not self.dead_end:
            if event.type == pygame.KEYDOWN:
                self._skip()  # choosing ends any arrival animation
            picked = self.choices.handle(event)
            if picked is not None:
                return self.choose(picked)
            if event.type == pygame.KEYDOWN and event.key in (pygame.K_UP, pygame.K_DOWN, pygame.K_TAB,
                                                                pygame.K_RETURN, pygame.K_KP_ENTER):
                return None
        if self.report is not None and event.type == pygame.KEYDOWN and event.key in (
                pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            return self.proceed()
        return super().handle(event)

    def _skippable(self) -> bool:
        return self.view.animating or self._revealing

    def _skip(self) -> None:
        self.view.skip()
        self.reveal_rect = None

    @property
    def _revealing(self) -> bool:
        return self.reveal_rect is not None and self.ctx.now - self.reveal_t0 < self._reveal_duration

    @property
    def _reveal_duration(self) -> float:
        return min(1.6, 0.25 + getattr(self, "reveal_len", 0) / 400)

    @property
    def animating(self) -> bool:
        return (self.view.animating or self._revealing or (self.hud is not None and self.hud.animating)
                or (self.choices is not None and self.choices.animating))

    # ---- drawing -----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        surface.fill(ctx.colour("bg"))
        pygame.draw.rect(surface, ctx.colour("surface_alt"), self.bar)
        pygame.draw.line(surface, ctx.colour("border"), self.bar.bottomleft, self.bar.bottomright, 1)
        margin = self.left.x
        unsaved = None
        if self.ctl.save_error is not None:  # said in words, on the bar, for as long as it lasts
            unsaved = ctx.text("⚠ " + self.t("ui.play.unsaved"), "small", "warning_text", style="bold")
        room = self.bar_title_w - (unsaved.get_width() + m.pad * 2 if unsaved is not None else 0)
        title = ctx.fit(self.ctl.scenario.title, "body", "heading", max(40, room - m.px(120)), style="bold")
        surface.blit(title, (margin, self.bar.centery - title.get_height() // 2))
        x = margin + title.get_width() + m.pad * 2
        step = ctx.text(self.t("ui.play.step", n=self.ctl.turn + (0 if self.report else 1)), "small", "text_muted")
        if title.get_width() + step.get_width() + m.pad * 2 < room:
            surface.blit(step, (x, self.bar.centery - step.get_height() // 2))
            x += step.get_width() + m.pad
        if unsaved is not None:
            r = pygame.Rect(x, self.bar.centery - unsaved.get_height() // 2 - 2, unsaved.get_width() + m.pad,
                            unsaved.get_height() + 4)
            pygame.draw.rect(surface, ctx.colour("warning_bg"), r, border_radius=m.radius // 2)
            surface.blit(unsaved, (r.x + m.pad // 2, r.y + 2))
        self.view.draw(surface)
        if self.hud is not None:
            self.hud.draw(surface)
        if self.notice_rect is not None and self.notice:
            r = self.notice_rect
            pygame.draw.rect(surface, ctx.colour("warning_bg"), r, border_radius=m.radius)
            pygame.draw.rect(surface, ctx.colour("warning_border"), r, 1, border_radius=m.radius)
            s = ctx.text(self.notice, "small", "warning_text", r.width - 2 * m.pad)
            surface.blit(s, (r.x + m.pad, r.y + (r.height - s.get_height()) // 2))
        if self.card_rect is not None:
            draw_card(ctx, surface, self.card_rect)
        if self.choices is not None and not self.dead_end:
            self.choices.draw(surface)

    def draw_after(self, surface: pygame.Surface) -> None:
        """The progressive reveal of the text: a soft edge sliding down over the text box."""
        if not self._revealing:
            return
        r = self.reveal_rect
        p = (self.ctx.now - self.reveal_t0) / self._reveal_duration
        p = 1 - (1 - p) ** 2
        y = r.y + int((r.height + 40) * p)
        if y >= r.bottom:
            return
        bg = self.ctx.colour("bg")
        edge = 40
        for k in range(0, edge, 4):
            a = int(255 * k / edge)
            strip = pygame.Surface((r.width, 4), pygame.SRCALPHA)
            strip.fill(bg[:3] + (a,))
            if y - edge + k >= r.y:
                surface.blit(strip, (r.x, y - edge + k))
        surface.fill(bg, pygame.Rect(r.x, max(r.y, y), r.width, r.bottom - max(r.y, y)))
