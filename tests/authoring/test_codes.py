"""Every diagnostic has a stable code and a French and an English message,
hint and explanation from one catalogue; every code is shown by a test; the
guides list every code; the catalogues of the two languages match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from game.authoring.check import check_file, check_paths
from game.authoring.commands import starter_text
from game.authoring.diagnostics import codes, explain, severity_of
from game.i18n import LANGUAGES, catalogue, catalogue_files

ROOT = Path(__file__).resolve().parents[2]
BAD = Path(__file__).with_name("bad")

#: Codes shown by generated inputs rather than a file in bad/ (a missing path, a
#: folder, a locked file, sizes, a translation beside its original): each is asserted below.
GENERATED = {"P101", "P102", "P103", "P104", "P105", "P127", "P234", "P235", "P407", "P501", "P502"} | {
    f"P5{n:02d}" for n in range(3, 15)}
#: The catch-all for a YAML error no other code names (PyYAML's own words follow).
CATCH_ALL = {"P123"}


def test_codes_are_stable_and_complete_in_both_languages():
    all_codes = codes()
    assert all_codes[0] == "P101" and len(all_codes) >= 90
    for code in all_codes:
        assert re.fullmatch(r"P[1-5]\d\d", code)
        assert severity_of(code) in ("error", "warning")
        for lang in LANGUAGES:
            cat = catalogue(lang)
            assert cat[code] and cat[f"{code}.explain"], (code, lang)
            assert cat.get(f"{code}.wrong") and cat.get(f"{code}.right"), f"{code}: explain needs a wrong and a right example"
            assert (f"{code}.hint" in catalogue("fr")) == (f"{code}.hint" in catalogue("en")), code
    assert explain("P204", "fr") and explain("P999", "fr") is None


def test_the_catalogues_have_the_same_keys_and_no_key_twice():
    for name in ("", "cli.", "diagnostics."):
        keys = [set(json.loads((ROOT / "game" / "i18n" / f"{name}{lang}.json").read_text(encoding="utf-8")))
                for lang in LANGUAGES]
        assert keys[0] == keys[1], name
    for lang in LANGUAGES:
        seen: dict[str, Path] = {}
        for path in catalogue_files(lang):
            for key in json.loads(path.read_text(encoding="utf-8")):
                assert key not in seen, f"{key} in {path.name} and {seen[key].name}"
                seen[key] = path


def test_every_code_is_shown_by_a_bad_file_or_a_generated_input():
    in_files = {d.code for f in BAD.glob("*.yaml") for d in check_file(f, lang="en")}
    assert set(codes()) - in_files - GENERATED - CATCH_ALL == set()
    assert in_files <= set(codes())


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_guides_list_every_code(lang):
    from game.authoring.codes_doc import codes_section

    text = (ROOT / "docs" / f"authoring.{lang}.md").read_text(encoding="utf-8")
    assert codes_section(lang) in text, "run: python -m game.authoring.codes_doc (the guides' list of codes)"


def test_generated_codes(tmp_path, monkeypatch):
    def one(paths, code, **kw):
        diags, _ = check_paths([str(p) for p in paths], lang="en", **kw)
        assert code in {d.code for d in diags}, (code, [(d.code, d.message) for d in diags])

    one([tmp_path / "absent.yaml"], "P101")
    empty = tmp_path / "vide"
    empty.mkdir()
    one([empty], "P127")
    from game.authoring.loader import load_file

    assert load_file(empty).diagnostics[0].code == "P102"
    big = tmp_path / "big.yaml"
    with open(big, "wb") as f:
        f.write(b"title: x\n")
        f.seek(3 * 2**20)
        f.write(b"\n")
    one([big], "P104")
    many = tmp_path / "many.yaml"
    many.write_text("a: [" + "1," * 450_000 + "1]\n", encoding="utf-8")
    one([many], "P105")
    locked = tmp_path / "locked.yaml"
    locked.write_text("format: 1\n", encoding="utf-8")
    real = Path.open

    def refuse(self, *args, **kwargs):
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    one([locked], "P103")
    monkeypatch.setattr(Path, "open", real)
    folder = tmp_path / "essai"
    folder.mkdir()
    (folder / "fr.yaml").write_text(starter_text("autre", "fr"), encoding="utf-8")
    one([folder / "fr.yaml"], "P502")
    (folder / "en.yaml").write_text(starter_text("autre", "en").replace("language: en", "language: fr"),
                                    encoding="utf-8")
    one([folder / "en.yaml"], "P501")
    p = tmp_path / "grand.yaml"
    p.write_text(starter_text("essai").replace("variables:\n", "variables:\n  compteur: 0\n").replace(
        "      - id: attendre\n", "      - id: encore\n        text: Encore\n        effects: {compteur: 1}\n"
                                   "        goto: dimanche\n      - id: attendre\n"), encoding="utf-8")
    one([p], "P407", max_states=100)
