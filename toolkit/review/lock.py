"""The lock held while a review save reads, edits and replaces a catalog file."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from ..catalogs.lock import catalog_lock as _folder_lock

_THREAD_LOCKS: dict[Path, threading.Lock] = {}
_GUARD = threading.Lock()


@contextlib.contextmanager
def catalog_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock for ``path``: threads of this server queue on a thread lock, and
    other processes (``toolkit update``, ``translate``, another review server) on the same
    folder ``flock`` those commands take (:func:`toolkit.catalogs.lock.catalog_lock`)."""
    key = path.resolve()
    with _GUARD:
        lock = _THREAD_LOCKS.setdefault(key, threading.Lock())
    with lock, _folder_lock(key):
        yield


def held_elsewhere(path: Path) -> bool:
    """Whether another process holds the folder lock of the catalog at ``path`` right now
    (``toolkit update`` writing it): the server waits for it without blocking its other
    requests (a save that waited inside the lock froze every reviewer's pages; QA pass 80)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock
        return False
    try:
        fd = os.open(path.resolve().parent, os.O_RDONLY)
    except OSError:
        return False  # (the save reports a missing folder)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # (closing the descriptor releases a lock it took)
    return False
