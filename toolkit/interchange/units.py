"""Catalog entries as interchange units: the one model both XLIFF versions write.

A unit carries what a vendor's translator needs next to the text: the context, developer and
translator comments, the ``part:`` channel notes, the length budget the checks enforce,
glossary terms that apply, the previous source of a fuzzy entry and the provenance of a
machine translation. Its id is derived from msgctxt, msgid and msgid_plural, so it stays the
same across exports and points back to exactly one entry on import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..catalogs import (
    MT_PROVENANCE_PREFIX,
    Entry,
    entries,
    forms_of,
    is_machine_translated,
    is_memory_match,
    is_translated,
    mt_provenance,
    source_ids,
)
from ..channels import PART_LIMITS
from ..checks.length import length_limit, parts_of
from ..errors import InputError
from ..glossary.glossary import COMMENT_PREFIX as GLOSSARY_PREFIX

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

    from ..glossary import Glossary

#: What a unit's translation is, as the catalog says.
UnitState = Literal["untranslated", "fuzzy", "mt", "translated"]
#: ``--state`` choices of ``xliff export``; ``fuzzy`` includes machine translations.
SELECTIONS = ("untranslated", "fuzzy", "translated", "all")


@dataclass(frozen=True)
class Note:
    """A note for the translator; ``category`` is developer, translator, part, length,
    glossary, previous or context."""

    category: str
    text: str


@dataclass(frozen=True)
class Unit:
    """One catalog entry to translate: one form, or all plural forms of the entry."""

    id: str
    context: str | None
    sources: tuple[str, ...]  # (msgid,) or (msgid, msgid_plural, ...) one per plural form
    targets: tuple[str, ...]  # same length; "" where there is no translation yet
    state: UnitState
    notes: tuple[Note, ...]
    locations: tuple[tuple[str, int | None], ...]
    max_length: int | None
    mt_origin: str | None  # engine and score of a machine translation (or its memory match)
    plural: bool

    @property
    def suggestion(self) -> Literal["mt", "tm"]:
        """What made a draft's text: ``mt`` (an MT engine) or ``tm`` (translate took a human
        translation from the memory: a translation-memory match, labelled so in XLIFF)."""
        return "tm" if is_memory_match(self.mt_origin) else "mt"

    def form_id(self, index: int) -> str:
        """The id of plural form ``index`` (``m1a2b3c4d5e6f-1``)."""
        return f"{self.id}-{index}"


def unit_id(msgid: str, msgid_plural: str | None, context: str | None) -> str:
    """A stable XML-safe id for an entry.

    >>> unit_id("Hello", None, None), unit_id("Hello", None, "") == unit_id("Hello", None, None)
    ('me97d1773aff0', False)
    """
    # msgctxt "" is a context of its own (QA pass 73): marked apart, other ids stay as they were.
    marker = "\x05" if context == "" else ""
    key = f"{marker}{context or ''}\x04{msgid}\x00{msgid_plural or ''}"
    return "m" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def translation_digest(targets: tuple[str | None, ...], draft: bool = False) -> str:
    """A short fingerprint of an entry's translation forms and whether it is a draft (fuzzy),
    written into each exported unit (``x-toolkit-exported``) so that the import can tell a
    unit the vendor left as it was from an edited one, and either from an entry changed in the
    catalog since the export (its text, or only its fuzzy flag).

    >>> translation_digest(("dag", "dage")) == translation_digest(("dag", "dage", None)[:2])
    True
    >>> translation_digest(("dag",)) == translation_digest(("dag",), draft=True)
    False
    """
    text = "\x1f".join(t or "" for t in targets)
    state = "d" if draft and any(targets) else "a"
    return hashlib.sha256(f"{len(targets)}\x1e{state}\x1e{text}".encode()).hexdigest()[:16]


def parse_selection(value: str) -> frozenset[UnitState]:
    """The catalog states a ``--state`` value selects (comma-separated)."""
    wanted = {part.strip() for part in value.split(",") if part.strip()}
    unknown = sorted(wanted - set(SELECTIONS))
    if unknown or not wanted:
        raise InputError(
            f"unknown --state value '{','.join(unknown) or value}'.",
            hint="Use a comma-separated list of untranslated, fuzzy, translated, or 'all'.",
        )
    if "all" in wanted:
        return frozenset({"untranslated", "fuzzy", "mt", "translated"})
    states: set[UnitState] = set()
    if "untranslated" in wanted:
        states.add("untranslated")
    if "fuzzy" in wanted:
        states |= {"fuzzy", "mt"}
    if "translated" in wanted:
        states.add("translated")
    return frozenset(states)


def entry_state(message: Message) -> UnitState:
    """Where an entry stands: untranslated, fuzzy, machine-translated (fuzzy) or translated."""
    if not any(forms_of(message)):
        return "untranslated"
    if message.fuzzy:
        # A draft whose source changed since (update's fuzzy match, '#| msgid'): the MT or
        # memory suggestion was for the old source, so it goes out as a plain fuzzy entry.
        fresh = not message.previous_id
        return "mt" if fresh and is_machine_translated(message) else "fuzzy"
    return "translated" if is_translated(message) else "untranslated"


def catalog_units(
    catalog: Catalog,
    nplurals: int,
    *,
    states: Iterable[UnitState] | None = None,
    glossary: Glossary | None = None,
) -> list[Unit]:
    """The entries of ``catalog`` in the given states, in catalog order."""
    wanted = frozenset(states) if states is not None else None
    units = []
    for message in entries(catalog):
        state = entry_state(message)
        if wanted is not None and state not in wanted:
            continue
        units.append(entry_unit(message, nplurals, state, glossary))
    return units


def entry_unit(
    message: Message, nplurals: int, state: UnitState, glossary: Glossary | None = None
) -> Unit:
    """One entry as a unit (see the module docstring for what it carries)."""
    entry = Entry.from_message(message)
    if entry.msgid_plural is None:
        sources: tuple[str, ...] = (entry.msgid,)
        targets: tuple[str, ...] = (entry.strings[0],)
    else:
        count = max(nplurals, 1)
        sources = tuple(
            entry.msgid if index == 0 and count > 1 else entry.msgid_plural
            for index in range(count)
        )
        targets = tuple(
            entry.strings[index] if index < len(entry.strings) else "" for index in range(count)
        )
    budget = _budget(entry, length_limit(entry))
    return Unit(
        id=unit_id(entry.msgid, entry.msgid_plural, entry.msgctxt),
        context=entry.msgctxt,
        sources=sources,
        targets=targets,
        state=state,
        notes=tuple(_notes(message, entry, budget, glossary)),
        locations=tuple((path, line) for path, line in message.locations),
        max_length=budget,
        mt_origin=_mt_origin(message) if state == "mt" else None,
        plural=entry.msgid_plural is not None,
    )


def _budget(entry: Entry, own: int | None) -> int | None:
    """The tightest length limit: the entry's own ``max-length`` or its channel part's."""
    limits = [PART_LIMITS[part] for part in parts_of(entry) if part in PART_LIMITS]
    if own is not None:
        limits.append(own)
    return min(limits) if limits else None


def _notes(
    message: Message, entry: Entry, budget: int | None, glossary: Glossary | None
) -> list[Note]:
    notes: list[Note] = []
    developer = [c.strip() for c in message.auto_comments if not c.strip().startswith("part:")]
    if developer:
        notes.append(Note("developer", " ".join(developer)))
    for part in parts_of(entry):
        notes.append(Note("part", f"part: {part}"))
    if budget is not None:
        notes.append(
            Note("length", f"length budget: {budget} characters (placeholders not counted)")
        )
    terms: list[str] = []
    translator = []
    for comment in message.user_comments:
        text = comment.strip()
        if text.startswith(MT_PROVENANCE_PREFIX):
            continue
        if text.startswith(GLOSSARY_PREFIX):
            terms.append(text)
        elif text:
            translator.append(text)
    if translator:
        notes.append(Note("translator", " ".join(translator)))
    if glossary is not None:
        source = " ".join(source_ids(message))
        terms += glossary.comments(source)
    notes += [Note("glossary", text) for text in dict.fromkeys(terms)]
    if message.fuzzy and message.previous_id:
        previous = message.previous_id
        shown = previous if isinstance(previous, str) else " | ".join(previous)
        notes.append(Note("previous", f"previous source: {shown}"))
    return notes


def _mt_origin(message: Message) -> str | None:
    comment = mt_provenance(message.user_comments)
    if comment is None:
        return None
    return comment[len(MT_PROVENANCE_PREFIX) :].strip() or "machine translation"
