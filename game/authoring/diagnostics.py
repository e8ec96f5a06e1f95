"""Located diagnostics: `path:line:col: error|warning: message`.

Lines and columns are 1-based. `format()` adds the source line with a caret
under the column and the hint, the way a compiler would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal


@dataclass(frozen=True, slots=True)
class Diagnostic:
    file: str
    line: int
    col: int
    severity: Literal["error", "warning"]
    message: str
    hint: str | None = None
    source_line: str | None = None
    #: True when the input is unusable (missing, not UTF-8, not YAML): exit 2.
    unusable: bool = False
    code: str = "invalid"

    def header(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def format(self, *, context: bool = True) -> str:
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
        if self.hint:
            out.append(f"    hint: {self.hint}")
        return "\n".join(out)

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "col": self.col, "severity": self.severity,
                "message": self.message, "hint": self.hint, "code": self.code}


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
    return (d.file, d.line, d.col, d.severity != "error", d.message)
