"""Locks for the read-modify-write of a catalog, shared by update, translate and review saves.

A catalog is locked by an exclusive ``flock`` on its folder (``locales/da/LC_MESSAGES``): the
PO file itself is replaced by an atomic rename on every write, so a lock on the file would be
a lock on an old inode, and a folder lock leaves no lock file behind. Locks are advisory: they
order the toolkit's own writers (CLI commands, the review server's saves), not editors.

Writers that read a catalog long before they write it (``translate`` runs MT in between) do not
hold the lock meanwhile; :func:`edit_catalog` re-reads the file under the lock and hands the
current catalog to the caller's edit, so nothing saved in between is lost.

API for other writers (e.g. the review server)::

    from toolkit.catalogs import edit_catalog

    def approve(catalog):  # runs under the lock, on the file as it is now
        catalog["Welcome back"].flags.discard("fuzzy")

    edit_catalog(config.po_path("da"), "da", approve)
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog

from ..errors import CatalogError
from .pofile import PoFile, links_to_same_kind, read_po_file, write_catalog

#: Seconds a writer waits for another toolkit command to finish with the same catalog.
LOCK_TIMEOUT = 60.0
_POLL = 0.05


def lock_folder(path: Path) -> str:
    """The folder whose lock orders the writers of the catalog at ``path``: its own, or, for
    a catalog that is a link to another catalog (``nb_NO/``'s to ``nb/``'s), the folder of the
    file it points to, so both spellings take one lock. Two locks of one folder taken by one
    process conflict with each other (``flock`` is per open file): a command working on
    several catalogs takes each folder's once (:func:`folder_locks`)."""
    if links_to_same_kind(path):
        return os.path.dirname(os.path.realpath(path))
    return os.path.realpath(path.parent)


@contextlib.contextmanager
def folder_locks(paths: list[Path]) -> Iterator[None]:
    """The locks of several catalogs, each folder's once (``nb`` and ``nb_NO`` sharing one
    catalog, through a link to the file or to the folder), taken in a fixed order."""
    chosen: dict[str, Path] = {}
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        chosen.setdefault(lock_folder(path), path)
    with contextlib.ExitStack() as locks:
        for folder in sorted(chosen):
            locks.enter_context(catalog_lock(chosen[folder]))
        yield


@contextlib.contextmanager
def catalog_lock(path: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the exclusive lock of the catalog at ``path`` (waiting up to ``timeout`` s)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock; writers are not ordered
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_folder(path), os.O_RDONLY)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise CatalogError(
                        f"another toolkit command has been writing this catalog for over "
                        f"{timeout:g} s.",
                        path=path,
                        hint="Wait for it to finish (or stop it) and rerun.",
                    ) from None
                time.sleep(_POLL)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def edit_catalog(
    path: Path,
    locale: str | None,
    edit: Callable[[Catalog], object],
    *,
    dry_run: bool = False,
    timeout: float = LOCK_TIMEOUT,
) -> tuple[PoFile, bool]:
    """Under the catalog's lock: read ``path``, apply ``edit`` to its catalog, write it back.

    Returns the file as read and whether it was written (False when nothing changed).
    """
    with catalog_lock(path, timeout=timeout):
        po = read_po_file(path, locale=locale)
        edit(po.catalog)
        written = write_catalog(path, po.catalog, dry_run=dry_run, old=po.data)
    return po, written
