"""The merge behind ``toolkit update``: a locale's catalog brought in line with the template."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from ..config import ProjectConfig
from ..locales import plural_forms_header
from .entry import entries, msgid_of
from .pofile import read_catalog, read_po_file, write_catalog


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


def build_date() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def set_plural_forms(catalog: Catalog, locale: str) -> None:
    """Make the catalog's Plural-Forms header the CLDR one for ``locale``."""
    headers = [(k, v) for k, v in catalog.mime_headers if k.lower() != "plural-forms"]
    headers.append(("Plural-Forms", plural_forms_header(locale)))
    catalog.mime_headers = headers


def update_catalogs(
    config: ProjectConfig, locales: list[str] | None = None, *, dry_run: bool = False
) -> list[UpdateResult]:
    """Create or merge ``locales/L/LC_MESSAGES/<domain>.po`` from the POT for each locale.

    Existing translations are kept; changed source strings are fuzzy-matched to their old
    translation; removed ones stay as obsolete entries; Plural-Forms follows CLDR.
    Every catalog is parsed before any is written, so one malformed PO changes nothing.
    """
    template = read_catalog(config.pot_path)
    targets = config.target_locales(locales)
    existing = {
        locale: read_po_file(config.po_path(locale), locale=locale)
        for locale in targets
        if config.po_path(locale).exists()
    }
    results = []
    for locale in targets:
        path = config.po_path(locale)
        po = existing.get(locale)
        created = po is None
        catalog = new_catalog(template, locale) if po is None else po.catalog
        before = {msgid_of(m) for m in entries(catalog)}
        merge_template(catalog, template, locale)
        after = list(entries(catalog))
        old = po.data if po is not None else None
        written = write_catalog(path, catalog, dry_run=dry_run, old=old)
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


def merge_template(catalog: Catalog, template: Catalog, locale: str) -> None:
    """Bring ``catalog`` in line with ``template`` (Babel's update plus our guarantees)."""
    set_plural_forms(catalog, locale)
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
    catalog.update(template, no_fuzzy_matching=False, update_creation_date=True)
    for message in entries(catalog):
        entry_key = (msgid_of(message), message.context)
        if not message.fuzzy:
            message.previous_id = []
        elif not message.previous_id and entry_key in previous:
            message.previous_id = previous[entry_key]
        _sync_format_flags(message, template.get(message.id, message.context))


def _sync_format_flags(message: Message, source: Message | None) -> None:
    """Format flags follow the template: a flag the source string no longer has is dropped."""
    if source is None:
        return
    for flag in ("python-format", "python-brace-format", "no-python-format"):
        if flag in message.flags and flag not in source.flags:
            message.flags.discard(flag)
