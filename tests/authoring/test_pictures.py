"""Pictures are judged by their declared size before anything decodes them."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from game.authoring.pictures import declared_size, picture_problem

BAD = Path(__file__).with_name("bad")


def _png(path: Path, w: int, h: int) -> Path:
    ihdr = struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
                     + struct.pack(">I", zlib.crc32(chunk)))
    return path


def test_a_tiny_svg_declaring_gigapixels_is_refused():
    assert declared_size(BAD / "huge.svg") == (30000.0, 30000.0)
    assert picture_problem(BAD / "huge.svg") == "too_big"


def test_svg_sizes_from_width_height_or_viewbox(tmp_path):
    (tmp_path / "a.svg").write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
                                    'viewBox="0 0 800 600"></svg>', encoding="utf-8")
    assert declared_size(tmp_path / "a.svg") == (800.0, 600.0) and picture_problem(tmp_path / "a.svg") is None
    (tmp_path / "b.svg").write_text('<svg width="9000px" height="10"></svg>', encoding="utf-8")
    assert picture_problem(tmp_path / "b.svg") == "too_big"


def test_a_png_header_is_enough(tmp_path):
    assert declared_size(_png(tmp_path / "big.png", 60000, 60000)) == (60000.0, 60000.0)
    assert picture_problem(tmp_path / "big.png") == "too_big"
    assert picture_problem(_png(tmp_path / "ok.png", 640, 480)) is None


def test_shipped_illustrations_all_pass():
    root = Path(__file__).resolve().parents[2]
    pictures = list((root / "scenarios").rglob("*.svg")) + list((root / "assets").rglob("*.svg"))
    assert pictures and all(picture_problem(p) is None for p in pictures)


def test_check_reports_a_cover_too_large_to_show(tmp_path):
    from game.authoring.check import check_file

    root = Path(__file__).resolve().parents[2]
    folder = tmp_path / "essai"
    (folder / "media").mkdir(parents=True)
    (folder / "media" / "cover.svg").write_bytes((BAD / "huge.svg").read_bytes())
    (folder / "fr.yaml").write_text((root / "tests" / "cli" / "data" / "contrat" / "fr.yaml").read_text(
        encoding="utf-8").replace("id: contrat", "id: essai"), encoding="utf-8")
    found = [d for d in check_file(folder / "fr.yaml", lang="en") if d.code == "P238"]
    assert found and "media/cover.svg" in found[0].message
