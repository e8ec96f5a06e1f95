"""Process-level settings that keep the window light, applied before SDL opens it.

- On Linux under X11, SDL draws the window through the X server's shared memory
  (`SDL_FRAMEBUFFER_ACCELERATION=0`) instead of an OpenGL texture: the game
  blits surfaces and flips whole frames, which needs no GPU, and the OpenGL
  path loaded a driver (Mesa's llvmpipe where there is no GPU: 60-110 MB)
  for nothing. A value the user sets wins.
- With glibc, large buffers (rendered text, pictures, pygame_gui's surfaces,
  64 KB and more) are given back to the system when freed: glibc's default
  raises that threshold as the program frees big blocks, after which each
  screen's freed surfaces stayed in the heap (~300 MB over five
  playthroughs at 1920x1080, docs/BENCHMARKS.md).
- Once the first screen is built, what Python holds then (the modules, the
  theme, the scenario: ~40,000 objects) is set aside from the garbage
  collector (`gc.freeze`): a full collection, which may fall in the middle
  of a choice, then takes 0.1 ms instead of 13 ms.
- Under X11, the loop waits for input on the X server's connection
  (`x11_connection`, a file descriptor for `select`) instead of waking every
  10 ms to poll: each wake-up of a process costs ~0.1 ms of CPU here, and SDL's
  own wait (`pygame.event.wait`) wakes every millisecond.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import sys

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
MMAP_THRESHOLD = 64 * 1024

_done = False


def tune() -> None:
    """Apply the settings above once per process; never fails."""
    global _done
    if _done:
        return
    _done = True
    if not sys.platform.startswith("linux"):
        return
    if os.environ.get("SDL_VIDEODRIVER", "x11") in ("x11", "dummy", "offscreen"):
        # only where SDL has a framebuffer of its own: SDL 2 picks X11 (XWayland too) unless
        # told otherwise, and its Wayland and KMS drivers draw through a texture only
        os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    except (OSError, AttributeError):  # not glibc (musl has no mallopt): nothing to tune
        pass


def settle_memory() -> None:
    """Collect, then freeze what is alive now (see above); later objects are collected as
    usual. What an earlier window froze is let go first (tests open many windows)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def x11_connection() -> int | None:
    """The file descriptor of SDL's connection to the X server (readable when input arrives),
    or None: not X11, or not found. Never fails."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import pygame

        if pygame.display.get_driver() != "x11":
            return None
        capsule = pygame.display.get_wm_info().get("display")
        if capsule is None:
            return None
        api = ctypes.pythonapi
        api.PyCapsule_GetName.restype = ctypes.c_char_p
        api.PyCapsule_GetName.argtypes = [ctypes.py_object]
        api.PyCapsule_GetPointer.restype = ctypes.c_void_p
        api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
        display = api.PyCapsule_GetPointer(capsule, api.PyCapsule_GetName(capsule))
        if not display:
            return None
        x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        x11.XConnectionNumber.restype = ctypes.c_int
        x11.XConnectionNumber.argtypes = [ctypes.c_void_p]
        fd = x11.XConnectionNumber(display)
        return fd if fd >= 0 else None
    except Exception:  # noqa: BLE001 - an optimisation: polling still works
        return None
