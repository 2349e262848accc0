"""The merge behind ``toolkit update``: a locale's catalog brought in line with the template."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from ..config import ProjectConfig
from ..errors import InputError
from ..fsutil import refuse_read_only
from ..gcpause import gc_paused
from ..locales import plural_forms_header
from .entry import entries, forms_of, msgid_of
from .fuzzy import fast_fuzzy_matching
from .header import build_date as build_date  # also importable from here
from .lock import catalog_lock
from .plurals import (
    PluralForms,
    cldr_plural_forms,
    convert_plural_forms,
    set_header,
    written_plural_forms,
)
from .pofile import PoFile, read_catalog, read_po_file, serialize_catalog, write_catalog

#: How ``update`` treats an existing catalog's valid Plural-Forms: keep it, or convert to CLDR.
PLURAL_POLICIES = ("keep", "cldr")


@dataclass(frozen=True)
class UpdateResult:
    """What ``update_catalogs`` did to one locale's catalog."""

    locale: str
    path: Path
    created: bool
    written: bool
    total: int
    new: int
    fuzzy_matched: int
    obsolete: int
    #: What happened to the Plural-Forms header, for the summary line ("" when untouched).
    plural_forms: str = ""


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
) -> list[UpdateResult]:
    """Create or merge ``locales/L/LC_MESSAGES/<domain>.po`` from the POT for each locale.

    Existing translations are kept; changed source strings are fuzzy-matched to their old
    translation; removed ones stay as obsolete entries. New catalogs get CLDR's plural rule;
    an existing catalog keeps any Plural-Forms gettext accepts, unless ``plural_forms`` (or
    the config's ``plural_forms``) is ``"cldr"``: then its plural entries are converted
    (:func:`.plurals.convert_plural_forms`). No ``msgstr[n]`` is ever dropped.
    ``fuzzy_matching=False`` gives new strings no translation of a similar old one (Babel's
    matching compares each new string with every old one: slow on very large catalogs).
    Every catalog is parsed before any is written, so one malformed PO changes nothing.
    """
    policy = plural_forms or config.plural_forms
    if policy not in PLURAL_POLICIES:
        raise InputError(
            f"unknown plural-forms policy '{policy}'.", hint="Use 'keep' (default) or 'cldr'."
        )
    template = read_catalog(config.pot_path)
    targets = config.target_locales(locales)
    with contextlib.ExitStack() as locks:
        if not dry_run:  # read, merge and write each catalog under its lock (lock.py)
            for locale in sorted(targets):
                locks.enter_context(catalog_lock(config.po_path(locale)))
        with gc_paused():  # every catalog read, merged and serialized: see toolkit.gcpause
            return _update_locked(
                config, template, targets, dry_run=dry_run, policy=policy,
                fuzzy_matching=fuzzy_matching,
            )  # fmt: skip


def _update_locked(
    config: ProjectConfig,
    template: Catalog,
    targets: list[str],
    *,
    dry_run: bool,
    policy: str,
    fuzzy_matching: bool = True,
) -> list[UpdateResult]:
    existing = {
        locale: read_po_file(config.po_path(locale), locale=locale)
        for locale in targets
        if config.po_path(locale).exists()
    }
    results = []
    merged: list[tuple[str, Catalog, set[str], PoFile | None, bool, str, bytes]] = []
    for locale in targets:
        po = existing.get(locale)
        catalog = new_catalog(template, locale) if po is None else po.catalog
        before = {msgid_of(m) for m in entries(catalog)}
        written_header = po.layout.header.get("plural-forms") if po is not None else None
        header_note = merge_template(
            catalog, template, locale, written_header=written_header, policy=policy,
            fuzzy_matching=fuzzy_matching,
        )  # fmt: skip
        old = po.data if po is not None else None
        data = serialize_catalog(catalog)  # once: for the change test and for the write
        changes = write_catalog(
            config.po_path(locale), catalog, dry_run=True, old=old, serialized=data
        )
        if changes and not dry_run:  # refused before any catalog is written
            try:
                refuse_read_only(config.po_path(locale))
            except InputError as exc:
                others = len(targets) - 1
                raise InputError(
                    exc.message
                    + (f" No catalog was updated (update writes all {others + 1} or none)."
                       if others else ""),
                    hint=exc.hint,
                ) from exc
        merged.append((locale, catalog, before, po, changes, header_note, data))
    for locale, catalog, before, po, changes, header_note, data in merged:
        path = config.po_path(locale)
        created = po is None
        after = list(entries(catalog))
        old = po.data if po is not None else None
        written = changes and write_catalog(
            path, catalog, dry_run=dry_run, old=old, serialized=data
        )
        results.append(
            UpdateResult(
                locale=locale,
                path=path,
                created=created,
                written=written,
                total=len(after),
                new=sum(1 for m in after if msgid_of(m) not in before and not m.previous_id),
                fuzzy_matched=sum(1 for m in after if m.previous_id and m.fuzzy),
                obsolete=len(catalog.obsolete),
                plural_forms=header_note,
            )
        )
    return results


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
) -> str:
    """Bring ``catalog`` in line with ``template`` (Babel's update plus our guarantees).

    ``written_header`` is the Plural-Forms value as the file has it (None: no header, or a
    new catalog). Returns a note on the Plural-Forms header for the summary ("" if kept).
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
    with fast_fuzzy_matching():  # Babel's answers, indexed (see .fuzzy)
        catalog.update(template, no_fuzzy_matching=not fuzzy_matching, update_creation_date=True)
    for message in entries(catalog):
        entry_key = (msgid_of(message), message.context)
        if not message.fuzzy:
            message.previous_id = []
        elif not message.previous_id and entry_key in previous:
            message.previous_id = previous[entry_key]
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
    cldr = cldr_plural_forms(locale)
    current: PluralForms | None = written_plural_forms(written_header)
    if current is None:
        set_header(catalog, cldr)
        if written_header is None:
            return f"Plural-Forms set to CLDR's nplurals={cldr.nplurals}"
        return f"unusable Plural-Forms replaced by CLDR's nplurals={cldr.nplurals}"
    if current.same_as(cldr):
        set_header(catalog, current)  # the expression as written, not a rewritten equivalent
        return ""
    if policy != "cldr":
        set_header(catalog, current)
        return ""
    done = convert_plural_forms(catalog, current, cldr)
    return (
        f"Plural-Forms converted nplurals={current.nplurals} -> {cldr.nplurals} "
        f"({done.entries} plural entries, {done.fuzzy} marked fuzzy for review)"
    )


def _sync_format_flags(message: Message, source: Message | None) -> None:
    """Format flags follow the template: a flag the source string no longer has is dropped."""
    if source is None:
        return
    for flag in ("python-format", "python-brace-format", "no-python-format"):
        if flag in message.flags and flag not in source.flags:
            message.flags.discard(flag)
