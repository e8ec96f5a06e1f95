"""The game window as a program: which scenes exist and which come first.

`run(lang, scenario_path, seed)` opens the window and returns an exit code;
`open_window(...)` builds the same window for tests, the pilot and the
benchmarks. The loop itself (game/ui/loop.py) knows no concrete scene: this
module gives it the scenes' constructors (`ctx.scenes`) and the first ones.
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from . import native  # noqa: E402

native.tune()

import pygame  # noqa: E402

from game.i18n import LANGUAGES, t as translate  # noqa: E402

from . import userdata  # noqa: E402
from .autoplay import autoplay as run_autoplay  # noqa: E402
from .loop import DEFAULT_SIZE, App, Context  # noqa: E402
from .scene import Scene, Scenes  # noqa: E402
from .scenes.access import AccessScene  # noqa: E402
from .scenes.apology import ApologyScene  # noqa: E402
from .scenes.briefing import BriefingScene, open_scenario  # noqa: E402
from .scenes.classe import ClasseScene  # noqa: E402
from .scenes.debrief import DebriefScene  # noqa: E402
from .scenes.diagnostics import DiagnosticsScene  # noqa: E402
from .scenes.history import HistoryScene  # noqa: E402
from .scenes.pause import PauseScene  # noqa: E402
from .scenes.picker import PickerScene  # noqa: E402
from .scenes.play import PlayScene  # noqa: E402
from .scenes.preview import PreviewScene  # noqa: E402
from .scenes.settings import SettingsScene  # noqa: E402
from .scenes.stepout import StepOutScene  # noqa: E402
from .scenes.title import TitleScene  # noqa: E402

def group_scene(ctx, *args, **kwargs):
    """Group mode's picker or briefing (game/ui/scenes/group.py), imported when first asked for:
    it brings the classroom's session and xAPI code, ~0.1 s of a launch that does not need it."""
    from .scenes.group import group_scene as make

    return make(ctx, *args, **kwargs)


SCENES = Scenes(
    title=TitleScene, picker=PickerScene, briefing=BriefingScene, open_scenario=open_scenario, play=PlayScene,
    debrief=DebriefScene, history=HistoryScene, pause=PauseScene, settings=SettingsScene,
    diagnostics=DiagnosticsScene, step_out=StepOutScene, apology=ApologyScene, preview=PreviewScene,
    access=AccessScene, classe=ClasseScene, group=group_scene,
)


def open_window(lang: str | None = None, scenario_path: str | None = None, seed: int | None = None,
                size: tuple[int, int] | None = None, dirs: userdata.Dirs | None = None, group: bool = False,
                host: dict | None = None) -> App:
    """The window on the title screen, or on the briefing of `scenario_path` (above the title screen);
    with `group`, its group-mode briefing (game/ui/scenes/group.py); with `host` (HostScene's arguments:
    scenario_path or resume, bind, port, undo_allowed), hosting a classroom session (`pandore host X`).

    With a scenario, `lang` (when it is an interface language) overrides the
    saved setting: `pandore play X --lang en` plays in English.
    """

    def first(ctx: Context) -> list[Scene]:
        scenes: list[Scene] = [TitleScene(ctx)]
        if host is not None:
            from .scenes.host_screen import HostScene

            scenes.append(HostScene(ctx, **host))
        elif scenario_path is not None:
            scenes.append(group_scene(ctx, scenario_path, seed) if group else open_scenario(ctx, scenario_path, seed))
        return scenes

    app = App(first, SCENES, lang=lang, size=size, dirs=dirs,
              force_lang=(scenario_path is not None or host is not None) and lang in LANGUAGES)
    native.settle_memory()
    return app


def _no_screen() -> bool:
    """True when SDL found no screen and fell back to drawing off screen by itself
    (an SSH session, a server): the window would run unseen. A driver chosen on
    purpose (SDL_VIDEODRIVER, as tests do) is respected."""
    if os.environ.get("SDL_VIDEODRIVER"):
        return False
    pygame.display.init()
    return pygame.display.get_driver() in ("offscreen", "dummy")


def run(lang: str = "fr", scenario_path: str | None = None, seed: int | None = None, *,
        autoplay: str | None = None, screenshots: str | None = None, size: tuple[int, int] | None = None,
        group: bool = False, host: dict | None = None) -> int:
    """Open the game window (title screen, or straight into `scenario_path`). Returns an exit code.

    With `autoplay` (choice ids or numbers separated by commas, `first` or
    `random:SEED`), plays those choices and saves a PNG of every screen into
    `screenshots`, then returns 0 (see game/ui/autoplay.py).
    """
    try:
        if autoplay is not None:
            return run_autoplay(open_window, scenario_path, autoplay, screenshots, lang=lang, seed=seed,
                                size=size or DEFAULT_SIZE)
        if _no_screen():
            print(f"pandore: {translate('ui.error.no_screen', lang)}", file=sys.stderr)
            return 2
        return open_window(lang=lang, scenario_path=scenario_path, seed=seed, size=size, group=group,
                           host=host).run()
    except KeyboardInterrupt:
        return 130
    except pygame.error as e:  # no display, no video driver...
        print(f"pandore: {translate('ui.error.display', lang, error=str(e))}", file=sys.stderr)
        return 1
    finally:
        pygame.quit()
