"""view: sms — a phone with the thread: bubbles, times, the player's replies.

New incoming messages arrive one by one after a discreet typing indicator
(three dots); with reduced motion they are all there at once. A key or a
click skips the arrival. The mouse wheel over the phone, Page Up/Down and
Home/End scroll the thread.
"""

from __future__ import annotations

import pygame

from .base import View

TYPING = 0.9  # seconds of "typing" before an incoming message
SENT = 0.2
FADE = 0.2  # seconds a bubble takes to appear once it has arrived


class SmsView(View):
    def __init__(self, ctx, rect, node, fresh=True):
        super().__init__(ctx, rect, node, fresh)
        m = ctx.metrics
        h = self.rect.height
        # as wide as the stage allows (up to a large phone): fewer lines per bubble, more bubbles shown
        w = min(int(self.rect.width * 0.92), int(h * 0.8), m.px(460))
        w = max(w, min(self.rect.width, m.px(220)))
        self.phone = pygame.Rect(0, 0, w, h)
        self.phone.center = self.rect.center
        self.bezel = max(6, m.px(10))
        self.screen = self.phone.inflate(-2 * self.bezel, -2 * self.bezel)
        f_small = ctx.font("small")
        self.status_h = f_small.get_linesize() + 4
        self.header_h = round(ctx.font("bubble").get_linesize() * 2.4)
        self.input_h = round(ctx.font("bubble").get_linesize() * 1.9)
        self.thread_rect = pygame.Rect(self.screen.x, self.screen.y + self.status_h + self.header_h,
                                       self.screen.width, self.screen.height - self.status_h - self.header_h - self.input_h)
        self.scroll = 0  # pixels scrolled up from the bottom
        self._render_bubbles()
        # arrival schedule of the new messages
        self.schedule: list[float] = []
        t = 0.0
        for b in node.thread:
            if b.new and self.fresh:
                t += SENT if b.sent else TYPING
            self.schedule.append(t if (b.new and self.fresh) else 0.0)
        self.end = t

    def _render_bubbles(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        inner = self.thread_rect.width
        maxw = int(inner * 0.78)
        pad_x, pad_y = m.px(12), m.px(8)
        senders = {b.sender for b in self.node.thread if not b.sent}
        group = len(senders) > 1
        self.bubbles: list[tuple[pygame.Surface, bool]] = []
        for b in self.node.thread:
            colour = "bubble_out_text" if b.sent else "bubble_in_text"
            body = ctx.text(b.text, "bubble", colour, maxw - 2 * pad_x)
            parts = [body]
            if group and not b.sent:
                parts.insert(0, ctx.fit(b.sender, "small", colour, maxw - 2 * pad_x, style="bold"))
            meta = None
            if b.at:
                meta = ctx.text(b.at, "small", colour)
            bw = max(p.get_width() for p in parts) + 2 * pad_x
            if meta is not None:
                bw = max(bw, meta.get_width() + 2 * pad_x)
            bh = sum(p.get_height() for p in parts) + 2 * pad_y + (meta.get_height() if meta is not None else 0)
            surf = pygame.Surface((bw, bh), pygame.SRCALPHA)
            pygame.draw.rect(surf, ctx.colour("bubble_out" if b.sent else "bubble_in"), surf.get_rect(),
                             border_radius=m.px(14))
            if ctx.settings.high_contrast and not b.sent:
                pygame.draw.rect(surf, ctx.colour("border"), surf.get_rect(), 2, border_radius=m.px(14))
            y = pad_y
            for p in parts:
                surf.blit(p, (pad_x, y))
                y += p.get_height()
            if meta is not None:
                surf.blit(meta, (bw - pad_x - meta.get_width(), y))
            self.bubbles.append((surf, b.sent))
        self.gap = m.px(8)

    # ---- animation -----------------------------------------------------------------
    @property
    def elapsed(self) -> float:
        return self.ctx.now - self.t0

    @property
    def animating(self) -> bool:
        return self.fresh and self.elapsed < self.end + FADE

    def _visible(self) -> tuple[int, bool]:
        """How many bubbles are shown, and whether the typing dots show."""
        if not self.fresh:
            return len(self.bubbles), False
        el = self.elapsed
        n = 0
        for i, at in enumerate(self.schedule):
            if at <= el:
                n = i + 1
            else:
                b = self.node.thread[i]
                return n, not b.sent
        return n, False

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEWHEEL and self.phone.collidepoint(pygame.mouse.get_pos()):
            self.scroll = max(0, self.scroll + event.y * 40)
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            page = self.thread_rect.height * 3 // 4
            self.scroll = max(0, self.scroll + (page if event.key == pygame.K_PAGEUP else -page))
            return True  # clamped to the thread's height when drawn
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_HOME, pygame.K_END) \
                and getattr(self, "overflow", 0):
            self.scroll = self.overflow if event.key == pygame.K_HOME else 0  # the oldest or the newest message
            return True
        return False

    # ---- drawing -----------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        pygame.draw.rect(surface, ctx.colour("phone_frame"), self.phone, border_radius=m.px(34))
        pygame.draw.rect(surface, ctx.colour("phone_screen"), self.screen, border_radius=m.px(24))
        # status bar: time of the last message
        last_at = next((b.at for b in reversed(self.node.thread) if b.at), None)
        sr = pygame.Rect(self.screen.x, self.screen.y, self.screen.width, self.status_h)
        if last_at:
            st = ctx.text(last_at, "small", "phone_muted", style="semibold")
            surface.blit(st, (sr.x + m.px(18), sr.y + 3))
        for k in range(3):  # signal bars
            bh = 4 + k * 3
            pygame.draw.rect(surface, ctx.colour("phone_muted"),
                             (sr.right - m.px(18) - (2 - k) * 6 - 4, sr.bottom - bh - 1, 4, bh))
        # header: avatar and contact
        hr = pygame.Rect(self.screen.x, sr.bottom, self.screen.width, self.header_h)
        pygame.draw.rect(surface, ctx.colour("phone_header"), hr)
        pygame.draw.line(surface, ctx.colour("border"), hr.bottomleft, hr.bottomright, 1)
        contact = self.node.contact or "…"
        rad = self.header_h * 3 // 10
        c = (hr.x + m.px(14) + rad, hr.centery)
        pygame.draw.circle(surface, ctx.colour("accent"), c, rad)
        ini = ctx.text(contact[:1].upper(), "bubble", "accent_text", style="bold")
        surface.blit(ini, ini.get_rect(center=c))
        name_x = c[0] + rad + m.px(10)
        name = ctx.fit(contact, "bubble", "phone_text", hr.right - name_x - m.px(8), style="bold")
        sub = ctx.fit(ctx.t("ui.sms.work_phone"), "small", "phone_muted", hr.right - name_x - m.px(8))
        total = name.get_height() + sub.get_height()
        surface.blit(name, (name_x, hr.centery - total // 2))
        surface.blit(sub, (name_x, hr.centery - total // 2 + name.get_height()))
        # thread, bottom-aligned
        n, typing = self._visible()
        tr = self.thread_rect
        prev = surface.get_clip()
        surface.set_clip(tr)
        inner_pad = m.px(12)
        heights = [s.get_height() for s, _ in self.bubbles[:n]]
        typing_h = ctx.font("bubble").get_linesize() + m.px(16) if typing else 0
        total_h = sum(heights) + self.gap * max(0, len(heights) - 1) + (typing_h + self.gap if typing else 0)
        overflow = max(0, total_h - (tr.height - 2 * inner_pad))
        self.scroll = min(self.scroll, overflow)
        y = tr.bottom - inner_pad - total_h + self.scroll
        self.drawn = []  # (screen rect, sent) of each bubble of this frame
        for i, (s, sent) in enumerate(self.bubbles[:n]):
            x = tr.right - inner_pad - s.get_width() if sent else tr.x + inner_pad
            self.drawn.append((pygame.Rect(x, y, s.get_width(), s.get_height()), sent))
            if self.fresh and self.node.thread[i].new and self.elapsed - self.schedule[i] < FADE:
                a = (self.elapsed - self.schedule[i]) / FADE
                s.set_alpha(int(255 * max(0.0, min(1.0, a))))
                surface.blit(s, (x, y + int((1 - a) * 10)))
                s.set_alpha(255)
            else:
                surface.blit(s, (x, y))
            y += s.get_height() + self.gap
        if typing:
            bw = m.px(64)
            rect = pygame.Rect(tr.x + inner_pad, y, bw, typing_h)
            pygame.draw.rect(surface, ctx.colour("bubble_in"), rect, border_radius=m.px(14))
            phase = int(self.elapsed * 4) % 3
            for k in range(3):
                col = ctx.colour("bubble_in_text") if k == phase else ctx.colour("phone_muted")
                pygame.draw.circle(surface, col, (rect.x + bw // 4 * (k + 1), rect.centery), max(3, m.px(4)))
        surface.set_clip(prev)
        self.overflow = overflow
        if overflow:  # a visible scrollbar: older messages above (wheel or Page Up)
            track = pygame.Rect(tr.right - 5, tr.y + 2, 4, tr.height - 4)
            bar_h = max(20, track.height * tr.height // (total_h + 2 * inner_pad))
            by = track.y + (track.height - bar_h) * (overflow - self.scroll) // overflow
            pygame.draw.rect(surface, ctx.colour("scrollbar"), (track.x, by, 4, bar_h), border_radius=2)
        if overflow and self.scroll < overflow:
            # older messages above: a soft fade under the header says so (wheel to scroll)
            bg = ctx.colour("phone_screen")[:3]
            for k in range(0, 24, 3):
                strip = pygame.Surface((tr.width, 3), pygame.SRCALPHA)
                strip.fill(bg + (int(230 * (1 - k / 24)),))
                surface.blit(strip, (tr.x, tr.y + k))
        # input bar (decorative: the player answers with the choices)
        ir = pygame.Rect(self.screen.x + m.px(10), tr.bottom + m.px(6), self.screen.width - m.px(20),
                         self.input_h - m.px(14))
        pygame.draw.rect(surface, ctx.colour("phone_header"), ir, border_radius=ir.height // 2)
        pygame.draw.rect(surface, ctx.colour("border"), ir, 1, border_radius=ir.height // 2)
        ph = ctx.fit(ctx.t("ui.sms.input"), "small", "phone_muted", ir.width - m.px(30))
        surface.blit(ph, (ir.x + m.px(14), ir.centery - ph.get_height() // 2))
