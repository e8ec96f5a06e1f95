"""The screens' own timer events have numbers pygame_gui never uses for its events: a late notice
timer of the play screen once arrived as a text entry's change in the file chooser."""

from __future__ import annotations


def test_the_screens_timers_never_share_a_number_with_pygame_gui_events():
    import pygame_gui

    from game.ui.scenes.play import NOTICE_EVENT
    from game.ui.scenes.preview import WATCH_EVENT

    theirs = {getattr(pygame_gui, n) for n in dir(pygame_gui) if n.startswith("UI_") and isinstance(getattr(pygame_gui, n), int)}
    assert theirs and NOTICE_EVENT not in theirs and WATCH_EVENT not in theirs and NOTICE_EVENT != WATCH_EVENT
