"""Classe: host a session, join one, or (for trainers) open the live preview of a scenario file.

`ClasseScene` is the small choice the title screen's « Classe » leads to.
`HostPickerScene` is the scenario picker whose « Choisir » starts hosting
that scenario. `PreviewFileScene` asks for a scenario file (pygame_gui's
file dialog, opened in the trainer's scenarios folder, else their home) and
opens the live preview of it: the same screen as `pandore play FILE --watch`.
Without a mouse, a path typed in the dialog's field then Enter opens it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pygame
import pygame_gui

from ..scene import Pop, Push, Replace, Scene
from . import button_height, button_width, page
from .picker import PickerScene

# The hosting and joining screens bring httpx (and, on use, FastAPI and uvicorn): imported when one is
# opened, so the title screen appears as fast as before.

SCENARIO_SUFFIXES = {".yaml", ".yml"}


def drop_bare_gui_events(manager) -> None:
    """Make `manager` ignore events that carry a pygame_gui event type but no `ui_element`.

    Some screens' timers use `pygame.USEREVENT + n` numbers that pygame_gui also allocates to its own
    events (the play screen's notice timer is UI_TEXT_ENTRY_CHANGED's number), and such a timer can
    fire after its screen is gone; pygame_gui's file dialog then reads `event.ui_element` and fails.
    """
    process = manager.process_events

    def guarded(event) -> bool:
        if pygame.USEREVENT <= event.type < pygame.NUMEVENTS and not hasattr(event, "ui_element") \
                and event.type in _GUI_EVENT_TYPES:
            return False
        return process(event)

    manager.process_events = guarded


_GUI_EVENT_TYPES = frozenset(getattr(pygame_gui, n) for n in dir(pygame_gui)
                             if n.startswith("UI_") and isinstance(getattr(pygame_gui, n), int))


class ClasseScene(Scene):
    name = "classe"

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        pg = page(ctx, 900)
        bh = round(ctx.font("h3").get_linesize() * 2.0)
        back = self.t("ui.back")
        self.button(pygame.Rect(pg.x, pg.y, button_width(ctx, back), button_height(ctx)), back, lambda: Pop(),
                    object_id="#quiet")
        y = pg.y + button_height(ctx) + m.pad * 2
        self.head_pos = (pg.x, y)
        y += ctx.font("h2", "bold").get_linesize() + m.pad * 2
        entries = (("host", self.host), ("resume", self.kept), ("join", self.join), ("preview", self.preview))
        width = min(pg.width, m.px(560))
        helps = [ctx.text(self.t(f"ui.classe.menu.{k}_help"), "small", "text_muted", width) for k, _ in entries]
        stacked = sum(bh + m.pad // 2 + h.get_height() + m.pad * 2 for h in helps)
        side = y + stacked > ctx.size[1] - m.pad  # large text on a small window: each help beside its button
        if side:
            labels = max(button_width(ctx, self.t(f"ui.classe.menu.{k}"), "h3") for k, _ in entries)
            width = min(max(int(pg.width * 0.42), labels), int(pg.width * 0.55))
            help_w = pg.width - width - m.pad * 2
            helps = [ctx.text(self.t(f"ui.classe.menu.{k}_help"), "small", "text_muted", help_w) for k, _ in entries]
        self.rows = []
        for (key, action), s in zip(entries, helps):
            self.button(pygame.Rect(pg.x, y, width, bh), self.t(f"ui.classe.menu.{key}"), action,
                        object_id="#menu_primary" if key == "host" else "#menu")
            if side:
                self.rows.append((s, (pg.x + width + m.pad * 2, y + max(0, (bh - s.get_height()) // 2))))
                y += max(bh, s.get_height()) + m.pad
            else:
                y += bh + m.pad // 2
                self.rows.append((s, (pg.x, y)))
                y += s.get_height() + m.pad * 2
        if self.focus < 0:
            self.focus = 1

    def host(self):
        return Push(HostPickerScene(self.ctx))

    def kept(self):
        from .host_screen import KeptSessionsScene

        return Push(KeptSessionsScene(self.ctx))

    def join(self):
        from .join import JoinScene

        return Push(JoinScene(self.ctx))

    def preview(self):
        return Push(PreviewFileScene(self.ctx))

    def handle_key(self, event):
        if event.key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
            return Pop()
        return None

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.ctx.colour("bg"))
        surface.blit(self.ctx.text(self.t("ui.classe.title"), "h2", "heading", style="bold"), self.head_pos)
        for s, pos in self.rows:
            surface.blit(s, pos)


class HostPickerScene(PickerScene):
    """The picker, whose « Choisir » hosts the scenario instead of playing it."""

    name = "host_picker"

    def layout(self) -> None:
        super().layout()
        choose, host = self.t("ui.picker.choose"), self.t("ui.classe.host.pick_button")
        for b in self.actions:  # each card's button says what it does here: host it
            if getattr(b, "text", None) == choose:
                b.set_text(host)

    def _open(self, card):
        if not card.loaded.ok:
            return super()._open(card)
        from .host_screen import HostScene

        return Replace(HostScene(self.ctx, card.loaded.path))

    def draw(self, surface: pygame.Surface) -> None:
        super().draw(surface)
        # the heading says what choosing does here
        surface.fill(self.ctx.colour("bg"), pygame.Rect(self.heading_pos, (surface.get_width(),
                                                                            self.ctx.font("h2", "bold").get_linesize())))
        surface.blit(self.ctx.text(self.t("ui.classe.host.pick"), "h2", "heading", style="bold"), self.heading_pos)


def start_folder() -> Path:
    """Where the file chooser opens: the trainer's scenarios folder when there is one, else their home."""
    from game.authoring.commands import scenarios_folder

    try:
        folder = scenarios_folder()
        if folder.is_dir() and os.access(folder, os.R_OK):
            return folder.resolve()
    except OSError:
        pass
    return Path.home()


class PreviewFileScene(Scene):
    """A file chooser, then the live preview of the file chosen."""

    name = "preview_file"

    def __init__(self, ctx, folder: Path | None = None):
        super().__init__(ctx)
        self.folder = Path(folder) if folder is not None else start_folder()
        self.dialog: pygame_gui.windows.UIFileDialog | None = None
        self.problem: str | None = None

    def layout(self) -> None:
        ctx, m = self.ctx, self.ctx.metrics
        drop_bare_gui_events(self.manager)
        pg = page(ctx, 1100)
        self.head_pos = (pg.x, pg.y)
        try:
            self.manager.set_locale(ctx.lang)  # the dialog's own buttons in the interface's language
        except Exception:  # noqa: BLE001  (an older pygame_gui: its English words)
            pass
        top = pg.y + ctx.font("h2", "bold").get_linesize() + m.pad * 2
        rect = pygame.Rect(pg.x, top, min(pg.width, m.px(900)), pg.bottom - top)
        self.dialog = pygame_gui.windows.UIFileDialog(
            rect, self.manager, window_title=self.t("ui.trainer.choose_file"), allowed_suffixes=SCENARIO_SUFFIXES,
            initial_file_path=str(self.folder), allow_existing_files_only=True)
        self.dialog.set_blocking(False)
        self.problem_pos = (pg.x, pg.y + ctx.font("h2", "bold").get_linesize() + m.pad // 2)

    def handle(self, event):
        mine = getattr(event, "ui_element", None)
        if event.type == pygame_gui.UI_FILE_DIALOG_PATH_PICKED and mine is self.dialog:
            return self.open(Path(event.text))
        if event.type == pygame_gui.UI_WINDOW_CLOSE and mine is self.dialog:
            return Pop()
        if (event.type == pygame_gui.UI_TEXT_ENTRY_FINISHED and self.dialog is not None
                and mine is self.dialog.file_path_text_line):
            typed = Path(event.text).expanduser()
            if typed.is_file():  # keyboard only: a path typed, then Enter, opens it
                return self.open(typed)
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            return Pop()
        return super().handle(event)

    def open(self, path: Path):
        """The live preview of `path` (a scenario file), in place of this chooser."""
        if path.suffix.lower() not in SCENARIO_SUFFIXES or not path.is_file():
            self.problem = self.t("ui.trainer.not_a_scenario", file=str(path))
            self.build()
            return None
        return Replace(self.ctx.scenes.preview(self.ctx, str(path)))

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(self.ctx.colour("bg"))
        surface.blit(self.ctx.text(self.t("ui.trainer.title"), "h2", "heading", style="bold"), self.head_pos)
        if self.problem:
            surface.blit(self.ctx.text(self.problem, "body", "negative", self.ctx.size[0] - 2 * self.head_pos[0]),
                         self.problem_pos)
