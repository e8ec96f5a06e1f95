"""The guides' list of diagnostic codes, generated from the catalogue.

`python -m game.authoring.codes_doc` rewrites the part of docs/authoring.fr.md
and docs/authoring.en.md between `<!-- codes:begin -->` and `<!-- codes:end -->`;
a test checks that the guides hold exactly what this module generates.
"""

from __future__ import annotations

from pathlib import Path

from game.i18n import catalogue, t
from game.i18n.typography import plain_spaces

from .diagnostics import codes, severity_of, template

BEGIN, END = "<!-- codes:begin -->", "<!-- codes:end -->"
DOCS = Path(__file__).resolve().parents[2] / "docs"

_GROUPS = {
    "fr": {"1": "Lire le fichier (YAML)", "2": "La forme et les noms", "3": "Les conditions",
           "4": "L'analyse (avertissements)", "5": "Noms de fichiers et traductions"},
    "en": {"1": "Reading the file (YAML)", "2": "Shape and names", "3": "Conditions",
           "4": "The analysis (warnings)", "5": "File names and translations"},
}
_HEAD = {"fr": "| code | gravité | message | ce qu'il faut faire |\n|---|---|---|---|",
         "en": "| code | severity | message | what to do |\n|---|---|---|---|"}


def _cell(text: str) -> str:
    return plain_spaces(text).replace("|", "\\|").replace("\n", " ")


def codes_section(lang: str) -> str:
    """The Markdown list of every code, grouped, with its message and hint in `lang`."""
    out = [BEGIN, ""]
    group = None
    for code in codes():
        if code[1] != group:
            group = code[1]
            if out[-1] != "":
                out.append("")
            out += [f"**{_GROUPS[lang][group]}**", "", _HEAD[lang]]
        hint = catalogue(lang).get(f"{code}.hint")
        shown_hint = template(f"{code}.hint", lang) if hint else ""
        out.append(f"| `{code}` | {t('diag.' + severity_of(code), lang)} | {_cell(template(code, lang))} | "
                   f"{_cell(shown_hint)} |")
    out += ["", END]
    return "\n".join(out)


def update(lang: str) -> bool:
    """Rewrite the list in the guide of `lang`; True when it changed."""
    path = DOCS / f"authoring.{lang}.md"
    text = path.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < 0:
        raise SystemExit(f"{path}: no {BEGIN} ... {END} markers")
    new = text[:start] + codes_section(lang) + text[end + len(END):]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":  # pragma: no cover
    for lang in ("fr", "en"):
        print(f"docs/authoring.{lang}.md", "updated" if update(lang) else "up to date")
