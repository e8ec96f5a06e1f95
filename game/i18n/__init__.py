"""Interface strings, one JSON catalogue per language (fr first, en).

`t(key, lang, **values)` returns the string with `{name}` filled in; a key
missing from a catalogue falls back to French, then to the key itself, and a
test keeps the catalogues identical in keys.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT = "fr"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    path = Path(__file__).with_name(f"{lang}.json")
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def t(key: str, lang: str = DEFAULT, **values: object) -> str:
    text = catalogue(lang).get(key) or catalogue(DEFAULT).get(key) or key
    return text.format(**values) if values else text


_BEFORE = re.compile(r" ([:;!?»])")
_AFTER = re.compile(r"([«]) ")


def keep_together(text: str) -> str:
    """French typography for wrapped text: the space before : ; ! ? » and after «
    becomes a no-break space, so no line starts with ':' or '»' (and none ends with '«')."""
    return _AFTER.sub("\\1\u00a0", _BEFORE.sub("\u00a0\\1", text))
