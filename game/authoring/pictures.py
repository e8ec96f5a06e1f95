"""Pictures beside a scenario, judged before anything decodes them.

A scenario's illustrations come from anywhere: a 122-byte SVG can declare
30000x30000 pixels and a small PNG 60000² of them, and decoding either takes
gigabytes. `picture_problem(path)` reads only the declared size (SVG
width/height/viewBox, PNG and JPEG headers) and the file's own size, and says
what is wrong, if anything; the window shows no picture then, and `check`
reports it at the `image:` line.
"""

from __future__ import annotations

import re
import stat
import struct
from pathlib import Path

#: The largest picture decoded: per side, and in bytes on disk.
MAX_SIDE = 4096
MAX_FILE = 32 * 1024 * 1024
#: An SVG's size is declared in its first element; read this much of it.
_SVG_HEAD = 64 * 1024

_NUMBER = r"([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)"
_SVG_TAG = re.compile(r"<svg\b[^>]*>", re.S)
_SVG_ATTR = {name: re.compile(rf"\b{name}\s*=\s*[\"']\s*{_NUMBER}\s*(px)?\s*[\"']") for name in ("width", "height")}
_VIEWBOX = re.compile(rf"\bviewBox\s*=\s*[\"']\s*-?{_NUMBER}[\s,]+-?{_NUMBER}[\s,]+{_NUMBER}[\s,]+{_NUMBER}")


def declared_size(path: Path) -> tuple[float, float] | None:
    """The size a picture declares (width, height in pixels), from its header only; None when unknown."""
    with path.open("rb") as f:
        head = f.read(_SVG_HEAD)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(head) >= 24:
        w, h = struct.unpack(">II", head[16:24])
        return float(w), float(h)
    if head.startswith(b"\xff\xd8"):
        return _jpeg_size(path)
    text = head.decode("utf-8", errors="replace")
    tag = _SVG_TAG.search(text)
    if tag is None:
        return None
    attrs = tag.group(0)
    sizes = [m.group(1) if (m := _SVG_ATTR[a].search(attrs)) else None for a in ("width", "height")]
    if sizes[0] is not None and sizes[1] is not None:
        return float(sizes[0]), float(sizes[1])
    box = _VIEWBOX.search(attrs)
    if box:
        return float(box.group(3)), float(box.group(4))
    return None


def _jpeg_size(path: Path) -> tuple[float, float] | None:
    """Walk a JPEG's segments to its frame header (SOF0-SOF15 but DHT, JPG and DAC)."""
    with path.open("rb") as f:
        f.read(2)
        for _ in range(10_000):
            marker = f.read(2)
            if len(marker) < 2 or marker[0] != 0xFF:
                return None
            kind = marker[1]
            if kind in (0xD8, 0x01) or 0xD0 <= kind <= 0xD7:
                continue
            length = f.read(2)
            if len(length) < 2:
                return None
            size = struct.unpack(">H", length)[0]
            if 0xC0 <= kind <= 0xCF and kind not in (0xC4, 0xC8, 0xCC):
                data = f.read(5)
                if len(data) < 5:
                    return None
                h, w = struct.unpack(">HH", data[1:5])
                return float(w), float(h)
            f.seek(size - 2, 1)
    return None


def picture_problem(path: Path) -> str | None:
    """Why a picture must not be decoded ('missing', 'not_regular', 'too_big_file', 'too_big'), or None."""
    try:
        info = path.stat()
    except OSError:
        return "missing"
    if not stat.S_ISREG(info.st_mode):
        return "not_regular"
    if info.st_size > MAX_FILE:
        return "too_big_file"
    try:
        size = declared_size(path)
    except OSError:
        return "missing"
    if size is not None and (size[0] > MAX_SIDE or size[1] > MAX_SIDE):
        return "too_big"
    return None
