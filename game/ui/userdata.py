"""What the game keeps for the player: settings, autosave, endings found, error log.

Settings live in the user's config folder, the rest in the user's data
folder (platformdirs); `PANDORE_HOME` puts both under one folder (tests,
portable installs). Every write is atomic (temp file + fsync + rename); a
file that cannot be read is reported as a value, never raised at the player.
"""

from __future__ import annotations

import datetime as _dt
import errno
import json
import os
import stat
import traceback
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from game.authoring.files import NotReadable, atomic_write_text, read_capped, remove_stray_temporaries
from game.engine import SaveData, SaveError, dump_save, parse_save
from game.i18n import LANGUAGES, t

from .theme import LINE_SPACINGS, READING_FONTS, TEXT_SIZES

APP = "pandore"


@dataclass(frozen=True)
class Dirs:
    config: Path
    data: Path
    documents: Path

    @classmethod
    def default(cls) -> "Dirs":
        home = os.environ.get("PANDORE_HOME")
        if home:
            base = Path(home)
            return cls(base / "config", base / "data", base / "documents")
        import platformdirs

        return cls(Path(platformdirs.user_config_dir(APP, appauthor=False)),
                   Path(platformdirs.user_data_dir(APP, appauthor=False)),
                   Path(platformdirs.user_documents_dir()) / "Pandore")

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def autosave_file(self) -> Path:
        return self.data / "autosave.json"

    @property
    def autosave_where(self) -> Path:
        return self.data / "autosave-scenario.json"

    @property
    def progress_file(self) -> Path:
        return self.data / "progress.json"

    @property
    def log_file(self) -> Path:
        return self.data / "pandore-errors.log"


@dataclass(frozen=True)
class Settings:
    """The player's settings; unknown or bad values fall back to defaults."""

    language: str = "fr"
    text_size: str = "normal"
    high_contrast: bool = False
    reduced_motion: bool = False
    fullscreen: bool = False
    # the accessibility panel's (settings files written before them read as these defaults)
    reading_font: str = "theme"  # a key of theme.READING_FONTS
    line_spacing: str = "normal"  # a key of theme.LINE_SPACINGS
    self_voicing: bool = False

    @property
    def theme_name(self) -> str:
        return "high-contrast" if self.high_contrast else "default"

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **changes)

    @classmethod
    def from_dict(cls, data: Any) -> "Settings":
        s = cls()
        if not isinstance(data, dict):
            return s
        lang = data.get("language")
        size = data.get("text_size")
        font = data.get("reading_font")
        spacing = data.get("line_spacing")
        return cls(
            language=lang if lang in LANGUAGES else s.language,
            text_size=size if size in TEXT_SIZES else s.text_size,
            high_contrast=bool(data.get("high_contrast")) if isinstance(data.get("high_contrast"), bool) else False,
            reduced_motion=bool(data.get("reduced_motion")) if isinstance(data.get("reduced_motion"), bool) else False,
            fullscreen=bool(data.get("fullscreen")) if isinstance(data.get("fullscreen"), bool) else False,
            reading_font=font if isinstance(font, str) and font in READING_FONTS else s.reading_font,
            line_spacing=spacing if isinstance(spacing, str) and spacing in LINE_SPACINGS else s.line_spacing,
            self_voicing=data.get("self_voicing") is True,
        )


#: The user's own small files are read within this cap (settings, autosave, endings found).
USER_FILE_LIMIT = 8 * 1024 * 1024  # a save of 200,000 choices fits; a 300 MB file is refused unread


def _read_json(path: Path) -> Any:
    """A small JSON file of the user's; ValueError when it is not one (too big, too deep, not JSON,
    not a regular file), FileNotFoundError when there is none."""
    try:
        return json.loads(read_capped(path, USER_FILE_LIMIT).decode("utf-8"))
    except RecursionError:  # '[[[[...' 100,000 deep
        raise ValueError(f"{path.name} is nested too deeply") from None
    except NotReadable as e:
        raise ValueError(str(e)) from None


def load_settings(dirs: Dirs, default_language: str | None = None) -> Settings:
    """The saved settings, or defaults (with `default_language`) when there are none or they are unreadable."""
    try:
        data = _read_json(dirs.settings_file)
    except (OSError, ValueError):
        return Settings(language=default_language or "fr")
    return Settings.from_dict(data)


def save_settings(dirs: Dirs, settings: Settings) -> None:
    atomic_write_text(dirs.settings_file, json.dumps(asdict(settings), indent=2) + "\n")


# ---- autosave --------------------------------------------------------------

@dataclass(frozen=True)
class Autosave:
    """A readable autosave: the engine's save plus where its scenario file was."""

    save: SaveData
    path: str | None  # the scenario file played, when known


@dataclass(frozen=True)
class BadAutosave:
    """An autosave that exists but cannot be used. `reason` is the developer's text (the
    error log); `says(lang)` is what the player is told, in their language."""

    reason: str
    path: Path | None = None
    error: OSError | None = None  # None: the file was read but is no save

    def says(self, lang: str) -> str:
        if self.error is not None and self.path is not None:
            return file_problem(self.error, self.path, lang)
        return t("ui.problem.damaged", lang, file=str(self.path) if self.path else "autosave.json")


# ---- what went wrong with a file, for a person ---------------------------------------

_ERRNO_KEYS = {
    errno.EROFS: "ui.problem.read_only",
    errno.EACCES: "ui.problem.denied",
    errno.EPERM: "ui.problem.denied",
    errno.ENOSPC: "ui.problem.full",
    errno.EDQUOT: "ui.problem.full",
    errno.ENOENT: "ui.problem.missing",
    errno.ENOTDIR: "ui.problem.missing",
    errno.EEXIST: "ui.problem.missing",  # a file stands where the folder should be
    errno.EISDIR: "ui.problem.not_file",
}


def file_problem(error: OSError, path: Path | str, lang: str) -> str:
    """What went wrong reading or writing `path`, as a located sentence in `lang` (never the
    system's English text: '[Errno 30] Read-only file system' becomes « le dossier … est en
    lecture seule »)."""
    path = Path(path)
    key = _ERRNO_KEYS.get(getattr(error, "errno", None) or -1)
    if key is None and isinstance(error, NotReadable):
        try:
            regular = stat.S_ISREG(path.stat().st_mode)
        except OSError:
            regular = True
        key = "ui.problem.too_big" if regular else "ui.problem.not_file"
    if key is None:
        key = "ui.problem.other"
    return t(key, lang, file=str(path), folder=str(path.parent))


def write_autosave(dirs: Dirs, save: SaveData, scenario_path: str | None) -> None:
    atomic_write_text(dirs.autosave_where, json.dumps({"scenario_id": save.scenario_id, "path": scenario_path}) + "\n")
    atomic_write_text(dirs.autosave_file, dump_save(save))


def read_autosave(dirs: Dirs) -> Autosave | BadAutosave | None:
    """None when there is no autosave; BadAutosave when it is corrupt."""
    try:
        raw = read_capped(dirs.autosave_file, USER_FILE_LIMIT)
    except FileNotFoundError:
        return None
    except OSError as e:  # a FIFO, a 300 MB file, a locked one
        return BadAutosave(str(e), dirs.autosave_file, e)
    try:
        save = parse_save(raw)
    except SaveError as e:
        return BadAutosave(str(e), dirs.autosave_file)
    path = None
    try:
        where = _read_json(dirs.autosave_where)
        if isinstance(where, dict) and where.get("scenario_id") == save.scenario_id and isinstance(where.get("path"), str):
            path = where["path"]
    except (OSError, ValueError):
        pass
    return Autosave(save, path)


def clear_autosave(dirs: Dirs) -> None:
    for p in (dirs.autosave_file, dirs.autosave_where):
        try:
            p.unlink()
        except OSError:
            pass


# ---- endings found -----------------------------------------------------------

@dataclass
class Progress:
    """The endings each scenario's player has reached, by scenario id."""

    endings: dict[str, list[str]] = field(default_factory=dict)

    def found(self, scenario_id: str) -> list[str]:
        return list(self.endings.get(scenario_id, []))

    def add(self, scenario_id: str, ending: str) -> bool:
        got = self.endings.setdefault(scenario_id, [])
        if ending in got:
            return False
        got.append(ending)
        return True


def load_progress(dirs: Dirs) -> Progress:
    try:
        data = _read_json(dirs.progress_file)
    except (OSError, ValueError):
        return Progress()
    endings = data.get("endings") if isinstance(data, dict) else None
    if not isinstance(endings, dict):
        return Progress()
    clean = {k: [e for e in v if isinstance(e, str)] for k, v in endings.items()
             if isinstance(k, str) and isinstance(v, list)}
    return Progress(clean)


def save_progress(dirs: Dirs, progress: Progress) -> None:
    atomic_write_text(dirs.progress_file, json.dumps({"endings": progress.endings}, indent=2, ensure_ascii=False) + "\n")


def tidy(dirs: Dirs) -> None:
    """At start: remove what interrupted atomic writes left behind in the user's folders."""
    for folder in (dirs.config, dirs.data):
        remove_stray_temporaries(folder)


# ---- error log -------------------------------------------------------------------

def log_exception(dirs: Dirs, exc: BaseException, where: str = "") -> Path | None:
    """Append the traceback to the error log; returns its path (None if even that failed)."""
    try:
        dirs.data.mkdir(parents=True, exist_ok=True)
        stamp = _dt.datetime.now().isoformat(timespec="seconds")
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        with open(dirs.log_file, "a", encoding="utf-8") as f:
            f.write(f"==== {stamp} {where}\n{text}\n")
        return dirs.log_file
    except OSError:
        return None
