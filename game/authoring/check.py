"""`pandore check`: load every file given (folders are searched for *.yaml)
and collect every diagnostic, grouped by file by the caller."""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic
from .loader import load_file


def scenario_files(paths: list[str]) -> tuple[list[Path], list[Diagnostic]]:
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(p.rglob("*.yaml")) + sorted(p.rglob("*.yml"))
            if not found:
                problems.append(Diagnostic(raw, 1, 1, "error", "no scenario file (*.yaml) in this folder", unusable=True))
            files += found
        elif p.exists():
            files.append(p)
        else:
            problems.append(Diagnostic(raw, 1, 1, "error", "no such file or folder", unusable=True))
    return files, problems


def check_file(path: Path) -> list[Diagnostic]:
    return load_file(path).diagnostics


def check_paths(paths: list[str]) -> tuple[list[Diagnostic], int]:
    """All diagnostics for the given files and folders, and how many files were read."""
    files, diags = scenario_files(paths)
    for f in files:
        diags += check_file(f)
    return diags, len(files)
