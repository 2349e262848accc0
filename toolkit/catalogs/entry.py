"""The PO entry as every stage sees it: Babel's ``Message`` plus a read-only :class:`Entry`.

Babel's catalog model is the one model of a catalog; the helpers here answer the questions
every stage asks of a message (its msgid, its translated forms, whether it is translated or
machine-made) in one way, and :class:`Entry` is a frozen view of one message with what the file
says that Babel's model does not keep (how many ``msgstr[n]`` lines were written, the format
flags as written where Babel guesses its own from the msgid).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from babel.messages.catalog import Catalog, Message

#: Translator-comment prefix that marks a machine translation (`# mt: argos en->da ...`).
MT_PROVENANCE_PREFIX = "mt:"
#: What follows ``mt:`` on a draft translate took from a human translation in the memory (a
#: vendor's TMX): a translation-memory match, not machine output.
HUMAN_PROVENANCE = "memory: human translation"
#: Flag prefix that switches a check off for one entry (``#, no-check-urls``).
SUPPRESS_PREFIX = "no-check-"


def is_format_flag(flag: str) -> bool:
    """``python-format``, ``no-c-format``, ``python-brace-format``...: gettext's format flags.

    >>> [is_format_flag(f) for f in ("python-format", "no-c-format", "fuzzy")]
    [True, True, False]
    """
    return flag.endswith("-format")


def format_flags(flags: Iterable[str]) -> frozenset[str]:
    """The format flags among ``flags``."""
    return frozenset(flag for flag in flags if is_format_flag(flag))


def previous_context(message: Message) -> str | None:
    """The ``#| msgctxt`` of a fuzzy message: the context of the entry its translation was
    made for (msgmerge writes it above ``#| msgid``; Babel's ``Message`` has no field for it).

    >>> message = Message("Add A_larm")
    >>> set_previous_context(message, "shortcut window"); previous_context(message)
    'shortcut window'
    """
    value = message.__dict__.get("previous_context")
    return value if isinstance(value, str) else None


def set_previous_context(message: Message, context: str | None) -> None:
    """Set (or, with None, clear) the ``#| msgctxt`` that goes with ``message.previous_id``."""
    if context is None:
        message.__dict__.pop("previous_context", None)
    else:
        message.__dict__["previous_context"] = context


#: Format flags Babel's ``Message`` sets or drops by its own guess from the msgid.
GUESSED_FORMATS = frozenset({"python-format", "python-brace-format"})


def written_formats(message: Message) -> frozenset[str]:
    """The format flags the message's ``#,`` line had when its file was read (empty for a
    message the toolkit made): what an obsolete entry is written with, where Babel guessed.

    >>> message = Message("50% off", flags=["c-format"])
    >>> sorted(message.flags), sorted(written_formats(message))
    (['c-format', 'python-format'], [])
    """
    value = message.__dict__.get("written_formats")
    return value if isinstance(value, frozenset) else frozenset()


def entries(catalog: Catalog) -> Iterator[Message]:
    """The catalog's messages without the header entry."""
    return (m for m in catalog if m.id)


def msgid_of(message: Message) -> str:
    """The singular source text (the msgid) of a message, plural or not.

    >>> msgid_of(Message("day")), msgid_of(Message(("day", "days")))
    ('day', 'day')
    """
    return str(message.id[0] if message.pluralizable else message.id)


def source_ids(message: Message) -> tuple[str, ...]:
    """``(msgid,)`` or ``(msgid, msgid_plural)``.

    >>> source_ids(Message(("day", "days")))
    ('day', 'days')
    """
    return tuple(str(i) for i in message.id) if message.pluralizable else (str(message.id),)


def forms_of(message: Message) -> tuple[str, ...]:
    """The translated forms: ``(msgstr,)`` or ``(msgstr[0], msgstr[1], ...)``.

    >>> forms_of(Message("day", "dag")), forms_of(Message(("day", "days"), ("dag", "")))
    (('dag',), ('dag', ''))
    """
    string = message.string
    if isinstance(string, (list, tuple)):  # Babel keeps plural forms as a tuple
        return tuple(str(s or "") for s in string)
    return (str(string or ""),)


def set_forms(message: Message, strings: Sequence[str]) -> None:
    """Set the translated forms (a tuple for a plural message, a string otherwise)."""
    message.string = tuple(strings) if message.pluralizable else strings[0]


def is_translated(message: Message, unreached: frozenset[int] = frozenset()) -> bool:
    """True when every form of the message has a non-empty translation (but for a plural's
    ``unreached`` forms: see :meth:`Entry.complete`)."""
    forms = forms_of(message)
    if unreached and isinstance(message.id, (list, tuple)):
        return any(forms) and all(text or i in unreached for i, text in enumerate(forms))
    return bool(forms) and all(forms)


def mt_provenance(comments: Iterable[str]) -> str | None:
    """The machine-translation provenance comment (``mt: argos en->da``) among ``comments``.

    >>> mt_provenance(["checked", "mt: argos en->da"]), mt_provenance(["checked"])
    ('mt: argos en->da', None)
    """
    return next((c for c in comments if c.startswith(MT_PROVENANCE_PREFIX)), None)


def is_memory_match(provenance: str | None) -> bool:
    """True when a provenance comment (or what follows its ``mt:``) names a human translation
    from the memory rather than an MT engine.

    >>> is_memory_match("mt: memory: human translation (tmx v.tmx)"), is_memory_match("mt: argos")
    (True, False)
    """
    if provenance is None:
        return False
    if provenance.startswith(MT_PROVENANCE_PREFIX):
        provenance = provenance[len(MT_PROVENANCE_PREFIX) :].lstrip()
    return provenance.startswith(HUMAN_PROVENANCE)


def is_machine_translated(message: Message) -> bool:
    """True when the entry carries the toolkit's machine-translation provenance comment."""
    return mt_provenance(message.user_comments) is not None


@dataclass(frozen=True)
class Pair:
    """One translated form of an entry with the source text it translates."""

    index: int | None  # msgstr[index] of a plural entry; None for a singular entry
    source: str
    translation: str

    @property
    def label(self) -> str:
        """``msgstr`` or ``msgstr[1]``, for messages."""
        return "msgstr" if self.index is None else f"msgstr[{self.index}]"


@dataclass(frozen=True)
class Entry:
    """A PO entry as checks and reports see it: source, translations, flags, comments, line."""

    msgid: str
    msgid_plural: str | None
    msgctxt: str | None
    strings: tuple[str, ...]
    flags: frozenset[str]
    auto_comments: tuple[str, ...]
    user_comments: tuple[str, ...]
    locations: tuple[str, ...]
    line: int | None
    form_count: int  # msgstr[n] lines in the file (Babel pads missing forms)
    #: The format flags the file writes on the entry's ``#,`` lines (``python-format``), None
    #: when not read from a file. ``flags`` has Babel's instead: ``Message`` adds
    #: ``python-brace-format`` to any msgid with ``{x}`` and drops a written ``python-format``
    #: from one without ``%``.
    written_formats: frozenset[str] | None = None
    message: Message | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_message(
        cls,
        message: Message,
        form_count: int | None = None,
        written_formats: frozenset[str] | None = None,
    ) -> Entry:
        """The view of a Babel message; ``form_count`` and ``written_formats`` as written in
        the file, if known.

        >>> e = Entry.from_message(Message(("day", "days"), ("dag", "dage")))
        >>> e.msgid, e.msgid_plural, e.strings, e.plural
        ('day', 'days', ('dag', 'dage'), True)
        """
        ids = source_ids(message)
        strings = forms_of(message)
        return cls(
            msgid=ids[0],
            msgid_plural=ids[1] if len(ids) > 1 else None,
            msgctxt=message.context,
            strings=strings,
            flags=frozenset(message.flags),
            auto_comments=tuple(message.auto_comments),
            user_comments=tuple(message.user_comments),
            locations=tuple(f"{path}:{line}" if line else path for path, line in message.locations),
            line=message.lineno,
            form_count=len(strings) if form_count is None else form_count,
            written_formats=written_formats,
            message=message,
        )

    @property
    def plural(self) -> bool:
        return self.msgid_plural is not None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def has_translation(self) -> bool:
        """True when at least one form is translated."""
        return any(self.strings)

    @property
    def translated(self) -> bool:
        """True when every form is translated."""
        return bool(self.strings) and all(self.strings)

    def complete(self, unreached: frozenset[int] = frozenset()) -> bool:
        """True when every form a customer can get is translated: a plural's ``unreached``
        forms (:func:`.plurals.unreached_forms`, a fraction-only form) may be empty."""
        if not self.plural or not unreached:
            return self.translated
        return any(self.strings) and all(
            text or index in unreached for index, text in enumerate(self.strings)
        )

    @property
    def provenance(self) -> str | None:
        """The machine-translation provenance comment, or None for a human translation."""
        return mt_provenance(self.user_comments)

    @property
    def comments(self) -> tuple[str, ...]:
        return self.auto_comments + self.user_comments

    def pairs(self) -> tuple[Pair, ...]:
        """Every non-empty translation with its source: msgstr[0] translates msgid, the
        other plural forms translate msgid_plural (a one-form language uses msgid_plural)."""
        # Computed once per entry (every check asks); not functools.cached_property, which
        # takes a lock on each first access.
        pairs: tuple[Pair, ...] | None = self.__dict__.get("_pairs")
        if pairs is None:
            pairs = self._compute_pairs()
            object.__setattr__(self, "_pairs", pairs)
        return pairs

    def _compute_pairs(self) -> tuple[Pair, ...]:
        if self.msgid_plural is None:
            return (Pair(None, self.msgid, self.strings[0]),) if self.strings[0] else ()
        plural = self.msgid_plural
        return tuple(
            Pair(index, self.msgid if index == 0 and len(self.strings) > 1 else plural, text)
            for index, text in enumerate(self.strings)
            if text
        )

    def suppressed(self) -> frozenset[str]:
        """Check ids switched off for this entry by ``no-check-<id>`` flags."""
        if not self.flags:
            return _NOTHING
        return frozenset(
            f[len(SUPPRESS_PREFIX) :] for f in self.flags if f.startswith(SUPPRESS_PREFIX)
        )


_NOTHING: frozenset[str] = frozenset()
