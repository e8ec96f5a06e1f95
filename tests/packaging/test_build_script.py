"""packaging/build.py's own pieces that run anywhere: the Windows icon, the folder size."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("pandore_build", ROOT / "packaging" / "build.py")
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


def test_the_icon_is_an_ico_of_png_images(tmp_path):
    ico = build.make_icon(ROOT / "assets" / "icons" / "app.svg", tmp_path / "pandore.ico", sizes=(16, 256))
    data = ico.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, 2)
    for i, side in enumerate((16, 0)):
        w, h, _, _, planes, bpp, size, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * i)
        assert (w, h, planes, bpp) == (side, side, 1, 32)
        assert data[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size <= len(data)


def test_folder_size_counts_files_not_links(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 100)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b").write_bytes(b"y" * 50)
    (tmp_path / "link").symlink_to(tmp_path / "a")
    assert build.folder_size(tmp_path) == 150
