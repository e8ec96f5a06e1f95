"""Text for the custom-drawn views: fonts from the theme, wrapping, caching.

pygame_gui lays out the long texts (text boxes); the views (SMS bubbles,
dashboard card, video tiles, HUD, chart) draw short texts with these
helpers. Rendered blocks are cached, so a frame of an animation re-blits
surfaces instead of re-rendering glyphs.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, Callable, Hashable

import pygame

from game.i18n import keep_together

Colour = tuple[int, int, int] | tuple[int, int, int, int]


def surface_bytes(s: Any) -> int:
    """What a surface holds in memory (0 for None)."""
    return s.get_width() * s.get_height() * s.get_bytesize() if isinstance(s, pygame.Surface) else 0


class SurfaceCache:
    """A least-recently-used cache of surfaces bounded by the bytes they hold, not by
    their number: one text block of a long debrief weighs as much as a thousand short
    labels, and a count-bounded cache let the window grow by hundreds of MB."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def get(self, key: Hashable, default: Any = None) -> Any:
        if key not in self._items:
            return default
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key: Hashable, value: Any) -> Any:
        if key in self._items:
            self.bytes -= surface_bytes(self._items.pop(key))
        self._items[key] = value
        self.bytes += surface_bytes(value)
        while self.bytes > self.max_bytes and len(self._items) > 1:
            _, old = self._items.popitem(last=False)
            self.bytes -= surface_bytes(old)
        return value

    def drop(self, keep: Callable[[Hashable], bool]) -> None:
        """Forget every entry whose key `keep` refuses."""
        for key in [k for k in self._items if not keep(k)]:
            self.bytes -= surface_bytes(self._items.pop(key))

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0


def cached_surfaces(max_bytes: int):
    """Memoise a function returning surfaces in a SurfaceCache of `max_bytes`
    (`f.cache` is the cache, `f.cache_clear()` empties it)."""

    def wrap_(fn):
        cache = SurfaceCache(max_bytes)
        missing = object()

        @wraps(fn)
        def cached(*args):
            got = cache.get(args, missing)
            return cache.put(args, fn(*args)) if got is missing else got

        cached.cache = cache
        cached.cache_clear = cache.clear
        return cached

    return wrap_


#: what rendered text may keep in memory (a 1920x1080 window's screens use ~10 MB of it)
TEXT_CACHE_BYTES = 32 * 2**20


@lru_cache(maxsize=128)
def font(path: Path, size: int) -> pygame.font.Font:
    f = pygame.font.Font(str(path), size)
    return f


class SignedFont:
    """A font whose missing signs (▲, →, ⚠...) are drawn with another: the measuring and
    drawing calls of pygame.font.Font that wrapping uses, run by run."""

    def __init__(self, main: pygame.font.Font, signs: pygame.font.Font, missing: frozenset[str]):
        self.main, self.signs, self.missing = main, signs, missing

    def _runs(self, text: str) -> list[tuple[pygame.font.Font, str]]:
        runs: list[tuple[pygame.font.Font, str]] = []
        for c in text:
            f = self.signs if c in self.missing else self.main
            if runs and runs[-1][0] is f:
                runs[-1] = (f, runs[-1][1] + c)
            else:
                runs.append((f, c))
        return runs

    def size(self, text: str) -> tuple[int, int]:
        return sum(f.size(s)[0] for f, s in self._runs(text)), self.main.get_height()

    def render(self, text: str, antialias: bool, colour) -> pygame.Surface:
        runs = self._runs(text)
        if len(runs) == 1 and runs[0][0] is self.main:
            return self.main.render(text, antialias, colour)
        surf = pygame.Surface((max(1, self.size(text)[0]), self.main.get_height()), pygame.SRCALPHA)
        x = 0
        for f, s in runs:
            img = f.render(s, antialias, colour)
            surf.blit(img, (x, self.main.get_ascent() - f.get_ascent()))  # on one baseline
            x += img.get_width()
        return surf

    def get_linesize(self) -> int:
        return self.main.get_linesize()

    def get_height(self) -> int:
        return self.main.get_height()

    def get_ascent(self) -> int:
        return self.main.get_ascent()


#: (the file of the font that draws a face's missing signs, those signs), or None
Signs = "tuple[Path, frozenset[str]] | None"


@lru_cache(maxsize=128)
def face(path: Path, size: int, signs: Signs = None) -> "pygame.font.Font | SignedFont":
    """The font of `path`, the signs it lacks drawn with the font of `signs` (Theme.sign_font)."""
    if signs is None:
        return font(path, size)
    return SignedFont(font(path, size), font(signs[0], size), signs[1])


def wrap(text: str, f: pygame.font.Font, width: int) -> list[str]:
    """Split `text` into lines no wider than `width` (long words are cut)."""
    lines: list[str] = []
    for para in text.split("\n"):
        words = para.split(" ")
        line = ""
        for w in words:
            cand = w if not line else f"{line} {w}"
            if f.size(cand)[0] <= width:
                line = cand
                continue
            if line:
                lines.append(line)
            # a single word wider than the line: cut it (each cut found by bisection, so a
            # 10,000-character word costs milliseconds, not minutes)
            while len(w) > 1 and f.size(w[: width + 1])[0] > width:
                cut = longest_fitting(w, f, width, "-")
                lines.append(w[:cut] + "-")
                w = w[cut:]
            line = w
        lines.append(line)
    return lines


def longest_fitting(text: str, f: pygame.font.Font, width: int, suffix: str = "") -> int:
    """The longest prefix length n >= 1 of `text` such that text[:n] + suffix fits `width` (1 if none does).

    A glyph is at least a pixel wide, so no more than `width` characters can fit: the search
    looks only there, by bisection.
    """
    lo, hi = 1, max(1, min(len(text), width))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if f.size(text[:mid] + suffix)[0] <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def line_height(f: pygame.font.Font, spacing: float = 1.25) -> int:
    return round(f.get_linesize() * spacing)


def block(text: str, path: Path, size: int, colour: Colour, width: int, spacing: float = 1.25,
          align: str = "left", max_lines: int = 0, signs: Signs = None) -> pygame.Surface:
    """`text` wrapped to `width`, as a transparent surface (cached); `signs`: see `face`."""
    return _block(text, path, size, tuple(colour), width, spacing, align, max_lines, signs)


@cached_surfaces(TEXT_CACHE_BYTES * 7 // 8)
def _block(text: str, path: Path, size: int, colour: Colour, width: int, spacing: float,
           align: str, max_lines: int, signs: Signs = None) -> pygame.Surface:
    f = face(path, size, signs)
    lines = wrap(keep_together(text), f, max(10, width))
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        if f.size(last + "…")[0] > width:
            last = last[:longest_fitting(last, f, width, "…") if f.size(last[:1] + "…")[0] <= width else 0]
        lines[-1] = last.rstrip() + "…"
    lh = line_height(f, spacing)
    w = max((f.size(s)[0] for s in lines), default=0)
    surf = pygame.Surface((max(1, w if align == "left" else width), max(1, lh * len(lines) - (lh - f.get_linesize()))),
                          pygame.SRCALPHA)
    for i, s in enumerate(lines):
        if not s:
            continue
        img = f.render(s, True, colour)
        x = 0 if align == "left" else (width - img.get_width()) // 2 if align == "center" else width - img.get_width()
        surf.blit(img, (x, i * lh))
    return surf


def line(text: str, path: Path, size: int, colour: Colour, signs: Signs = None) -> pygame.Surface:
    return _line(text, path, size, tuple(colour), signs)


@cached_surfaces(TEXT_CACHE_BYTES // 8)
def _line(text: str, path: Path, size: int, colour: Colour, signs: Signs = None) -> pygame.Surface:
    return face(path, size, signs).render(text, True, colour)


def fit(text: str, path: Path, size: int, colour: Colour, width: int, signs: Signs = None) -> pygame.Surface:
    """One line, shortened with an ellipsis to fit `width`."""
    f = face(path, size, signs)
    if f.size(text)[0] <= width:
        return line(text, path, size, colour, signs)
    n = longest_fitting(text, f, width, "…") if f.size(text[:1] + "…")[0] <= width else 0
    return line(text[:n].rstrip() + "…", path, size, colour, signs)


def clear_caches() -> None:
    _block.cache_clear()
    _line.cache_clear()
    face.cache_clear()  # it holds fonts too: those of an earlier window (pygame.quit) are dead


def html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
