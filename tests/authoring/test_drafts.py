"""Realistic drafts by French trainers, each with several mistakes (tests/authoring/drafts/).

Each draft ends with one `# attendu: LINE CODE` line per mistake; one run of
`check` must report every one of them, and nothing else, so a trainer never
needs a second run to see the problems of a draft. robot-brouillon/ is an
original and its first translation (a choice moved, an effect changed,
texts forgotten, a key point dropped).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.authoring.check import check_file

DRAFTS = sorted(Path(__file__).with_name("drafts").rglob("*.yaml"))


def mistakes(path: Path) -> set[tuple[int, str]]:
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# attendu: "):
            n, code = line[len("# attendu: "):].split()
            out.add((int(n), code))
    return out


def test_there_are_drafts_with_many_mistakes():
    assert len(DRAFTS) >= 3
    assert sum(len(mistakes(p)) for p in DRAFTS) >= 45


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.stem)
def test_every_mistake_of_a_draft_in_one_run(path: Path):
    diags = check_file(path)
    assert {(d.line, d.code) for d in diags if d.code != "P128"} == mistakes(path)
    language = "en" if path.name == "en.yaml" else "fr"
    assert all(d.lang == language for d in diags)  # the scenario's language


@pytest.mark.parametrize("path", DRAFTS, ids=lambda p: p.stem)
def test_every_hint_of_a_draft_is_french(path: Path):
    for d in check_file(path, lang="fr"):
        text = f"{d.message} {d.hint or ''}"
        assert not any(w in text for w in (" the ", " is ", "did you mean", "expected", "invalid")), text
