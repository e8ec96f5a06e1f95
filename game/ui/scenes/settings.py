"""Settings: language, text size, high contrast, reduced motion, fullscreen; a button opens
the accessibility panel (reading font, line spacing, self-voicing: game/ui/scenes/access.py).

Each change applies at once (the whole window is rebuilt with the new
theme and strings) and is saved in the user's config folder.
"""

from __future__ import annotations

import pygame

from game.i18n import LANGUAGES

from ..scene import ApplySettings, Pop, Push, Scene
from ..speech import option_words
from ..theme import TEXT_SIZES
from . import button_height, button_width, draw_panel, panel_rect


class SettingsScene(Scene):
    modal = True
    name = "settings"

    def rows(self):
        s = self.ctx.settings
        yes_no = [(False, self.t("ui.no")), (True, self.t("ui.yes"))]
        return [
            ("ui.settings.language", "language", [(code, self.t(f"ui.lang.{code}")) for code in LANGUAGES], s.language),
            ("ui.settings.text_size", "text_size", [(k, self.t(f"ui.size.{k}")) for k in TEXT_SIZES], s.text_size),
            ("ui.settings.contrast", "high_contrast", yes_no, s.high_contrast),
            ("ui.settings.motion", "reduced_motion", yes_no, s.reduced_motion),
            ("ui.settings.fullscreen", "fullscreen", yes_no, s.fullscreen),
        ]

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        bh = button_height(ctx)
        rows = self.rows()
        self.labels = []
        self.options: dict[object, tuple[str, str, bool]] = {}  # button -> (row, option, selected), for self-voicing
        label_w = max(ctx.font("body", "bold").size(self.t(k))[0] for k, *_ in rows) + m.pad * 2
        opts_w = max(sum(button_width(ctx, o[1], minimum=m.px(90)) + m.pad // 2 for o in opts) for _, _, opts, _ in rows)
        width = min(ctx.size[0] - 4 * m.pad, label_w + opts_w + m.pad * 4)
        two_lines = label_w + opts_w + m.pad * 4 > width
        row_h = bh * (2 if two_lines else 1) + m.pad
        head = ctx.text(self.t("ui.settings.title"), "h2", "heading", style="bold")
        if ctx.settings_problem:  # the settings apply but could not be kept: said under the title
            note = ctx.text(ctx.settings_problem, "small", "warning_text", width - 4 * m.pad)
            both = pygame.Surface((max(head.get_width(), note.get_width()), head.get_height() + m.pad // 2
                                   + note.get_height()), pygame.SRCALPHA)
            both.blit(head, (0, 0))
            both.blit(note, (0, head.get_height() + m.pad // 2))
            head = both
        height = m.pad * 2 + head.get_height() + m.pad * 2 + len(rows) * (row_h + m.pad // 2) + bh + m.pad * 3
        self.rect = panel_rect(ctx, 10_000, 10_000)
        self.rect.size = (width, min(height, ctx.size[1] - 2 * m.pad))
        self.rect.center = (ctx.size[0] // 2, ctx.size[1] // 2)
        self.head = head
        y = self.rect.y + m.pad * 2 + head.get_height() + m.pad * 2
        x0 = self.rect.x + m.pad * 2
        for key, field, opts, current in rows:
            self.labels.append((ctx.text(self.t(key), "body", "text", style="bold"), (x0, y + (bh - ctx.font("body").get_linesize()) // 2)))
            x = x0 if two_lines else x0 + label_w
            yy = y + bh if two_lines else y
            for value, text in opts:
                bw = button_width(ctx, text, minimum=m.px(90))
                b = self.button(pygame.Rect(x, yy, bw, bh), text, lambda f=field, v=value: self.change(f, v))
                if value == current:
                    b.select()
                self.options[b] = (self.t(key), text, value == current)
                x += bw + m.pad // 2
            y += row_h + m.pad // 2
        close = self.t("ui.close")
        cw = button_width(ctx, close, style="bold", minimum=m.px(160))
        self.button(pygame.Rect(self.rect.right - m.pad * 2 - cw, self.rect.bottom - m.pad * 2 - bh, cw, bh), close,
                    lambda: Pop(), object_id="#primary")
        if ctx.scenes.access is not None:  # text size, spacing, reading font, contrast, motion, self-voicing
            access = self.t("ui.access.open")
            aw = min(button_width(ctx, access), self.rect.width - cw - m.pad * 5)
            self.button(pygame.Rect(self.rect.x + m.pad * 2, self.rect.bottom - m.pad * 2 - bh, aw, bh), access,
                        lambda: Push(ctx.scenes.access(ctx)))

    def spoken_focus(self) -> str | None:
        """What self-voicing says of the focused button: an option with its row."""
        if not 0 <= self.focus < len(self.focusables):
            return None
        b = self.focusables[self.focus]
        return option_words(*self.options[b], self.ctx.lang) if b in self.options else b.text

    def change(self, field: str, value):
        s = self.ctx.settings
        if getattr(s, field) == value:
            return None
        return ApplySettings(s.with_(**{field: value}))

    def handle_key(self, event):
        if event.key == pygame.K_ESCAPE:
            return Pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        m = self.ctx.metrics
        draw_panel(self.ctx, surface, self.rect)
        surface.blit(self.head, (self.rect.x + m.pad * 2, self.rect.y + m.pad * 2))
        for s, pos in self.labels:
            surface.blit(s, pos)
