"""The merge behind ``toolkit update``: a locale's catalog brought in line with the template."""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from babel.messages.catalog import Catalog, Message

from ..config import ProjectConfig
from ..errors import CatalogError, InputError, Unreadable, raise_unreadable, read_each
from ..fsutil import file_size, interrupts_held, refuse_read_only, require_template_file
from ..gcpause import gc_paused
from ..locales import plural_forms_header
from .entry import (
    entries,
    forms_of,
    is_format_flag,
    msgid_of,
    previous_context,
    set_previous_context,
    source_ids,
)
from .fuzzy import FuzzyStats, fast_fuzzy_matching
from .header import build_date as build_date  # also importable from here
from .lock import folder_locks
from .plurals import (
    PluralForms,
    cldr_plural_forms,
    convert_plural_forms,
    set_header,
    written_plural_forms,
)
from .pofile import catalog_bytes, read_po_file, write_bytes
from .powriter import header_comment
from .splice import message_facts
from .update_cache import UpdateResult, template_paths

#: How ``update`` treats an existing catalog's valid Plural-Forms: keep it, or convert to CLDR.
PLURAL_POLICIES = ("keep", "cldr")


def set_plural_forms(catalog: Catalog, locale: str) -> None:
    """Make the catalog's Plural-Forms header the CLDR one for ``locale``."""
    headers = [(k, v) for k, v in catalog.mime_headers if k.lower() != "plural-forms"]
    headers.append(("Plural-Forms", plural_forms_header(locale)))
    catalog.mime_headers = headers


def update_catalogs(
    config: ProjectConfig,
    locales: list[str] | None = None,
    *,
    dry_run: bool = False,
    plural_forms: str | None = None,
    fuzzy_matching: bool = True,
    pot: Path | Sequence[Path] | None = None,
) -> list[UpdateResult]:
    """Create or merge ``locales/L/LC_MESSAGES/<domain>.po`` from the POT for each locale
    (``pot``: another template, such as one pybabel extracted from the Python code too, or
    several, merged as one: the app's POT and the toolkit's own).

    Existing translations are kept; changed source strings are fuzzy-matched to their old
    translation; removed ones stay as obsolete entries. New catalogs get CLDR's plural rule;
    an existing catalog keeps any Plural-Forms gettext accepts, unless ``plural_forms`` (or
    the config's ``plural_forms``) is ``"cldr"``: then its plural entries are converted
    (:func:`.plurals.convert_plural_forms`). No ``msgstr[n]`` is ever dropped.
    ``fuzzy_matching=False`` (or the config's ``fuzzy_matching = false``) gives new strings
    no translation of a similar old one (Babel's matching compares each new string with every
    old one: slow on very large catalogs).
    Every catalog is parsed before any is written, so one malformed PO changes nothing.
    """
    config = config.spelled(locales)  # a new catalog of --locale sr_RS goes in sr_RS/
    policy = plural_forms or config.plural_forms
    fuzzy_matching = fuzzy_matching and config.fuzzy_matching
    if policy not in PLURAL_POLICIES:
        raise InputError(
            f"unknown plural-forms policy '{policy}'.", hint="Use 'keep' (default) or 'cldr'."
        )
    from ..project_locales import refuse_flat_catalogs

    refuse_flat_catalogs(config, config.select_locales(locales) if locales else None)
    given = pot is not None
    pots = template_paths(config, pot)
    for each in pots:
        require_template_file(each, given)
    template = read_templates(pots, config.root, own=config.pot_path)
    if not any(message.id for message in template):
        named = " and ".join(str(each) for each in pots)
        raise InputError(
            f"{named} {'has' if len(pots) == 1 else 'have'} no messages: merged from "
            f"{'it' if len(pots) == 1 else 'them'}, every entry of every catalog would turn "
            "obsolete; no catalog was changed.",
            hint="Extract again (with the project's 'keywords' if its templates call their own "
            "gettext functions), or give the right template with --pot.",
        )
    targets = config.target_locales(locales)
    paths = {locale: config.po_path(locale) for locale in targets}  # resolved once each
    with contextlib.ExitStack() as locks:
        if not dry_run:  # read, merge and write each catalog under its lock (lock.py)
            locks.enter_context(folder_locks([paths[locale] for locale in sorted(targets)]))
        with gc_paused():  # every catalog read, merged and serialized: see toolkit.gcpause
            return _update_locked(
                paths, template, sum(file_size(each) for each in pots), dry_run=dry_run,
                policy=policy, fuzzy_matching=fuzzy_matching,
                foreign_guard=_foreign_guard(config, template, pots[0], given),
            )  # fmt: skip


def read_templates(
    pots: Sequence[Path], root: Path | None = None, own: Path | None = None
) -> Catalog:
    """The template of an update: one POT as read, or several as one (an app's POT of its
    Python code and the toolkit's of its templates: 'msgcat' refuses a POT without a
    charset header, which pybabel writes with --omit-header). A message in more than one
    gets every reference and comment, and the flags of the first POT that has it plus the
    others' that do not contradict them (``python-format`` over a later
    ``no-python-format``, as ``msgcat --use-first``); the first POT's header is the
    template's. A POT without messages (but ``own``, the POT extract wrote from templates
    that hold none, as Fava's), or a msgid singular in one POT and plural in another
    (gettext looks it up one way), is an InputError.

    References are paths relative to where each POT was extracted: Flask-Admin's
    ``babel/admin.pot`` has ``../flask_admin/templates/lib.html:216`` for the line the
    toolkit's POT calls ``flask_admin/templates/lib.html:216``. A reference of a later POT to
    the same file and line as one the message already has (each resolved against the folder
    its POT's paths exist in: ``root``, the POT's own folder or the current one) is left out,
    so the catalog keeps the first POT's spelling once, as pybabel's update from that POT
    writes it."""
    first: Catalog | None = None
    origin: dict[object, Path] = {}
    places: dict[object, set[tuple[str, object]]] = {}  # each message's references, resolved
    read_all = []
    for pot in pots:
        read = read_po_file(pot)
        keep_written_format_flags(
            read.catalog, read.data if read.data is not None else pot.read_bytes()
        )
        if len(pots) > 1 and not any(message.id for message in read.catalog) and not (
            own is not None and _same_file(pot, own)
        ):
            raise InputError(
                f"{pot} has no messages: merged with the other templates, its catalogs' "
                "entries would turn obsolete; no catalog was changed.",
                hint="Give the right template, or leave that --pot out.",
            )
        read_all.append(read.catalog)
    for pot, catalog in zip(pots, read_all, strict=True):
        resolve = _resolver(pot, catalog, root) if len(pots) > 1 else None
        if first is None:
            first = catalog
            origin = {_key(message): pot for message in first}
            if resolve is not None:
                places = {
                    _key(m): {(resolve(file), line) for file, line in m.locations} for m in first
                }
            continue
        for message in catalog:
            if not message.id:
                continue
            current = first.get(message.id, message.context)
            if current is not None:
                if current.pluralizable != message.pluralizable:
                    singular = current if not current.pluralizable else message
                    msgid = msgid_of(singular)
                    where = origin.get(_key(current), pots[0])
                    raise InputError(
                        f"'{msgid}' is a message without plural in "
                        f"{where if singular is current else pot} and one with a plural in "
                        f"{pot if singular is current else where}; no catalog was changed.",
                        hint=_whole_template(pots, read_all)
                        or "An app looks a message up one way (gettext or ngettext): "
                        "extract both templates again, or give the message a msgctxt in one.",
                    )
                message.flags = {
                    flag for flag in message.flags
                    if not (is_format_flag(flag) and _contradicts(flag, current.flags))
                }  # fmt: skip
            else:
                origin[_key(message)] = pot
            if resolve is not None:
                known = places.setdefault(_key(message), set())
                kept = []
                for file, line in message.locations:
                    place = (resolve(file), line)
                    if place not in known:
                        known.add(place)
                        kept.append((file, line))
                message.locations = kept
            first[message.id] = message
    assert first is not None  # (at least one POT)
    return first


def _resolver(pot: Path, catalog: Catalog, root: Path | None) -> Callable[[str], str]:
    """How the reference paths of ``pot`` resolve: against the folder (of ``root``, the
    POT's own and the current one) in which the most of its first 50 referenced files exist;
    as written when none has any of them."""
    files = list(dict.fromkeys(file for m in catalog for file, _ in m.locations))[:50]
    folders = [f for f in (root, pot.parent, Path.cwd()) if f is not None]
    scored = [(sum((folder / file).is_file() for file in files), -n, folder)
              for n, folder in enumerate(folders)]  # fmt: skip
    found, _, base = max(scored, key=lambda s: (s[0], s[1]))
    if not found:
        return str
    absolute = base.absolute()
    return lambda file: os.path.normpath(absolute / file)


def _whole_template(pots: Sequence[Path], catalogs: Sequence[Catalog]) -> str:
    """Advice when one of the templates already holds every message of the others (Indico's
    messages-all.pot holds its Jinja templates' messages, 'Week' with the plural its React
    code gives it): update from that one alone. Empty when none does."""
    keys = [{_key(message) for message in catalog if message.id} for catalog in catalogs]
    for pot, own in sorted(zip(pots, keys, strict=True), key=lambda p: -len(p[1])):
        if all(other <= own for other in keys):
            return (
                f"{pot} already holds every message of the other templates: update from it "
                f"alone (--pot {pot})."
            )
    return ""


def _key(message: Message) -> tuple[str, str | None]:
    """A template message's msgid and msgctxt, as the catalog keys it."""
    return msgid_of(message), message.context


def _contradicts(flag: str, flags: set[str]) -> bool:
    """``python-format`` against ``no-python-format`` (either way) in ``flags``.

    >>> _contradicts("no-python-format", {"python-format"}), _contradicts("c-format", set())
    (True, False)
    """
    other = flag[3:] if flag.startswith("no-") else f"no-{flag}"
    return other in flags


def _foreign_guard(
    config: ProjectConfig, template: Catalog, pot: Path, given: bool
) -> tuple[str, Path, tuple[str, ...]] | None:
    """The guard of :func:`_refuse_losing_foreign` for an update from the project's own POT
    of the templates (no ``--pot``; the POT's references all name files extract reads): a
    POT a tool made of the whole app (CKAN's) drops what the app dropped."""
    from ..template_files import extracted_location

    if given:
        return None
    prefix = config.templates_prefix
    # (a POT without references, --no-location, says nothing of its origin)
    files = {name for message in template for name, _ in message.locations}
    suffixes = config.source_suffixes
    if not files or not all(extracted_location(name, prefix, suffixes) for name in files):
        return None
    return prefix, Path(config.relative(pot)), suffixes


#: Bytes of catalogs (and template) from which ``update`` merges on two cores: below it the
#: fork costs about what it saves (see :mod:`toolkit.forked`, docs/benchmarks.md).
PARALLEL_MIN_BYTES = 64_000
_NOTHING_UPDATED = "no catalog was updated"


@dataclass(frozen=True)
class _Merged:
    """One catalog merged in memory: the bytes to write (None: unchanged) and its counts."""

    data: bytes | None
    created: bool
    total: int
    new: int
    fuzzy_matched: int
    obsolete: int
    plural_forms: str
    #: Translated entries of files extract does not read that this merge made obsolete (see
    #: _refuse_losing_foreign), with the first one's reference.
    foreign_lost: int = 0
    foreign_example: str = ""
    #: New strings fuzzy matching's work budget left uncompared (see .fuzzy).
    fuzzy_skipped: int = 0
    #: New (or fuzzy-matched) msgids the catalog had translated but for white space.
    spacing_only: int = 0
    #: The file as it was read (size, modification time, inode; None: there was none).
    read_as: tuple[int, int, int] | None = None


def _update_locked(
    paths: dict[str, Path],
    template: Catalog,
    template_size: int,
    *,
    dry_run: bool,
    policy: str,
    fuzzy_matching: bool = True,
    foreign_guard: tuple[str, Path, tuple[str, ...]] | None = None,
) -> list[UpdateResult]:
    """``paths``: each target locale's catalog file. Every catalog is read and merged in
    memory (two cores share them) before the first is written; a new catalog weighs as much
    as the template it is made from. ``foreign_guard``: the templates folder's reference
    prefix and the POT, when it is the project's own (see :func:`_refuse_losing_foreign`)."""
    from ..forked import map_split

    prefix = foreign_guard[0] if foreign_guard is not None else None
    suffixes = foreign_guard[2] if foreign_guard is not None else ()

    def merge(share: list[tuple[str, Path]]) -> list[_Merged | Unreadable]:
        return read_each(
            share,
            lambda locale, path: _merge_catalog(
                locale, path, template, policy, fuzzy_matching, prefix, suffixes
            ),
            nothing=_NOTHING_UPDATED,
        )

    items = list(paths.items())
    sizes = [file_size(path) or template_size for _, path in items]
    outcomes = map_split(merge, items, sizes, PARALLEL_MIN_BYTES)
    raise_unreadable(outcomes, nothing=_NOTHING_UPDATED)
    merged = cast(list[_Merged], outcomes)
    if foreign_guard is not None:
        _refuse_losing_foreign(merged, foreign_guard[1])
    if not dry_run:  # refused before any catalog is written
        note = f"No catalog was updated (update writes all {len(items)} or none)."
        for (_, path), done in zip(items, merged, strict=True):
            if done.data is not None:
                refuse_read_only(path, note if len(items) > 1 else "")
    if not dry_run:
        _refuse_changed_meanwhile(items, merged)
        with interrupts_held():  # Ctrl-C while writing: all are written, then it stops
            for (_, path), done in zip(items, merged, strict=True):
                if done.data is not None:
                    write_bytes(path, done.data)
    results = []
    for (locale, path), done in zip(items, merged, strict=True):
        results.append(
            UpdateResult(
                locale=locale,
                path=path,
                created=done.created,
                written=done.data is not None,
                total=done.total,
                new=done.new,
                fuzzy_matched=done.fuzzy_matched,
                obsolete=done.obsolete,
                plural_forms=done.plural_forms,
                fuzzy_skipped=done.fuzzy_skipped,
                spacing_only=done.spacing_only,
            )
        )
    return results


#: Header fields whose change alone never rewrites a catalog (dates and the writing tool, as
#: in ``pofile.same_content``).
_NOISE_FIELDS = frozenset({"pot-creation-date", "po-revision-date", "generated-by", "x-generator"})


_FLAG_LINE = re.compile(rb"^#,(.*)$", re.MULTILINE)


def _flag_lines(data: bytes) -> list[list[bytes]]:
    """The ``#,`` lines of a PO file, in order, each as its sorted flags."""
    return [
        sorted(f.strip() for f in m.group(1).split(b",") if f.strip())
        for m in _FLAG_LINE.finditer(data)
    ]


def _content(catalog: Catalog) -> tuple[object, ...]:
    """What ``catalog`` says (its messages, obsolete ones, header fields), layout aside."""
    header = [
        (name.lower(), value.lower() if name.lower() == "content-type" else value)
        for name, value in catalog.mime_headers
        if name.lower() not in _NOISE_FIELDS
    ]
    return (
        message_facts(entries(catalog)),
        message_facts(catalog.obsolete.values()),
        header,
        catalog.fuzzy,
        header_comment(catalog),  # Babel's property loads CLDR data: ~20 ms
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _refuse_changed_meanwhile(items: list[tuple[str, Path]], merged: list[_Merged]) -> None:
    """A catalog saved by someone else (an editor, Poedit) while update merged it would be
    replaced by a merge of the old file, the edit lost without a word (QA pass 81; an editor
    does not take update's lock): nothing is written then, and the rerun merges the saved file.
    (translate merges into what is on disk; the review workspace answers 409.)"""
    for (_, path), done in zip(items, merged, strict=True):
        if done.data is not None and _signature(path) != done.read_as:
            raise CatalogError(
                "changed on disk while update ran (saved by an editor?); no catalog was "
                "updated.",
                path=path,
                hint="Rerun 'toolkit update': it merges the file as it is now.",
            )


def _merge_catalog(
    locale: str, path: Path, template: Catalog, policy: str, fuzzy_matching: bool,
    templates_prefix: str | None = None,
    suffixes: tuple[str, ...] = (),
) -> _Merged:
    """Read (or create), merge and serialize one catalog; nothing is written. With
    ``templates_prefix``, count the translated entries of files extract does not read that
    the template lacks (they turn obsolete)."""
    read_as = _signature(path)
    po = read_po_file(path, locale=locale) if path.exists() else None
    catalog = new_catalog(template, locale) if po is None else po.catalog
    lost = (
        _foreign_lost(catalog, template, templates_prefix, suffixes)
        if templates_prefix is not None
        else []
    )
    before = {msgid_of(m) for m in entries(catalog)}
    before_translated = {msgid_of(m) for m in entries(catalog) if any(forms_of(m))}
    # (an entry fuzzy-matched by an earlier update is no match of this one)
    matched_before = {(msgid_of(m), m.context): tuple(m.previous_id) for m in entries(catalog)}
    written_header = po.layout.header.get("plural-forms") if po is not None else None
    content = _content(catalog) if po is not None else None
    # A catalog kept without '#:' lines (pybabel's --no-location, Weblate's) stays so: the
    # merge gave each template entry its references, which the app's next 'pybabel update'
    # took out again (ihatemoney: 8,938 added lines in 41 catalogs, each cycle; QA pass 82).
    unlocated = before and not any(m.locations for m in entries(catalog))
    fuzzy = FuzzyStats()
    header_note = merge_template(
        catalog, template, locale, written_header=written_header, policy=policy,
        fuzzy_matching=fuzzy_matching, fuzzy_stats=fuzzy,
    )  # fmt: skip
    after = list(entries(catalog))
    if unlocated:
        for index, message in enumerate(after):
            if message.locations:  # (a new entry is the template's object: it is copied)
                message = after[index] = message.clone()
                message.locations = []
                catalog._messages[catalog._key_for(message.id, message.context)] = message
    if lost:  # a translation fuzzy matching carried to a reworded entry is not lost
        carried = {tuple(forms_of(m)) for m in after}
        lost = [(shown, forms) for shown, forms in lost if forms not in carried]
    # Nothing but the layout would change (another tool's wrapping, Transifex's one-line
    # msgstrs, Weblate's 79 columns, a charset written in capitals): the file stays as it is,
    # and 'update --check' finds it up to date, as pybabel's content does not differ.
    old_data = po.data if po is not None else None
    data = catalog_bytes(catalog, old_data, template=False)
    # Babel's header model fills in the locale's Plural-Forms where the file has none, so the
    # content compares equal when the only change is the header this update sets: that is
    # written (header_note says what changed).
    if data is not None and old_data is not None and not header_note and (
        content == _content(catalog)
    ):
        # Babel's model guesses format flags from the msgid; the flags as written count
        # (a python-format the POT has and the file lacks is a change: msgfmt checks it).
        if _flag_lines(old_data) == _flag_lines(data):
            data = None
    return _Merged(
        data=data,
        created=po is None,
        total=len(after),
        new=sum(1 for m in after if msgid_of(m) not in before and not m.previous_id),
        fuzzy_matched=sum(
            1 for m in after
            if m.previous_id and m.fuzzy
            and tuple(m.previous_id) != matched_before.get((msgid_of(m), m.context))
        ),  # fmt: skip
        obsolete=len(catalog.obsolete),
        plural_forms=header_note,
        foreign_lost=len(lost),
        foreign_example=lost[0][0] if lost else "",
        fuzzy_skipped=fuzzy.skipped,
        spacing_only=_spacing_only(before_translated, after, before),
        read_as=read_as,
    )


def _spacing_only(translated: set[str], after: list[Message], before: set[str]) -> int:
    """How many of the catalog's entries now are new msgids that equal, but for white space,
    msgids the catalog had translated: the templates extracted with other whitespace
    settings than the ones the translations were made with (Zulip's untrimmed {% trans %}
    blocks extracted trimmed: 19 new for da, QA pass 64)."""
    if not translated:
        return 0
    spaced = {" ".join(msgid.split()) for msgid in translated}
    return sum(
        1 for m in after
        if (msgid := msgid_of(m)) not in before and " ".join(msgid.split()) in spaced
    )  # fmt: skip


def _foreign_lost(
    catalog: Catalog, template: Catalog, templates_prefix: str, suffixes: tuple[str, ...] = ()
) -> list[tuple[str, tuple[str, ...]]]:
    """What names each translated entry (with its texts) the template lacks whose references
    are all files extract does not read (``app/views.py:40``: pybabel extracted it), or that
    has none in a catalog without any (Weblate writes catalogs without ``#:`` lines: nothing
    says the entry came from the templates)."""
    from ..template_files import extracted_location

    referenced = any(message.locations for message in entries(catalog))
    lost: list[tuple[str, tuple[str, ...]]] = []
    for message in entries(catalog):
        if template.get(message.id, context=message.context) is not None:
            continue  # (most entries: one look-up, before anything else)
        if not any(forms_of(message)) or (referenced and not message.locations):
            continue
        references = [f"{name}:{line}" if line else name for name, line in message.locations]
        if any(extracted_location(r, templates_prefix, *((suffixes,) if suffixes else ()))
               for r in references):  # fmt: skip
            continue
        msgid = msgid_of(message)
        shown = msgid if len(msgid) <= 40 else msgid[:39] + "…"
        lost.append((references[0] if references else repr(shown), tuple(forms_of(message))))
    return lost


def _refuse_losing_foreign(merged: list[_Merged], pot: Path) -> None:
    """An update from the project's own POT (templates only) would make obsolete what a Flask
    app's pybabel extracted from its Python code: Flask-Security's 151 messages, in every
    catalog. Refused, nothing written; ``--pot`` with a POT that has both is the way."""
    lost = [m for m in merged if m.foreign_lost]
    if not lost:
        return
    count = sum(m.foreign_lost for m in lost)
    catalogs = f"{len(lost)} catalog{'s' if len(lost) != 1 else ''}"
    raise InputError(
        f"update from {pot} would make {count} translated entries obsolete in "
        f"{catalogs} that come from files extract does not read, or that no reference ties "
        f"to the templates ({lost[0].foreign_example}, ...); no catalog was updated.",
        hint=f"{pot} has the templates' messages only: merge the app's own POT with it "
        f"('toolkit update --pot app.pot --pot {pot}'); "
        "if those messages are really gone, name the POT: "
        f"'toolkit update --pot {pot}' (from the project's folder).",
    )


def new_catalog(template: Catalog, locale: str) -> Catalog:
    """An empty catalog for ``locale`` with the template's project headers."""
    catalog = Catalog(
        locale=locale,
        domain=template.domain,
        project=template.project,
        version=template.version,
        copyright_holder=template.copyright_holder,
        msgid_bugs_address=template.msgid_bugs_address,
        creation_date=template.creation_date,
        revision_date=build_date(),
        fuzzy=False,
    )
    catalog.header_comment = template.header_comment
    return catalog


def merge_template(
    catalog: Catalog,
    template: Catalog,
    locale: str,
    *,
    written_header: str | None = None,
    policy: str = "keep",
    fuzzy_matching: bool = True,
    fuzzy_stats: FuzzyStats | None = None,
) -> str:
    """Bring ``catalog`` in line with ``template`` (Babel's update plus our guarantees).

    ``written_header`` is the Plural-Forms value as the file has it (None: no header, or a
    new catalog). Returns a note on the Plural-Forms header for the summary ("" if kept).
    ``fuzzy_stats`` receives what fuzzy matching's work budget left undone (see .fuzzy).
    """
    note = apply_plural_policy(catalog, locale, written_header, policy)
    # A string that comes back keeps the translation it had before it was removed.
    for key in list(catalog.obsolete):
        message = catalog.obsolete[key]
        if (
            template.get(message.id, message.context) is not None
            and catalog.get(message.id, message.context) is None
        ):
            del catalog.obsolete[key]
            catalog[message.id] = message
    previous = {(msgid_of(m), m.context): m.previous_id for m in entries(catalog) if m.previous_id}
    previous_contexts = {(msgid_of(m), m.context): previous_context(m) for m in entries(catalog)}
    # Babel keys entries by msgid alone: a changed msgid_plural kept its translation approved
    # (msgmerge makes it fuzzy, with the old ids as previous ones).
    before = {(msgid_of(m), m.context): (source_ids(m), forms_of(m)) for m in entries(catalog)}
    fuzzy_before = {(msgid_of(m), m.context) for m in entries(catalog) if m.fuzzy}
    # Before the merge too: a live entry the template no longer has turns obsolete in its
    # place, and Babel would drop the older #~ copy with its translation.
    _drop_obsolete_duplicates(catalog)
    # Babel's fuzzy match crosses contexts and keeps only the old msgid: which context the
    # translation was made for is found again from the old entries (msgmerge's #| msgctxt).
    contexts_by_ids: dict[tuple[tuple[str, ...], tuple[str, ...]], str | None] = {}
    for message in entries(catalog):
        contexts_by_ids[(source_ids(message), forms_of(message))] = message.context
    with fast_fuzzy_matching(fuzzy_stats):  # Babel's answers, indexed and bounded (.fuzzy)
        catalog.update(template, no_fuzzy_matching=not fuzzy_matching, update_creation_date=True)
    for message in entries(catalog):
        entry_key = (msgid_of(message), message.context)
        if message.previous_id:  # Babel fuzzy-matched it now
            set_previous_context(
                message, contexts_by_ids.get((tuple(message.previous_id), forms_of(message)))
            )
        was, old_texts = before.get(entry_key, (None, ()))
        if was is not None and was != source_ids(message) and any(old_texts):
            message.flags.add("fuzzy")
            if not message.previous_id:  # (Babel made one that lost its plural fuzzy)
                # the msgid the translation was made for, when the file named it
                message.previous_id = list(previous.get(entry_key) or was)
                set_previous_context(
                    message,
                    previous_contexts.get(entry_key)
                    if entry_key in previous
                    else message.context,
                )
            for text in old_texts:  # a form the entry no longer has
                if text and text not in forms_of(message):
                    quoted = json.dumps(text, ensure_ascii=False)  # escaped as written
                    message.user_comments.append(f"previous plural form: {quoted}")
        elif (
            was is not None and was != source_ids(message) and message.fuzzy
            and not message.previous_id and entry_key not in fuzzy_before
            and not any(forms_of(message))
        ):  # fmt: skip
            # Babel marks an entry that gained or lost its plural fuzzy even with nothing
            # translated: there is nothing to review (msgmerge leaves it; QA pass 76)
            message.flags.discard("fuzzy")
        if not message.fuzzy:
            message.previous_id = []
            set_previous_context(message, None)
        elif not message.previous_id and entry_key in previous:
            message.previous_id = previous[entry_key]
            set_previous_context(message, previous_contexts.get(entry_key))
        _sync_format_flags(message, template.get(message.id, message.context))
    _drop_obsolete_duplicates(catalog)
    return note


def _drop_obsolete_duplicates(catalog: Catalog) -> None:
    """An obsolete ``#~`` copy of a live entry makes msgfmt reject the file: drop it.

    Its translation is not lost: when it differs from the live one it moves into a
    translator comment of the live entry.
    """
    for key in list(catalog.obsolete):
        old = catalog.obsolete[key]
        if not msgid_of(old) and old.context is None:  # a "#~ msgid \"\"" copy of the header
            del catalog.obsolete[key]  # (pgAdmin's de, pl: msgfmt's duplicate of line 7)
            continue
        live = catalog.get(old.id, old.context)
        if live is None:
            continue
        texts = [t for t in forms_of(old) if t and t not in forms_of(live)]
        for text in texts:
            note = text.replace("\\", "\\\\").replace("\n", "\\n")
            live.user_comments.append(f'obsolete duplicate translation: "{note}"')
        del catalog.obsolete[key]


def apply_plural_policy(
    catalog: Catalog, locale: str, written_header: str | None, policy: str = "keep"
) -> str:
    """Keep the catalog's valid Plural-Forms, or set/convert to CLDR's; say what changed."""
    current: PluralForms | None = written_plural_forms(written_header)
    if current is not None and policy != "cldr":
        set_header(catalog, current)  # the expression as written (CLDR's data is not needed)
        return ""
    from ..locales import has_cldr_plural_rules

    cldr = cldr_plural_forms(locale)
    known = has_cldr_plural_rules(locale)
    whose = "CLDR's" if known else "gettext's usual (CLDR has no plural rules for it)"
    if current is None:
        set_header(catalog, cldr)
        if written_header is None:
            return f"Plural-Forms set to {whose} nplurals={cldr.nplurals}"
        return f"unusable Plural-Forms replaced by {whose} nplurals={cldr.nplurals}"
    # No CLDR rule to convert to: the catalog's own stays, unless it is the single form an
    # earlier version wrote for such a language (Occitan "1 punt" / "2 punts"; QA pass 79).
    if current.same_as(cldr) or (not known and not current.nplurals < 2 <= cldr.nplurals):
        set_header(catalog, current)  # the expression as written, not a rewritten equivalent
        return ""
    done = convert_plural_forms(catalog, current, cldr)
    return (
        f"Plural-Forms converted nplurals={current.nplurals} -> {cldr.nplurals} "
        f"({done.entries} plural entries, {done.fuzzy} marked fuzzy for review)"
    )


def _sync_format_flags(message: Message, source: Message | None) -> None:
    """Format flags follow the template, as msgmerge's do: the entry has the template's
    format flags and no others (see :func:`keep_written_format_flags`)."""
    if source is None:
        return
    message.flags = _with_format_flags(message.flags, source.flags)


def _with_format_flags(flags: set[str], formats: set[str]) -> set[str]:
    """``flags`` with the format flags of ``formats`` in place of their own."""
    return {f for f in flags if not is_format_flag(f)} | {
        f for f in formats if is_format_flag(f)
    }


def keep_written_format_flags(template: Catalog, data: bytes) -> None:
    """Give each message of ``template`` (read from ``data``) the format flags its ``#,``
    lines have, not those Babel's ``Message`` guesses from the msgid.

    Babel adds ``python-brace-format`` to any msgid with ``{name}`` and ``python-format`` to
    one with ``%s``; a POT another tool wrote (SecureDrop's, an older pybabel's) may not
    flag them, and its catalogs pass ``msgfmt --check`` because of it. msgmerge keeps the
    POT's flags; merged with Babel's, 6 SecureDrop catalogs failed ``msgfmt --check`` after
    one update (a plural's first form without ``{num}``).
    """
    lines = data.decode("utf-8", "replace").split("\n")
    for message in template:
        if not message.id or not message.lineno or message.lineno > len(lines):
            continue
        written: set[str] = set()
        number = message.lineno - 2  # the line before the msgid, counted from 0
        while number >= 0:
            line = lines[number].strip()
            if line.startswith("#,"):
                written.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#~") or not line.startswith(("#", "msgctxt", '"')):
                break  # (an obsolete entry or the previous entry's msgstr ends it)
            number -= 1
        message.flags = _with_format_flags(message.flags, written)
