"""Shared test set-up: Hypothesis profiles, and the repository on sys.path.

Profiles (chosen by the HYPOTHESIS_PROFILE environment variable; the
Makefile sets `ci` when CI is set):

- `dev` (default): few examples, for a quick local run;
- `ci`: more examples, printing the blob needed to reproduce a failure.

Deadlines are off in both: timings on a shared CI runner are noise, and the
suite's total time is watched instead (under 5 minutes on 2 cores).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hypothesis import HealthCheck, settings

# `game` and `tests.engine.strategies` import without an install (plain `pytest`).
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

settings.register_profile(
    "dev",
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
