"""Finding scenarios: a path to a YAML file, or an id under scenarios/."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from game import resources

from .loader import Loaded, load_file

#: The shipped library (the checkout's scenarios/, or the copy inside an installed game).
PACKAGE_SCENARIOS = resources.scenarios()


def scenario_dirs() -> list[Path]:
    """Folders searched for scenario ids: $PANDORE_SCENARIOS, ./scenarios, the shipped library."""
    dirs: list[Path] = []
    env = os.environ.get("PANDORE_SCENARIOS")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs += [Path.cwd() / "scenarios", PACKAGE_SCENARIOS]
    seen, out = set(), []
    for d in dirs:
        r = d.resolve()
        if r not in seen and r.is_dir():
            seen.add(r)
            out.append(d)
    return out


def resolve(name: str, lang: str = "fr") -> Path | None:
    """The file for `name`: an existing path, or `<dir>/<id>/<lang>.yaml` (falling back to fr)."""
    p = Path(name)
    if p.suffix in (".yaml", ".yml") or p.exists():
        if p.is_dir():
            return _in_folder(p, lang)
        return p
    for d in scenario_dirs():
        found = _in_folder(d / name, lang) if (d / name).is_dir() else None
        if found is not None:
            return found
    return None


def _in_folder(folder: Path, lang: str) -> Path | None:
    """`lang`.yaml, else fr.yaml, else the folder's only language (a scenario written in English only)."""
    for candidate in (folder / f"{lang}.yaml", folder / "fr.yaml"):
        if candidate.is_file():
            return candidate
    others = sorted(folder.glob("[a-z][a-z].yaml"))
    return others[0] if others else None


@dataclass(frozen=True)
class Entry:
    id: str
    folder: Path
    languages: tuple[str, ...]

    def file(self, lang: str) -> Path:
        return self.folder / f"{lang if lang in self.languages else self.languages[0]}.yaml"


def library() -> list[Entry]:
    """Every scenario folder found, sorted with the tutorial first."""
    found: dict[str, Entry] = {}
    for d in scenario_dirs():
        for sub in sorted(d.iterdir()):
            if not sub.is_dir() or sub.name in found:
                continue
            langs = tuple(sorted((f.stem for f in sub.glob("*.yaml")), key=lambda s: (s != "fr", s)))
            if langs:
                found[sub.name] = Entry(sub.name, sub, langs)
    return sorted(found.values(), key=lambda e: (e.id != "tutoriel", e.id))


def load(name: str, lang: str = "fr", diagnostics_lang: str | None = None) -> tuple[Path | None, Loaded | None]:
    """The file for `name` (a path or an id, in `lang`) and its load; diagnostics worded in
    `diagnostics_lang` (None: the scenario's language)."""
    path = resolve(name, lang)
    if path is None:
        return None, None
    return path, load_file(path, lang=diagnostics_lang)
