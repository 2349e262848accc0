"""Worker output parked in files: a ``render-batch --workers`` worker writes each range's
encoded lines to a file of its own in a folder next to the output, and the main process
copies them into the output in file order (``copy_file_range``: a copy inside the kernel) and
deletes them, instead of receiving every byte through a pipe, unpickling and writing it. Only
the ranges in flight wait on disk. The main process creates the folder and removes it,
whatever happens, once the workers have stopped.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SpooledPart:
    """``length`` bytes in the file ``path``."""

    path: str
    length: int


_NUMBERS = itertools.count()


def make_spool(out: Path) -> str:
    """A new hidden folder next to ``out`` (same file system: the copy stays in the kernel)."""
    return tempfile.mkdtemp(prefix=f".{out.name}.{os.getpid()}-", suffix=".parts", dir=out.parent)


def spool(folder: str, data: bytes) -> SpooledPart:
    """Write ``data`` to a new file in ``folder``."""
    path = os.path.join(folder, f"{os.getpid()}-{next(_NUMBERS)}")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    return SpooledPart(path, len(data))


def _copy_file_range(source: int, target: int, count: int, offset: int) -> int:
    copy = getattr(os, "copy_file_range", None)  # Linux only
    if copy is None:
        raise OSError("no copy_file_range here")
    return int(copy(source, target, count, offset))


def copy_part(part: SpooledPart, target: int) -> None:
    """Write ``part`` at the current position of the file descriptor ``target``, then delete
    its file."""
    source = os.open(part.path, os.O_RDONLY)
    try:
        done = 0
        while done < part.length:
            count = part.length - done
            try:
                copied = _copy_file_range(source, target, count, done)
            except OSError:  # another file system, an old kernel, not Linux: user space
                copied = os.write(target, os.pread(source, min(count, 1 << 20), done))
            if copied <= 0:
                raise OSError(f"{part.path}: {part.length - done} bytes missing")
            done += copied
    finally:
        os.close(source)
    os.unlink(part.path)
