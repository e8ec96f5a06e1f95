"""What every engine module shares about names and numbers.

The id patterns, the words the expression language keeps, the integer
bound and the "did you mean" suggestion live here, below both the models
and the expression language, so neither has to import the other lazily.
"""

from __future__ import annotations

import difflib
import keyword
import re
from typing import Any

SCENARIO_ID = r"^[a-z0-9-]+$"
NAME_ID = r"^[a-z_][a-z0-9_]*$"

#: Int variables and literals live in this range (bounded growth, see expr.py).
INT_LIMIT = 10**9

#: Names the expression language keeps for itself.
RESERVED_NAMES = frozenset({"true", "false", "and", "or", "not"}) | frozenset(keyword.kwlist)


_NAME_RE = re.compile(NAME_ID)


def did_you_mean(word: str, candidates: Any) -> str | None:
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match else None


def closest(word: str, candidates: Any) -> str | None:
    """The valid name among `candidates` closest to `word` (a suggestion is always a valid name)."""
    valid = [c for c in candidates if isinstance(c, str) and _NAME_RE.fullmatch(c)]
    match = difflib.get_close_matches(word, valid, n=1, cutoff=0.6)
    return match[0] if match else None
