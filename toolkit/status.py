"""``toolkit status``: translation coverage per locale."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from .errors import raise_unreadable, read_each

_NOTHING_SHOWN = "no status shown"

if TYPE_CHECKING:  # light to import: compile and check use project_locales, which uses this
    from .config import ProjectConfig


@dataclass(frozen=True)
class LocaleStatus:
    """Coverage of one locale's catalog."""

    locale: str
    path: Path
    total: int
    translated: int
    fuzzy: int
    untranslated: int
    machine_translated: int
    obsolete: int

    @property
    def percent(self) -> float:
        """Share of entries translated and reviewed (not fuzzy), 0-100, one decimal; 0 for a
        catalog without entries (an empty file is no finished translation)."""
        return round(100.0 * self.translated / self.total, 1) if self.total else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "locale": self.locale,
            "path": str(self.path),
            "total": self.total,
            "translated": self.translated,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "machine_translated": self.machine_translated,
            "obsolete": self.obsolete,
            "percent": self.percent,
        }


class MissingCatalogStatus(LocaleStatus):
    """A configured locale without a catalog: 0 % of the POT, with the command to create it."""

    @property
    def percent(self) -> float:
        return 0.0

    def as_dict(self) -> dict[str, object]:
        from .project_locales import create_command

        return {**super().as_dict(), "missing": True, "create": create_command(self.locale)}


def catalog_status(config: ProjectConfig, locales: list[str] | None = None) -> list[LocaleStatus]:
    """Count translated, fuzzy, machine-translated and untranslated entries per locale."""
    from .catalogs import is_memory_match
    from .catalogs.plurals import unreached_forms
    from .catalogs.reader import read_po_entries

    def count(locale: str, path: Path) -> LocaleStatus:
        # The entries without Babel's Message objects (as check reads them): 18 of Indico's
        # 1.2 MB catalogs took 8.2 s against msgfmt --statistics' 2.4 s (QA pass 77).
        po = read_po_entries(path, locale=locale)
        messages = po.entries
        # (a plural's form only a fraction picks may be empty, as msgfmt --statistics counts)
        unreached = unreached_forms(po.layout.header.get("plural-forms"))
        done = [e for e in messages if e.complete(unreached)]
        reviewed = sum(1 for e in done if not e.fuzzy)
        # A fuzzy entry counts as fuzzy once it has any translation, as msgfmt --statistics
        # counts it: a plural whose forms are partly written after update (msgstr[0] only)
        # is work for the reviewer, not an untranslated entry.
        fuzzy = sum(1 for e in messages if e.fuzzy and e.has_translation)
        return LocaleStatus(
            locale=locale,
            path=path,
            total=len(messages),
            translated=reviewed,
            fuzzy=fuzzy,
            untranslated=len(messages) - reviewed - fuzzy,
            # (a draft translate took from a vendor's human translation is no MT)
            machine_translated=sum(
                1 for e in done if e.provenance is not None and not is_memory_match(e.provenance)
            ),
            obsolete=po.obsolete,
        )

    targets = [(locale, config.po_path(locale)) for locale in config.select_locales(locales)]
    results = read_each(targets, count, nothing=_NOTHING_SHOWN)  # all bad ones are reported
    raise_unreadable(results, nothing=_NOTHING_SHOWN)
    return cast(list[LocaleStatus], results)
