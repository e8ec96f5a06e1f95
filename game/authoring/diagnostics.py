"""Located diagnostics: `file:line:col: erreur P204: message` / `error P204: ...`.

A diagnostic is a stable code (P101...) and its parameters; its message and
hint come from the catalogue (`game/i18n/diagnostics.*.json`) in the
diagnostic's language, so one diagnostic can be shown in French or English
(`in_lang`). Lines and columns are 1-based. `format()` adds the source line
with a caret under the column and the hint, the way a compiler would.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Literal, Mapping

from game.i18n import DEFAULT, Formatter, catalogue, t
from game.i18n.typography import colon, ident, visible


class Msg:
    """A phrase of the catalogue, translated when the diagnostic is shown: `Msg("diag.got.number")`."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: Any):
        self.key, self.params = key, params

    def render(self, lang: str) -> str:
        return render(self.key, self.params, lang) or ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash(self.key)

    def __repr__(self) -> str:
        return f"Msg({self.key!r}, **{self.params!r})"


class Join:
    """Several phrases joined by a separator phrase (e.g. Msg('diag.and'))."""

    __slots__ = ("parts", "sep")

    def __init__(self, parts: Iterable[Any], sep: Any = ", "):
        self.parts, self.sep = tuple(parts), sep

    def render(self, lang: str) -> str:
        sep = self.sep.render(lang) if hasattr(self.sep, "render") else self.sep
        return sep.join(p.render(lang) if hasattr(p, "render") else str(p) for p in self.parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Join) and (self.parts, self.sep) == (other.parts, other.sep)

    def __hash__(self) -> int:
        return hash(self.parts)


class _Formatter(Formatter):
    """The catalogues' formatter, reading nested messages (`Msg`) in the same language."""

    def get_value(self, key, args, kwargs):
        value = kwargs[key]  # _Params: a missing optional detail is ""
        return value.render(self.lang) if hasattr(value, "render") else value


def render(key: str, params: Mapping[str, Any], lang: str) -> str | None:
    """The catalogue's `key` in `lang` with `params` filled in; None when the key
    is absent or needs a parameter that was not given."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT).get(key)
    if text is None:
        return None
    try:
        return _Formatter(lang).vformat(text, (), _Params(params))
    except (KeyError, IndexError, ValueError, AttributeError):
        return None


class _Params(dict):
    """A message's parameters; an optional detail that was not given reads as nothing."""

    def __missing__(self, key):
        if key in _OPTIONAL:
            return ""
        raise KeyError(key)


def severity_of(code: str) -> str:
    return catalogue(DEFAULT).get(f"{code}.severity", "error")


def codes() -> list[str]:
    """Every diagnostic code of the catalogue, in order."""
    return sorted(k for k in catalogue(DEFAULT) if len(k) == 4 and k[0] == "P" and k[1:].isdigit())


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    col: int
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    source_line: str | None = None
    #: True when the input is unusable (missing, not UTF-8, not YAML): exit 2.
    unusable: bool = False
    lang: str = DEFAULT
    severity: Literal["error", "warning"] = None  # type: ignore[assignment]  # None: the code's own

    def __post_init__(self) -> None:
        if self.severity is None:
            object.__setattr__(self, "severity", severity_of(self.code))

    def __hash__(self) -> int:  # the parameters are a mapping: hash the place and the code
        return hash((self.file, self.line, self.col, self.code, self.lang, self.severity))

    @property
    def message(self) -> str:
        text = render(self.code, self.params, self.lang)
        if text is None:
            text = str(self.params.get("message", self.code))
        suggestion = self.params.get("suggestion")
        if suggestion:
            text += f" ({render('diag.did_you_mean', {'name': suggestion}, self.lang)})"
        return text

    @property
    def hint(self) -> str | None:
        variant = self.params.get("_hint")
        if variant is not None:
            return variant.render(self.lang) if hasattr(variant, "render") else (variant or None)
        return render(f"{self.code}.hint", self.params, self.lang)

    def in_lang(self, lang: str) -> "Diagnostic":
        """The same diagnostic, worded in `lang`."""
        return self if lang == self.lang else replace(self, lang=lang)

    def header(self) -> str:
        word = t(f"diag.{self.severity}", self.lang)
        return f"{self.file}:{self.line}:{self.col}: {word} {self.code}: {self.message}"

    def format(self, *, context: bool = True) -> str:
        """The diagnostic as printed; what comes from the file shows its control characters as
        pictures, so a file can neither color nor fake the checker's output."""
        return visible(self._format(context))

    def _format(self, context: bool) -> str:
        out = [self.header()]
        if context and self.source_line is not None:
            src = self.source_line.rstrip("\n")
            if len(src) > 160:  # keep the caret on screen for very long lines
                start = max(0, self.col - 80)
                src, caret_col = src[start:start + 160], self.col - start
            else:
                caret_col = self.col
            out.append(f"    {src}")
            out.append("    " + " " * max(caret_col - 1, 0) + "^")
        hint = self.hint
        if hint:
            out.append(f"    {t('diag.hint', self.lang)}{colon(self.lang)}{hint}")
        return "\n".join(out)

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "col": self.col, "severity": self.severity,
                "code": self.code, "message": self.message, "hint": self.hint}


def exit_code(diagnostics: Iterable[Diagnostic]) -> int:
    """0 clean (warnings allowed), 1 errors, 2 unusable input."""
    code = 0
    for d in diagnostics:
        if d.unusable:
            return 2
        if d.severity == "error":
            code = 1
    return code


def sort_key(d: Diagnostic) -> tuple:
    return (d.file, d.line, d.col, d.severity != "error", d.code)


def print_diagnostics(diags: Iterable[Diagnostic], stream) -> None:
    """Every diagnostic, grouped by file, each file followed by its count of errors and warnings."""
    by_file: dict[str, list[Diagnostic]] = {}
    for d in sorted(diags, key=sort_key):
        by_file.setdefault(d.file, []).append(d)
    for file, items in by_file.items():
        for d in items:
            print(d.format(), file=stream)
        errors = sum(d.severity == "error" for d in items)
        print(t("diag.summary", items[0].lang, file=file, errors=errors, warnings=len(items) - errors), file=stream)


def explain(code: str, lang: str) -> str | None:
    """The long explanation of `code`, with a wrong and a right example; None for an unknown code."""
    code = code.strip().upper()
    cat = catalogue(lang)
    if code not in cat:
        return None
    sev = t(f"diag.{severity_of(code)}", lang)
    out = [f"{code} ({sev}){colon(lang)}{_template(cat[code], lang)}", ""]
    out.append(cat.get(f"{code}.explain", ""))
    hint = _template(cat.get(f"{code}.hint", ""), lang).strip()
    if hint:
        out += ["", f"{t('diag.hint', lang)}{colon(lang)}{hint}"]
    for part in ("wrong", "right"):
        example = cat.get(f"{code}.{part}")
        if example:
            out += ["", t(f"diag.explain.{part}", lang) + colon(lang).rstrip()]
            out += ["    " + line for line in textwrap.dedent(example).splitlines()]
    return "\n".join(out).rstrip() + "\n"


#: Parameters that add a detail when there is one (shown as nothing in the list of codes).
_OPTIONAL = {"noticed", "block", "where", "stays", "shadow", "keys", "example", "fix", "ranges", "of"}


def _template(text: str, lang: str) -> str:
    """A catalogue text with its parameters shown as '…' (for the list of codes and `explain`)."""

    class _Dots(dict):
        def __missing__(self, key):
            return "" if key in _OPTIONAL else "…"

    try:
        return _Formatter(lang).vformat(text, (), _Dots()).replace(ident("…", lang), ident("…", lang))
    except (ValueError, IndexError):
        return text


def template(code: str, lang: str) -> str:
    return _template(catalogue(lang).get(code, code), lang)
