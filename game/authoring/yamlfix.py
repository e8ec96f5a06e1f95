"""YAML written by French hands: syntax errors named in the trainer's words,
and read past where the intent is clear, so one `check` shows every problem.

- `invisible_characters` names the no-break spaces, zero-width characters
  and byte-order marks that change the meaning of a line unseen (`goto : x`
  typed on a French keyboard), and reads the line as it looks.
- `describe` turns PyYAML's error into a located diagnostic (a missing colon
  at its own line, a « : » inside a text, a tab, an unclosed quote where it
  opened...) and says which repairs of one line could let reading go on.
- `repair` tries them, keeping the one after which the parser gets past the
  error (a line is emptied as a last resort; when even that fails, the
  loader says the rest of the file could not be checked: P128).
- `merged_items` recognises a forgotten `- ` (one list item swallowed by the
  one above: its keys all "duplicate") and reports it once.

A repair changes one line of the text held in memory and keeps the number
of lines, so every later diagnostic keeps its true line; the file itself is
never modified.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .diagnostics import Diagnostic, Msg

MAX_REPAIRS = 30
#: A repair parses the whole text a few times: on a large file, only a few are tried (check stays fast on any input).
LARGE = 200_000


def max_repairs(text: str) -> int:
    return MAX_REPAIRS if len(text) < LARGE else 3

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Invisible characters, by the catalogue's name for them.
INVISIBLE = {"\u00a0": "nbsp", "\u202f": "nnbsp", "\u200b": "zwsp", "\u200c": "zwnj", "\u200d": "zwj",
             "\u2060": "wj", "\ufeff": "bom"}
_SPACES = {"\u00a0", "\u202f"}  # read as an ordinary space; the others as nothing
_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#\"'{}\[\]][^:#\"'{}\[\]]*?)(:(?:\s|$))")
#: Keys whose values are names or conditions: an invisible character there changes what they name.
_NAME_KEYS = {"goto", "start", "id", "view", "tone", "good", "language", "format", "if", "available_if", "weight"}


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def invisible_characters(text: str, name: str, lines: list[str], lang: str) -> tuple[str, list[Diagnostic]]:
    """(text read as it looks, one diagnostic per invisible character in a key, an indentation or a name)."""
    if not any(ch in text for ch in INVISIBLE):
        return text, []
    out: list[Diagnostic] = []
    cur = text.split("\n")
    for i, line in enumerate(cur):
        if not any(ch in line for ch in INVISIBLE):
            continue
        m = _KEY_LINE.match(line)
        spans: list[tuple[int, int, str]] = []  # (start, end, where)
        lead = _indent(line.replace("\u00a0", " ").replace("\u202f", " "))
        spans.append((0, lead, "line"))
        if m:
            spans.append((m.start(2), m.end(2) + 1, "key"))
            key = m.group(2).strip("".join(INVISIBLE) + " ")
            if key in _NAME_KEYS:
                spans.append((m.end(3), len(line), "value"))
        fixed = line
        found = False
        for start, end, where in spans:
            for j in range(start, min(end, len(line))):
                ch = line[j]
                if ch not in INVISIBLE:
                    continue
                found = True
                if where == "key" and m:
                    clean = "".join(c for c in m.group(2) if c not in INVISIBLE).strip()
                    where_msg = Msg("diag.invisible.where_key", key=clean)
                    fix = Msg("diag.invisible.fix_key", fixed=f"{clean}:")
                elif where == "value":
                    where_msg, fix = Msg("diag.invisible.where_value"), Msg("diag.invisible.fix")
                else:
                    where_msg, fix = Msg("diag.invisible.where"), Msg("diag.invisible.fix")
                out.append(Diagnostic(name, i + 1, j + 1, "P125",
                                      {"char": Msg(f"diag.char.{INVISIBLE[ch]}"), "codepoint": _codepoint(ch),
                                       "where": where_msg, "fix": fix},
                                      lines[i] if i < len(lines) else None, lang=lang))
        if found:
            # Read the line as it looks: a no-break space as a space, a zero-width character as nothing.
            fixed = "".join(" " if c in _SPACES else ("" if c in INVISIBLE else c) for c in line) \
                if m or line[:lead].strip(" ") == "" else line
            cur[i] = fixed
    return "\n".join(cur), out


# --------------------------------------------------------------------------
# Syntax errors


def describe(e: yaml.MarkedYAMLError, name: str, lines: list[str], text: str, lang: str) -> tuple[Diagnostic, tuple | None]:
    """The diagnostic for a YAML error, and the repair to try: (kind, 1-based line, extra) or None."""
    cur = text.split("\n")
    problem = (e.problem or "syntax error").strip()
    context = (e.context or "").strip()
    cm, pm = e.context_mark, e.problem_mark

    def get(i: int) -> str:
        return cur[i] if 0 <= i < len(cur) else ""

    def noticed(start, end) -> Any:
        return Msg("diag.noticed", line=end.line + 1) if start and end and end.line != start.line else ""

    def diag(code: str, line: int, col: int, params: dict | None = None) -> Diagnostic:
        return Diagnostic(name, line, col, code, params or {}, lines[line - 1] if 0 < line <= len(lines) else None,
                          unusable=True, lang=lang)

    def previous(i: int) -> int | None:
        for j in range(i - 1, -1, -1):
            s = get(j).strip()
            if s and not s.startswith("#"):
                return j
        return None

    mark = pm or cm
    if "maximum nesting depth" in problem:
        return diag("P115", mark.line + 1, mark.column + 1, {"limit": 64}), None
    if pm is not None:
        tab_line = next((j for j in range(pm.line, (cm.line if cm else pm.line) - 1, -1) if "\t" in get(j)), None) \
            if ("tab" in problem or "\t" in get(pm.line)[: pm.column + 1]) else None
        if tab_line is not None:
            return diag("P116", tab_line + 1, get(tab_line).index("\t") + 1), ("tab", tab_line + 1, None)
    if "quoted scalar" in context and cm is not None:
        quote = get(cm.line)[cm.column: cm.column + 1] or '"'
        return (diag("P117", cm.line + 1, cm.column + 1, {"noticed": noticed(cm, pm)}),
                ("close", cm.line + 1, quote))
    if ("flow sequence" in context or "flow mapping" in context) and cm is not None:
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        return (diag("P118", cm.line + 1, cm.column + 1, {"open": opening, "close": closing, "noticed": noticed(cm, pm)}),
                ("close", cm.line + 1, closing))
    if "mapping values are not allowed" in problem and pm is not None:
        i, line = pm.line, get(pm.line)
        body = line.lstrip(" ")
        body = body[2:] if body.startswith("- ") else body
        p = previous(i)
        prev = get(p) if p is not None else ""
        prev_body = prev.strip()
        if ": " in line[: pm.column] or re.match(r"\s*(-\s+)?[^\s:]+:\s+\S", line[: pm.column]):
            return diag("P119", i + 1, pm.column + 1), ("quote", i + 1, None)
        if p is not None and ":" not in prev_body.split(" #")[0] and not prev_body.startswith("- ") \
                and _indent(prev) == _indent(line) and " " in prev_body:
            return _missing_colon(diag, prev, p)
        if p is not None and _indent(line) > _indent(prev) and re.match(r"\s*(-\s+)?[^\s:]+:\s+\S", prev):
            return (diag("P121", i + 1, _indent(line) + 1, {"block": ""}), ("indent", i + 1, _indent(prev)))
        return diag("P119", i + 1, pm.column + 1), ("quote", i + 1, None)
    if "cannot start any token" in problem and pm is not None:
        ch = get(pm.line)[pm.column: pm.column + 1]
        return diag("P120", pm.line + 1, pm.column + 1, {"char": ch}), ("quote", pm.line + 1, None)
    if "scanning an alias" in context and pm is not None:
        start = cm or pm
        return diag("P120", start.line + 1, start.column + 1, {"char": "*"}), ("quote", start.line + 1, None)
    if "undefined alias" in problem and pm is not None:
        return diag("P114", pm.line + 1, pm.column + 1, {"anchor": (e.problem or "").split()[-1] if e.problem else ""}), \
            ("quote", pm.line + 1, None)
    if ("did not find expected key" in problem or "expected <block end>" in problem
            or "did not find expected '-'" in problem) and pm is not None:
        line = get(pm.line)
        before = line[: pm.column].rstrip()
        value = re.match(r"\s*(?:-\s+)?[^\s:#][^:#]*?:\s+(.*)$", line)
        if before[-1:] in "\"'" and before and value and value.group(1)[:1] == before[-1]:
            quote = before[-1]
            return (diag("P130", pm.line + 1, len(before), {"quote": quote}), ("quote", pm.line + 1, None))
        block = Msg("diag.block", line=cm.line + 1) if cm and cm.line != pm.line else ""
        p = previous(pm.line)
        return (diag("P121", pm.line + 1, pm.column + 1, {"block": block}),
                ("indent", pm.line + 1, _indent(get(p)) if p is not None else 0))
    if "could not find expected ':'" in problem:
        start = cm or pm
        return _missing_colon(diag, get(start.line), start.line)
    detail = f"{context}: {problem}" if context else problem
    return diag("P123", mark.line + 1, mark.column + 1, {"detail": detail}), ("blank", mark.line + 1, None)


def _missing_colon(diag, line: str, i: int) -> tuple[Diagnostic, tuple]:
    m = re.match(r"(\s*(?:-\s+)?)(\S+)(\s*)(.*)", line)
    if m:
        fixed = f"{m.group(2)}: {m.group(4)}".rstrip() if m.group(4) else f"{m.group(2)}:"
        col = m.end(2) + 1
    else:
        fixed, col = line.strip(), _indent(line) + 1
    return diag("P122", i + 1, col, {"fix": fixed}), ("colon", i + 1, None)


def _quote_value(line: str) -> str | None:
    m = re.match(r"(\s*(?:-\s+)?[^\s:#][^:#]*?:\s+)(.*)$", line)
    if not m:
        m = re.match(r"(\s*-\s+)(.*)$", line)
    if not m:
        return None
    value = m.group(2).rstrip()
    if value[:1] in "\"'" and value[-1:] == value[:1] and len(value) > 1:
        value = value[1:-1]
    return m.group(1) + '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _candidates(kind: str, cur: list[str], i: int, extra: Any) -> list[str]:
    line = cur[i]
    out: list[str] = []
    if kind == "tab":
        lead = len(line) - len(line.lstrip(" \t"))
        rest = line[lead:].replace("\t", " ")
        widths = []
        for j in list(range(i + 1, len(cur))) + list(range(i - 1, -1, -1)):
            s = cur[j]
            if s.strip() and "\t" not in s[: len(s) - len(s.lstrip(" \t"))] and not s.strip().startswith("#"):
                widths.append(_indent(s))
                if s.lstrip().startswith("- "):
                    widths.append(_indent(s) + 2)
                if j < i:
                    break
        widths += [line[:lead].count("\t") * 2 + line[:lead].count(" ")]
        seen = set()
        for w in widths:
            if w not in seen:
                seen.add(w)
                out.append(" " * w + rest)
    elif kind == "close":
        out.append(line.rstrip() + extra)
        q = _quote_value(line.replace(extra, "", 1)) if extra in "\"'" else None
        if q:
            out.append(q)
    elif kind == "quote":
        q = _quote_value(line)
        if q:
            out.append(q)
    elif kind == "colon":
        m = re.match(r"(\s*(?:-\s+)?)(\S+)(\s*)(.*)", line)
        if m:
            out.append(f"{m.group(1)}{m.group(2)}: {m.group(4)}".rstrip() if m.group(4) else f"{m.group(1)}{m.group(2)}:")
    elif kind == "indent":
        body = line.lstrip(" ")
        widths: list[int] = []
        if body.startswith("- "):  # a list item: where the items above start
            widths += [_indent(cur[j]) for j in range(i - 1, -1, -1) if cur[j].lstrip(" ").startswith("- ")][:3]
        widths.append(int(extra or 0))
        for w in dict.fromkeys(widths):
            out.append(" " * w + body)
        q = _quote_value(line)
        if q:
            out.append(q)
    out.append("")  # the last resort: read without this line
    return out


def _error_line(text: str) -> int | None:
    """The 1-based line of the first syntax error in `text`, or None when it parses."""
    try:
        for _ in yaml.parse(text, Loader=_Loader):
            pass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        return mark.line + 1 if mark else 1
    except (yaml.YAMLError, RecursionError, MemoryError):
        return 1
    return None


def repair(text: str, diagnostic: Diagnostic, plan: tuple | None, blanked: dict[int, str]) -> str | None:
    """The text with one line repaired so that parsing gets past `diagnostic`; None when no repair does."""
    if plan is None:
        return None
    kind, line, extra = plan
    cur = text.split("\n")
    i = line - 1
    if not 0 <= i < len(cur):
        return None
    # Progress: after the repair, the first error (if any) lies beyond the repaired line and the
    # diagnostic's own (an unclosed quote is noticed far below: the next error may come before that).
    beyond = max(line, diagnostic.line)
    for candidate in _candidates(kind, cur, i, extra):
        if candidate == cur[i] and candidate != "":
            continue
        trial = cur[:i] + [candidate] + cur[i + 1:]
        joined = "\n".join(trial)
        after = _error_line(joined)
        if after is None or after > beyond:
            if candidate == "":
                blanked[line] = cur[i]
            return joined
    return None


# --------------------------------------------------------------------------
# A forgotten '- '


def merged_items(doc, text: str, lang: str) -> tuple[list[Diagnostic], str | None]:
    """([P129], the text with the '- ' put back) when a list item swallowed the next one; else ([], None)."""
    dups = getattr(doc, "duplicates", None)
    if not dups:
        return [], None
    groups: dict[tuple, list[tuple]] = {}
    for path, key, line, col, first in dups:
        if isinstance(path, tuple) and path and isinstance(path[-1], int):
            groups.setdefault(path, []).append((key, line, col, first))
    cur = text.split("\n")
    for path, items in groups.items():
        items.sort(key=lambda d: d[1])
        key, line, col, _first = items[0]
        if len(items) < 2 or col < 3:
            continue
        i = line - 1
        src = cur[i]
        if _indent(src) != col - 1:
            continue
        cur[i] = " " * (col - 3) + "- " + src.lstrip(" ")
        count = 1 + sum(1 for d in items if d[0] == key)
        diag = Diagnostic(doc.path, line, col, "P129", {"count": count, "key": key, "line": line},
                          doc.source(line), lang=lang)
        doc.problems = [p for p in doc.problems
                        if not (p.code == "P124" and any(p.line == d[1] for d in items))]
        return [diag], "\n".join(cur)
    return [], None


def drop_blanked(problems: list, doc) -> list:
    """Drop the problems caused by emptying a line to read past a syntax error (the key it held is 'missing')."""
    blanked = getattr(doc, "blanked", None)
    if not blanked:
        return problems
    words = set()
    for content in blanked.values():
        m = re.match(r"\s*(?:-\s+)?([A-Za-z_]+)", content)
        if m:
            words.add(m.group(1))
    out = []
    for p in problems:
        params = p.params or {}
        if p.code == "P202" and params.get("key") in words:
            continue
        if p.code == "P216" and words & {"goto", "outcomes"}:
            continue
        out.append(p)
    return out
