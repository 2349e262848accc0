"""The lock held while a review save reads, edits and replaces a catalog file."""

from __future__ import annotations

import contextlib
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
