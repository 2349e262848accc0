"""What a check is, what it sees and what it reports; the registry of checks.

A check is a small declaration (id, name, description, severity) with one ``check()`` method.
:class:`EntryCheck` looks at one PO entry at a time and yields problem messages;
:class:`CatalogCheck` looks at a whole catalog (header, external validators) and yields
:class:`Problem` records. Decorate a subclass with :func:`register` in any module of this
package and ``toolkit check`` runs it: the package imports every module in it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

# The entry model lives in toolkit.catalogs; re-exported here for checks.
from ..catalogs.entry import SUPPRESS_PREFIX as SUPPRESS_PREFIX
from ..catalogs.entry import Entry
from ..catalogs.entry import Pair as Pair
from ..placeholders import Placeholder, find_placeholders
from .report import SEVERITIES as SEVERITIES
from .report import Finding as Finding
from .report import Severity as Severity

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

    from ..config import ProjectConfig

_CHECK_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """What a :class:`CatalogCheck` reports: a message about an entry, a line, or the header."""

    message: str
    entry: Entry | None = None
    line: int | None = None
    severity: Severity | None = None  # None: the check's own severity


@dataclass(frozen=True)
class CheckContext:
    """What a check may need beyond the entry: the project, the locale and the catalog."""

    locale: str
    path: Path
    catalog: Catalog | None  # Babel's model; None when the entries were read without it
    nplurals: int  # forms of the catalog's own valid Plural-Forms, else CLDR's for the locale
    relaxed_forms: frozenset[int]  # plural forms used for few numbers (msgfmt's rule)
    header_line: int
    header: dict[str, str] = field(default_factory=dict)  # header fields as written
    #: fields written twice with different values: the first (Layout.header_first)
    header_first: dict[str, str] = field(default_factory=dict)
    config: ProjectConfig | None = None
    entries: tuple[Entry, ...] = ()
    source_locale: str = "en"
    #: False when the caller keeps only errors (compile): a check may then skip the work
    #: that only its warnings need.
    warnings: bool = True
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @functools.cached_property
    def language(self) -> str:
        """The language part of the locale (``nb`` for ``nb_NO``)."""
        return self.locale.split("_")[0].split("@")[0].lower()

    @functools.cached_property
    def source_language(self) -> str:
        """The language part of the source locale, lower-case (``en`` for ``en_US``)."""
        return self.source_locale.split("_")[0].lower()

    def memo(self, key: str, factory: Callable[[], T]) -> T:
        """A value computed once per catalog (a glossary, a parsed header...)."""
        if key not in self.cache:
            self.cache[key] = factory()
        value: T = self.cache[key]
        return value


class Check:
    """Declaration shared by every check."""

    id: ClassVar[str] = ""
    name: ClassVar[str] = ""
    description: ClassVar[str] = ""  # one line, shown by --list-checks and in docs/checks.md
    severity: ClassVar[Severity] = "warning"


class EntryCheck(Check):
    """A check of one entry at a time."""

    #: Whether entries without any translation are passed to ``check`` too.
    untranslated: ClassVar[bool] = False

    def check(self, entry: Entry, context: CheckContext) -> Iterable[str]:
        """Problem messages for ``entry`` (nothing when it passes)."""
        raise NotImplementedError

    def applies(self, context: CheckContext) -> bool:
        """Whether ``check`` can find anything in this catalog; asked once per catalog (a
        glossary check of a locale without glossary files is not called for each entry)."""
        return True


class CatalogCheck(Check):
    """A check of a whole catalog."""

    #: Error findings of this check on an entry that another check already reports an error
    #: for are dropped (msgfmt repeats what the specific checks say, less precisely).
    defers_to_entry_errors: ClassVar[bool] = False

    def begin(self, path: Path) -> Any:
        """Start slow work for ``path`` early (a subprocess); the result reaches ``check``
        as ``context.cache[self.id]``."""
        return None

    def finish(self, token: Any) -> None:
        """Release what ``begin`` started if ``check`` never ran (an earlier error)."""

    def check(self, context: CheckContext) -> Iterable[Problem]:
        """Problems found in the catalog."""
        raise NotImplementedError


_REGISTRY: dict[str, Check] = {}
#: Functions giving do-not-translate terms for a catalog (the glossary adds one): the
#: ``identical`` check does not count a translation made only of such terms.
DNT_SOURCES: list[Callable[[CheckContext], Iterable[str]]] = []


def dnt_terms(context: CheckContext) -> frozenset[str]:
    """Lower-cased do-not-translate terms for the catalog, from every :data:`DNT_SOURCES`."""
    return context.memo(
        "dnt-terms",
        lambda: frozenset(t.lower() for source in DNT_SOURCES for t in source(context)),
    )


C = TypeVar("C", bound=type[Check])


def register(cls: C) -> C:
    """Class decorator: add a check to the registry (ids are unique, lower-case-with-dashes)."""
    if not _CHECK_ID.match(cls.id):
        raise ValueError(f"check id {cls.id!r} must be lower-case words joined by dashes")
    if cls.severity not in SEVERITIES:
        raise ValueError(f"check {cls.id!r}: severity must be one of {SEVERITIES}")
    if not cls.description:
        raise ValueError(f"check {cls.id!r} needs a one-line description")
    existing = _REGISTRY.get(cls.id)
    if existing is not None and type(existing).__qualname__ != cls.__qualname__:
        raise ValueError(f"two checks share the id {cls.id!r}")
    _REGISTRY[cls.id] = cls()
    return cls


def registered() -> dict[str, Check]:
    """The registry as it is (built-in checks are loaded by ``toolkit.checks``)."""
    return dict(_REGISTRY)


@functools.lru_cache(maxsize=131072)
def placeholders_of(text: str) -> tuple[Placeholder, ...]:
    """``find_placeholders`` cached: msgids repeat in every locale's catalog."""
    return tuple(find_placeholders(text))


def python_format(entry: Entry) -> bool:
    """Whether the entry's strings are %-formatted (flag, or named %(x)s in the msgid)."""
    return python_format_of(entry.msgid, entry.flags)


def python_format_of(msgid: str, flags: frozenset[str]) -> bool:
    """:func:`python_format` of an entry with this msgid and these flags."""
    if "no-python-format" in flags:
        return False
    return "python-format" in flags or _named_percent(msgid)


def brace_format(entry: Entry) -> bool:
    """Whether the entry's strings are str.format()-ted (flag, or ``{name}`` in the msgid)."""
    return brace_format_of(entry.msgid, entry.flags)


def brace_format_of(msgid: str, flags: frozenset[str]) -> bool:
    """:func:`brace_format` of an entry with this msgid and these flags."""
    if "no-python-brace-format" in flags:
        return False
    return "python-brace-format" in flags or _has_brace(msgid)


@functools.lru_cache(maxsize=65536)
def _named_percent(msgid: str) -> bool:
    return any(p.kind == "percent" and p.text.startswith("%(") for p in placeholders_of(msgid))


@functools.lru_cache(maxsize=65536)
def _has_brace(msgid: str) -> bool:
    return any(p.kind == "brace" for p in placeholders_of(msgid))


def shorten(text: str, width: int = 60) -> str:
    """One-line, shortened text for messages.

    >>> shorten("a\\nb" + "c" * 80, 10)
    'a\\\\nbccccc…'
    """
    flat = text.replace("\n", "\\n")
    return flat if len(flat) <= width else flat[: width - 1] + "…"
