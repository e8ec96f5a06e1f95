"""YAML scenario files -> Scenario, with every problem located.

The file is read as bytes, checked for size, decoded as UTF-8 (a BOM is
allowed), pre-scanned event by event (nesting depth, number of events),
composed with PyYAML's C composer when available (safe, no Python objects),
then turned into plain data by our own walk, which records the position of
every value and key, refuses duplicate keys and bounds alias expansion.
Scalars follow YAML 1.2's core schema: only true/false are booleans ("Non"
stays text), and "23:12" stays text (YAML 1.1 would read a base-60 number).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from game.engine import Problem, Scenario

from .diagnostics import Diagnostic
from .validate import validate

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_EVENTS = 400_000
MAX_VALUES = 200_000  # values built, aliases expanded; bounds "billion laughs"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


class LoadError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class Positions:
    """Where each value (and each mapping key) of the document starts."""

    values: dict[tuple, tuple[int, int, str | None]] = field(default_factory=dict)
    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)

    def locate(self, path: tuple, *, key: bool = False, offset: int = 0) -> tuple[int, int]:
        """1-based (line, col) for a path; falls back to the nearest parent."""
        if key and path in self.keys:
            return self.keys[path]
        p = tuple(path)
        while p:
            if p in self.values:
                line, col, style = self.values[p]
                if offset and p == tuple(path) and style in (None, "'", '"'):
                    col += offset + (1 if style else 0)
                return line, col
            if p in self.keys:
                return self.keys[p]
            p = p[:-1]
        return self.values.get((), (1, 1, None))[:2]


@dataclass
class Document:
    """A parsed YAML file: its data, positions, text lines and hash."""

    path: str
    data: Any
    positions: Positions
    lines: list[str]
    sha256: str
    #: Problems found while reading that do not stop it (duplicate keys).
    problems: list[Diagnostic] = field(default_factory=list)

    def diagnostic(self, problem: Problem) -> Diagnostic:
        line, col = self.positions.locate(problem.path, key=problem.key, offset=problem.offset)
        return Diagnostic(self.path, line, col, problem.severity, problem.message, problem.hint,
                          self.source(line), code=problem.code)

    def source(self, line: int) -> str | None:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None


@dataclass
class Loaded:
    """The result of loading a scenario file."""

    path: str
    scenario: Scenario | None
    diagnostics: list[Diagnostic]
    document: Document | None = None

    @property
    def sha256(self) -> str | None:
        return self.document.sha256 if self.document else None

    @property
    def ok(self) -> bool:
        return self.scenario is not None


def _unusable(path: str, message: str, line: int = 1, col: int = 1, hint: str | None = None,
              source: str | None = None, code: str = "unusable") -> LoadError:
    return LoadError(Diagnostic(path, line, col, "error", message, hint, source, unusable=True, code=code))


def read_document(path: str | Path, display: str | None = None) -> Document:
    """Read and parse one YAML file. Raises LoadError (unusable input)."""
    name = display or str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise _unusable(name, "is a folder, not a scenario file", hint="give a .yaml file or use 'pandore check FOLDER'")
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise _unusable(name, f"file too large ({size // 1024} KiB; scenario files are limited to {MAX_BYTES // (1024 * 1024)} MiB)",
                            code="too-large")
        raw = p.read_bytes()
    except FileNotFoundError:
        raise _unusable(name, "no such file", hint="check the path, or give a scenario id from scenarios/") from None
    except OSError as e:
        raise _unusable(name, f"cannot read the file ({e.strerror or e})") from None
    return parse_document(raw, name)


def parse_document(raw: bytes, name: str = "<scenario>") -> Document:
    if len(raw) > MAX_BYTES:
        raise _unusable(name, f"file too large ({len(raw) // 1024} KiB; the limit is {MAX_BYTES // (1024 * 1024)} MiB)",
                        code="too-large")
    sha = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        bad_line = raw.splitlines()[line - 1].decode("utf-8", errors="replace") if raw.splitlines() else None
        raise _unusable(name, f"not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start})", line, col,
                        "save the file as UTF-8 in your editor (e.g. 'Save with encoding' > UTF-8)",
                        bad_line, code="encoding") from None
    if "\x00" in text:
        raise _unusable(name, "the file contains NUL characters; it is not a text file", code="encoding")
    lines = text.splitlines()
    _prescan(text, name, lines)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        raise _yaml_error(e, name, lines) from None
    except yaml.YAMLError as e:
        raise _unusable(name, f"not valid YAML: {e}", code="yaml") from None
    except RecursionError:
        raise _unusable(name, f"nesting too deep (more than {MAX_DEPTH} levels)", code="too-deep") from None
    if node is None:
        raise _unusable(name, "the file is empty", hint="start from 'pandore new ID'", code="empty")
    _check_expansion(node, name, lines)
    pos = Positions()
    builder = _Builder(name, lines, pos)
    data = builder.build(node, ())
    return Document(name, data, pos, lines, sha, builder.problems)


def _prescan(text: str, name: str, lines: list[str]) -> None:
    """Refuse hostile nesting and sizes before composing (the C composer recurses)."""
    depth = 0
    count = 0
    docs = 0
    try:
        for ev in yaml.parse(text, Loader=_Loader):
            count += 1
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    m = ev.start_mark
                    raise _unusable(name, f"nesting too deep (more than {MAX_DEPTH} levels)", m.line + 1, m.column + 1,
                                    source=_line(lines, m.line + 1), code="too-deep")
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            elif isinstance(ev, yaml.DocumentStartEvent):
                docs += 1
                if docs > 1:
                    m = ev.start_mark
                    raise _unusable(name, "more than one YAML document ('---') in the file", m.line + 1, m.column + 1,
                                    "keep one scenario per file", _line(lines, m.line + 1), code="yaml")
            if count > MAX_EVENTS:
                m = ev.start_mark
                raise _unusable(name, "the file is too large to be a scenario", m.line + 1, m.column + 1, code="too-large")
    except yaml.MarkedYAMLError as e:
        raise _yaml_error(e, name, lines) from None
    except yaml.YAMLError as e:
        raise _unusable(name, f"not valid YAML: {e}", code="yaml") from None


def _check_expansion(root: yaml.Node, name: str, lines: list[str]) -> None:
    """Refuse a document whose aliases expand to more than MAX_VALUES values.

    An alias is the very node object of its anchor, so sizes are memoised
    per node: a "billion laughs" is measured in the time of its source, then
    located at the deepest collection that is too large on its own.
    """
    size: dict[int, int] = {}

    def measure(node: yaml.Node) -> int:
        known = size.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += measure(child)
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                total += measure(k) + measure(v)
        size[id(node)] = total
        return total

    if measure(root) <= MAX_VALUES:
        return
    node = root
    while True:
        children = node.value if isinstance(node, yaml.SequenceNode) else (
            [v for _, v in node.value] if isinstance(node, yaml.MappingNode) else [])
        big = next((c for c in children if size.get(id(c), 0) > MAX_VALUES), None)
        if big is None:
            break
        node = big
    m = node.start_mark
    raise _unusable(name, f"this part expands to more than {MAX_VALUES} values (aliases '*' repeated too often)",
                    m.line + 1, m.column + 1, "avoid anchors (&) and aliases (*) in scenario files",
                    _line(lines, m.line + 1), code="too-large")


def _line(lines: list[str], n: int) -> str | None:
    return lines[n - 1] if 0 < n <= len(lines) else None


def _yaml_error(e: yaml.MarkedYAMLError, name: str, lines: list[str]) -> LoadError:
    """A YAML syntax error in plain words, placed where it helps.

    An unclosed quote or bracket is shown where it was opened (the parser
    only notices it later); a wrong indentation or a stray character is
    shown where it is. The parser's own words follow in parentheses.
    """
    problem = (e.problem or "syntax error").strip()
    context = (e.context or "").strip()
    cm, pm = e.context_mark, e.problem_mark

    def at(mark) -> tuple[int, int]:
        return (mark.line + 1, mark.column + 1) if mark else (1, 1)

    def noticed(start, end) -> str:
        return f" (noticed at line {end.line + 1})" if start and end and end.line != start.line else ""

    def char_at(mark) -> str:
        text = _line(lines, mark.line + 1) if mark else None
        return text[mark.column] if text and mark.column < len(text) else ""

    mark, message, hint = cm or pm, None, None
    if "maximum nesting depth" in problem:
        line, col = at(mark)
        return _unusable(name, f"nesting too deep (more than {MAX_DEPTH} levels)", line, col, None,
                         _line(lines, line), "too-deep")
    if pm is not None and ("tab" in problem or "\t" in (_line(lines, pm.line + 1) or "")[: pm.column + 1]):
        mark = pm
        message = "a tab is used for indentation or spacing here"
        hint = "indent with spaces, not tabs (most editors can convert tabs to spaces)"
    elif "quoted scalar" in context:
        mark = cm
        message = "a quote opened here is never closed" + noticed(cm, pm)
        hint = "close the quote at the end of the text, or write a long text as a block after '>-'"
    elif "flow sequence" in context or "flow mapping" in context:
        mark = cm
        opening, closing = ("[", "]") if "sequence" in context else ("{", "}")
        message = f"a '{opening}' opened here is never closed with '{closing}'" + noticed(cm, pm)
        hint = f"add the missing '{closing}', or a ',' between the items"
    elif "mapping values are not allowed" in problem:
        mark = pm
        message = "a ':' that YAML cannot read here"
        hint = ("a text containing ': ' must be in quotes, e.g. text: \"Attention : ...\"; "
                "otherwise check the indentation of this line")
    elif "cannot start any token" in problem:
        mark = pm
        ch = char_at(pm)
        message = f"a value cannot start with '{ch}' unless it is in quotes" if ch else "a character YAML cannot read"
        hint = "put the whole text in quotes, e.g. text: \"@Kylian ...\""
    elif "undefined alias" in problem:
        mark = pm
        message = "'*' refers to an anchor ('&') that does not exist"
        hint = "write the value in full; anchors and aliases are best avoided in scenario files"
    elif "did not find expected key" in problem or "expected <block end>" in problem \
            or "did not find expected '-'" in problem:
        mark = pm
        start = f" (the block starting at line {cm.line + 1})" if cm and pm and cm.line != pm.line else ""
        message = f"unexpected text here: the indentation does not match the lines above{start}"
        hint = ("lines of the same block start in the same column; a text followed by more text "
                "after a closing quote must be quoted as a whole")
    elif "could not find expected ':'" in problem:
        mark = pm or cm
        message = "a line here is not 'key: value'"
        hint = "check the indentation and the quotes; a text on several lines goes after '>-'"
    if message is None:
        message = f"{context}: {problem}" if context else problem
        message += noticed(cm, pm) if mark is cm else ""
    else:
        message += f" ({context + ': ' if context else ''}{problem})"
    line, col = at(mark)
    return _unusable(name, f"invalid YAML: {message}", line, col, hint, _line(lines, line), "yaml")


class _Builder:
    """Turns composed nodes into plain data, recording positions."""

    def __init__(self, name: str, lines: list[str], pos: Positions):
        self.name, self.lines, self.pos = name, lines, pos
        self.count = 0
        self.problems: list[Diagnostic] = []

    def fail(self, node: yaml.Node, message: str, hint: str | None = None, code: str = "yaml") -> LoadError:
        m = node.start_mark
        return _unusable(self.name, message, m.line + 1, m.column + 1, hint, _line(self.lines, m.line + 1), code)

    def build(self, node: yaml.Node, path: tuple) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise self.fail(node, f"the document expands to more than {MAX_VALUES} values (aliases '*' repeated too often)",
                            "avoid anchors (&) and aliases (*) in scenario files", code="too-large")
        m = node.start_mark
        style = getattr(node, "style", None) if isinstance(node, yaml.ScalarNode) else None
        self.pos.values.setdefault(path, (m.line + 1, m.column + 1, style))
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for knode, vnode in node.value:
                if knode.tag == "tag:yaml.org,2002:merge":
                    raise self.fail(knode, "merge keys ('<<') are not supported in scenario files")
                if not isinstance(knode, yaml.ScalarNode):
                    raise self.fail(knode, "a mapping key must be a plain name")
                key = self.scalar(knode)
                if isinstance(key, bool) or key is None:
                    key = knode.value  # 'true:' or 'null:' as a key is a name here
                if isinstance(key, (int, float)):
                    key = str(knode.value)
                if key in out:
                    # Reported, and the first value kept, so the rest of the file is still checked.
                    first = self.pos.keys.get(path + (key,), (0, 0))[0]
                    km = knode.start_mark
                    self.problems.append(Diagnostic(
                        self.name, km.line + 1, km.column + 1, "error",
                        f"duplicate key '{key}' (first given at line {first})",
                        "a key may appear once per mapping; remove or rename one",
                        _line(self.lines, km.line + 1), code="duplicate-key"))
                    self.count += _size(vnode)
                    continue
                km = knode.start_mark
                self.pos.keys[path + (key,)] = (km.line + 1, km.column + 1)
                out[key] = self.build(vnode, path + (key,))
            return out
        raise self.fail(node, "unsupported YAML node")  # pragma: no cover

    def scalar(self, node: yaml.ScalarNode) -> Any:
        value, tag = node.value, node.tag
        if tag not in _KNOWN_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(node, f"YAML tags such as '{shown}' are not allowed in scenario files",
                            "remove the tag: a scenario holds only text, numbers, true/false, lists and mappings",
                            code="yaml")
        # Quoted and block scalars are text; so is a plain scalar that even
        # YAML 1.1 reads as text (or that was tagged !!str explicitly).
        if tag == "tag:yaml.org,2002:str":
            return value
        # Otherwise resolve with YAML 1.2's core schema rather than 1.1's.
        if value in _NULL:
            return None
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
            return float(value)
        return value


_KNOWN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value",
}


def _size(node: yaml.Node) -> int:
    """How many values a skipped node holds (aliases counted), for the expansion bound."""
    total, todo = 0, [node]
    while todo and total <= MAX_VALUES:
        n = todo.pop()
        total += 1
        if isinstance(n, yaml.SequenceNode):
            todo += n.value
        elif isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                todo += [k, v]
    return total


def problems_to_diagnostics(doc: Document, problems: list[Problem]) -> list[Diagnostic]:
    return [doc.diagnostic(p) for p in problems]


def load_file(path: str | Path, display: str | None = None, *, cache: bool = False) -> Loaded:
    """Load one scenario file; never raises for bad input.

    Returns a Loaded whose `scenario` is None when there are errors; every
    problem is in `diagnostics`. With `cache=True`, a clean load is kept in
    the user's cache folder, keyed by the file's hash, and a later load of
    the same bytes skips the parse (see cache.py).
    """
    if cache:
        from .cache import load_cached  # local: cache.py builds on this module

        return load_cached(path, display)
    name = display or str(path)
    try:
        doc = read_document(path, name)
    except LoadError as e:
        return Loaded(name, None, [e.diagnostic])
    return load_document(doc)


def load_document(doc: Document) -> Loaded:
    if not isinstance(doc.data, dict):
        line, col = doc.positions.locate(())
        d = Diagnostic(doc.path, line, col, "error", "a scenario file is a mapping of keys (format, id, title, ...)",
                       "start from 'pandore new ID'", doc.source(line), code="not-mapping")
        return Loaded(doc.path, None, [d], doc)
    scenario, problems = validate(doc.data)
    diagnostics = doc.problems + problems_to_diagnostics(doc, problems)
    if any(d.severity == "error" for d in diagnostics):
        scenario = None
    return Loaded(doc.path, scenario, diagnostics, doc)


def load_text(text: str, name: str = "<scenario>") -> Loaded:
    """Load a scenario from a string (tests, editors)."""
    try:
        doc = parse_document(text.encode("utf-8"), name)
    except LoadError as e:
        return Loaded(name, None, [e.diagnostic])
    return load_document(doc)
