"""YAML scenario files -> Scenario, with every problem located.

The file is read as bytes, checked for size, decoded as UTF-8 (a BOM is
allowed), pre-scanned event by event (nesting depth, number of events),
composed with PyYAML's C composer when available (safe, no Python objects),
then turned into plain data by our own walk, which records the position of
every value and key, refuses duplicate keys and bounds alias expansion.
Scalars follow YAML 1.2's core schema: only true/false are booleans ("Non"
stays text), and "23:12" stays text (YAML 1.1 would read a base-60 number).
A syntax error is named and, where the intent is clear, read past (see
yamlfix.py), so one run reports every problem of the file.
"""

from __future__ import annotations

import hashlib
import stat
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from game.engine import Problem, Rules, Scenario
from game.i18n import LANGUAGES, choose_language
from game.i18n.typography import visible

from .diagnostics import Diagnostic, Msg
from .validate import validate
from . import yamlfix

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_EVENTS = 400_000
# Values built, aliases expanded; bounds "billion laughs". A 2 MiB file holds at most
# about 700,000 plain values, so only an alias-made tree reaches it.
MAX_VALUES = 1_500_000

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
    """The file cannot be read as a scenario; `diagnostics` says every reason found (the first is `diagnostic`)."""

    def __init__(self, diagnostic: Diagnostic, more: list[Diagnostic] | None = None):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.diagnostics = [diagnostic] + list(more or [])


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
    #: Problems found while reading that do not stop it (duplicate keys, syntax errors recovered from).
    problems: list[Diagnostic] = field(default_factory=list)
    #: The language diagnostics are worded in (the scenario's own, unless asked otherwise).
    lang: str = "fr"
    #: Lines emptied to read past a syntax error: what they held is not checked.
    blanked: dict[int, str] = field(default_factory=dict)

    def diagnostic(self, problem: Problem) -> Diagnostic:
        line, col = self.positions.locate(problem.path, key=problem.key, offset=problem.offset)
        params = problem.params if problem.params is not None else {"message": problem.message}
        return Diagnostic(self.path, line, col, problem.code, params, self.source(line),
                          severity=problem.severity, lang=self.lang)

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


def _unusable(path: str, code: str, params: dict | None = None, line: int = 1, col: int = 1,
              source: str | None = None, lang: str = "fr") -> LoadError:
    return LoadError(Diagnostic(path, line, col, code, params or {}, source, unusable=True, lang=lang))


def read_document(path: str | Path, display: str | None = None, lang: str | None = None) -> Document:
    """Read and parse one YAML file. Raises LoadError (unusable input).

    `lang` words the diagnostics (None: the scenario's `language`, else the locale)."""
    name = display or str(path)
    p = Path(path)
    fallback = choose_language(lang)
    try:
        if p.is_dir():
            raise _unusable(name, "P102", lang=fallback)
        info = p.stat()  # follows a symlink: what counts is what it points to
        if not stat.S_ISREG(info.st_mode):  # a device (/dev/zero), a FIFO or a socket would hang or never end
            raise _unusable(name, "P103", {"reason": Msg("diag.reason.not_regular")}, lang=fallback)
        if info.st_size > MAX_BYTES:
            raise _unusable(name, "P104", {"size": info.st_size // 1024, "limit": MAX_BYTES // (1024 * 1024)},
                            lang=fallback)
        with p.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)  # never more than the limit, even if the file grows meanwhile
        if len(raw) > MAX_BYTES:
            raise _unusable(name, "P104", {"size": len(raw) // 1024, "limit": MAX_BYTES // (1024 * 1024)},
                            lang=fallback)
    except FileNotFoundError:
        raise _unusable(name, "P101", lang=fallback) from None
    except OSError as e:
        raise _unusable(name, "P103", {"reason": e.strerror or str(e)}, lang=fallback) from None
    return parse_document(raw, name, lang=lang)


_LANGUAGE_LINE = re.compile(r"^language:\s*[\"']?([a-z]{2})\b", re.MULTILINE)


def sniff_language(text: str) -> str | None:
    """The `language:` a file declares, read from its text (it may not parse)."""
    m = _LANGUAGE_LINE.search(text)
    return m.group(1) if m and m.group(1) in LANGUAGES else None


def parse_document(raw: bytes, name: str = "<scenario>", *, positions: bool = False,
                   lang: str | None = None) -> Document:
    """Parse one file's bytes. Raises LoadError (unusable input).

    A syntax error is reported and, where the intent is clear (a tab, a
    missing colon, a text with « : », a forgotten '- '...), the line is
    repaired in memory and reading goes on, so one run reports every
    problem of the file; where it is not, the diagnostic says so (P128).
    With `positions=False` the positions are found again on first use (see
    _LazyPositions), which keeps a clean load fast.
    """
    fallback = choose_language(lang)
    if len(raw) > MAX_BYTES:
        raise _unusable(name, "P104", {"size": len(raw) // 1024, "limit": MAX_BYTES // (1024 * 1024)}, lang=fallback)
    sha = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        bad_line = raw.splitlines()[line - 1].decode("utf-8", errors="replace") if raw.splitlines() else None
        raise _unusable(name, "P107", {"byte": f"{raw[e.start]:02x}", "offset": e.start}, line, col, bad_line,
                        lang=choose_language(lang, sniff_language(raw.decode("utf-8", errors="replace")))) from None
    lang = choose_language(lang, sniff_language(text))
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        raise _unusable(name, "P108", {}, line, col, visible(text.splitlines()[line - 1]), lang=lang)
    lines = text.splitlines()
    text, early = yamlfix.invisible_characters(text, name, lines, lang)
    blanked: dict[int, str] = {}
    syntax: list[Diagnostic] = []
    for _ in range(yamlfix.max_repairs(text)):
        try:
            doc = _parse(text, name, lines, sha, positions, lang)
        except _Syntax as e:
            syntax.append(e.diagnostic)
            fixed = yamlfix.repair(text, e.diagnostic, e.repair, blanked)
            if fixed is None:
                raise LoadError(syntax[0], syntax[1:] + early + [_stopped(name, e.diagnostic, lines, lang)]) from None
            text = fixed
            continue
        except LoadError as e:
            # Reading stopped (too deep, a tag, a second document...): say that the rest was not checked.
            stop = [] if e.diagnostic.code in ("P109", "P110") else [_stopped(name, e.diagnostic, lines, lang)]
            first, *rest = syntax + [e.diagnostic]
            raise LoadError(first, rest + early + stop) from None
        merged, dup_fix = yamlfix.merged_items(doc, text, lang)
        if dup_fix is not None:  # a forgotten '- ': said once, then read as meant
            syntax += merged
            text = dup_fix
            continue
        doc.problems = early + syntax + doc.problems
        doc.blanked = blanked
        return doc
    raise LoadError(syntax[0], syntax[1:] + early + [_stopped(name, syntax[-1], lines, lang)])


def _stopped(name: str, after: Diagnostic, lines: list[str], lang: str) -> Diagnostic:
    return Diagnostic(name, after.line, after.col, "P128", {"line": after.line}, _line(lines, after.line),
                      unusable=True, lang=lang)


class _Syntax(Exception):
    """A YAML syntax error, with the repair that would let reading go on (see yamlfix.repair)."""

    def __init__(self, diagnostic: Diagnostic, repair: tuple | None):
        self.diagnostic, self.repair = diagnostic, repair


def _parse(text: str, name: str, lines: list[str], sha: str, positions: bool, lang: str) -> Document:
    if not positions:
        # Positions are needed only to place a diagnostic: read without them,
        # and find them by reading again when one is asked for.
        data = _quick(text)
        if data is not None:
            return Document(name, data, _LazyPositions(text, name, lines), lines, sha, [], lang)
        try:
            builder = _EventBuilder(name, lines, record=False, lang=lang)
            data = builder.run(text)
            return Document(name, data, _LazyPositions(text, name, lines), lines, sha, [], lang)
        except _NeedPositions:
            pass  # a duplicate key: its diagnostic names the line of the first one
    builder = _EventBuilder(name, lines, record=True, lang=lang)
    data = builder.run(text)
    doc = Document(name, data, builder.pos, lines, sha, builder.problems, lang)
    doc.duplicates = builder.duplicates  # type: ignore[attr-defined]
    return doc


#: What the quick reader leaves to the full one: whatever the two could read
#: differently. yaml_rs reads YAML 1.2's numbers: the floats it reads from
#: '1e5' or '_.5' are refused by `_quick`'s walk (a scenario has none), and the
#: whole numbers it reads from '1_000', '_8', '0o17' or '+0x1F' are found in the
#: text here; merge keys, tags, anchors, aliases, tabs, directives and
#: documents after the first are also the full reader's. Any of these anywhere
#: in the text, even inside a quoted string, sends the file to the full reader:
#: it is only slower. Each search starts from one character, which CPython
#: finds quickly (a two-character search or a character class would scan the
#: text at a tenth of the speed).
_QUICK_LINE = re.compile(r"\n(?:%|\.\.\.|---[ ]*\S)")
_QUICK_RADIX = re.compile(r"0[oObBxX]")
_QUICK_MERGE = re.compile(r"<<")
#: Deep nesting: yaml_rs builds nested values by recursion, and a chain of thousands of compact
#: '- - - ...' would overflow the stack (a crash, not an error). A block collection's depth is bounded
#: by the column where its line's indicators end, so a line that starts with 100 spaces or indicators
#: goes to the event walk (which bounds depth at MAX_DEPTH); flow collections yaml_rs bounds itself.
_QUICK_DEEP = re.compile(r"\n[ ?:-]{100}")
#: A character YAML does not allow in a file (libyaml refuses it, yaml_rs may not), or a byte order mark inside.
_QUICK_ODD = re.compile("[^\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_DIGITS = "0123456789"


def _unsure(text: str) -> bool:
    """Whether the text holds anything _quick might read otherwise than the full reader."""
    lined = "\n" + text
    if "\t" in text or _QUICK_MERGE.search(text) or _QUICK_LINE.search(lined) or _QUICK_DEEP.search(lined) \
            or _QUICK_RADIX.search(text) or _QUICK_ODD.search(text):
        return True
    find = text.find
    at = find("_")
    while at >= 0:
        if _number_like(text, at):
            return True
        at = find("_", at + 1)
    for mark in "!&*":
        at = find(mark)
        while at >= 0:
            i = at
            while i > 0 and text[i - 1] == " ":
                i -= 1
            if i == 0 or text[i - 1] in "\n:?,[{-":
                return True  # where a value starts: a tag, an anchor or an alias
            at = find(mark, at + 1)
    return False


def _number_like(text: str, at: int) -> bool:
    """Whether the '_' at `at` is in a word yaml_rs could read as a number ('1_000', '_8', '-2_')."""
    j = at + 1
    while j < len(text) and (text[j] in _DIGITS or text[j] in "._"):
        j += 1
    if j < len(text) and (text[j].isalnum() or text[j] == "_"):
        return False  # 'etape_2b' is a word
    i = at
    while i > 0 and (text[i - 1] in _DIGITS or text[i - 1] == "."):
        i -= 1
    if i > 0 and text[i - 1] in "+-":
        i -= 1
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_.")


#: Larger integers are left to the full reader: it keeps a run of over 4,000 digits as text.
_QUICK_INT = 2**62


def _quick(text: str) -> Any:
    """The document's data from yaml_rs (a Rust YAML parser, ~5x faster than the
    event walk), or None when the full reader must read it: a mistake to report
    or anything the two could read differently (`_unsure`, a key that is not
    text, a value of another type, a depth or a size over the limits). When it
    gives data, it is exactly the data `_EventBuilder` builds from the same text
    (tests/authoring/test_quick_reader.py compares them on every shipped
    scenario, every bad file of the tests and generated documents)."""
    if _unsure(text):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
    except (ValueError, TypeError, OverflowError, RecursionError):  # YAMLDecodeError is a ValueError
        return None
    if type(data) is not dict:
        return None
    # One walk: keys are text; values are text, whole numbers, true/false, null or collections,
    # within MAX_DEPTH; at least as many events counted as the event walk would count, within MAX_EVENTS.
    events = 4  # stream and document, start and end
    todo = [(data, 1)]
    pop, push = todo.pop, todo.append
    while todo:
        value, depth = pop()
        if depth > MAX_DEPTH:
            return None
        if type(value) is dict:
            events += 2 + 2 * len(value)
            for k, v in value.items():
                if type(k) is not str:
                    return None
                t = type(v)
                if t is str or t is bool or v is None or (t is int and -_QUICK_INT < v < _QUICK_INT):
                    continue
                if t is dict or t is list:
                    push((v, depth + 1))
                    continue
                return None
        else:  # the same test as for a mapping's values, written out: this walk is on the cold load's path
            events += 2 + len(value)
            for v in value:
                t = type(v)
                if t is str or t is bool or v is None or (t is int and -_QUICK_INT < v < _QUICK_INT):
                    continue
                if t is dict or t is list:
                    push((v, depth + 1))
                    continue
                return None
    return data if events <= MAX_EVENTS else None


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

    def __init__(self, name: str, lines: list[str], record: bool = True, lang: str = "fr"):
        self.name, self.lines, self.record, self.lang = name, lines, record, lang
        self.pos = Positions()
        self._plain: dict[str, Any] = {}  # plain scalar text -> value
        self._plain_keys: dict[str, str] = {}  # plain key text -> key
        self.problems: list[Diagnostic] = []
        #: (mapping path, key, line, col, first line) of every duplicate key, for yamlfix.merged_items.
        self.duplicates: list[tuple] = []

    def fail(self, mark, code: str, params: dict | None = None) -> LoadError:
        return _unusable(self.name, code, params, mark.line + 1, mark.column + 1, _line(self.lines, mark.line + 1),
                         self.lang)

    def run(self, text: str) -> Any:
        try:
            return self._run(text)
        except yaml.MarkedYAMLError as e:
            diagnostic, repair = yamlfix.describe(e, self.name, self.lines, text, self.lang)
            raise _Syntax(diagnostic, repair) from None
        except yaml.YAMLError as e:
            raise _unusable(self.name, "P123", {"detail": str(e)}, lang=self.lang) from None

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
                    raise self.fail(ev.start_mark, "P105", {"limit": MAX_EVENTS})
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
                            raise self.fail(ev.start_mark, "P126")
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
                            raise self.fail(m, "P114", {"anchor": ev.anchor})
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
                            raise self.fail(m, "P115", {"limit": MAX_DEPTH})
                        self._check_tag(ev)
                        if record and path is not None:
                            values.setdefault(path, (m.line + 1, m.column + 1, None))
                        is_map = cls is yaml.MappingStartEvent
                        stack.append(_Frame({} if is_map else [], path, m, ev.anchor, is_map))
                elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                    frame = stack.pop()
                    if frame.size > MAX_VALUES:
                        raise self.fail(frame.mark, "P106", {"limit": MAX_VALUES})
                    if frame.anchor is not None:
                        anchors[frame.anchor] = (frame.value, frame.size)
                    root = self._deliver(stack, frame.value, frame.size, root)
                elif cls is yaml.DocumentStartEvent:
                    docs += 1
                    if docs > 1:
                        raise self.fail(ev.start_mark, "P111")
        finally:
            parser.dispose()
        if root is _NOTHING:
            raise _unusable(self.name, "P109", lang=self.lang)
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
                raise self.fail(m, "P113")
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
                self.name, m.line + 1, m.column + 1, "P124", {"key": key, "first": first},
                _line(self.lines, m.line + 1), lang=self.lang))
            self.duplicates.append((parent.path, key, m.line + 1, m.column + 1, first))
            parent.key = _SKIP
            return
        if self.record and parent.path is not _SKIP:
            self.pos.keys[parent.path + (key,)] = (m.line + 1, m.column + 1)
        parent.key = key

    def _check_tag(self, ev) -> None:
        tag = ev.tag
        if tag is not None and tag != "!" and tag not in _KNOWN_TAGS and tag not in _COLLECTION_TAGS:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.fail(ev.start_mark, "P112", {"tag": shown})

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


_KNOWN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value",
}


def problems_to_diagnostics(doc: Document, problems: list[Problem]) -> list[Diagnostic]:
    return [doc.diagnostic(p) for p in problems]


def load_file(path: str | Path, display: str | None = None, *, lang: str | None = None) -> Loaded:
    """Load one scenario file; never raises for bad input.

    Returns a Loaded whose `scenario` and `rules` are None when there are
    errors; every problem is in `diagnostics`, worded in `lang` (None: the
    scenario's `language`, else the system locale).
    """
    name = display or str(path)
    try:
        doc = read_document(path, name, lang)
    except LoadError as e:
        return Loaded(name, None, e.diagnostics)
    return load_document(doc)


def load_document(doc: Document) -> Loaded:
    if not isinstance(doc.data, dict):
        line, col = doc.positions.locate(())
        got = {list: "list", str: "text", int: "number", float: "number", bool: "bool"}.get(type(doc.data), "nothing")
        d = Diagnostic(doc.path, line, col, "P110", {"got": Msg(f"diag.got.{got}")}, doc.source(line),
                       lang=doc.lang)
        return Loaded(doc.path, None, doc.problems + [d], doc)
    scenario, problems, rules = validate(doc.data)
    problems = yamlfix.drop_blanked(problems, doc)
    diagnostics = doc.problems + problems_to_diagnostics(doc, problems)
    if any(d.severity == "error" for d in diagnostics):
        return Loaded(doc.path, None, diagnostics, doc)
    return Loaded(doc.path, scenario, diagnostics, doc, rules)


def load_text(text: str, name: str = "<scenario>", lang: str | None = None) -> Loaded:
    """Load a scenario from a string (tests, editors)."""
    try:
        doc = parse_document(text.encode("utf-8"), name, lang=lang)
    except LoadError as e:
        return Loaded(name, None, e.diagnostics)
    return load_document(doc)
