"""User files: written safely (temp file + fsync + rename, so a crash never
leaves a half-written save, settings file or export), read within a cap
(only regular files), and the temporaries of interrupted writes cleaned."""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path


def atomic_write_bytes(path: Path | str, data: bytes) -> None:
    """Write `data` to `path` atomically (the old content stays intact on failure)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode a plain
        # open() would: the old file's, or the usual one under the umask.
        try:
            mode = os.stat(path).st_mode & 0o777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        try:
            os.chmod(tmp, mode)
        except OSError:
            pass
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        try:
            dfd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        try:
            os.fsync(dfd)
        except OSError:
            pass
        finally:
            os.close(dfd)


def atomic_write_text(path: Path | str, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


class NotReadable(OSError):
    """A user file that is not a regular file, or larger than its cap; `str()` says which."""


def read_capped(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Raises FileNotFoundError when it is absent, NotReadable when it is a
    device, a FIFO or a socket (reading would hang or never end) or larger
    than `limit`, OSError when it cannot be read.
    """
    path = Path(path)
    info = path.stat()  # follows a symlink: what counts is what it points to
    if not stat.S_ISREG(info.st_mode):
        raise NotReadable(f"{path.name} is not a regular file")
    if info.st_size > limit:
        raise NotReadable(f"{path.name} is larger than {limit // 1024} KiB")
    with path.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise NotReadable(f"{path.name} is larger than {limit // 1024} KiB")
    return data


def remove_stray_temporaries(folder: Path | str, older_than: float = 60.0) -> int:
    """Delete the temporary files an interrupted atomic write left in `folder` (".NAME.XXXX.tmp",
    untouched for `older_than` seconds, so a write in progress elsewhere is spared). Returns how many."""
    folder = Path(folder)
    removed = 0
    now = time.time()
    try:
        candidates = list(folder.glob(".*.tmp"))
    except OSError:
        return 0
    for p in candidates:
        try:
            if p.is_file() and now - p.stat().st_mtime > older_than:
                p.unlink()
                removed += 1
        except OSError:
            pass
    return removed
