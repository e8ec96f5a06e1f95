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

from game.engine import Problem, Rules, Scenario

from .diagnostics import Diagnostic
from .validate import validate

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_EVENTS = 400_000
MAX_VALUES = 200_000  # values built, aliases expanded; bounds "billion laughs"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# YAML 1.2's core schema where YAML 1.1 writers (PyYAML, most editors) agree
# with it: a float needs a dot ("1e5" stays text, as a 1.1 writer leaves it
# unquoted), "0o17" stays text (1.1 has no such octal); hex is read by both.
_INT = re.compile(r"^[-+]?[0-9]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(inf|Inf|INF)$")
_NAN = {".nan", ".NaN", ".NAN"}
#: Longer digit strings stay text (Python refuses to read them as numbers);
#: the field that wanted a number then says so at its line.
_MAX_DIGITS = 4000
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
    #: The scenario compiled for play, once, when it loaded without error.
    rules: Rules | None = None

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


def parse_document(raw: bytes, name: str = "<scenario>", *, positions: bool = False) -> Document:
    """Parse one file's bytes. Raises LoadError (unusable input).

    With `positions=False` the positions are found again on first use (see
    _LazyPositions), which keeps a clean load fast.
    """
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
    if not positions:
        # Positions are needed only to place a diagnostic: read without them,
        # and find them by reading again when one is asked for.
        try:
            builder = _EventBuilder(name, lines, record=False)
            data = builder.run(text)
            return Document(name, data, _LazyPositions(text, name, lines), lines, sha, [])
        except _NeedPositions:
            pass  # a duplicate key: its diagnostic names the line of the first one
    builder = _EventBuilder(name, lines, record=True)
    data = builder.run(text)
    return Document(name, data, builder.pos, lines, sha, builder.problems)


class _NeedPositions(Exception):
    """Raised by a builder that does not record positions when a diagnostic needs them."""


class _LazyPositions(Positions):
    """Positions found by reading the text again, on first use only."""

    def __init__(self, text: str, name: str, lines: list[str]):  # no super().__init__: fields on demand
        self._text, self._name, self._lines = text, name, lines

    def __getattr__(self, attr: str) -> Any:
        if attr in ("values", "keys"):
            builder = _EventBuilder(self._name, self._lines, record=True)
            builder.run(self._text)
            self.values, self.keys = builder.pos.values, builder.pos.keys
            return getattr(self, attr)
        raise AttributeError(attr)


_NOTHING = object()  # no document yet
_SKIP = None  # path of a value that is not kept (a duplicate key's value)


class _Frame:
    """An open collection while the event stream is read."""

    __slots__ = ("value", "path", "mark", "size", "key", "anchor", "is_map")

    def __init__(self, value, path, mark, anchor, is_map):
        self.value, self.path, self.mark, self.anchor, self.is_map = value, path, mark, anchor, is_map
        self.size = 1
        self.key = _NOTHING  # for a mapping: the key waiting for its value


class _EventBuilder:
    """Builds plain data from YAML events in one pass, without recursion.

    It records the position of every value and key, bounds nesting depth
    (the C composer would recurse) and the number of events, refuses a
    second document, reports duplicate keys (keeping the first value), and
    measures what aliases expand to: an alias shares its anchor's value, so a
    "billion laughs" costs nothing to read and is refused, located at the
    deepest collection that is too large on its own, before anything walks it.
    """

    def __init__(self, name: str, lines: list[str], record: bool = True):
        self.name, self.lines, self.record = name, lines, record
        self.pos = Positions()
        self._plain: dict[str, Any] = {}  # plain scalar text -> value
        self._plain_keys: dict[str, str] = {}  # plain key text -> key
        self.problems: list[Diagnostic] = []

    def fail(self, mark, message: str, hint: str | None = None, code: str = "yaml") -> LoadError:
        return _unusable(self.name, message, mark.line + 1, mark.column + 1, hint, _line(self.lines, mark.line + 1), code)

    def run(self, text: str) -> Any:
        try:
            return self._run(text)
        except yaml.MarkedYAMLError as e:
            raise _yaml_error(e, self.name, self.lines) from None
        except yaml.YAMLError as e:
            raise _unusable(self.name, f"not valid YAML: {e}", code="yaml") from None

    def _run(self, text: str) -> Any:
        stack: list[_Frame] = []
        anchors: dict[str, tuple[Any, int]] = {}
        root: Any = _NOTHING
        docs = count = 0
        values = self.pos.values if self.record else {}
        record = self.record
        plain, plain_keys, Scalar = self._plain, self._plain_keys, yaml.ScalarEvent
        parser = _Loader(text)
        next_event = parser.get_event  # the C parser's own loop: no generator, no check_event per event
        try:
            while True:
                ev = next_event()
                if ev is None:
                    break
                count += 1
                if count > MAX_EVENTS:
                    raise self.fail(ev.start_mark, "the file is too large to be a scenario", code="too-large")
                cls = type(ev)
                if cls is Scalar and not record and stack and ev.tag is None and ev.anchor is None:
                    # The common case, kept short: a plain key, or a value in a mapping.
                    parent = stack[-1]
                    if parent.is_map:
                        if parent.key is _NOTHING:
                            key = plain_keys.get(ev.value) if not ev.style else None
                            if key is not None and key not in parent.value:
                                parent.size += 1
                                parent.key = key
                            else:
                                self._key(parent, ev)
                            continue
                        value = ev.value
                        if not ev.style:
                            value = plain.get(value, _NOTHING)
                            if value is _NOTHING:
                                value = plain[ev.value] = _resolve_plain(ev.value)
                        parent.size += 1
                        parent.value[parent.key] = value
                        parent.key = _NOTHING
                        continue
                if cls is yaml.ScalarEvent or cls is yaml.AliasEvent or cls is yaml.MappingStartEvent \
                        or cls is yaml.SequenceStartEvent:
                    parent = stack[-1] if stack else None
                    # Where this node goes: a mapping's key, a mapping's value, a list item or the root.
                    if parent is not None and parent.is_map and parent.key is _NOTHING:
                        if cls is not yaml.ScalarEvent:
                            raise self.fail(ev.start_mark, "a mapping key must be a plain name")
                        self._key(parent, ev)
                        continue
                    if parent is None or not record:
                        path = ()
                    elif parent.path is _SKIP:
                        path = _SKIP
                    elif parent.is_map:
                        path = None if parent.key is _SKIP else parent.path + (parent.key,)
                    else:
                        path = parent.path + (len(parent.value),)
                    m = ev.start_mark
                    if cls is yaml.AliasEvent:
                        if ev.anchor not in anchors:
                            raise self.fail(m, "invalid YAML: '*' refers to an anchor ('&') that does not exist "
                                            f"(found undefined alias '{ev.anchor}')",
                                            "write the value in full; anchors and aliases are best avoided in scenario files")
                        value, size = anchors[ev.anchor]
                        if record and path is not None:
                            values.setdefault(path, (m.line + 1, m.column + 1, None))
                        root = self._deliver(stack, value, size, root)
                    elif cls is yaml.ScalarEvent:
                        if record and path is not None:
                            values.setdefault(path, (m.line + 1, m.column + 1, ev.style or None))  # C parser: '' = plain
                        value = self._scalar(ev)
                        if ev.anchor is not None:
                            anchors[ev.anchor] = (value, 1)
                        root = self._deliver(stack, value, 1, root)
                    else:
                        if len(stack) >= MAX_DEPTH:
                            raise self.fail(m, f"nesting too deep (more than {MAX_DEPTH} levels)", code="too-deep")
                        self._check_tag(ev)
                        if record and path is not None:
                            values.setdefault(path, (m.line + 1, m.column + 1, None))
                        is_map = cls is yaml.MappingStartEvent
                        stack.append(_Frame({} if is_map else [], path, m, ev.anchor, is_map))
                elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                    frame = stack.pop()
                    if frame.size > MAX_VALUES:
                        raise self.fail(frame.mark, f"this part expands to more than {MAX_VALUES} values "
                                        "(aliases '*' repeated too often)",
                                        "avoid anchors (&) and aliases (*) in scenario files", code="too-large")
                    if frame.anchor is not None:
                        anchors[frame.anchor] = (frame.value, frame.size)
                    root = self._deliver(stack, frame.value, frame.size, root)
                elif cls is yaml.DocumentStartEvent:
                    docs += 1
                    if docs > 1:
                        raise self.fail(ev.start_mark, "more than one YAML document ('---') in the file",
                                        "keep one scenario per file")
        finally:
            parser.dispose()
        if root is _NOTHING:
            raise _unusable(self.name, "the file is empty", hint="start from 'pandore new ID'", code="empty")
        return root

    def _deliver(self, stack: list[_Frame], value: Any, size: int, root: Any) -> Any:
        if not stack:
            return value
        parent = stack[-1]
        parent.size += size
        if parent.is_map:
            if parent.key is not _SKIP:
                parent.value[parent.key] = value
            parent.key = _NOTHING
        else:
            parent.value.append(value)
        return root

    def _key(self, parent: _Frame, ev: yaml.ScalarEvent) -> None:
        m = ev.start_mark
        plain = not ev.style and ev.tag is None
        key = self._plain_keys.get(ev.value) if plain else None
        if key is None:
            if ev.value == "<<" and plain:
                raise self.fail(m, "merge keys ('<<') are not supported in scenario files")
            key = self._scalar(ev)
            if isinstance(key, bool) or key is None:
                key = ev.value  # 'true:' or 'null:' as a key is a name here
            elif isinstance(key, (int, float)):
                key = str(ev.value)
            if plain:
                self._plain_keys[ev.value] = key
        parent.size += 1
        if key in parent.value:
            if not self.record:
                raise _NeedPositions
            # Reported, and the first value kept, so the rest of the file is still checked.
            first = self.pos.keys.get(parent.path + (key,), (0, 0))[0] if parent.path is not _SKIP else 0
            self.problems.append(Diagnostic(
                self.name, m.line + 1, m.column + 1, "error", f"duplicate key '{key}' (first given at line {first})",
                "a key may appear once per mapping; remove or rename one", _line(self.lines, m.line + 1),
                code="duplicate-key"))
            parent.key = _SKIP
            return
        if self.record and parent.path is not _SKIP:
            self.pos.keys[parent.path + (key,)] = (m.line + 1, m.column + 1)
        parent.key = key

    def _check_tag(self, ev) -> None:
        tag = ev.tag
        if tag is not None and tag != "!" and tag not in _KNOWN_TAGS and tag not in _COLLECTION_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(ev.start_mark, f"YAML tags such as '{shown}' are not allowed in scenario files",
                            "remove the tag: a scenario holds only text, numbers, true/false, lists and mappings")

    def _scalar(self, ev: yaml.ScalarEvent) -> Any:
        value, tag = ev.value, ev.tag
        if tag is None:
            if ev.style:
                return value  # quoted or block: text
            hit = self._plain.get(value, _NOTHING)  # plain: resolved once per distinct text
            if hit is _NOTHING:
                hit = self._plain[value] = _resolve_plain(value)
            return hit
        if tag == "!":
            return value
        self._check_tag(ev)
        return value if tag == "tag:yaml.org,2002:str" else _resolve_plain(value)


def _resolve_plain(value: str) -> Any:
    """A plain scalar with YAML 1.2's core schema, not 1.1's ("Non" and "23:12" stay text)."""
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if len(value) > _MAX_DIGITS:
        return value
    if _INT.match(value):
        return int(value)
    if _HEX.match(value):
        return int(value[2:], 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if value in _NAN:
        return float("nan")
    return value


_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


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


_KNOWN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value",
}


def problems_to_diagnostics(doc: Document, problems: list[Problem]) -> list[Diagnostic]:
    return [doc.diagnostic(p) for p in problems]


def load_file(path: str | Path, display: str | None = None) -> Loaded:
    """Load one scenario file; never raises for bad input.

    Returns a Loaded whose `scenario` and `rules` are None when there are
    errors; every problem is in `diagnostics`.
    """
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
        return Loaded(doc.path, None, diagnostics, doc)
    return Loaded(doc.path, scenario, diagnostics, doc, Rules.compile(scenario))


def load_text(text: str, name: str = "<scenario>") -> Loaded:
    """Load a scenario from a string (tests, editors)."""
    try:
        doc = parse_document(text.encode("utf-8"), name)
    except LoadError as e:
        return Loaded(name, None, [e.diagnostic])
    return load_document(doc)
