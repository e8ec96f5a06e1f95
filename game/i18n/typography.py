"""French and English typography, in one place.

Every piece of the product that writes a sentence for a person (the
command line, the authoring tools, the terminal, the window, the HTML
export) formats its punctuation, quotes, numbers and dates here, so the
rules live once:

- `colon(lang)`       " : " in French (no-break space before), ": " in English
- `label(name, value, lang)`  "Charge : 50" / "Workload: 50"
- `quote(text, lang)` « text » (no-break spaces inside) / “text”
- `ident(text, lang)` a name from a file: « reponse » / 'reponse'
- `number(n, lang, decimals=None)`  1 234,5 (narrow no-break space) / 1,234.5
- `percent(x, lang, decimals=0)`    12,5 % / 12.5%
- `unit(n, unit, lang)`             15 min, with a no-break space, both languages
- `date(d, lang)`                   1 décembre 2026 / 1 December 2026
- `keep_together(text)`             French: a no-break space before : ; ! ? »
                                    and after «, so wrapping never orphans them;
                                    a number held to its unit ('23 h 12', '15 min')
- `plural(n, one, other, lang)`     '1 erreur' / '3 erreurs'; catalogues write
                                    it '{n:|erreur|erreurs}' (see game.i18n.t)

`lang` is "fr" or "en"; anything else is treated as English. Nothing here
reads files or depends on the rest of the project.
"""

from __future__ import annotations

import datetime as _dt
import re

NBSP = "\u00a0"  # no-break space: before ':' and inside « »; between a number and its unit
NNBSP = "\u202f"  # narrow no-break space: thousands separator, before ; ! ?

_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def is_french(lang: str | None) -> bool:
    return lang == "fr"


def colon(lang: str) -> str:
    """The colon and its spaces: ' : ' (no-break space before) in French, ': ' in English."""
    return f"{NBSP}: " if is_french(lang) else ": "


def label(name: str, value: object, lang: str) -> str:
    """'Charge de travail : 50' / 'Workload: 50'."""
    return f"{name}{colon(lang)}{value}"


_INNER_FR = re.compile(r"«[\s\u00a0\u202f]*(.*?)[\s\u00a0\u202f]*»", re.S)
_INNER_EN = re.compile(r"“(.*?)”", re.S)


def inner_quotes(text: object, lang: str) -> str:
    """`text`'s own quotes at the second level, for quoting it: “ ” in French, ‘ ’ in
    English, so that a quoted choice never reads « « » »."""
    if is_french(lang):
        return _INNER_FR.sub(lambda m: f"“{m.group(1)}”", str(text))
    return _INNER_EN.sub(lambda m: f"‘{m.group(1)}’", str(text))


def quote(text: object, lang: str) -> str:
    """Quoted prose: « text » in French, “text” in English (quotes inside: `inner_quotes`)."""
    inner = inner_quotes(text, lang)
    return f"«{NBSP}{inner}{NBSP}»" if is_french(lang) else f"“{inner}”"


def plural(n: int | float, one: str, other: str, lang: str) -> str:
    """`n` and the word in the right number: '1 erreur', '0 erreur', '3 erreurs'
    (French: 0 and 1 take the singular); '1 error', '0 errors'."""
    single = abs(n) < 2 if is_french(lang) else n == 1
    value = number(n, lang) if isinstance(n, (int, float)) and not isinstance(n, bool) else str(n)
    return f"{value} {one if single else other}"


def ident(text: object, lang: str) -> str:
    """A name written in a file (an id, a key, a value), as diagnostics quote it: « x » / 'x'."""
    return f"«{NBSP}{text}{NBSP}»" if is_french(lang) else f"'{text}'"


def number(n: float | int, lang: str, decimals: int | None = None) -> str:
    """1 234 567 and 3,14 in French (narrow no-break space, decimal comma); 1,234,567 and 3.14 in English."""
    if decimals is None:
        s = f"{n:,}"
    else:
        s = f"{n:,.{decimals}f}"
    if not is_french(lang):
        return s
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", NNBSP)


def percent(x: float, lang: str, decimals: int = 0) -> str:
    """'12,5 %' (no-break space) in French, '12.5%' in English; `x` is already a percentage."""
    s = number(round(x, decimals) if decimals else round(x), lang, decimals if decimals else None)
    return f"{s}{NBSP}%" if is_french(lang) else f"{s}%"


def unit(n: object, unit_: str, lang: str) -> str:
    """A quantity and its unit held together: '15 min', '2 MiB'."""
    value = number(n, lang) if isinstance(n, (int, float)) and not isinstance(n, bool) else str(n)
    return f"{value}{NBSP}{unit_}"


def date(d: _dt.date, lang: str) -> str:
    """'1er décembre 2026' / '1 December 2026'."""
    months = _MONTHS["fr" if is_french(lang) else "en"]
    day = "1er" if is_french(lang) and d.day == 1 else str(d.day)
    return f"{day}{NBSP}{months[d.month - 1]} {d.year}"


def time(t: _dt.time | _dt.datetime, lang: str) -> str:
    """'23 h 12' in French, '23:12' in English."""
    return f"{t.hour}{NBSP}h{NBSP}{t.minute:02d}" if is_french(lang) else f"{t.hour:02d}:{t.minute:02d}"


_BEFORE = re.compile(r" ([:;!?»])")
_AFTER = re.compile(r"([«]) ")
#: a number and the unit, symbol or hour mark after it ('23 h', '15 min', '3,50 €', '12 %',
#: '16 ans'), and '23 h 12': held together when wrapped
_UNITS = r"(?:h|min|s|ms|j|ans?|mois|km|m|kg|g|€|%|°C|Ko|Mo|Go|KiB|MiB|GiB|fois|pts?)"
_NUMBER_UNIT = re.compile(r"(\d) (" + _UNITS + r")(?![\w])")
_HOUR_MINUTES = re.compile(r"(\d\u00a0h) (\d\d)(?!\d)")
_THOUSANDS = re.compile(r"(?<![\d,.])(\d{1,3}) (?=\d{3}(?!\d))")


def keep_together(text: str) -> str:
    """Typography for wrapped text: the space before : ; ! ? » and after « becomes a
    no-break space (no line starts with ':' or '»', none ends with '«'), and so do the
    spaces inside '23 h 12', '15 min', '3,50 €', '1 234': a number never leaves its unit."""
    text = _AFTER.sub("\\1\u00a0", _BEFORE.sub("\u00a0\\1", text))
    if any(c.isdigit() for c in text):
        text = _HOUR_MINUTES.sub("\\1\u00a0\\2", _NUMBER_UNIT.sub("\\1\u00a0\\2", text))
        text = _THOUSANDS.sub(lambda m: m.group(1) + NNBSP, text)
    return text


#: Control characters as their visible pictures (U+2400...): a text from a file can
#: hold an escape, a bell or a NUL, and no output may let it act on a terminal or a format.
_PICTURES = {c: 0x2400 + c for c in range(32) if c not in (9, 10)} | {127: 0x2421}


def visible(text: str) -> str:
    """`text` with its control characters (but tab and newline) shown as pictures: ESC is '␛', NUL '␀'."""
    return text.translate(_PICTURES)


def plain_spaces(text: str) -> str:
    """The text with no-break spaces made ordinary (for comparing, or for a plain-text log)."""
    return text.replace(NBSP, " ").replace(NNBSP, " ")


__all__ = ["NBSP", "NNBSP", "colon", "date", "ident", "keep_together", "label", "number", "percent",
           "inner_quotes", "plain_spaces", "plural", "quote", "time", "unit", "visible"]
