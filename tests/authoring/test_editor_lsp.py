"""The per-scenario schema in the real editor engine: yaml-language-server (VS Code's YAML extension).

The npm package is installed once into .cache/yaml-language-server (gitignored) when node and npm are
present; without them, or without the registry, the test is skipped and says why. It speaks the
Language Server Protocol over stdio, as VS Code does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
import yaml

from game.authoring.schema import schema_for, schema_text

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "yaml-language-server"
VERSION = "1.15.0"
SERVER = CACHE / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"

pytestmark = pytest.mark.slow


def _server() -> Path:
    if not shutil.which("node") or not shutil.which("npm"):
        pytest.skip("node and npm are not installed: yaml-language-server cannot run")
    CACHE.mkdir(parents=True, exist_ok=True)
    import fcntl

    # one install at a time: the test files that use the server may run side by side (make test -n)
    with open(CACHE / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        installed = CACHE / ".installed"
        if not (SERVER.is_file() and installed.is_file()):
            try:
                done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(CACHE),
                                       f"yaml-language-server@{VERSION}"], capture_output=True, text=True,
                                      timeout=300)
            except subprocess.TimeoutExpired:
                pytest.skip("npm could not install yaml-language-server within 5 minutes (no registry?)")
            if done.returncode != 0 or not SERVER.is_file():
                pytest.skip(f"npm could not install yaml-language-server: {done.stderr.strip()[-300:]}")
            installed.touch()
    return SERVER


class Client:
    """A minimal LSP client: requests with ids, answers the server's own requests, collects notifications."""

    def __init__(self, server: Path):
        self.proc = subprocess.Popen(["node", str(server), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.replies: dict[int, dict] = {}
        self.diagnostics: dict[str, list] = {}
        self.lock = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _send(self, msg: dict) -> None:
        body = json.dumps(msg).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            msg = json.loads(out.read(length))
            if "method" in msg and "id" in msg:  # a request from the server
                result = None
                if msg["method"] == "workspace/configuration":
                    result = [self.settings().get(i.get("section", ""), self.settings())
                              for i in msg["params"]["items"]]
                self._send({"jsonrpc": "2.0", "id": msg["id"], "result": result})
            elif "method" in msg:
                if msg["method"] == "textDocument/publishDiagnostics":
                    with self.lock:
                        self.diagnostics[msg["params"]["uri"]] = msg["params"]["diagnostics"]
                        self.lock.notify_all()
            else:
                with self.lock:
                    self.replies[msg["id"]] = msg
                    self.lock.notify_all()

    @staticmethod
    def settings() -> dict:
        yaml_ = {"validate": True, "completion": True, "hover": True, "schemas": {}, "schemaStore": {"enable": False}}
        return {"yaml": yaml_, "": {"yaml": yaml_}}

    def request(self, method: str, params: dict, timeout: float = 30) -> dict:
        self.next_id += 1
        rid = self.next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        with self.lock:
            self.lock.wait_for(lambda: rid in self.replies, timeout)
        return self.replies.get(rid, {})

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait_diagnostics(self, uri: str, timeout: float = 30) -> list:
        with self.lock:
            self.lock.wait_for(lambda: uri in self.diagnostics, timeout)
        return self.diagnostics.get(uri, [])

    def open(self, root: Path, uri: str, text: str) -> None:
        """Start the session as VS Code does (its settings, `self.settings()`), then open the document."""
        self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {
            "textDocument": {"completion": {"completionItem": {"snippetSupport": True}}},
            "workspace": {"configuration": True}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings()})
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                           "text": text}})

    def diagnostics_on(self, uri: str, line: int, timeout: float = 30) -> list:
        """The document's diagnostics once one is on `line` (or what there is after `timeout`)."""
        deadline = time.time() + timeout
        diags: list = []
        while time.time() < deadline:
            diags = self.wait_diagnostics(uri)
            if any(d["range"]["start"]["line"] == line for d in diags):
                break
            time.sleep(0.2)
        return diags

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=5)
            self.notify("exit", {})
            self.proc.wait(timeout=5)
        except Exception:  # noqa: BLE001 - a server that does not stop is killed
            self.proc.kill()


def test_the_editor_underlines_a_goto_typo_and_an_unknown_gauge_and_completes_node_ids(tmp_path):
    server = _server()
    source = (ROOT / "scenarios" / "sms-mineur" / "fr.yaml").read_text(encoding="utf-8")
    (tmp_path / "fr.schema.json").write_text(schema_text(schema_for(yaml.safe_load(source))), encoding="utf-8")
    lines = source.splitlines()
    lines = [l for l in lines if not l.startswith("# yaml-language-server:")]
    lines.insert(0, "# yaml-language-server: $schema=fr.schema.json")
    nodes = lines.index("nodes:")
    goto = next(i for i, l in enumerate(lines) if i > nodes and l.strip().startswith("goto: "))  # a choice's goto
    lines[goto] = lines[goto].split("goto:")[0] + "goto: echang"
    eff = next(i for i, l in enumerate(lines) if l.strip().startswith("effects: {"))
    lines[eff] = lines[eff].replace("effects: {", "effects: {relaton: 3, ", 1)
    text = "\n".join(lines) + "\n"
    doc = tmp_path / "fr.yaml"
    doc.write_text(text, encoding="utf-8")
    uri = doc.as_uri()
    c = Client(server)
    try:
        c.open(tmp_path, uri, text)
        diags = c.diagnostics_on(uri, goto)
        on = {d["range"]["start"]["line"] for d in diags}
        assert goto in on, diags
        assert eff in on, diags
        col = len(lines[goto].split("goto:")[0]) + len("goto: ")
        items = c.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                     "position": {"line": goto, "character": col}})
        result = items.get("result") or {}
        labels = [i["label"] for i in (result.get("items", []) if isinstance(result, dict) else result)]
        assert "echange" in labels and "lien_et_cadre" in labels, labels
        assert "null" not in labels
        key = len(lines[goto]) - len(lines[goto].lstrip()) + 1
        hover = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                "position": {"line": goto, "character": key}})
        contents = json.dumps((hover.get("result") or {}).get("contents", ""), ensure_ascii=False)
        assert "Id du nœud" in contents and "Id of the next node" in contents, contents  # French, then English
        assert "||" not in contents and "Goto" not in contents, contents  # no doubled title
        assert "`echange`: « Plus être là. »" in contents  # the node ids listed with their first words
    finally:
        c.close()
