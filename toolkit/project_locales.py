"""Which locales the catalog commands work on: the configured ones and every catalog on disk.

``status``, ``check``, ``compile`` and ``showcase`` without ``--locale`` cover every catalog in
``locales/`` (a ``toolkit update --locale de`` catalog is not invisible because ``de`` is not in
``locales`` yet; a note says so) and show configured locales that have no catalog yet as 0 %,
with the command that creates them, instead of stopping.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import ProjectConfig
from .errors import ToolkitError
from .locales import folder_locale

if TYPE_CHECKING:  # status (and its catalog reading) only for the status command
    from .status import LocaleStatus


@dataclass(frozen=True)
class CatalogLocales:
    """The project's locales by where they are: configured with a catalog, configured without
    one, and on disk without being configured."""

    present: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    #: Catalogs on disk that no command covers, with why: a folder whose name is no locale
    #: (``cak/``, ``zh_TW.Big5/``), or another spelling of a locale whose own folder exists
    #: (``no/`` beside ``nb/``). Left out with a note, not silently.
    skipped: tuple[tuple[Path, str], ...] = ()

    @property
    def with_catalog(self) -> list[str]:
        """Every locale that has a catalog: the configured ones first, in config order."""
        return [*self.present, *self.extra]


def locales_on_disk(config: ProjectConfig) -> list[str]:
    """Locales with a ``<locales_dir>/<folder>/LC_MESSAGES/<domain>.po``, sorted: the folder
    is the locale's identifier or, when no folder has that name, another spelling of it
    (``no`` for ``nb``; ``config.po_path`` finds it)."""
    return _disk_catalogs(config)[0]


def _disk_catalogs(config: ProjectConfig) -> tuple[list[str], list[tuple[Path, str]]]:
    """:func:`locales_on_disk`, and the catalogs no command covers, with why."""
    found = []
    skipped = []
    folder = config.locales_path
    if not folder.is_dir():
        return [], []
    for child in sorted(folder.iterdir()):
        catalog = child / "LC_MESSAGES" / f"{config.domain}.po"
        if not catalog.is_file():
            continue
        try:
            name = folder_locale(child.name)
        except ToolkitError:
            skipped.append((catalog, _not_a_locale(child.name)))
            continue
        own = config.po_path(name)
        if name == child.name or own.parent.parent == child:
            found.append(name)
        else:
            skipped.append(
                (
                    catalog,
                    f"'{child.name}' is another spelling of '{name}', whose catalog is "
                    f"{config.relative(own)}; merge the two and delete one",
                )
            )
    return sorted(dict.fromkeys(found)), skipped


def _not_a_locale(folder: str) -> str:
    """Why a catalog folder's name is left out, and what would include it."""
    base, dot, codeset = folder.partition(".")
    if dot:
        try:
            name = folder_locale(base)
        except ToolkitError:
            name = ""
        if name:
            return (
                f"'{folder}' is a catalog of '{base}' in the {codeset} codeset, a legacy copy "
                f"(the toolkit reads UTF-8 catalogs in '{base}/'); delete it, or convert it "
                f"to UTF-8 into '{base}/' if that folder has none"
            )
    return (
        f"'{folder}' is no locale CLDR has data for (Babel cannot format its dates, numbers "
        "or plurals); if it is another name of a locale CLDR has, rename the folder to that "
        "locale's code"
    )


def flat_catalogs(config: ProjectConfig) -> list[tuple[Path, str]]:
    """Catalogs of a layout the toolkit does not read, and their locales:
    ``<locales_dir>/<locale>.po`` (privacyidea's ``po/de.po``) and
    ``<locales_dir>/<locale>/<name>.po`` without the ``LC_MESSAGES`` folder (MediaGoblin's
    ``i18n/da/mediagoblin.po``, as Pootle and Transifex clients keep them); the source
    language's own (``en.po``) left out."""
    folder = config.locales_path
    try:
        children = sorted(folder.iterdir())
    except OSError:
        return []
    try:
        source = folder_locale(config.source_locale).split("_")[0]
    except ToolkitError:
        source = config.source_locale
    found = []
    for child in children:
        stem = child.stem if child.suffix == ".po" else child.name
        try:
            name = folder_locale(stem)
        except ToolkitError:
            continue  # (README.po, messages.po, templates/: no locale's)
        if name.split("_")[0] == source:
            continue
        if child.suffix == ".po" and child.is_file():
            found.append((child, name))
        elif child.is_dir() and _names_its_language(child.name, name):
            try:
                found += [(p, name) for p in sorted(child.glob("*.po")) if p.is_file()]
            except OSError:
                continue
    return found


#: Language codes gettext (and glibc's locale names) still use, and the language CLDR gives
#: them: Tagalog's ``tl`` is Babel's ``fil`` (QA pass 71).
_LEGACY_LANGUAGES = {"no": "nb", "iw": "he", "in": "id", "ji": "yi", "jw": "jv", "tl": "fil",
                     "tw": "ak"}  # fmt: skip


def _names_its_language(folder: str, locale: str) -> bool:
    """Whether a folder's name spells its locale's language (``nb_NO``, ``ca@valencia``,
    gettext's ``no``), rather than being an ordinary word Babel happens to read as one:
    ``bak`` (Bashkir, ba), ``src`` (sc), ``fin`` (fi), ``mo`` (Moldavian, ro).

    >>> [_names_its_language(f, l) for f, l in (("nb_NO", "nb_NO"), ("no", "nb"),
    ...  ("tl", "fil_PH"), ("bak", "ba_RU"), ("src", "sc_IT"), ("mo", "ro_RO"))]
    [True, True, True, False, False, False]
    """
    written = re.split(r"[-_@.]", folder, maxsplit=1)[0].lower()
    language = locale.split("_")[0].split("@")[0].lower()
    return _LEGACY_LANGUAGES.get(written, written) == language


def refuse_flat_catalogs(
    config: ProjectConfig,
    requested: list[str] | None = None,
    *,
    flat: list[tuple[Path, str]] | None = None,
    disk: list[str] | None = None,
) -> None:
    """Flat catalogs the command would work on, had they their own folder: a locale given
    with ``--locale`` (or configured) whose only catalog is ``<locales_dir>/<locale>.po``
    (or ``<locales_dir>/<locale>/<name>.po``), or any flat catalog where no locale has a
    catalog of the toolkit's layout. An error: otherwise status said 0 %, check passed
    without reading one, and update created empty catalogs beside the real ones. (A stray
    one beside the catalogs is a note.) ``flat`` and ``disk``: :func:`flat_catalogs` and the
    locales on disk, when the caller has them."""
    refuse_missing_locales_folder(config)
    flat = flat_catalogs(config) if flat is None else flat
    wanted = set(requested or config.locales)
    if not flat:
        if all(config.po_path(name).exists() for name in wanted) and wanted:
            return  # (the usual case: no folder listed)
        if not (disk if disk is not None else _disk_catalogs(config)[0]):
            refuse_other_domain(config)
        return
    anywhere = bool(_disk_catalogs(config)[0] if disk is None else disk)
    if not anywhere:
        refuse_other_domain(config)
    unread = [
        path
        for path, name in flat
        if not config.po_path(name).exists() and (name in wanted or not anywhere)
    ]
    if not unread:
        return
    from .errors import InputError

    folder = config.locales_path
    where = config.relative(folder)
    nested = sorted(  # the locales asked for first
        (path for path in unread if path.parent != folder),
        key=lambda path: path.parent.name not in wanted,
    )
    if nested:  # <locale>/<name>.po: the LC_MESSAGES folder left out
        shown = ", ".join(f"{p.parent.name}/{p.name}" for p in nested[:4])
        names = sorted({p.stem for p in nested})
        first = nested[0]
        domain = (
            f'; set domain = "{names[0]}" in {config.settings_file} (\'domain\' names the files)'
            if names != [config.domain] and len(names) == 1
            else ""
        )
        raise InputError(
            f"{where} holds catalogs as {where}/<locale>/<name>.po ({shown}"
            + (", ..." if len(nested) > 4 else "")
            + f"); the toolkit reads {where}/<locale>/LC_MESSAGES/{config.domain}.po "
            "(pybabel's and Flask-Babel's layout, where gettext looks for the MO files), so "
            "these would be left out.",
            hint=f"Move each into its LC_MESSAGES folder ({first.parent.name}/{first.name} -> "
            f"{first.parent.name}/LC_MESSAGES/{first.name}){domain}, or set 'locales_dir' to "
            "another folder.",
        )
    shown = ", ".join(p.name for p in unread[:4]) + (", ..." if len(unread) > 4 else "")
    raise InputError(
        f"{where} holds catalogs as {where}/<locale>.po ({shown}); the toolkit reads "
        f"{where}/<locale>/LC_MESSAGES/{config.domain}.po (pybabel's and Flask-Babel's "
        "layout), so these would be left out.",
        hint=f"Move each to that layout (de.po -> {where}/de/LC_MESSAGES/{config.domain}.po; "
        f"'domain' in {config.settings_file} names the file), or set 'locales_dir' to another "
        "folder.",
    )


def refuse_missing_locales_folder(config: ProjectConfig) -> None:
    """A locales folder that is not there while one of a near name holds catalogs (a typo in
    'locales_dir'): an error at the setting's line. Otherwise check passed without reading a
    catalog and update made a whole new tree of empty ones (QA pass 67: ``i18m`` for
    MediaGoblin's ``i18n``). A new project's folder, not made yet, is no error."""
    folder = config.locales_path
    if folder.is_dir():
        return
    if folder.exists():  # a file: no catalog is ever read, none can be made
        raise config.missing_folder("locales_dir", folder, "locales", [])
    if not config.sets("locales_dir"):  # the default: a Django app's locale/ is not its typo
        return
    from .fsutil import similar_folders

    near = [f for f in similar_folders(folder) if _holds_catalogs(f, config.domain)]
    if near:
        raise config.missing_folder("locales_dir", folder, "locales", near)


def _holds_catalogs(folder: Path, domain: str) -> bool:
    """Whether ``folder`` holds catalogs of ``domain`` (in any layout), or flat ones named by
    locale; a Django app's locale/ of django.po files is another app's."""
    for pattern in (f"*/LC_MESSAGES/{domain}.po", f"*/{domain}.po", f"{domain}.pot", "*.po"):
        try:
            if next(folder.glob(pattern), None) is not None:
                return True
        except OSError:
            continue
    return False


def refuse_unread_layout(config: ProjectConfig, locales: list[str]) -> None:
    """None of ``locales`` has a catalog where the toolkit reads them, but catalogs of
    another domain (Sphinx's ``sphinx.po``) or flat ones (``locales/da.po``) are there: the
    error naming the setting or the layout (review and memory export, which would otherwise
    show "file not found" warnings or export nothing). Lists the folder only then."""
    if not any(config.po_path(name).exists() for name in locales):
        refuse_flat_catalogs(config, locales)


def beside_other_domains(config: ProjectConfig, created: list[Path]) -> list[str]:
    """Notes for catalogs ``update`` just created beside another domain's (``messages.po``
    made next to a Django app's ``django.po`` after 'toolkit extract', the domain setting
    forgotten: Zulip's e-mails, QA pass 64), naming the setting; nothing when none was."""
    from .fsutil import other_domains

    notes = []
    for path in created:
        others = other_domains(path)
        if others:
            shown = ", ".join(f"{d}.po" for d in others[:3])
            notes.append(
                f"{config.relative(path)} is new, beside {shown} in the same folder: if those "
                f'are this project\'s catalogs, set domain = "{others[0]}" in its configuration '
                "and delete the new files"
            )
    if len(notes) > 3:  # one per locale: the first ones say it
        notes[3:] = [f"... and {len(notes) - 3} more catalogs created beside another domain's"]
    return notes


def _messages_held(pot: Path, catalog: Path) -> tuple[int, int] | None:
    """``(held, total)`` when ``catalog`` has at least half of the messages of ``pot`` (by
    msgid and context), else None; None too when either cannot be read (the commands that
    read them report it)."""
    from .catalogs.reader import read_po_entries
    from .errors import ToolkitError

    try:
        wanted = {(e.msgctxt, e.msgid) for e in read_po_entries(pot).entries if e.msgid}
        held = {(e.msgctxt, e.msgid) for e in read_po_entries(catalog).entries} & wanted
    except (OSError, ToolkitError):
        return None
    if not wanted or 2 * len(held) < len(wanted):
        return None
    return len(held), len(wanted)


def refuse_other_domain(config: ProjectConfig) -> None:
    """No catalog of the project's domain is on disk, but catalogs of another one are
    (``locales/da/LC_MESSAGES/sphinx.po`` with the default domain ``messages``), and the
    project has no template of its own (or it is named like theirs): an error naming the
    domain to set. (With the project's POT there, as after 'toolkit extract', the first
    ``messages.po`` may be made beside a Django app's ``django.po``.) Otherwise check passed
    without reading a catalog, and update created empty ``messages.po`` files beside the real
    ones (QA pass 60)."""
    folder = config.locales_path
    try:
        children = sorted(c for c in folder.iterdir() if c.is_dir())
    except OSError:
        return
    found: list[Path] = []
    for child in children:
        try:
            found += sorted(p for p in (child / "LC_MESSAGES").glob("*.po") if p.is_file())
        except OSError:
            continue
    # The domain most locale folders have first: Flask-Admin's admin.po is in 35 of them,
    # six Sphinx pages' catalogs beside it in one (QA pass 81).
    counts = Counter(p.stem for p in found)
    domains = sorted(counts, key=lambda d: (-counts[d], d))
    found.sort(key=lambda p: p.stem != domains[0])  # (stable: a catalog of it first)
    pot = config.pot_path
    shared = ""
    if not found:
        return
    if pot.is_file() and pot.stem not in domains:
        # The project's own template is there: its first catalogs may go beside another
        # app's (Django's django.po), unless that catalog translates the template's messages:
        # then it is the project's, named by another domain (a forgotten domain = "ckan"
        # passed check and compile reading nothing, QA pass 80).
        held = _messages_held(pot, found[0])
        if held is None:
            return
        shared = f" with {held[0]} of the {held[1]} messages of {config.relative(pot)}"
    from .errors import InputError

    example = config.relative(found[0])
    leading = len(domains) == 1 or counts[domains[0]] > counts[domains[1]]
    setting = f'domain = "{domains[0]}"' if leading else "domain = \"<name>\""
    raise InputError(
        f"{config.relative(folder)} holds catalogs of the domain "
        f"{' and '.join(repr(d) for d in domains[:3])} ({example}{shared}, {len(found)} in "
        f"all) but none named {config.domain}.po, the project's domain; they would be left out.",
        hint=f"Set {setting} in the project's configuration (toolkit.toml, or [tool.toolkit] "
        "in pyproject.toml): 'domain' names the catalog files.",
    )


def catalog_locales(config: ProjectConfig) -> CatalogLocales:
    """Configured locales split by whether their catalog exists, plus unconfigured catalogs."""
    disk, skipped = _disk_catalogs(config)
    flat = flat_catalogs(config)  # (the folder listed once for both)
    refuse_flat_catalogs(config, flat=flat, disk=disk)
    skipped += [
        (path, f"catalogs are read from {config.relative(config.po_path(name))}, not "
               f"{path.relative_to(config.locales_path).as_posix()}")
        for path, name in flat
    ]  # fmt: skip
    # Anything at the catalog's path counts (a folder named messages.po is then an error that
    # names it, as update reports it, not "no catalog yet").
    exists = {x: config.po_path(x).exists() for x in config.locales}
    present = tuple(x for x in config.locales if exists[x])
    missing = tuple(x for x in config.locales if not exists[x])
    extra = tuple(x for x in disk if x not in config.locales)
    return CatalogLocales(present, missing, extra, tuple(skipped))


#: Unconfigured catalogs named one note each up to this many; more are one note.
_EXTRA_NOTES = 5


def create_command(locale: str) -> str:
    return f"toolkit update --locale {locale}"


def beside_same_language(config: ProjectConfig, created: list[tuple[str, Path]]) -> list[str]:
    """A note for each catalog ``update`` created (its locale, its path) while a catalog of
    the same language was already on disk in another folder: ``update --locale no_NO`` made
    an empty ``nb_NO/`` beside Flask-Admin's translated ``no/`` (whose header says
    ``Language: no_NO``), and compile then shipped an MO without a message (QA pass 81)."""
    if not created:
        return []
    on_disk, _ = _disk_catalogs(config)
    made = {path for _, path in created}  # (da_DK/ made beside da/ in the same run: no note)
    notes = []
    for locale, path in created:
        language = locale.split("_")[0].split("@")[0]
        near = [x for x in on_disk
                if x.split("_")[0].split("@")[0] == language and config.po_path(x) not in made]
        if near:
            other = config.relative(config.po_path(near[0]))
            notes.append(
                f"{config.relative(path)} is new, without translations, beside {other}, a "
                f"catalog of the same language: if that is the catalog meant, delete the new "
                f"one and use --locale {near[0]}"
            )
    return notes


def locale_notes(config: ProjectConfig, found: CatalogLocales) -> list[str]:
    """One line per locale that is configured without a catalog or on disk unconfigured."""
    from .fsutil import other_domains

    notes = []
    for locale in found.missing:
        note = (
            f"{locale}: configured but has no catalog yet (0 %); create it with "
            f"'{create_command(locale)}'"
        )
        others = other_domains(config.po_path(locale))
        if others:  # domain = "ckna" for CKAN's ckan.po: check passed reading nothing (QA 76)
            note += (
                f", or, if {others[0]}.po in its folder is its catalog, set "
                f'domain = "{others[0]}" in {config.settings_file}'
            )
        language = locale.split("_")[0]
        near = [x for x in found.extra if x.split("_")[0] == language]
        if near:  # 'nb' configured, the catalog in nb_NO/ (Sphinx): not a new empty one
            note += (
                f", or, if {config.relative(config.po_path(near[0]))} is its catalog, put "
                f"'{near[0]}' in 'locales' instead"
            )
        notes.append(note)
    if len(found.extra) > _EXTRA_NOTES:  # (Sphinx's 67 catalogs with 'locales = []')
        shown = ", ".join(found.extra[:_EXTRA_NOTES]) + ", ..."
        notes.append(
            f"{len(found.extra)} catalogs are not in the configured locales ({shown}); add "
            "them to 'locales' to include them everywhere (they are covered here)"
        )
    else:
        notes += [
            f"{locale}: {config.relative(config.po_path(locale))} is not in the configured "
            "locales; add it to 'locales' to include it everywhere"
            for locale in found.extra
        ]
    notes += [f"{config.relative(path)} is left out: {why}" for path, why in found.skipped]
    return notes


def command_targets(
    config: ProjectConfig, requested: list[str] | None
) -> tuple[list[str], list[str]]:
    """``(locales, notes)`` for a command run with ``--locale`` (validated, as given) or
    without (every catalog on disk, with notes on missing and unconfigured ones)."""
    if requested:
        targets = config.select_locales(requested)
        refuse_flat_catalogs(config, targets)
        return targets, []
    found = catalog_locales(config)
    return found.with_catalog, locale_notes(config, found)


def showcase_targets(
    config: ProjectConfig, requested: list[str] | None
) -> tuple[list[str], list[str]]:
    """``(locales, notes)`` for the showcase: as given, or every configured locale (those
    without a catalog render in the source language and show as 0 % in the index) plus every
    unconfigured catalog on disk."""
    if requested:
        targets = config.select_locales(requested)
        refuse_flat_catalogs(config, targets)
        return targets, []
    found = catalog_locales(config)
    return [*config.locales, *found.extra], locale_notes(config, found)


def status_with_missing(
    config: ProjectConfig, requested: list[str] | None
) -> tuple[list[LocaleStatus], list[str]]:
    """``toolkit status``: every catalog, and configured locales without one as 0 %."""
    from .catalogs import entries, read_catalog
    from .status import MissingCatalogStatus, catalog_status

    if requested:
        refuse_flat_catalogs(config, config.select_locales(requested))
        return catalog_status(config, requested), []
    found = catalog_locales(config)
    statuses = catalog_status(config, found.with_catalog) if found.with_catalog else []
    total = 0
    if found.missing and config.pot_path.is_file():
        total = sum(1 for _ in entries(read_catalog(config.pot_path)))
    for locale in found.missing:
        path: Path = config.po_path(locale)
        statuses.append(MissingCatalogStatus(locale, path, total, 0, 0, total, 0, 0))
    return statuses, locale_notes(config, found)
