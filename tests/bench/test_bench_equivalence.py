"""The benchmark's stories are the same story in pandore and in ink.

Needs the `bench` extra (bink, inkpython): without it the test is reported
as skipped, with the reason, by `make test` (pytest -ra).
"""

from __future__ import annotations

import pytest

pytest.importorskip("bink", reason="the bench extra is not installed (pip install -e '.[bench]')")
pytest.importorskip("inkpython", reason="the bench extra is not installed (pip install -e '.[bench]')")

from bench.engines import ENGINES  # noqa: E402
from bench.equivalence import check  # noqa: E402


@pytest.mark.slow
@pytest.mark.parametrize("n, seeds", [(100, 60), (1000, 25)])
def test_every_engine_plays_the_same_transcripts(n, seeds, tmp_path, monkeypatch):
    monkeypatch.setenv("PANDORE_CACHE_DIR", str(tmp_path))
    compared, problems = check([n], range(seeds))
    assert problems == []
    assert compared == seeds * (len(ENGINES) - 1)
