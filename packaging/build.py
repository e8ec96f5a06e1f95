"""Build the standalone Pandore folder (and the wheel and sdist), on Linux, Windows or macOS.

    python packaging/build.py                # dist/pandore/ (+ dist/Pandore.app on macOS)
    python packaging/build.py --wheel        # also dist/pandore-X.whl and dist/pandore-X.tar.gz
    python packaging/build.py --installer    # Windows: also dist/Pandore-X-setup.exe (Inno Setup 6)
    python packaging/build.py --dmg          # macOS: also dist/Pandore-X.dmg

Run it with a Python that has the `dist` extra installed (`pip install -e .[dist]`,
which `make dist` does in .venv-dist). The folder is built for the system it
runs on: build the Windows one on Windows, the macOS one on a Mac (see
.github/workflows/standalone.yml). It prints the folder's size at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
FOLDER = DIST / "pandore"
SPEC = ROOT / "packaging" / "pandore.spec"
ISS = ROOT / "packaging" / "windows" / "pandore.iss"
ICON = ROOT / "build" / "pandore.ico"  # made from assets/icons/app.svg; read by the spec and the installer
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from game import __version__

    return __version__


def folder_size(path: Path) -> int:
    """Bytes in the files under `path` (symbolic links not followed, as an archive would store them)."""
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def make_icon(svg: Path, ico: Path, sizes=ICON_SIZES) -> Path:
    """A Windows .ico of `svg` at `sizes`, each image stored as PNG (read by Windows Vista and later)."""
    import struct

    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    images = []
    tmp = ico.with_suffix(".tmp.png")
    ico.parent.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        pygame.image.save(pygame.image.load_sized_svg(str(svg), (size, size)), str(tmp))
        images.append((size, tmp.read_bytes()))
    tmp.unlink()
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images:
        side = size % 256  # 0 means 256
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    ico.write_bytes(header + entries + blobs)
    return ico


def run(cmd: list[str | os.PathLike]) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT)


def build_folder() -> None:
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", DIST, "--workpath", ROOT / "build" / "pyinstaller", SPEC])


def build_wheel() -> None:
    run([sys.executable, "-m", "build", "--outdir", DIST, ROOT])


def iscc() -> Path:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return Path(found)
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles")):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").is_file():
            return Path(base) / "Inno Setup 6" / "ISCC.exe"
    raise SystemExit("build.py: Inno Setup 6 not found (choco install innosetup, or https://jrsoftware.org)")


def build_installer(ver: str) -> None:
    if sys.platform != "win32":
        raise SystemExit("build.py: --installer builds the Windows installer, on Windows")
    run([iscc(), f"/DAppVersion={ver}", f"/DAppFolder={FOLDER}", f"/DOutputDir={DIST}", ISS])


def build_dmg(ver: str) -> None:
    if sys.platform != "darwin":
        raise SystemExit("build.py: --dmg builds the macOS disk image, on macOS")
    run(["hdiutil", "create", "-volname", "Pandore", "-srcfolder", DIST / "Pandore.app", "-ov",
         "-format", "UDZO", DIST / f"Pandore-{ver}.dmg"])


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--wheel", action="store_true", help="also build the wheel and the sdist")
    p.add_argument("--installer", action="store_true", help="Windows: also build the Inno Setup installer")
    p.add_argument("--dmg", action="store_true", help="macOS: also build a disk image of Pandore.app")
    args = p.parse_args(argv)
    ver = version()
    if args.wheel:
        build_wheel()
    make_icon(ROOT / "assets" / "icons" / "app.svg", ICON)
    build_folder()
    exe = FOLDER / ("pandore.exe" if sys.platform == "win32" else "pandore")
    run([exe, "--version"])
    if args.installer:
        build_installer(ver)
    if args.dmg:
        build_dmg(ver)
    print(f"{FOLDER.relative_to(ROOT)}: {folder_size(FOLDER) / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
