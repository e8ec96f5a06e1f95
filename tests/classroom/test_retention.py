"""`pandore sessions purge --older-than` and `sessions delete`: they remove what they say and nothing else;
`pandore report --csv` writes a file that spreadsheets and csv readers open with the right columns."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from game import cli
from game.authoring import library
from game.classroom import lrs
from game.classroom.session import ClassSession
from game.classroom.store import Store

from .reporting import play_class

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400


def db_path(home: Path) -> Path:
    return home / "data" / "classroom.sqlite3"


def make_home(home: Path, sessions: list[tuple[int, float, bool]]) -> list[str]:
    """Sessions (trainees, age in days, ended) in the store under `home`; their ids."""
    store = Store(db_path(home))
    ids = []
    for n, age, ended in sessions:
        s = ClassSession.create(store, library.load("tutoriel")[0])
        play_class(s, n, unfinished=1)
        if ended:
            s.control("end")
        ids.append(s.row.id)
    store.close()
    db = sqlite3.connect(db_path(home))
    with db:
        for sid, (_n, age, _e) in zip(ids, sessions):
            db.execute("UPDATE sessions SET created = ? WHERE id = ?", (time.time() - age * DAY, sid))
    db.close()
    return ids


def counts(home: Path) -> dict[str, tuple[int, int, int, int]]:
    """session id -> (participants, choices, votes, xAPI statements) still stored."""
    db = sqlite3.connect(db_path(home))
    out = {}
    for (sid,) in db.execute("SELECT id FROM sessions").fetchall():
        p = db.execute("SELECT count(*) FROM participants WHERE session_id = ?", (sid,)).fetchone()[0]
        c = db.execute("SELECT count(*) FROM choices WHERE playthrough_id IN "
                       "(SELECT playthrough_id FROM participants WHERE session_id = ?)", (sid,)).fetchone()[0]
        v = db.execute("SELECT count(*) FROM votes WHERE session_id = ?", (sid,)).fetchone()[0]
        out[sid] = (p, c, v, len(lrs.statements(db_path(home), sid)))
    orphans = db.execute("SELECT count(*) FROM choices WHERE playthrough_id NOT IN "
                         "(SELECT playthrough_id FROM participants)").fetchone()[0]
    db.close()
    assert orphans == 0
    return out


def run(home: Path, monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("PANDORE_HOME", str(home))
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_purge_older_than_removes_the_old_session_and_nothing_else(tmp_path, monkeypatch, capsys):
    home, other = tmp_path / "home", tmp_path / "other"
    old, new = make_home(home, [(3, 40, False), (2, 2, True)])
    (elsewhere,) = make_home(other, [(2, 90, True)])
    before, before_other = counts(home), counts(other)
    assert all(c[3] > 0 for c in before.values())  # xAPI statements were recorded
    p_old, c_old = before[old][:2]
    code, out, err = run(home, monkeypatch, capsys, "sessions", "purge", "--older-than", "30d", "--lang", "fr")
    assert code == 0, err
    lines = out.strip().splitlines()
    assert lines[0].startswith(f"effacée : {old}  ") and f"({p_old} participant·es, {c_old} choix)" in lines[0]
    assert lines[-1] == f"1 séance effacée ({p_old} participant·es, {c_old} choix)"
    assert counts(home) == {new: before[new]}  # the newer one is untouched, ended though it is
    assert lrs.statements(db_path(home), old) == []
    assert counts(other) == before_other  # another store (another PANDORE_HOME) is untouched
    # nothing older than a day is left but the ended one of 2 days: 36h removes it; in English
    code, out, _ = run(home, monkeypatch, capsys, "sessions", "purge", "--older-than", "36h", "--lang", "en")
    assert code == 0 and out.strip().splitlines()[-1] == f"1 session deleted ({before[new][0]} participants, " \
                                                         f"{before[new][1]} choices)"
    assert counts(home) == {} and counts(other) == before_other
    assert elsewhere in counts(other)


def test_purge_without_option_removes_the_ended_sessions_only(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    running, ended = make_home(home, [(2, 100, False), (2, 0, True)])
    before = counts(home)
    code, out, _ = run(home, monkeypatch, capsys, "sessions", "purge", "--lang", "en")
    assert code == 0 and out.strip().splitlines()[-1].startswith("1 session deleted")
    assert counts(home) == {running: before[running]}
    code, out, _ = run(home, monkeypatch, capsys, "sessions", "purge", "--lang", "fr")
    assert out.strip() == "0 séance effacée (0 participant·e, 0 choix)"


@pytest.mark.parametrize("value", ["30", "d", "30x", "0d", "-3d", "3.5d", "1e3d", "30 jours", "9999999d", ""])
def test_a_bad_duration_is_said_and_deletes_nothing(tmp_path, monkeypatch, capsys, value):
    home = tmp_path / "home"
    make_home(home, [(1, 400, True)])
    before = counts(home)
    code, out, err = run(home, monkeypatch, capsys, "sessions", "purge", f"--older-than={value}", "--lang", "fr")
    assert code == 2 and out == ""
    assert err == (f"pandore: durée invalide « {value} » : écrivez un nombre entier suivi de h (heures), d (jours) "
                   "ou w (semaines), par exemple 30d\n")
    code, _, err = run(home, monkeypatch, capsys, "sessions", "purge", f"--older-than={value}", "--lang", "en")
    assert code == 2 and err.startswith(f"pandore: invalid duration '{value}': write a whole number followed by h")
    assert counts(home) == before


def test_delete_by_id_and_by_code(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home"
    a, b, c = make_home(home, [(2, 1, False), (3, 1, False), (1, 1, True)])
    before = counts(home)
    code, out, _ = run(home, monkeypatch, capsys, "sessions", "delete", a, "--lang", "en")
    assert code == 0 and out.strip().splitlines()[-1] == f"1 session deleted ({before[a][0]} participants, " \
                                                         f"{before[a][1]} choices)"
    assert counts(home) == {b: before[b], c: before[c]}
    store = Store(db_path(home))
    code_b = store.session(b).code
    store.close()
    code, out, _ = run(home, monkeypatch, capsys, "sessions", "delete", code_b.lower(), "--lang", "fr")
    assert code == 0 and out.strip().splitlines()[-1] == f"1 séance effacée ({before[b][0]} participant·es, " \
                                                         f"{before[b][1]} choix)"
    assert counts(home) == {c: before[c]}
    code, out, err = run(home, monkeypatch, capsys, "sessions", "delete", "NOPE99", "--lang", "fr")
    assert code == 2 and out == "" and err == ("pandore: aucune séance « NOPE99 » n'est gardée sur cette machine "
                                               "(pandore sessions list)\n")
    code, _, err = run(home, monkeypatch, capsys, "sessions", "delete", "--lang", "en")
    assert code == 2 and err.startswith("pandore: delete needs the session to delete")
    code, _, err = run(home, monkeypatch, capsys, "sessions", "purge", c, "--lang", "en")
    assert code == 2 and err == f"pandore: purge takes no session; to delete this one: pandore sessions delete {c}\n"
    code, _, err = run(home, monkeypatch, capsys, "sessions", "purge", "--all", "--older-than", "3d", "--lang", "en")
    assert code == 2 and err.startswith("pandore: --all and --older-than do not go together")
    assert counts(home) == {c: before[c]}


def test_the_help_says_deleting_is_final(monkeypatch, capsys):
    with pytest.raises(SystemExit):
        cli.main(["sessions", "--help", "--lang", "fr"])
    out = " ".join(capsys.readouterr().out.split())
    assert "L’effacement est définitif, même pour une séance animée en ce moment" in out and "--older-than" in out


def test_report_csv_opens_with_the_right_columns_in_both_languages(tmp_path):
    home = tmp_path / "home"
    store = Store(db_path(home))
    s = ClassSession.create(store, library.load("sms-mineur")[0])
    play_class(s, 8, unfinished=2)
    summary, made = s.summary(), s.summary()["choices_made"]
    gauges = list(s.rules.scenario.gauges)
    store.close()
    env = {"PANDORE_HOME": str(home), "PATH": "/usr/bin:/bin"}
    for lang, sep, extra in (("fr", ",", []), ("fr", ";", ["--excel"]), ("en", ",", ["--excel", "--anonymous"])):
        out = tmp_path / f"csv-{lang}-{len(extra)}"
        r = subprocess.run([sys.executable, str(ROOT / "main.py"), "report", s.row.id, "--csv", str(out), "--json",
                            "--lang", lang, *extra], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
        assert r.returncode == 0, r.stderr
        assert json.loads(r.stdout.strip().splitlines()[-1]) == summary  # --json: the /summary object, last line
        raw = (out / "choices.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf") == ("--excel" in extra)  # the BOM, for Excel only
        rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=sep))
        fixed = ["session", "participant", "pseudonym", "playthrough", "seq", "node", "choice"]
        if "--anonymous" in extra:
            fixed.remove("pseudonym")
        assert rows[0] == [*fixed, *gauges, "at"]
        assert len(rows) == made + 1 and all(len(row) == len(rows[0]) for row in rows)
        assert rows[1][rows[0].index("session")] == s.row.id
