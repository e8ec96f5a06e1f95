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

from game.engine import Problem, Scenario, ScenarioError, load_scenario

from .diagnostics import Diagnostic

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
    pos = Positions()
    builder = _Builder(name, lines, pos)
    data = builder.build(node, ())
    return Document(name, data, pos, lines, sha)


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


def _line(lines: list[str], n: int) -> str | None:
    return lines[n - 1] if 0 < n <= len(lines) else None


def _yaml_error(e: yaml.MarkedYAMLError, name: str, lines: list[str]) -> LoadError:
    """A YAML syntax error, placed where the broken construct began."""
    problem = (e.problem or "syntax error").strip()
    mark = e.context_mark or e.problem_mark
    where = ""
    if e.context_mark and e.problem_mark and e.problem_mark.line != e.context_mark.line:
        where = f" (noticed at line {e.problem_mark.line + 1})"
    context = f"{e.context.strip()}: " if e.context else ""
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    hint = None
    if "quoted scalar" in (e.context or ""):
        hint = "a quote is not closed; close it on the same text, or use a block (|) for long texts"
    elif "mapping values are not allowed" in problem:
        hint = "a text containing ': ' must be quoted, e.g. text: \"Attention : ...\""
    elif "tab" in problem:
        hint = "indent with spaces, not tabs"
    elif "could not find expected ':'" in problem:
        hint = "each line of a mapping is 'key: value'; check indentation and quotes"
    return _unusable(name, f"invalid YAML: {context}{problem}{where}", line, col, hint, _line(lines, line), "yaml")


class _Builder:
    """Turns composed nodes into plain data, recording positions."""

    def __init__(self, name: str, lines: list[str], pos: Positions):
        self.name, self.lines, self.pos = name, lines, pos
        self.count = 0

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
                    first = self.pos.keys.get(path + (key,), (0, 0))[0]
                    raise self.fail(knode, f"duplicate key '{key}' (first given at line {first})",
                                    "a key may appear once per mapping; remove or rename one", code="duplicate-key")
                km = knode.start_mark
                self.pos.keys[path + (key,)] = (km.line + 1, km.column + 1)
                out[key] = self.build(vnode, path + (key,))
            return out
        raise self.fail(node, "unsupported YAML node")  # pragma: no cover

    def scalar(self, node: yaml.ScalarNode) -> Any:
        value, tag = node.value, node.tag
        if tag not in _KNOWN_TAGS:
            raise self.fail(node, f"YAML tags such as '{tag}' are not allowed in scenario files", code="yaml")
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


def problems_to_diagnostics(doc: Document, problems: list[Problem]) -> list[Diagnostic]:
    return [doc.diagnostic(p) for p in problems]


def load_file(path: str | Path, display: str | None = None) -> Loaded:
    """Load one scenario file; never raises for bad input.

    Returns a Loaded whose `scenario` is None when there are errors; every
    problem is in `diagnostics`.
    """
    name = display or str(path)
    try:
        doc = read_document(path, name)
    except LoadError as e:
        return Loaded(name, None, [e.diagnostic])
    return load_document(doc)


def load_document(doc: Document) -> Loaded:
    if not isinstance(doc.data, dict):
        d = Diagnostic(doc.path, 1, 1, "error", "a scenario file is a mapping of keys (format, id, title, ...)",
                       "start from 'pandore new ID'", doc.source(1), code="not-mapping")
        return Loaded(doc.path, None, [d], doc)
    try:
        scenario = load_scenario(doc.data)
    except ScenarioError as e:
        return Loaded(doc.path, None, problems_to_diagnostics(doc, e.problems), doc)
    return Loaded(doc.path, scenario, [], doc)


def load_text(text: str, name: str = "<scenario>") -> Loaded:
    """Load a scenario from a string (tests, editors)."""
    try:
        doc = parse_document(text.encode("utf-8"), name)
    except LoadError as e:
        return Loaded(name, None, [e.diagnostic])
    return load_document(doc)
