"""Where the game's shipped files are: from a checkout, an installed wheel, a frozen build.

The repository keeps `assets/`, `scenarios/` and `schema/` at its top level.
The wheel (and the PyInstaller folder, which copies the wheel's layout)
carries them inside the package, as `game/_data/assets`, `game/_data/scenarios`
and `game/_data/schema`. `data_root()` is the folder that holds those three,
whichever way the game was installed; every path to a shipped file is
computed from it, here and nowhere else.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from game import __version__

PACKAGE = Path(__file__).resolve().parent
#: Inside an installed wheel or a frozen build (see pyproject.toml and packaging/pandore.spec).
BUNDLED = PACKAGE / "_data"
#: A source checkout: the package's parent folder.
CHECKOUT = PACKAGE.parent


@cache
def data_root() -> Path:
    """The folder holding `assets/`, `scenarios/` and `schema/`.

    The bundled copy wins when it exists (an installed wheel, a frozen build);
    otherwise the checkout's top level. Never raises: a broken install gets a
    path whose files are missing, and each user of it reports that its way.
    """
    if (BUNDLED / "assets").is_dir():
        return BUNDLED
    return CHECKOUT


def assets() -> Path:
    """Fonts (with their licences), icons, themes and illustrations."""
    return data_root() / "assets"


def scenarios() -> Path:
    """The shipped scenario library (trainers' own folders are searched before it)."""
    return data_root() / "scenarios"


def schema_file() -> Path:
    """The JSON Schema of the scenario file, as shipped."""
    return data_root() / "schema" / "scenario.schema.json"


def version() -> str:
    """The game's version, e.g. "0.1.0" (one source: game/__init__.py)."""
    return __version__
