"""Which catalogs serve a customer's locale: ``da_DK`` -> ``da`` -> source.

The customer's full locale (``da_DK``) drives formatting; messages come from the most specific
catalog the project has. Catalogs are chained with :meth:`gettext.NullTranslations.add_fallback`
so a string missing in ``da_DK`` is looked up in ``da`` and finally falls back to the source text.
"""

from __future__ import annotations

import datetime
import gettext
import io
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from babel import Locale

from ..catalogs import mo_bytes, read_catalog
from ..config import ProjectConfig
from ..errors import CatalogError
from ..locales import parse_locale

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog as BabelCatalog


@dataclass(frozen=True)
class LocaleChain:
    """A customer's locale and the catalog locales tried for it, most specific first."""

    requested: str  # as given by the user or the data row ("da-DK", "no")
    locale: str  # the full locale used for formatting ("da_DK"; "no" becomes "nb")
    candidates: tuple[str, ...]  # catalog locales tried in order ("da_DK", "da")
    source: str  # the source locale: the last resort, no catalog needed
    country: str | None  # territory for currency and payment methods ("DK")

    @property
    def chain(self) -> tuple[str, ...]:
        """Every step of the lookup, ending with the source locale."""
        return (*self.candidates, self.source)


def resolve_chain(name: str, source_locale: str = "en") -> LocaleChain:
    """Validate ``name`` and derive its fallback chain.

    >>> resolve_chain("da-DK").chain
    ('da_DK', 'da', 'en')
    >>> c = resolve_chain("no_NO"); (c.locale, c.chain)
    ('nb_NO', ('nb_NO', 'nb', 'en'))
    >>> resolve_chain("zh_Hant_TW").chain
    ('zh_Hant_TW', 'zh_Hant', 'en')
    >>> resolve_chain("sr_Latn_RS").chain
    ('sr_Latn_RS', 'sr_Latn', 'en')
    >>> resolve_chain("ca@valencia").chain
    ('ca_ES_VALENCIA', 'ca_ES', 'ca', 'en')
    >>> resolve_chain("en_GB").chain
    ('en_GB', 'en')

    After the language (with its script) comes the language's likely region, as Babel's
    ``negotiate_locale`` maps ``da`` to ``da_DK`` and Django picks a regional variant: a
    customer saying ``da`` or ``de_CH`` reads a project's ``da_DK`` or ``de_DE`` catalog.

    >>> resolve_chain("da").chain, resolve_chain("de_CH").chain
    (('da', 'da_DK', 'en'), ('de_CH', 'de', 'de_DE', 'en'))
    >>> resolve_chain("zh_Hant_HK").chain
    ('zh_Hant_HK', 'zh_Hant', 'zh_Hant_TW', 'en')
    >>> resolve_chain("zh").chain
    ('zh', 'zh_CN', 'zh_Hans', 'zh_Hans_CN', 'en')
    >>> resolve_chain("en", "en_US").chain
    ('en', 'en_US')
    """
    locale = parse_locale(name)
    source = str(parse_locale(source_locale))
    candidates: list[str] = []
    steps = [
        (locale.language, locale.script, locale.territory, locale.variant),
        (locale.language, locale.script, locale.territory, None),
        (locale.language, locale.script, None, None),
    ]
    if not _other_script(locale):
        steps.append((locale.language, None, None, None))
    if locale.modifier:  # ca_ES@valencia, ca@valencia first, in GNU gettext's order
        candidates.append(str(locale))
        if f"{locale.language}@{locale.modifier}" not in candidates:
            candidates.append(f"{locale.language}@{locale.modifier}")
    for parts in steps:
        candidate = "_".join(p for p in parts if p)
        if candidate not in candidates and candidate != source:
            candidates.append(candidate)
    base = "_".join(p for p in (locale.language, locale.script) if p)
    same_language = locale.language == source.split("_")[0]  # en reads the source: no en_US
    if base in candidates and not same_language:
        at = candidates.index(base) + 1
        for likely in _likely_forms(locale):
            if likely not in candidates:
                candidates.insert(at, likely)
                at += 1
    return LocaleChain(
        requested=name,
        locale=str(locale),
        candidates=tuple(candidates),
        source=source,
        country=territory_of(locale),
    )


def _other_script(locale: Locale) -> bool:
    """Whether the locale's script is not its language's own (``sr_Latn``: ``sr`` is Cyrillic;
    ``zh_Hant``: ``zh`` is Simplified): the bare language's catalog would serve strings in
    another script, so the chain leaves it out, as CLDR's parent of such a locale is root."""
    if locale.script is None:
        return False
    from ..locales import likely_script

    return likely_script(locale.language) not in (None, locale.script)


def _likely_forms(locale: Locale) -> list[str]:
    """The catalog names of the language's likely region: ``da_DK``; for a language written
    in several scripts and given without one, also with its likely script, as projects name
    such catalogs either way (``zh``: ``zh_CN``, ``zh_Hans``, ``zh_Hans_CN``)."""
    region = territory_of(Locale(locale.language, script=locale.script))
    base = "_".join(p for p in (locale.language, locale.script) if p)
    forms = [f"{base}_{region}"] if region else []
    if locale.script is None:
        from babel.localedata import exists

        from ..locales import likely_script

        script = likely_script(locale.language)
        if script and exists(f"{locale.language}_{script}"):
            forms.append(f"{locale.language}_{script}")
            if region:
                forms.append(f"{locale.language}_{script}_{region}")
    return forms


def territory_of(locale: Locale) -> str | None:
    """The locale's territory, or the likely one for a bare language (``da`` -> ``DK``).

    The script counts: Traditional Chinese is Taiwan's, not China's (the language's likely
    territory), so its customers get Taiwan's currency and payment methods.

    >>> territory_of(Locale.parse("da")), territory_of(Locale.parse("de_AT"))
    ('DK', 'AT')
    >>> territory_of(Locale.parse("zh_Hant")), territory_of(Locale.parse("pa_Arab"))
    ('TW', 'PK')
    """
    from ..locales import territory_for_locale

    return territory_for_locale(str(locale))


@dataclass(frozen=True)
class Catalog:
    """One loaded catalog of the chain."""

    locale: str
    path: Path
    translations: gettext.GNUTranslations
    #: The PO read for it (``from_po``): its flags waive checks (:mod:`.served_checks`).
    po: BabelCatalog | None = field(default=None, compare=False, repr=False)


def load_catalog(
    config: ProjectConfig, locale: str, *, from_po: bool = False, use_fuzzy: bool = False
) -> Catalog | None:
    """The compiled catalog of ``locale`` (``.mo``; with ``from_po`` the ``.po`` compiled in
    memory), or None when the project has none for it."""
    path = config.po_path(locale) if from_po else config.mo_path(locale)
    if not path.is_file():
        if path.exists():  # a folder or FIFO: customers got the source text without a word
            raise CatalogError(
                "not a regular file (a folder, device or FIFO), so no catalog can be read.",
                path=path,
                hint="Recompile it with 'toolkit compile' after removing what is there.",
            )
        return None
    po = None
    try:
        if from_po:
            po = read_catalog(path, locale=locale)
            data = mo_bytes(po, use_fuzzy=use_fuzzy)
        else:
            data = path.read_bytes()
        translations = gettext.GNUTranslations(io.BytesIO(data))
    except CatalogError:
        raise
    except (OSError, ValueError, struct.error, IndexError, KeyError) as exc:
        # gettext raises OSError/ValueError on a bad MO, struct.error on an empty or
        # truncated one, IndexError/KeyError on a broken header.
        reason = "empty file" if not path.stat().st_size else f"{exc}" or type(exc).__name__
        raise CatalogError(
            f"cannot load the compiled catalog ({reason}).",
            path=path,
            hint="Recompile it with 'toolkit compile', or preview from the PO with --from-po.",
        ) from exc
    return Catalog(locale=locale, path=path, translations=translations, po=po)


#: Seconds a PO may be newer than its MO before it counts as edited since compiled: a
#: checkout or copy writes both files moments apart, in either order.
STALE_AFTER = 2.0


def compiled_before_edit(po: Path, mo: Path) -> str | None:
    """Whether ``po`` was saved after ``mo`` was compiled from it (a translator's fix or a
    Weblate pull not compiled since: whatever reads the MO has the old translations):
    ``"edited"``; ``"future"`` for a PO dated ahead of the clock, whose MO cannot be judged;
    else None. ``toolkit compile`` dates an MO as its PO was when it read it."""
    try:
        edited = po.stat().st_mtime
        compiled = mo.stat().st_mtime
    except OSError:  # no PO beside it (an app that ships MO files only)
        return None
    if edited - compiled <= STALE_AFTER:
        return None
    return "future" if edited > time.time() + STALE_AFTER else "edited"


def stale_warning(config: ProjectConfig, po: Path, mo: Path, what: str, why: str) -> str:
    """The warning for an MO compiled before its PO's last edit (``why``: as
    :func:`compiled_before_edit` says); ``what`` has the translations."""
    shown_po, shown_mo = config.relative(po), config.relative(mo)
    if why == "future":
        try:
            stamp = po.stat().st_mtime
        except OSError:  # gone since it was judged
            stamp = time.time()
        when = datetime.datetime.fromtimestamp(stamp).isoformat(" ", "seconds")
        return (
            f"{shown_po} is dated in the future ({when}): cannot tell whether {shown_mo} was "
            f"compiled from its last edit; check the clock, then run 'touch {shown_po}' and "
            "'toolkit compile'"
        )
    return (
        f"{shown_po} changed after {shown_mo} was compiled: {what} may have outdated "
        "translations; run 'toolkit compile' (or preview with --from-po)"
    )


def stale_catalogs(config: ProjectConfig) -> list[tuple[Path, Path, str]]:
    """Every ``(PO, MO, why)`` of the project whose PO was saved after its MO was compiled
    (or is dated in the future)."""
    found = []
    for mo in sorted(config.locales_path.glob(f"*/LC_MESSAGES/{config.domain}.mo")):
        po = mo.with_suffix(".po")
        why = compiled_before_edit(po, mo)
        if why:
            found.append((po, mo, why))
    return found


def chain_translations(catalogs: list[Catalog]) -> gettext.NullTranslations:
    """One translations object: the catalogs chained with ``add_fallback``, most specific first.

    Catalog objects are copied so that the same catalog (``da``) can sit in several chains
    (``da_DK`` and ``da``) without their fallbacks leaking into each other.
    """
    head: gettext.NullTranslations = gettext.NullTranslations()
    links: list[gettext.NullTranslations] = []
    for catalog in catalogs:
        link = gettext.GNUTranslations.__new__(gettext.GNUTranslations)
        link.__dict__.update(catalog.translations.__dict__)
        link._fallback = None  # type: ignore[attr-defined]
        links.append(link)
    if not links:
        return head
    for first, second in zip(links, links[1:], strict=False):
        first.add_fallback(second)
    return links[0]
