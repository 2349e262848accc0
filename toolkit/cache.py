"""The toolkit's cache folder and what cached results are keyed on.

``compile`` remembers verdicts and MO files, ``check`` its findings per catalog: each under
a digest of the catalog's bytes and of :func:`settings_digest`, everything else a result
depends on. ``TOOLKIT_CACHE_DIR`` moves the folder (default: the user cache folder).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .config import ProjectConfig


def settings_digest(config: ProjectConfig, use_fuzzy: bool) -> bytes:
    """Digest of what every catalog's verdict and MO depend on besides its own bytes: project
    settings, glossaries, the toolkit's code, Babel, Jinja2, msgfmt, Python, registered checks,
    options."""
    import hashlib  # OpenSSL loads in ~2 ms: not for check --no-cache, which only finds msgfmt

    digest = hashlib.sha256()
    digest.update(repr(config).encode())
    msgfmt = program_path("msgfmt")
    try:  # an upgraded msgfmt at the same path judges again
        found = os.stat(msgfmt) if msgfmt else None
        msgfmt_id = f"{msgfmt}\0{found.st_size}\0{found.st_mtime_ns}" if found else "none"
    except OSError:
        msgfmt_id = f"{msgfmt}"
    digest.update(f"{use_fuzzy}\0{msgfmt_id}\0{sys.version}".encode())
    # Babel (plural rules, CLDR data, the PO model) and Jinja2 (the jinja-syntax check), by
    # their installed files: found without importing them (an upgrade rewrites the files).
    for name in ("babel", "jinja2"):
        digest.update(_module_identity(name).encode())
    if "toolkit.checks.base" in sys.modules:  # the registry: a library user may have
        # registered checks of their own (the toolkit's own are covered by its files below,
        # whether imported yet or not)
        from .checks import available_checks

        ids = sorted(
            f"{c.id}:{c.severity}:{module}"
            for c in available_checks()
            if not (module := getattr(c, "__module__", "")).startswith("toolkit.")
        )
        digest.update(",".join(ids).encode())
    for folder in (config.glossaries_path, Path(__file__).resolve().parent):
        for path in sorted(files_under(str(folder)), key=lambda entry: entry.path):
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(f"{path.path}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    if config.config_file is not None and config.config_file.is_file():
        digest.update(config.config_file.read_bytes())
    return digest.digest()


def files_under(folder: str) -> list[os.DirEntry[str]]:
    """The files in ``folder`` and its subfolders but ``__pycache__`` (byte code changes with
    its source), unsorted. ``os.scandir`` rather than ``os.walk`` and ``Path``: the toolkit's
    own ~170 files are listed on every cached compile and check (~7 ms against ~2 ms)."""
    found: list[os.DirEntry[str]] = []
    folders = [folder]
    while folders:  # a loop, not recursion: a tree of any depth
        try:
            listing = os.scandir(folders.pop())
        except OSError:  # no such folder (a project without glossaries), or unreadable
            continue
        with listing:
            for entry in listing:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    continue
                if not is_dir:
                    if not entry.name.endswith(".pyc"):
                        found.append(entry)
                elif entry.name != "__pycache__" and not entry.is_symlink():
                    folders.append(entry.path)
    return found


def entry_key(settings: bytes, label: str, data: bytes) -> str:
    """The key of one cached result: :func:`settings_digest`, what else names the input
    (path, locale, options), and the input's bytes."""
    import hashlib

    digest = hashlib.sha256(settings)
    digest.update(f"{label}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def entry_path(kind: str, key: str) -> Path:
    """Where the result ``key`` of ``kind`` (``verified``, ``checked``) is kept."""
    return cache_dir() / kind / key[:2] / key


def store(path: Path, data: bytes) -> None:
    """Write a cache file atomically; an unwritable cache only costs the next run its work.
    Without fsync: a power cut may leave an entry short, and every reader checks what it
    reads (the key line and SHA-256 of a compiled MO, the JSON of findings; a verdict mark is
    empty anyway), so a short entry only costs the work again."""
    from .errors import InputError
    from .fsutil import write_bytes_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data, durable=False)
    except (OSError, InputError):  # InputError: a read-only entry or a folder not writable
        pass


#: The largest cache entry read: a compiled MO of a catalog at the toolkit's input limits.
ENTRY_LIMIT = 256 * 1024 * 1024


def read_entry(path: Path, limit: int = ENTRY_LIMIT) -> bytes | None:
    """A cache entry's bytes, or None when there is none to use: missing, unreadable, not a
    regular file (a FIFO left there would block the command, ``/dev/zero`` never end), or
    larger than ``limit``. The cache folder is the user's own, but a damaged or planted
    entry must only cost the work it saves."""
    from .fsutil import read_regular_file

    try:
        data = read_regular_file(path, limit)
    except (OSError, MemoryError):
        return None
    return data if len(data) <= limit else None


def parsed_toml(text: str, source: Path) -> dict[str, Any]:
    """``tomllib.loads(text)`` of the file ``source``, remembered in the cache folder for the
    next command.

    Every command reads the project's configuration, and importing tomllib (its regular
    expressions, ``datetime``) costs ~10 ms of a ~0.12 s command. One entry per file (an
    edit replaces it) holds the text it was parsed from and is used only for the very same
    text; a TOML syntax error raises tomllib's error and is never remembered, nor is a table
    marshal cannot write (TOML dates). A damaged or unreadable entry only costs the parse.
    """
    import marshal
    import zlib

    raw = text.encode("utf-8", "surrogatepass")
    path = cache_dir() / "toml" / f"{zlib.crc32(str(source).encode()):08x}"
    stored = read_entry(path, 2 * len(raw) + 4096)  # the text and its table, marshalled
    if stored is not None:
        try:
            kept, data = marshal.loads(stored)
            if kept == text and isinstance(data, dict):
                return data
        except (EOFError, ValueError, TypeError, MemoryError):
            pass
    import tomllib

    data = tomllib.loads(text)
    if len(raw) > TOML_LIMIT:  # a pyproject.toml of megabytes: parsed each time
        return data
    try:
        payload = marshal.dumps((text, data))
    except ValueError:  # a value marshal cannot write (a TOML date)
        return data
    store(path, payload)
    return data


#: The largest configuration file whose parsed table is kept (typical ones: under 10 KB).
TOML_LIMIT = 1024 * 1024


def cache_dir() -> Path:
    """``TOOLKIT_CACHE_DIR``, else the user cache folder (``platformdirs``' choice)."""
    base = os.environ.get("TOOLKIT_CACHE_DIR")
    if base:
        return Path(base)
    if sys.platform.startswith("linux"):
        # platformdirs' answer in the usual cases, without importing it (its Unix module
        # imports tempfile, shutil and random: ~7 ms of a compile of unchanged catalogs);
        # anything unusual (a relative XDG_CACHE_HOME or HOME) is left to it. A test compares.
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        home = os.environ.get("HOME", "")
        if xdg.startswith("/"):
            return Path(xdg, "toolkit")
        if not xdg and home.startswith("/"):
            return Path(home, ".cache", "toolkit")
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("toolkit"))


def program_path(name: str) -> str | None:
    """``shutil.which(name)`` for a bare program name, without importing shutil (which loads
    zlib, bz2 and lzma: ~2 ms of a 50 ms ``compile`` of unchanged catalogs). A test compares
    the two."""
    search = os.environ.get("PATH")
    if search is None:
        try:
            search = os.confstr("CS_PATH") or os.defpath
        except (AttributeError, ValueError):
            search = os.defpath
    if not search:  # PATH='' finds nothing; PATH=':' looks in the current folder
        return None
    seen = set()
    for folder in search.split(os.pathsep):
        if folder in seen:
            continue
        seen.add(folder)
        path = os.path.join(folder, name)
        if os.path.exists(path) and os.access(path, os.X_OK) and not os.path.isdir(path):
            return path
    return None


def _module_identity(name: str) -> str:
    """Where an installed package's code is and when it was written, without importing it
    (an upgrade rewrites the file)."""
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        found = os.stat(origin) if origin else None
    except (ImportError, OSError, ValueError):
        return f"{name}: not found"
    if found is None:
        return f"{name}: not found"
    return f"{name}: {origin} {found.st_size} {found.st_mtime_ns}"
