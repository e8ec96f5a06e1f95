"""A cache of clean scenario loads, so a scenario is parsed once per content.

`load_cached(path)` returns what `load_file(path)` returns, with the
scenario compiled and ready to play. A clean load (no diagnostic at all) is
stored in the user's cache folder under the SHA-256 of the file's bytes,
with the compiled form of its conditions; the next load of the same bytes
skips the YAML parse, the reference checks and the parsing of conditions:
it reads the stored data, validates its shape again with pydantic, checks
each stored condition form (`expr.from_form`) and compiles the rules. Files with problems or warnings always take the full path.

An entry is trusted only when everything in its header matches: the magic
and format, a stamp of the code that validated it (the sources of the
loader, the validation, the engine's model and expressions, plus the
pydantic and Python versions), the file's hash, and the SHA-256 of the
payload. Anything else (a corrupt, truncated, foreign or stale entry) is
ignored and rewritten. Entries are plain JSON (never pickle or marshal),
written atomically; the folder keeps at most MAX_ENTRIES of them.

The folder is `$PANDORE_CACHE_DIR` when set, else platformdirs' user cache
folder for "pandore", under `scenarios/`.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from game import resources
from game.engine import Scenario, compiled
from game.engine.rules import expression_forms

from . import loader
from .files import atomic_write_bytes
from .loader import Document, LoadError, Loaded, Positions, load_document, parse_document

MAGIC = "pandore-scenario-cache"
FORMAT = 1
MAX_ENTRIES = 200


def cache_dir() -> Path:
    env = os.environ.get("PANDORE_CACHE_DIR")
    if env:
        return Path(env) / "scenarios"
    import platformdirs

    return Path(platformdirs.user_cache_dir("pandore", appauthor=False)) / "scenarios"


@functools.cache
def code_stamp() -> str:
    """A hash of everything that decides whether a file loads cleanly, and into what."""
    import pydantic

    from game.engine import expr, model

    from . import validate

    h = hashlib.sha256(f"{MAGIC}:{FORMAT}:{sys.version}:{pydantic.VERSION}".encode())
    for module in (loader, validate, model, expr):
        h.update(resources.module_code(module))  # no .py file on disk in a frozen build
    return h.hexdigest()


def entry_path(sha256: str) -> Path:
    return cache_dir() / f"{sha256}.json"


def load_cached(path: str | Path, display: str | None = None) -> Loaded:
    """Load one scenario file through the cache; never raises for bad input."""
    # A load builds many small objects, setting off the cyclic GC again and
    # again over the whole heap (half a load's time); it holds no cycles.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _load(path, display)
    finally:
        if paused:
            gc.enable()


def _load(path: str | Path, display: str | None) -> Loaded:
    name = display or str(path)
    p = Path(path)
    try:
        if not p.is_file() or p.stat().st_size > loader.MAX_BYTES:
            raise OSError
        raw = p.read_bytes()
    except OSError:
        return loader.load_file(path, display)  # it says what is wrong with the path
    sha = hashlib.sha256(raw).hexdigest()
    entry = read_entry(sha)
    if entry is not None:
        data, forms = entry
        try:
            scenario = Scenario.model_validate(data)
        except (ValidationError, ValueError, TypeError):
            scenario = None  # written by a version we failed to stamp apart: load again
        if scenario is not None:
            # The stored data passed the reference checks; its conditions'
            # compiled forms are checked again by expr.from_form.
            compiled(scenario, checked=True, forms=forms)
            return Loaded(name, scenario, [], _CachedDocument(name, data, raw, sha))
    try:
        doc = parse_document(raw, name)
    except LoadError as e:
        return Loaded(name, None, [e.diagnostic])
    loaded = load_document(doc)
    if loaded.ok and not loaded.diagnostics:
        compiled(loaded.scenario, checked=True)  # validated just now, without error
        write_entry(doc.sha256, doc.data, expression_forms(loaded.scenario))
    return loaded


def read_entry(sha256: str) -> tuple[dict, dict] | None:
    """(data, forms) stored for a file hash, or None when there is no trustworthy entry."""
    try:
        blob = entry_path(sha256).read_bytes()
        head, _, payload = blob.partition(b"\n")
        header = json.loads(head)
        if not (isinstance(header, dict) and header.get("magic") == MAGIC and header.get("format") == FORMAT
                and header.get("stamp") == code_stamp() and header.get("source") == sha256
                and header.get("size") == len(payload)
                and header.get("payload") == hashlib.sha256(payload).hexdigest()):
            return None
        entry = json.loads(payload)
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not (isinstance(entry, dict) and isinstance(entry.get("data"), dict) and isinstance(entry.get("forms"), dict)):
        return None
    return entry["data"], entry["forms"]


def write_entry(sha256: str, data: Any, forms: dict) -> None:
    """Store the data of a clean load; a cache that cannot be written is no error."""
    try:
        payload = json.dumps({"data": data, "forms": forms}, ensure_ascii=False,
                             separators=(",", ":")).encode("utf-8")
        header = {"magic": MAGIC, "format": FORMAT, "stamp": code_stamp(), "source": sha256,
                  "size": len(payload), "payload": hashlib.sha256(payload).hexdigest()}
        atomic_write_bytes(entry_path(sha256), json.dumps(header).encode() + b"\n" + payload)
        _prune(cache_dir())
    except (OSError, TypeError, ValueError):
        pass


def _prune(folder: Path) -> None:
    entries = list(folder.glob("*.json"))
    if len(entries) <= MAX_ENTRIES:
        return
    def age(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0
    for old in sorted(entries, key=age)[: len(entries) - MAX_ENTRIES]:
        try:
            old.unlink()
        except OSError:
            pass


class _LazyPositions(Positions):
    """Positions found by parsing the file again, on first use only (a hit skips the parse)."""

    def __init__(self, raw: bytes, name: str):  # no super().__init__: the fields come on demand
        self._raw, self._name = raw, name

    def __getattr__(self, attr: str) -> Any:
        if attr in ("values", "keys"):
            pos = parse_document(self._raw, self._name, positions=True).positions
            self.values, self.keys = pos.values, pos.keys
            return getattr(self, attr)
        raise AttributeError(attr)


class _CachedDocument(Document):
    """A Document whose positions and lines are found on first use (for diagnostics only)."""

    def __init__(self, name: str, data: Any, raw: bytes, sha256: str):  # `lines` comes on demand
        self.path, self.data, self.positions, self.sha256, self.problems = (
            name, data, _LazyPositions(raw, name), sha256, [])
        self._raw = raw

    def __getattr__(self, attr: str) -> Any:
        if attr == "lines":
            self.lines = self._raw.decode("utf-8-sig").splitlines()
            return self.lines
        raise AttributeError(attr)
