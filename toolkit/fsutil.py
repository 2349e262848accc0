"""Atomic file writes and safe path handling."""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import CatalogError


@contextlib.contextmanager
def atomic_open(
    path: Path,
    mode: str = "wb",
    encoding: str | None = None,
    *,
    durable: bool = True,
    follow_links: bool = False,
) -> Iterator[IO]:
    """Open a temp file next to ``path``; on success it replaces ``path`` in one rename.

    On any exception (including KeyboardInterrupt) the temp file is removed and ``path``
    keeps its previous content. ``durable``: the data reaches the disk (fsync) before the
    rename, so a power cut leaves the old file or the new one; without it (cache entries,
    which are checked when read) a power cut may leave a short file. ``follow_links``: a
    user's ``--out`` that is a symbolic link is written through (:func:`through_links`), and
    so are a project's catalogs and POT, whose links the configuration has checked to resolve
    inside the project (a link to a file outside is refused before anything is read).
    """
    if follow_links:
        path = through_links(path)
    refuse_read_only(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Ctrl-C or SIGTERM (render-batch turns it into KeyboardInterrupt) between the temp file's
    # creation and the ``try`` would leave it behind: they wait until the ``try`` is entered.
    deferred = _defer_interrupts()
    try:
        fd, tmp = new_temp_file(path)
    except BaseException:
        _resume_interrupts(deferred)
        raise
    try:
        _resume_interrupts(deferred)  # an interrupt that came meanwhile is raised here
        with os.fdopen(fd, mode, encoding=encoding) as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        if durable:
            _note_written(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.filename is None:  # a full disk on write or fsync: name the file being written
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


#: The files this process has replaced with durable writes (catalogs, templates, outputs;
#: not cache entries): the first few by name and how many, for the line an interrupted command
#: ends with (Ctrl-C while update renamed its third catalog printed no 'wrote' line at all).
_WRITTEN_SHOWN = 3
_written: list[Path] = []
_written_count = [0]


def _note_written(path: Path) -> None:
    _written_count[0] += 1
    if len(_written) < _WRITTEN_SHOWN:
        _written.append(path)


def written_so_far() -> tuple[int, list[Path]]:
    """How many files this process has written so far, and the first few of them."""
    return _written_count[0], list(_written)


def through_links(path: Path) -> Path:
    """The file a symbolic link points to (where the write goes: the rename replaces that
    file, not the link, as ``>`` in a shell writes through it); ``path`` itself otherwise.
    ``--out /dev/stdout`` is /proc/self/fd/1: a pipe or terminal, refused as not a regular
    file, or the file the output is redirected to."""
    try:
        if not path.is_symlink():
            return path
        if path.exists() and not path.is_file():
            return path  # a pipe, terminal or device behind it: refused as not a regular file
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links: the write reports it
        return path


def new_temp_file(path: Path, *, sweep: bool = True) -> tuple[int, Path]:
    """A new empty file ``.<name>.<pid>-<random>.tmp`` next to ``path``, opened for writing: what
    ``tempfile.mkstemp`` does (exclusive creation, no symbolic link followed, mode 0600),
    without importing tempfile, shutil and random (~4 ms of a ``compile``). ``sweep=False``:
    the caller removed leftovers of killed runs already (a folder of thousands of files is
    not listed again for each one)."""
    if sweep:
        remove_stale_temps(path)  # what a SIGKILLed earlier writer of the same file left
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        # The process id in the name tells a later run which leftovers are stale (see
        # remove_stale_temps): a SIGKILL leaves the file behind.
        tmp = path.parent / f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp"
        try:
            return os.open(tmp, flags, 0o600), tmp
        except FileExistsError:
            continue  # taken (48 random bits: practically never)
    raise FileExistsError(f"no free temporary name next to {path}")


def read_error(path: Path, exc: OSError) -> CatalogError:
    """``cannot read: Permission denied.``, with what to do about it."""
    import errno

    from .errors import CatalogError

    if isinstance(exc, NotRegularFile):
        hint = "Give the path of a file, not of a device or FIFO."
    elif exc.errno in (errno.EACCES, errno.EPERM):
        hint = "Give the user running the toolkit read access to it (chmod a+r)."
    elif exc.errno == errno.EISDIR:
        hint = "It is a folder: give the path of a file."
    elif exc.errno == errno.ENOENT:
        hint = "Check the path (a link to a file that is gone?)."
    else:
        hint = "Check the file and the disk it is on, then rerun."
    return CatalogError(f"cannot read: {exc.strerror or exc}.", path=path, hint=hint)


def remove_stale_temps(path: Path) -> list[str]:
    """Remove the temp files (``.<name>.<pid>-<random>.tmp``) and spool folders
    (``...parts``) next to ``path`` that a run killed with SIGKILL left behind: those whose
    process is gone. A render-batch killed that way left a 120 MB temp file and its workers'
    folder, and every rerun added another. Returns the names removed."""
    return _remove_stale(path.parent, f".{path.name}.")


def remove_stale_temps_in(folder: Path) -> list[str]:
    """:func:`remove_stale_temps` for every file of ``folder`` (render-batch's per-customer
    files: a rerun need not write the same customer ids)."""
    return _remove_stale(folder, ".")


def _remove_stale(folder: Path, prefix: str) -> list[str]:
    removed: list[str] = []
    try:
        names = os.listdir(folder if str(folder) else ".")
    except OSError:
        return removed
    for name in names:
        match = _TEMP_NAME.search(name, len(prefix)) if name.startswith(prefix) else None
        if match is None or _alive(int(match.group(1))):
            continue
        leftover = folder / name
        try:
            if match.group(2) == "parts" and leftover.is_dir() and not leftover.is_symlink():
                import shutil

                shutil.rmtree(leftover)
            elif match.group(2) == "tmp" and not leftover.is_dir():
                leftover.unlink()
            else:
                continue
        except OSError:
            continue  # not ours to remove after all (permissions): left as it is
        removed.append(name)
    return removed


_TEMP_NAME = re.compile(r"(?:^|(?<=\.))(\d+)-[a-z0-9_]+\.(tmp|parts)$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or no pid at all: not ours to judge
    return True


_Deferred = tuple[dict[int, Any], list[int]] | None


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM (when it unwinds, see toolkit.cli) wait until the block is done:
    a group of files written as one (every catalog of an ``update``), then the interrupt."""
    deferred = _defer_interrupts()
    try:
        yield
    finally:
        _resume_interrupts(deferred)


def _defer_interrupts() -> _Deferred:
    """Hold SIGINT and SIGTERM back: their Python handlers only note the signal until
    :func:`_resume_interrupts`, which runs the real handler then. (Blocking the signals for
    this thread is not enough when the process has other threads: the kernel hands the signal
    to one of them, and Python still runs the handler in the main thread.) Handlers can only
    be changed from the main thread; elsewhere this does nothing."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return None
    noted: list[int] = []

    def note(signum: int, frame: Any) -> None:
        noted.append(signum)

    handlers: dict[int, Any] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        handler = signal.getsignal(signum)
        if callable(handler):  # SIG_IGN and SIG_DFL stay as they are
            handlers[signum] = signal.signal(signum, note)
    return handlers, noted


def _resume_interrupts(deferred: _Deferred) -> None:
    if deferred is None:
        return
    import signal

    handlers, noted = deferred
    for signum, handler in handlers.items():
        signal.signal(signum, handler)
    for signum in dict.fromkeys(noted):
        handler = handlers.get(signum)
        if callable(handler):
            handler(signum, None)  # e.g. KeyboardInterrupt, raised here


def refuse_read_only(path: Path, also: str = "") -> None:
    """An InputError when ``path`` exists without any write permission (mode 0444): the
    owner made it read-only, so the toolkit does not replace it (as root could). ``also``
    ends the message (what a command that writes a group of files did not write)."""
    also = f" {also}" if also else ""
    from .errors import InputError

    folder = _existing_folder(path.parent)
    if folder is not None and not os.access(folder, os.W_OK | os.X_OK):
        # A new file or a temp file to rename cannot be made there: refused before a command
        # that writes a group of files has written any (root may write anyway, as os.access
        # says).
        raise InputError(
            f"{folder} is not writable; {path.name} was not changed.{also}",
            hint="Make the folder writable (chmod u+w) if the toolkit should write there.",
        )
    try:
        mode = path.stat().st_mode
    except OSError:
        return

    if not stat.S_ISREG(mode):  # /dev/null, a folder, a FIFO: never replaced by a rename
        raise InputError(
            f"{path} is not a regular file; it was not changed.{also}",
            hint="Give the path of a (new or existing) file.",
        )
    if not mode & 0o222:
        raise InputError(
            f"{path} is read-only (mode {mode & 0o777:04o}); it was not changed.{also}",
            hint="Make it writable (chmod u+w) if the toolkit should update it.",
        )


def _existing_folder(folder: Path) -> Path | None:
    """``folder`` or its nearest existing parent (where a missing folder would be made)."""
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            return candidate
        if candidate.exists():
            return None  # a file in the way: writing reports it
    return None


def file_size(path: Path) -> int:
    """The size of a file in bytes, 0 when it cannot be read (work is weighed by it)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def write_bytes_atomic(
    path: Path, data: bytes, *, durable: bool = True, follow_links: bool = False
) -> bool:
    """Write ``data`` to ``path`` atomically; return False (and touch nothing) if unchanged.
    ``durable``: as :func:`atomic_open`'s."""
    if follow_links:
        path = through_links(path)
    if holds(path, data):  # a device or FIFO (--out /dev/zero) is not read: refused below
        return False
    with atomic_open(path, "wb", durable=durable) as handle:
        handle.write(data)
    return True


def holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data`` (then it need not be
    written). Only a file of the same size is read: never a device or FIFO, which may not
    end (``/dev/zero``) or block (a pipe nobody writes to)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def write_text_atomic(path: Path, text: str, *, follow_links: bool = False) -> bool:
    """Write UTF-8 ``text`` atomically; return False if the file already holds it."""
    return write_bytes_atomic(path, text.encode("utf-8"), follow_links=follow_links)


def utf16_error(path: Path, encoding: str) -> Exception:
    """The error for a UTF-16 file (``encoding``: ``UTF-16``, ``UTF-16LE``, ``UTF-16BE``)."""
    from .errors import CatalogError

    bom = "" if encoding == "UTF-16" else " without a byte-order mark"
    return CatalogError(
        f"{encoding} text{bom}; the toolkit reads UTF-8.",
        path=path,
        hint=f"Convert it: 'iconv -f {encoding} -t UTF-8 {path} > {path}.utf8', then move "
        "it into place (and set charset=UTF-8 in its header).",
    )


def utf16_without_bom(data: bytes) -> str | None:
    """``UTF-16LE`` or ``UTF-16BE`` when ``data`` reads as UTF-16 text without a byte-order
    mark (Windows tools write it): mostly Latin text, so every other byte of its start is
    NUL, on the same side. None otherwise.

    >>> utf16_without_bom('msgid ""'.encode("utf-16-be")), utf16_without_bom(b"msgid \\x00")
    ('UTF-16BE', None)
    """
    head = data[:4096]
    if len(head) < 8 or data[:4] in MO_MAGIC:
        return None
    for encoding, nuls, text in (
        ("UTF-16LE", head[1::2], head[0::2]),
        ("UTF-16BE", head[0::2], head[1::2]),
    ):
        if nuls.count(0) >= 0.9 * len(nuls) and text.count(0) <= 0.1 * len(text):
            return encoding
    return None


def decode_utf8(
    data: bytes, path: Path, *, hint: str = "Save the file as UTF-8.", encoding: str = "utf-8"
) -> str:
    """Decode file bytes; invalid UTF-8 raises CatalogError naming the file and line."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        from .errors import CatalogError

        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # a UTF-16 byte-order mark
            raise utf16_error(path, "UTF-16") from exc
        if b"\x00" in data[:4096] and data[:4] not in MO_MAGIC:
            raise CatalogError(
                "binary data, not a text file (it has NUL bytes).",
                path=path,
                hint="Check that this is the right file, or restore it from version control.",
            ) from exc
        if data[:4] in MO_MAGIC:  # msgconv would not help: it is no text at all
            raise CatalogError(
                "a compiled MO file, not a PO or POT text file.",
                path=path,
                hint="Give the .po or .pot it was compiled from ('msgunfmt FILE.mo -o "
                "FILE.po' turns an MO file back into a PO).",
            ) from exc
        line = data[: exc.start].count(b"\n") + 1
        damage = _damaged_utf8(data, exc) if encoding == "utf-8" else None
        if damage is not None:
            cut = damage.startswith("the file ends")
            raise CatalogError(
                damage,
                path=path,
                line=line,
                hint=("Restore the file from version control or complete it" if cut else
                      "Retype that character in an editor or restore the file from version "
                      "control") + "; do not convert it from another charset (the rest of it "
                "is UTF-8 and would be garbled).",
            ) from exc
        raise CatalogError("not UTF-8 text.", path=path, line=line, hint=hint) from exc


def _damaged_utf8(data: bytes, exc: UnicodeDecodeError) -> str | None:
    """What is wrong with UTF-8 bytes that one cut or damaged character spoils (a byte lost
    in a copy, a file cut off mid-character), or None when the file reads as another charset
    (Latin-1's "æ" is one byte UTF-8 never has alone): most of its non-ASCII characters are
    valid UTF-8. Advice to convert such a file from Windows-1252 garbled every "ę" of a Polish
    catalog (QA pass 80).

    >>> text = "Usuń zasób i ę".encode()
    >>> print(_damaged_utf8(text[:-1], _error(text[:-1])))
    the file ends inside a UTF-8 character (cut off): the rest of it is UTF-8.
    >>> damaged = text[:3] + text[4:]
    >>> print(_damaged_utf8(damaged, _error(damaged))[:39])
    byte 0x84 at column 4 is no valid UTF-8
    >>> _damaged_utf8("Smør".encode("latin-1"), _error("Smør".encode("latin-1"))) is None
    True
    """
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if c > "\x7f") - bad
    if good < 2 * bad:
        return None
    if exc.end >= len(data) and exc.reason.startswith("unexpected end"):
        return "the file ends inside a UTF-8 character (cut off): the rest of it is UTF-8."
    start = data.rfind(b"\n", 0, exc.start) + 1
    column = len(data[start : exc.start].decode("utf-8", errors="replace")) + 1
    return (
        f"byte 0x{data[exc.start]:02X} at column {column} is no valid UTF-8 (an invalid "
        "multibyte sequence, as msgfmt says): the rest of the file is UTF-8."
    )


def _error(data: bytes) -> UnicodeDecodeError:
    """The error decoding ``data`` as UTF-8 raises (for the examples above)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc
    raise ValueError("valid UTF-8")


MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")  # little- and big-endian


def is_within(path: Path, root: Path) -> bool:
    """True when ``path`` resolves inside ``root``.

    >>> is_within(Path("/a/b/c"), Path("/a"))
    True
    >>> is_within(Path("/a/../etc"), Path("/a"))
    False
    """
    # os.path.realpath, not Path.resolve(): a link that loops raises RuntimeError there on
    # Python 3.11 (a traceback from every command; QA pass 76); here it stays as written and
    # reading it fails as any unreadable file does.
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def require_inside(path: Path, root: Path, *, shown: str | None = None) -> Path:
    """``path`` when it resolves inside ``root`` (symbolic links followed); otherwise an
    InputError. Every file the toolkit reads from a project goes through this, so a link in
    ``templates/`` to ``/etc/passwd`` or to another project is refused, not read.
    """
    if is_within(path, root):
        return path
    from .errors import InputError

    target = os.path.realpath(path)
    raise InputError(
        f"{shown or path}: resolves outside the project ({target}); the toolkit reads only "
        "files inside the project.",
        hint="Copy the file into the project instead of linking to it.",
    )


def _regional_catalogs(path: Path, locale: str) -> list[Path]:
    """Catalogs of the same name in folders of ``locale``'s language with a region
    (``nb_NO/`` for ``nb``), or of the language alone (``nb/`` for ``nb_NO``)."""
    root = path.parent.parent.parent
    try:
        folders = sorted(root.iterdir())
    except OSError:
        return []
    languages = _language_names(locale)
    return [
        folder / "LC_MESSAGES" / path.name
        for folder in folders
        if folder.name != locale
        and not languages.isdisjoint(_language_names(folder.name))
        and (folder / "LC_MESSAGES" / path.name).is_file()
    ]


def _language_names(locale: str) -> set[str]:
    """The language of a locale or folder name and its CLDR alias (``tl`` and ``fil``, ``iw``
    and ``he``): CKAN's ``tl/`` catalog is the one ``--locale fil`` means (QA pass 80)."""
    from babel.core import get_global

    language = locale.replace("-", "_").split("_")[0].split("@")[0].lower()
    alias = str(get_global("language_aliases").get(language, "")).split("_")[0]
    return {language, alias} - {""}


def read_po_bytes(path: Path) -> bytes:
    """The bytes of a PO or POT file; a missing or unreadable one raises CatalogError.

    Here rather than in :mod:`toolkit.catalogs` so that ``compile`` can read a catalog and
    find its MO in the cache without importing the catalogs package and Babel's parser.
    """
    try:
        return read_regular_file(path)
    except FileNotFoundError as exc:
        raise missing_catalog_error(path) from exc
    except OSError as exc:
        raise read_error(path, exc) from exc


def missing_catalog_error(path: Path) -> CatalogError:
    """The error for a PO or POT file that is not there, with what to do: create it, or, when
    a catalog for it is elsewhere (a flat ``de.po``, a regional ``nb_NO/``, another domain's
    ``sphinx.po`` in its folder), use that."""
    from .errors import CatalogError

    locale = path.parent.parent.name if path.parent.name == "LC_MESSAGES" else ""
    hint = (
        "Run 'toolkit extract' first."
        if path.suffix == ".pot"
        else f"Run 'toolkit update --locale {locale}' to create it."
        if locale
        else "Run 'toolkit update' to create it."
    )
    flat = path.parent.parent.parent / f"{locale}.po"
    beside = path.parent.parent / path.name  # MediaGoblin's i18n/da/mediagoblin.po
    for unread in (flat, beside) if locale else ():  # privacyidea's po/de.po: a layout not read
        if unread.is_file():
            hint = (
                f"Its catalog is {unread}, a layout the toolkit does not read: move it to "
                f"{path}."
            )
    regional = _regional_catalogs(path, locale) if locale and path.suffix == ".po" else []
    if regional:  # 'nb' configured, Sphinx's catalog in nb_NO/: not an empty new one
        shown = os.path.relpath(regional[0])
        hint = (
            f"{regional[0] if shown.startswith('..') else shown} exists: if that is the "
            f"catalog you mean, name its locale '{regional[0].parent.parent.name}' (in "
            f"'locales', or with --locale) instead of '{locale}'; otherwise "
            + hint[0].lower() + hint[1:]
        )
    others = other_domains(path) if locale and path.suffix == ".po" else []
    if others:  # Sphinx's sphinx.po with the default domain: not a catalog to create
        hint = (
            f"Its folder holds {others[0]}.po: if that is the catalog, set "
            f'domain = "{others[0]}" in the project\'s configuration (toolkit.toml, or '
            "[tool.toolkit] in pyproject.toml); 'domain' names the catalog files. " + hint
        )
    return CatalogError("file not found.", path=path, hint=hint)


def other_domains(path: Path) -> list[str]:
    """The domains of the other catalogs in a missing catalog's ``LC_MESSAGES`` folder."""
    try:
        return sorted(p.stem for p in path.parent.glob("*.po") if p.stem != path.stem)
    except OSError:
        return []


class NotRegularFile(OSError):
    """A path that opened as a device or FIFO: reading it could block (a FIFO nobody writes
    to) or never end (``/dev/zero``)."""


def read_regular_file(path: Path, limit: int | None = None) -> bytes:
    """The bytes of ``path``, refusing a FIFO or device without blocking on it: opened
    non-blocking (a FIFO nobody writes to would hang the open), then looked at. A folder
    raises IsADirectoryError, as ``Path.read_bytes`` does. With ``limit``, at most
    ``limit + 1`` bytes are read: more than ``limit`` come back means the file is too large."""
    import errno
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFile(
                errno.EINVAL, "not a regular file (a device or FIFO)", str(path)
            )
        with open(fd, "rb", closefd=False) as handle:
            return handle.read() if limit is None else handle.read(limit + 1)
    finally:
        os.close(fd)


def require_template_file(pot: Path, given: bool) -> None:
    """A CatalogError unless ``pot`` is a regular file: a device (``--pot /dev/zero``) would
    be read until memory runs out, a FIFO block forever. ``given``: named with ``--pot``."""
    from .errors import CatalogError

    try:
        mode = pot.stat().st_mode
    except FileNotFoundError:
        hint = "Check the path given to --pot." if given else "Run 'toolkit extract' first."
        raise CatalogError("file not found.", path=pot, hint=hint) from None
    except OSError as exc:
        raise read_error(pot, exc) from exc
    if not stat.S_ISREG(mode):
        raise CatalogError(
            "not a regular file (a folder, device or FIFO).",
            path=pot,
            hint="Give the path of a POT file.",
        )


def refuse_output_over_input(out: Path | None, option: str, /, **inputs: object) -> None:
    """An InputError when the file ``out`` (given as ``option``) is one of the ``inputs``
    (keyword: the option that names it, ``customers="--customers"`` style with ``_`` for
    ``-``; value: its path, or None / a URL, which are skipped): writing would replace the
    data being read (``render-batch --customers c.jsonl --out c.jsonl`` replaced the customers
    with their messages)."""
    from .errors import InputError

    if out is None:
        return
    target = Path(os.path.realpath(out))  # (resolve() raises RuntimeError on a loop)
    for name, value in inputs.items():
        if not isinstance(value, str | Path) or "://" in str(value) or str(value) == "-":
            continue
        source = Path(value)
        try:
            same = (os.path.samefile(source, out) if out.exists()
                    else Path(os.path.realpath(source)) == target)  # fmt: skip
        except OSError:
            continue
        if same:
            given = "--" + name.replace("_", "-")
            raise InputError(
                f"{option} {out} is also the {given} file: writing it would overwrite that "
                "data. Nothing was written.",
                hint=f"Give {option} another file name.",
            )


def similar_folders(path: Path) -> list[Path]:
    """Existing folders beside ``path`` (which is not there) whose names are near its own,
    nearest first: ``i18n`` for a setting that says ``i18m``. Error paths only."""
    import difflib

    try:
        names = [c.name for c in path.parent.iterdir() if c.is_dir() and c.name != path.name]
    except OSError:
        return []
    # Compared case-folded: 'I18N' for 'i18n' scored 0.5 and passed unnoticed (QA pass 76).
    folded = {name.casefold(): name for name in reversed(names)}
    close = difflib.get_close_matches(path.name.casefold(), list(folded), n=3, cutoff=0.7)
    return [path.parent / folded[n] for n in close]
