"""How long a school keeps its sessions: durations such as `30d`, the school's policy from the environment.

`pandore sessions purge --older-than 30d` deletes the sessions created more
than 30 days ago; `PANDORE_RETENTION=30d` (optional) states the school's
policy, which the debrief report prints in its footer with the date the
session's data are due to go. Nothing is deleted on its own: the school runs
the purge (by hand or from a scheduled task).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from game.i18n import t

#: The environment variable that states the school's retention (e.g. "30d"); unset: no stated policy.
ENV = "PANDORE_RETENTION"
UNITS = {"h": 3600, "d": 86400, "w": 7 * 86400}
_DURATION = re.compile(r"\s*([1-9][0-9]{0,5})\s*([hdwHDW])\s*")


@dataclass(frozen=True)
class Duration:
    n: int
    unit: str  # h | d | w

    @property
    def seconds(self) -> int:
        return self.n * UNITS[self.unit]

    @property
    def text(self) -> str:
        """As typed on the command line: '30d'."""
        return f"{self.n}{self.unit}"

    def words(self, lang: str) -> str:
        """'30 jours', '1 semaine', '12 hours'."""
        return t(f"class.retention.unit_{self.unit}", lang, n=self.n)


def parse(text: object) -> Duration | None:
    """'30d', '12h', '2w' (a whole number from 1 to 999999 and h, d or w); None for anything else."""
    if not isinstance(text, str):
        return None
    m = _DURATION.fullmatch(text)
    return Duration(int(m.group(1)), m.group(2).lower()) if m else None


def from_env(env=None) -> Duration | None:
    """The school's retention stated in PANDORE_RETENTION, or None (unset or not a duration)."""
    return parse((os.environ if env is None else env).get(ENV))
