"""The lock held while a review save reads, edits and replaces a catalog file."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

_THREAD_LOCKS: dict[Path, threading.Lock] = {}
_GUARD = threading.Lock()


@contextlib.contextmanager
def catalog_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for ``path`` (threads of this process and, on POSIX, processes).

    Other processes are kept out with ``flock`` on the catalog's folder: the file itself is
    replaced by a rename on every save, so a lock on its inode would not outlive the save, and
    locking the folder leaves no lock file behind.
    """
    key = path.resolve()
    with _GUARD:
        lock = _THREAD_LOCKS.setdefault(key, threading.Lock())
    with lock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: the thread lock is all there is
            yield
            return
        fd = os.open(key.parent, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
