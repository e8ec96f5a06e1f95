"""Every string of the product, one catalogue per language (fr first, en).

The catalogue of a language is the union of its JSON files in this folder:
`fr.json` (the game's interface), `cli.fr.json` (the command line and the
authoring commands), `diagnostics.fr.json` (every diagnostic by code: its
message, hint, explanation and examples). A test keeps the languages
identical in keys and the files free of duplicates.

`t(key, lang, **values)` returns the string with `{name}` filled in; a key
missing from a catalogue falls back to French, then to the key itself.
Besides str.format's, a field may use `!q` (a name from a file, quoted the
language's way: « x » / 'x') and `!n` (a number: 1 234,5 / 1,234.5), and a
number may carry its word in both numbers, `{n:|erreur|erreurs}` (1 erreur,
3 erreurs; the number and the word held together), never "erreur(s)".
Typography (colon spacing, quotes, numbers, dates) lives in
`game.i18n.typography`.
"""

from __future__ import annotations

import json
import locale
import os
import string
from functools import lru_cache
from pathlib import Path

from .typography import ident, keep_together, number, plural  # noqa: F401  (keep_together: the old home)

LANGUAGES = ("fr", "en")
DEFAULT = "fr"
_HERE = Path(__file__).parent


def catalogue_files(lang: str) -> list[Path]:
    """The JSON files that make up the catalogue of `lang`."""
    return sorted(p for p in _HERE.glob(f"*{lang}.json") if p.name == f"{lang}.json" or p.name.endswith(f".{lang}.json"))


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in catalogue_files(lang):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


class Formatter(string.Formatter):
    """`str.format` with two conversions for the catalogues: `{x!q}` quotes a name, `{x!n}` writes a number, per language."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, format_spec):
        if format_spec.startswith("|"):  # '{n:|erreur|erreurs}': the number and its word, in the right number
            one, _, other = format_spec[1:].partition("|")
            if isinstance(value, str) and value.lstrip("-").isdigit():
                value = int(value)
            return plural(value, one, other or one, self.lang) if isinstance(value, (int, float)) else str(value)
        return super().format_field(value, format_spec)

    def convert_field(self, value, conversion):
        if conversion == "q":
            return ident(value, self.lang)
        if conversion == "n":
            return number(value, self.lang) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
        return super().convert_field(value, conversion)


def t(key: str, lang: str = DEFAULT, **values: object) -> str:
    text = catalogue(lang).get(key) or catalogue(DEFAULT).get(key) or key
    if not values:
        return text
    if "!" not in text and ":|" not in text:
        return text.format(**values)
    try:
        return Formatter(lang).vformat(text, (), values)
    except (KeyError, IndexError, ValueError):
        return text


def has(key: str, lang: str = DEFAULT) -> bool:
    return key in catalogue(lang)


def system_language() -> str:
    """The language of the system locale if it is one of ours, else French."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            code = value.split(":")[0][:2].lower()
            return code if code in LANGUAGES else DEFAULT
    try:
        code = (locale.getlocale()[0] or "")[:2].lower()
    except ValueError:
        code = ""
    return code if code in LANGUAGES else DEFAULT


def choose_language(explicit: str | None = None, scenario: str | None = None) -> str:
    """`--lang` if given, else the scenario's `language` if we speak it, else the system locale."""
    if explicit in LANGUAGES:
        return explicit
    if scenario in LANGUAGES:
        return scenario
    return system_language()
