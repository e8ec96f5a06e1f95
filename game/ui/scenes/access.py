"""The accessibility panel (Shift+A from every screen, and from the settings).

Text size, line spacing, reading font, high contrast, reduced motion and
self-voicing, each applied at once to the whole window (every scene is
rebuilt) and saved with the other settings. The rows sit in a scrolling
area: at 1024x600 with the largest text or a wide reading font they need
more than the window's height; Tab scrolls the focused option into view,
Page Up/Down and the wheel scroll by hand.
"""

from __future__ import annotations

import pygame
import pygame_gui

from ..scene import ApplySettings, Pop, Scene
from ..speech import option_words
from ..theme import LINE_SPACINGS, READING_FONTS, TEXT_SIZES
from . import button_height, button_width, draw_panel

SCROLL_W = 24  # the scroll bar's room at the right of the rows


class AccessScene(Scene):
    modal = True
    name = "access"

    def rows(self) -> list[tuple[str, str, list[tuple[object, str]], object]]:
        s = self.ctx.settings
        yes_no = [(False, self.t("ui.no")), (True, self.t("ui.yes"))]
        return [
            ("ui.access.text_size", "text_size", [(k, self.t(f"ui.size.{k}")) for k in TEXT_SIZES], s.text_size),
            ("ui.access.spacing", "line_spacing", [(k, self.t(f"ui.access.spacing.{k}")) for k in LINE_SPACINGS],
             s.line_spacing),
            ("ui.access.font", "reading_font", [(k, self.t(f"ui.access.font.{k}")) for k in READING_FONTS],
             s.reading_font),
            ("ui.access.contrast", "high_contrast", yes_no, s.high_contrast),
            ("ui.access.motion", "reduced_motion", yes_no, s.reduced_motion),
            ("ui.access.voicing", "self_voicing", yes_no, s.self_voicing),
        ]

    def notes(self) -> list[str]:
        """The texts under the rows: the keys, the screen-reader path, why the voice is silent."""
        out = [self.t("ui.access.hint"), self.t("ui.access.screen_reader")]
        problem = self.ctx.app.voice.problem_text(self.ctx.lang) if self.ctx.settings.self_voicing else None
        if problem:
            out.append(problem)
        return out

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        w, h = ctx.size
        bh = button_height(ctx)
        self.rect = pygame.Rect(0, 0, min(w - 4 * m.pad, m.px(1000)), h - 4 * m.pad)
        self.rect.center = (w // 2, h // 2)
        self.head = ctx.text(self.t("ui.access.title"), "h2", "heading", style="bold")
        inner = pygame.Rect(self.rect.x + m.pad * 2, self.rect.y + m.pad * 2 + self.head.get_height() + m.pad,
                            self.rect.width - m.pad * 4, 0)
        inner.height = self.rect.bottom - m.pad * 3 - bh - inner.y
        self.container = pygame_gui.elements.UIScrollingContainer(inner, self.manager, allow_scroll_x=False)
        area_w = inner.width - SCROLL_W
        rows = self.rows()
        label_w = max(ctx.font("body", "bold").size(self.t(k))[0] for k, *_ in rows) + m.pad * 2
        beside = label_w < area_w // 3  # labels beside their options when they leave them room
        self.options: dict[object, tuple[str, str, bool]] = {}  # button -> (row label, option, selected)
        y = 0
        for key, field, opts, current in rows:
            lab = ctx.text(self.t(key), "body", "text", label_w if beside else area_w, style="bold")
            pygame_gui.elements.UIImage(pygame.Rect(0, y + max(0, (bh - lab.get_height()) // 2) if beside else y,
                                                    lab.get_width(), lab.get_height()), lab, self.manager,
                                        container=self.container)
            x0 = label_w if beside else 0
            x, yy = x0, (y if beside else y + lab.get_height() + m.pad // 2)
            for value, text in opts:
                bw = min(area_w - x0, button_width(ctx, text, minimum=m.px(90)))
                if x > x0 and x + bw > area_w:  # wrap the options onto another line
                    x, yy = x0, yy + bh + m.pad // 2
                b = self.button(pygame.Rect(x, yy, bw, bh), text, lambda f=field, v=value: self.change(f, v),
                                container=self.container)
                if value == current:
                    b.select()
                self.options[b] = (self.t(key), text, value == current)
                x += bw + m.pad // 2
            y = yy + bh + m.pad
        y += m.pad // 2
        for note in self.notes():
            s = ctx.text(note, "small", "text", area_w)
            pygame_gui.elements.UIImage(pygame.Rect(0, y, s.get_width(), s.get_height()), s, self.manager,
                                        container=self.container)
            y += s.get_height() + m.pad // 2
        self.container.set_scrollable_area_dimensions((area_w, max(inner.height, y)))
        close = self.t("ui.close")
        cw = button_width(ctx, close, style="bold", minimum=m.px(160))
        self.button(pygame.Rect(self.rect.right - m.pad * 2 - cw, self.rect.bottom - m.pad * 2 - bh, cw, bh), close,
                    lambda: Pop(), object_id="#primary")

    def build(self) -> None:
        super().build()
        if 0 <= self.focus < len(self.focusables):  # rebuilt after a change: the option stays in view
            self._reveal(self.focusables[self.focus])

    def move_focus(self, step: int) -> None:
        super().move_focus(step)
        self._reveal(self.focusables[self.focus])

    def _reveal(self, el) -> None:
        """Scroll the rows so that `el` (an option) shows whole, with a margin."""
        sc, bar = self.container, self.container.vert_scroll_bar
        if bar is None or getattr(el, "ui_container", None) is not sc.get_container():
            return
        total, view = max(1, sc.scrolling_height), sc.get_abs_rect().height
        offset = -sc.get_container().relative_rect.y
        r, margin = el.relative_rect, self.ctx.metrics.pad
        if r.top < offset:
            target = r.top - margin
        elif r.bottom > offset + view:
            target = r.bottom - view + margin
        else:
            return
        bar.set_scroll_from_start_percentage(max(0, min(target, total - view)) / total)

    def change(self, field: str, value):
        s = self.ctx.settings
        if getattr(s, field) == value:
            return None
        return ApplySettings(s.with_(**{field: value}))

    # ---- self-voicing ------------------------------------------------------------------
    def spoken(self) -> list[str]:
        return [self.t("ui.access.title")] + self.notes()

    def spoken_focus(self) -> str | None:
        if not 0 <= self.focus < len(self.focusables):
            return None
        b = self.focusables[self.focus]
        if b not in self.options:
            return b.text
        return option_words(*self.options[b], self.ctx.lang)

    # ---- events ------------------------------------------------------------------------
    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return Pop()
        if event.key in (pygame.K_PAGEDOWN, pygame.K_PAGEUP):
            bar = self.container.vert_scroll_bar
            if bar is not None:
                view = self.container.rect.height
                total = max(1, self.container.scrolling_height)
                step = (1 if event.key == pygame.K_PAGEDOWN else -1) * view * 3 // 4 / total
                bar.set_scroll_from_start_percentage(max(0.0, min(1.0, bar.start_percentage + step)))
            return None
        return None

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ctx.metrics
        draw_panel(self.ctx, surface, self.rect)
        surface.blit(self.head, (self.rect.x + m.pad * 2, self.rect.y + m.pad * 2))
