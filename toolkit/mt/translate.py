"""``translate_catalog``: fill a locale's catalog with machine translations, safely.

Which entries: untranslated ones (every form empty); with ``include_fuzzy`` also fuzzy ones
that carry our ``mt:`` provenance comment. Anything a human wrote (non-fuzzy, or without the
marker, or partly filled) is never changed.

How: every message form is split into sentences, placeholders are masked, the unique masked
segments are looked up in the translation memory and the rest go to the engine in batches
(committed to the memory batch by batch). Outputs pass the quality checks, get their
placeholders restored and verified, and go through the glossary hook; an entry with any
failing segment is left untouched and reported. Results are flagged fuzzy with a provenance
comment, and the catalog is written once, atomically, at the end.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Message

from ..catalogs import (
    HUMAN_PROVENANCE,
    MT_PROVENANCE_PREFIX,
    PoFile,
    catalog_lock,
    entries,
    forms_of,
    is_machine_translated,
    msgid_of,
    parse_po_file,
    read_po_file,
    set_forms,
    source_ids,
)
from ..catalogs.plurals import catalog_nplurals
from ..catalogs.pofile import write_bytes
from ..catalogs.splice import Key, splice_entries
from ..config import ProjectConfig
from ..errors import CatalogError
from ..locales import locale_id
from ..placeholders import find_placeholders
from .engines import ENGINES, Engine, MTOutput, open_engine, unknown_engine
from .masking import Masked, RestoreError, mask, restore, unmasked_view
from .memory import HumanUnit, Stored, TranslationMemory, default_memory_path
from .quality import problems as quality_problems
from .segments import split_segments
from .terms import Terms

#: Translator comments naming glossary terms (``# glossary: point -> bonuspoint (required)``);
#: rewritten on every run.
GLOSSARY_NOTE_PREFIX = "glossary:"
#: ``progress(done, total)`` is called as MT segments finish.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Flagged:
    """An entry left for a human, and why."""

    msgid: str
    context: str | None
    line: int | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    """A translation written (or, in a dry run, that would be written)."""

    msgid: str
    context: str | None
    line: int | None
    strings: tuple[str, ...]
    provenance: str
    from_memory: bool
    human: bool = False  # a human translation from the memory (a vendor's TMX), not MT


@dataclass(frozen=True)
class TranslateResult:
    """What ``translate_catalog`` did to one locale's catalog."""

    locale: str
    path: Path
    engine: str
    written: bool
    dry_run: bool
    translated: int  # entries filled with at least one freshly translated segment
    from_memory: int  # entries filled entirely from the translation memory
    skipped: int  # entries left alone: human translations, partly filled, not MT-made
    flagged: tuple[Flagged, ...]
    changes: tuple[Change, ...]
    segments_translated: int
    segments_from_memory: int
    glossary_problems: tuple[tuple[str, str], ...] = field(default=())  # (msgid, problem)
    #: translations not saved because the entry was translated or removed on disk meanwhile
    superseded: int = 0
    #: entries filled with a human translation of the whole text from the memory
    from_human: int = 0


@dataclass
class _Form:
    source: str
    pieces: list[tuple[str, Masked | None]]  # (original text, mask when sent to MT)
    percent_literal: bool


def refuse_unreadable(config: ProjectConfig, locales: list[str]) -> None:
    """Before several catalogs are translated one after the other: every one that is missing
    or malformed is named (file:line, a line each) and none is written, as ``update``,
    ``check`` and ``compile`` do; otherwise the catalogs before a bad one would be written."""
    from ..catalogs import read_po_entries
    from ..errors import raise_unreadable, read_each

    nothing = "no catalog was translated"
    reads = read_each(
        ((locale, config.po_path(locale)) for locale in locales),
        lambda locale, path: read_po_entries(path, locale=locale),
        nothing=nothing,
    )
    raise_unreadable(reads, nothing=nothing)


def translate_catalog(
    config: ProjectConfig,
    locale: str,
    *,
    engine: str | Engine = "argos",
    source_locale: str | None = None,
    include_fuzzy: bool = False,
    dry_run: bool = False,
    beam_size: int = 4,
    models_dir: Path | None = None,
    memory_path: Path | None = None,
    terms: Terms | None = None,
    progress: Progress | None = None,
) -> TranslateResult:
    """Machine-translate the eligible entries of ``locale``'s catalog (see module docstring).

    ``--dry-run`` semantics: nothing is written, neither the catalog nor the translation
    memory (it is read if it exists, so a dry run shows what a real run would produce).
    """
    from .locations import models_dir as default_models_dir

    if isinstance(engine, str) and engine not in ENGINES:  # also when nothing needs MT
        raise unknown_engine(engine)
    locale = locale_id(locale)
    source = locale_id(source_locale or config.source_locale)
    path = config.po_path(locale)
    stamp = _file_stamp(path)  # before reading: a change after it is seen when saving
    po = read_po_file(path, locale=locale)
    catalog = po.catalog
    # The catalog's own valid Plural-Forms decides how many forms to fill (Transifex's 4
    # Lithuanian forms), as check and compile judge it; CLDR's only without a usable one.
    nplurals = catalog_nplurals(po, locale)

    plans: list[tuple[Message, list[_Form]]] = []
    masks: dict[tuple[str, bool], Masked | None] = {}  # segments recur across entries
    skipped = 0
    for message in entries(catalog):
        if not _eligible(message, include_fuzzy):
            skipped += 1
            continue
        sources = _form_sources(message, nplurals)
        percent_literal = (
            "python-format" not in message.flags or "no-python-format" in message.flags
        )
        plans.append(
            (message, [_plan_form(text, terms, percent_literal, masks) for text in sources])
        )

    memory_file = memory_path or default_memory_path()
    human: list[tuple[Message, HumanUnit]] = []
    if plans:
        plans, human = _human_matches(plans, memory_file, source, locale, terms)
        # A draft a human translation filled is redone from the memory only, never by MT
        # (--include-fuzzy with a memory that no longer has the unit: CI, another machine).
        kept = [(m, f) for m, f in plans if not _human_draft(m)]
        skipped += len(plans) - len(kept)
        plans = kept
    wanted = list(
        dict.fromkeys(
            m.text for _, forms in plans for form in forms for _, m in form.pieces if m is not None
        )
    )
    if not plans and not human:
        # Nothing eligible: no engine, no model, no MT import; a missing model is no error.
        label = engine if isinstance(engine, str) else engine.label
        return TranslateResult(
            locale=locale, path=path, engine=label, written=False, dry_run=dry_run,
            translated=0, from_memory=0, skipped=skipped, flagged=(), changes=(),
            segments_translated=0, segments_from_memory=0,
        )  # fmt: skip
    if isinstance(engine, str) and plans:
        # Opening an engine reads package metadata only; the model itself (ctranslate2,
        # sentencepiece) is loaded by the first segment the memory does not know. Entries
        # that human translations in the memory fill need neither.
        engine = open_engine(
            engine,
            source,
            locale,
            models_dir=models_dir or default_models_dir(config),
            beam_size=beam_size,
        )
    known: dict[str, Stored] = {}
    fresh: dict[str, MTOutput] = {}
    if plans:
        assert not isinstance(engine, str)
        known, fresh = _machine_translations(engine, wanted, memory_file, dry_run, progress)
    label = engine if isinstance(engine, str) else engine.label
    copies_ok = not isinstance(engine, str) and engine.copies_ok
    results: dict[str, MTOutput] = {t: MTOutput(s.target, s.score) for t, s in known.items()}
    results.update(fresh)
    flagged: list[Flagged] = []
    changes: list[Change] = []
    pending: list[tuple[Message, list[str], str, list[str], list[str]]] = []
    for message, unit in human:
        provenance = f"{MT_PROVENANCE_PREFIX} {HUMAN_PROVENANCE}" + (
            f" ({unit.origin})" if unit.origin else ""
        )
        pending.append((message, [unit.target], provenance, [], _term_notes(terms, message)))
        changes.append(
            Change(msgid_of(message), message.context, message.lineno, (unit.target,),
                   provenance, True, human=True)
        )  # fmt: skip
    glossary: list[tuple[str, str]] = []
    translated = from_memory = 0
    judged: dict[str, list[str]] = {}  # quality problems per segment: segments recur
    restored: dict[tuple[str, bool, str], str] = {}  # (segment, %-literal, MT output) -> text
    for message, forms in plans:
        outcome = _assemble(forms, results, terms, judged, restored, copies_ok=copies_ok)
        msgid = msgid_of(message)
        if isinstance(outcome, list):
            flagged.append(Flagged(msgid, message.context, message.lineno, tuple(outcome)))
            continue
        strings, score, term_problems = outcome
        used = {m.text for form in forms for _, m in form.pieces if m is not None}
        memory_only = bool(used) and not (used & fresh.keys())
        provenance = f"{MT_PROVENANCE_PREFIX} {label}"
        if score is not None:
            provenance += f" score={round(score, 2) + 0.0:.2f}"
        pending.append((message, strings, provenance, term_problems, _term_notes(terms, message)))
        glossary += [(msgid, p) for p in term_problems]
        changes.append(
            Change(msgid, message.context, message.lineno, tuple(strings), provenance, memory_only)
        )
        if memory_only:
            from_memory += 1
        else:
            translated += 1

    superseded: set[tuple[str, str | None]] = set()
    if not changes:
        written = False
    elif dry_run:
        for message, strings, provenance, problems, notes in pending:
            _apply(message, strings, provenance, problems, notes)
        written = _write_changed(path, po, _keys(pending), dry_run=True)
    else:
        written, superseded = _save(path, locale, po, stamp, pending, include_fuzzy)
    if superseded:
        changes = [c for c in changes if (c.msgid, c.context) not in superseded]
    from_human = sum(1 for c in changes if c.human)
    translated = sum(1 for c in changes if not c.from_memory)
    from_memory = len(changes) - translated - from_human
    return TranslateResult(
        locale=locale,
        path=path,
        engine=label,
        written=written,
        dry_run=dry_run,
        translated=translated,
        from_memory=from_memory,
        skipped=skipped,
        flagged=tuple(flagged),
        changes=tuple(changes),
        segments_translated=len(fresh),
        segments_from_memory=len(known),
        glossary_problems=tuple(glossary),
        superseded=len(superseded),
        from_human=from_human,
    )


def _human_matches(
    plans: list[tuple[Message, list[_Form]]],
    memory_file: Path,
    source: str,
    locale: str,
    terms: Terms | None = None,
) -> tuple[list[tuple[Message, list[_Form]]], list[tuple[Message, HumanUnit]]]:
    """The plans no human translation in the memory fills, and the entries one fills: a
    singular entry whose whole msgid a unit (a vendor's TMX, approved catalog entries
    imported with ``memory import``) has as its source. Plural entries go to MT: a TM pair
    gives one form, not the catalog's forms."""
    singular = [(msgid_of(m), m.context) for m, _ in plans if not m.pluralizable]
    if not singular:
        return plans, []
    with TranslationMemory(memory_file, read_only=True) as memory:
        matches = memory.human_matches(source, locale, singular)
    if not matches:
        return plans, []
    rest, human = [], []
    for message, forms in plans:
        key = (msgid_of(message), message.context or None)
        unit = None if message.pluralizable else matches.get(key)
        if unit is not None and _unusable(msgid_of(message), unit.target, terms):
            unit = None  # MT, or a human, does this one
        if unit is None:
            rest.append((message, forms))
        else:
            human.append((message, unit))
    return rest, human


#: Characters that reorder or hide text: never taken from a memory unit the source lacks.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unusable(source: str, target: str, terms: Terms | None) -> bool:
    """Whether a human unit's ``target`` must not fill an entry with ``source``: blank; a
    line break at its start or end where the source has none (msgfmt refuses it), or the
    other way round; a control or bidirectional-override character the source lacks; a
    protected name (a brand, a do-not-translate term) of the source missing from it.
    (Placeholders, tags and links were checked when the TMX was imported.)"""
    import unicodedata

    if not target.strip():
        return True
    if source.startswith("\n") != target.startswith("\n"):
        return True
    if source.endswith("\n") != target.endswith("\n"):
        return True
    for char in set(target) - set(source):
        if char in _BIDI_CONTROLS or (
            unicodedata.category(char) == "Cc" and char not in "\n\t"
        ):
            return True
    if terms is not None:
        for start, end in terms.protected_spans(source):
            if source[start:end] not in target:
                return True
    return False


def _human_draft(message: Message) -> bool:
    """Whether ``message`` is a draft filled from a human translation in the memory."""
    prefix = f"{MT_PROVENANCE_PREFIX} {HUMAN_PROVENANCE}"
    return any(forms_of(message)) and any(c.startswith(prefix) for c in message.user_comments)


def _machine_translations(
    engine: Engine,
    wanted: list[str],
    memory_file: Path,
    dry_run: bool,
    progress: Progress | None,
) -> tuple[dict[str, Stored], dict[str, MTOutput]]:
    """The segments the memory has for this engine, and those translated now (stored)."""
    with TranslationMemory(memory_file, read_only=dry_run) as memory:
        known = memory.lookup(engine.memory_key, wanted)
        missing = [text for text in wanted if text not in known]
        fresh: dict[str, MTOutput] = {}
        if progress is not None and missing:
            progress(0, len(missing))
        for indices, outputs in engine.translate(missing) if missing else ():
            batch = []
            for index, output in zip(indices, outputs, strict=True):
                fresh[missing[index]] = output
                batch.append((missing[index], Stored(output.text, output.score)))
            memory.store(engine.memory_key, batch)
            if progress is not None:
                progress(len(fresh), len(missing))

    return known, fresh


def _file_stamp(path: Path) -> tuple[int, ...] | None:
    """What changes when a file is replaced or rewritten: inode, size, mtime (ns)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def _save(
    path: Path,
    locale: str,
    po: PoFile,
    stamp: tuple[int, ...] | None,
    pending: list[tuple[Message, list[str], str, list[str], list[str]]],
    include_fuzzy: bool,
) -> tuple[bool, set[tuple[str, str | None]]]:
    """Write the translations under the catalog's lock. When the file changed on disk since it
    was read (a reviewer saved, ``toolkit update`` ran), they go into the current file, and
    only into entries that are still eligible there: nothing saved meanwhile is overwritten.
    Returns (written, the (msgid, context) of translations left out for that reason)."""
    superseded: set[tuple[str, str | None]] = set()
    with catalog_lock(path):
        now_stamp = _file_stamp(path)
        if now_stamp is None:
            raise CatalogError(
                "the catalog was removed while it was being translated.",
                path=path,
                hint="Run 'toolkit update' and translate again.",
            )
        current_bytes = po.data if now_stamp == stamp else path.read_bytes()
        if current_bytes is None or current_bytes == po.data:
            for message, strings, provenance, problems, notes in pending:
                _apply(message, strings, provenance, problems, notes)
            return _write_changed(path, po, _keys(pending)), superseded
        current = parse_po_file(current_bytes, path=path, locale=locale)
        applied: set[Key] = set()
        for message, strings, provenance, problems, notes in pending:
            now = current.catalog.get(message.id, context=message.context)
            if now is None or now.id != message.id or not _eligible(now, include_fuzzy):
                superseded.add((msgid_of(message), message.context))
                continue
            _apply(now, strings, provenance, problems, notes)
            applied.add((msgid_of(now), now.context))
        if not applied:
            return False, superseded
        return _write_changed(path, current, applied), superseded


def _keys(pending: list[tuple[Message, list[str], str, list[str], list[str]]]) -> set[Key]:
    return {(msgid_of(message), message.context) for message, *_ in pending}


def _write_changed(path: Path, po: PoFile, changed: set[Key], dry_run: bool = False) -> bool:
    """Write only the translated entries into the file, every other byte as it was (header,
    wrapping, other entries' flags: Babel's model would add format flags to human
    translations, which msgfmt then checks, and fill header placeholders); False when the
    bytes would not change."""
    old = po.data or b""  # read_po_file keeps the bytes it read
    data = splice_entries(old, po.catalog, changed, path, common_shape=po.common_shape)
    if data == old:
        return False
    if not dry_run:
        write_bytes(path, data)
    return True


def _eligible(message: Message, include_fuzzy: bool) -> bool:
    if not any(forms_of(message)):
        return True
    return include_fuzzy and message.fuzzy and is_machine_translated(message)


def _form_sources(message: Message, nplurals: int) -> list[str]:
    """The source text for each msgstr form: singular for form 0, plural for the others."""
    ids = source_ids(message)
    if len(ids) == 1:
        return [ids[0]]
    singular, plural = ids[0], ids[1]
    if nplurals == 1:
        return [plural]
    return [singular] + [plural] * (nplurals - 1)


def _plan_form(
    text: str,
    terms: Terms | None,
    percent_literal: bool,
    masks: dict[tuple[str, bool], Masked | None] | None = None,
) -> _Form:
    """The segments of one source text, each masked for MT (None: nothing to translate);
    ``masks`` remembers segments already masked in this run."""
    masks = {} if masks is None else masks
    pieces: list[tuple[str, Masked | None]] = []
    for piece in split_segments(text):
        if not piece.translate:
            pieces.append((piece.text, None))
            continue
        key = (piece.text, percent_literal)
        if key not in masks:
            extra = terms.protected_spans(piece.text) if terms is not None else []
            masked = mask(piece.text, extra, percent_literal=percent_literal)
            masks[key] = masked if masked.has_words else None
        pieces.append((piece.text, masks[key]))
    return _Form(text, pieces, percent_literal)


def _assemble(
    forms: list[_Form],
    results: dict[str, MTOutput],
    terms: Terms | None,
    judged: dict[str, list[str]],
    restored: dict[tuple[str, bool, str], str] | None = None,
    *,
    copies_ok: bool = False,
) -> tuple[list[str], float | None, list[str]] | list[str]:
    """The translated forms, the lowest segment score and glossary problems; or reasons.
    ``copies_ok``: an output identical to its source is a translation (a rule-based engine)."""
    reasons: list[str] = []
    strings: list[str] = []
    scores: list[float] = []
    term_problems: list[str] = []
    for form in forms:
        parts = []
        for original, masked in form.pieces:
            if masked is None:
                parts.append(original)
                continue
            output = results[masked.text]
            if output.score is not None:
                scores.append(output.score)
            found = judged.get(masked.text)
            if found is None:
                found = judged[masked.text] = quality_problems(
                    masked.text, output.text, copies_ok=copies_ok
                )
            if found:
                shown = unmasked_view(masked, output.text)  # reasons never show mask tokens
                reasons += [f"{r}: {shown!r}" for r in found]
                continue
            key = (original, form.percent_literal, output.text)
            if restored is not None and key in restored:
                parts.append(restored[key])
                continue
            try:
                parts.append(restore(masked, output.text))
            except RestoreError as exc:
                shown = unmasked_view(masked, output.text)
                reasons.append(f"placeholders could not be restored ({exc}): {shown!r}")
                continue
            if restored is not None:
                restored[key] = parts[-1]
        if reasons:
            continue
        target = "".join(parts)
        if _placeholders(target, form.percent_literal) != _placeholders(
            form.source, form.percent_literal
        ):
            reasons.append(f"placeholders differ from the source: {target!r}")
            continue
        if terms is not None:
            target, found_problems = terms.enforce(form.source, target)
            term_problems += [p for p in found_problems if p not in term_problems]
        strings.append(target)
    if reasons:
        return list(dict.fromkeys(reasons))
    return strings, (min(scores) if scores else None), term_problems


def _term_notes(terms: Terms | None, message: Message) -> list[str]:
    """Translator comments naming the glossary terms of the entry, from the optional
    ``terms.comments(source)`` method (``toolkit.glossary.Glossary`` has it)."""
    comments = getattr(terms, "comments", None)
    if comments is None:
        return []
    return list(dict.fromkeys(c for text in source_ids(message) for c in comments(text)))


def _placeholders(text: str, percent_literal: bool) -> list[str]:
    """Placeholder texts, sorted (a multiset to compare), Jinja whitespace normalised."""
    return sorted(
        " ".join(p.text.split()) if p.kind == "jinja" else p.text
        for p in find_placeholders(text, percent_literal=percent_literal)
    )


def _apply(
    message: Message,
    strings: list[str],
    provenance: str,
    problems: list[str],
    notes: list[str],
) -> None:
    set_forms(message, strings)
    message.flags.add("fuzzy")
    comments = [
        c
        for c in message.user_comments
        if not c.startswith(MT_PROVENANCE_PREFIX) and not c.startswith(GLOSSARY_NOTE_PREFIX)
    ]
    for note in notes:
        comments += _comment_lines(note, GLOSSARY_NOTE_PREFIX)
    comments.append(provenance)
    for problem in problems:
        comments += _comment_lines(
            f"{MT_PROVENANCE_PREFIX} glossary: {problem}", MT_PROVENANCE_PREFIX
        )
    message.user_comments = comments


def _comment_lines(comment: str, prefix: str) -> list[str]:
    """Split a long comment so every PO line keeps ``prefix``.

    Babel wraps comments at 76 columns; a continuation line without our prefix would not be
    recognised (and removed) on the next run.

    >>> _comment_lines("mt: glossary: " + "x " * 40, "mt:")[1][:4]
    'mt: '
    """
    import textwrap

    if len(comment) <= 74:
        return [comment]
    body = comment[len(prefix) :].strip() if comment.startswith(prefix) else comment
    return [f"{prefix} {line}" for line in textwrap.wrap(body, 70, break_long_words=False)]
