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


@contextlib.contextmanager
def catalog_lock(path: Path, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the exclusive lock of the catalog at ``path`` (waiting up to ``timeout`` s)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no flock; writers are not ordered
        yield
        return
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    if links_to_same_kind(path):  # (nb_NO/'s catalog a link to nb/'s: one lock for both)
        folder = Path(os.path.realpath(path)).parent
    fd = os.open(folder, os.O_RDONLY)
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
