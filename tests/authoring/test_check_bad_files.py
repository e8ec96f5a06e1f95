"""One broken file per diagnostic (tests/authoring/bad/*.yaml).

Each file says what it shows on its first line, then lists every
diagnostic `pandore check` must give as `# expect: line:col: severity:
message` lines: the test asserts exactly those, no more, no fewer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from game.authoring.check import check_file, check_paths
from game.authoring.diagnostics import exit_code
from game.cli import main

BAD = Path(__file__).with_name("bad")
FILES = sorted(BAD.glob("*.yaml"))


def expected(path: Path) -> list[str]:
    return [line[len("# expect: "):] for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("# expect: ")]


def got(path: Path) -> list[str]:
    return [f"{d.line}:{d.col}: {d.severity}: {d.message}"
            for d in sorted(check_file(path), key=lambda d: (d.line, d.col, d.message))]


def test_there_is_one_file_per_diagnostic():
    assert len(FILES) >= 50
    for f in FILES:
        assert expected(f), f"{f.name} lists no '# expect:' line"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_exact_place_and_message(path: Path):
    assert got(path) == expected(path)


@pytest.mark.parametrize("name, hint", [
    ("unknown_key", "did you mean 'effects'?"),
    ("unknown_goto", "did you mean 'fin'?"),
    ("unknown_start", "did you mean 'debut'?"),
    ("unknown_name_condition", "did you mean 'relation'?"),
    ("unknown_name_effect", "did you mean 'workload'?"),
    ("unknown_name_text", "did you mean 'relation'?"),
    ("bad_view", "did you mean 'sms'?"),
    ("bad_tone", "did you mean 'positive'?"),
    ("bad_scenario_id", "for example 'essai-sms'"),
    ("bad_node_id", "for example 'debut'"),
    ("bad_choice_id", "for example 'oui'"),
    ("bad_gauge_name", "for example 'secret_pro'"),
    ("unknown_trigger_goto", "the nodes and endings are: debut, fin"),
    ("default_gauge_not_listed", "the default gauges apply only when 'gauges' is omitted: add 'exclusion: {}' under 'gauges:'"),
    ("tab_indent", "indent with spaces, not tabs (most editors can convert tabs to spaces)"),
    ("colon_in_text", "a text containing ': ' must be in quotes, e.g. text: \"Attention : ...\"; "
                      "otherwise check the indentation of this line"),
    ("unclosed_quote", "close the quote at the end of the text, or write a long text as a block after '>-'"),
    ("gauge_missing_good", "which way is better for the people served: good: high or good: low"),
    ("wrong_type", "give one text, not a list"),
    ("dead_end", "for example after oui, with relation = 55, exclusion = 15, workload = 45; "
                 "give this node a choice without condition, or soften the conditions"),
    ("never_available", "when play reaches 'debut', workload is always 40"),
    ("trigger_never_fires", "in play, workload goes from 35 to 45"),
])
def test_hints(name: str, hint: str):
    diags = check_file(BAD / f"{name}.yaml")
    assert hint in [d.hint for d in diags]


def test_formatted_diagnostic_has_source_line_and_caret():
    (d,) = check_file(BAD / "unknown_goto.yaml")
    assert d.format().splitlines() == [
        f"{BAD / 'unknown_goto.yaml'}:{d.line}:15: error: unknown node or ending 'fni'",
        "            goto: fni",
        "                  ^",
        "    hint: did you mean 'fin'?",
    ]


@pytest.mark.parametrize("name, code", [
    ("unknown_key", 1), ("many_errors", 1), ("duplicate_key", 1), ("dead_end", 0), ("unreachable_node", 0),
    ("unclosed_quote", 2), ("tab_indent", 2), ("empty", 2), ("two_documents", 2), ("python_tag", 2),
])
def test_exit_codes(name: str, code: int):
    assert exit_code(check_file(BAD / f"{name}.yaml")) == code


def test_check_command_groups_by_file_and_exits_2_when_a_file_is_unusable(capsys):
    code = main(["check", str(BAD)])
    out = capsys.readouterr().out
    assert code == 2
    assert f"{len(FILES)} file(s) checked" in out
    # grouped: each file's summary line follows its own diagnostics
    summary = f"{BAD / 'unknown_goto.yaml'}: 1 error(s), 0 warning(s)"
    assert summary in out
    assert out.index(f"{BAD / 'unknown_goto.yaml'}:") < out.index(summary)


def test_folder_check_reads_every_file():
    diags, files = check_paths([str(BAD)])
    assert files == len(FILES)
    assert {Path(d.file).name for d in diags} == {f.name for f in FILES}
