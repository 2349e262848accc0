"""``toolkit xliff export`` / ``import``: a locale's catalog to and from XLIFF 1.2 or 2.1.

Export writes the selected entries of one locale (see :mod:`.units` for what a unit carries).
Import merges a vendor's targets back: only units whose target changed, or whose state
approves a fuzzy entry, touch the catalog; a unit whose source no longer matches the catalog
is refused and reported; everything imported goes through the checks of ``toolkit check``.
Importing an unedited export changes no byte of the PO.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from babel.messages.catalog import Catalog, Message

from ..catalogs import (
    MT_PROVENANCE_PREFIX,
    entries,
    forms_of,
    msgid_of,
    read_po_file,
    set_forms,
    source_ids,
)
from ..catalogs.lock import catalog_lock
from ..catalogs.plurals import catalog_nplurals
from ..catalogs.pofile import links_to_same_kind
from ..catalogs.splice import splice_entries
from ..checks import CatalogSummary, CheckReport, Finding
from ..config import ProjectConfig
from ..errors import CatalogError, InputError
from ..fsutil import write_bytes_atomic
from ..locales import locale_id, parse_locale
from .units import (
    Unit,
    UnitState,
    catalog_units,
    entry_unit,
    parse_selection,
    translation_digest,
    unit_id,
)
from .xliffdoc import (
    RANK_DRAFT,
    RANK_REVIEWED,
    RANK_TRANSLATED,
    VERSIONS,
    FileUnit,
    Header,
    XliffFile,
    read_xliff,
)
from .xliffwrite import build_xliff

Outcome = Literal["updated", "approved", "held", "unchanged", "untranslated", "refused"]
OUTCOMES: tuple[Outcome, ...] = (
    "updated", "approved", "held", "unchanged", "untranslated", "refused"
)
#: ``--state`` of ``xliff import``: the least a unit's state must be to import as approved.
APPROVAL_STATES = {"translated": RANK_TRANSLATED, "reviewed": RANK_REVIEWED}


@dataclass(frozen=True)
class ExportResult:
    """What ``export_xliff`` wrote."""

    locale: str
    path: Path
    version: str
    units: int  # catalog entries exported (a plural entry counts once)
    written: bool


@dataclass(frozen=True)
class UnitReport:
    """What the import did with one unit of the file."""

    unit_id: str
    line: int | None
    msgid: str
    outcome: Outcome
    reason: str = ""


@dataclass(frozen=True)
class ImportResult:
    """What ``import_xliff`` did to one locale's catalog."""

    locale: str
    path: Path
    source: Path
    version: str
    written: bool
    dry_run: bool
    units: tuple[UnitReport, ...]
    checks: CheckReport  # what ``toolkit check`` finds in the imported entries
    #: Whether the catalog's bytes change (are written, or with ``dry_run`` would be): a held
    #: unit of an approved entry keeps its translation and changes nothing.
    differs: bool = False

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.checks.findings

    def count(self, outcome: Outcome) -> int:
        return sum(1 for unit in self.units if unit.outcome == outcome)

    @property
    def refused(self) -> tuple[UnitReport, ...]:
        return tuple(unit for unit in self.units if unit.outcome == "refused")

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def changed(self) -> int:
        """Entries whose translation or approval the import changed (a held entry's text)."""
        return self.count("updated") + self.count("approved") + self.count("held")

    def as_dict(self, relative: ProjectConfig | None = None) -> dict[str, object]:
        """The JSON report: outcome counts, every unit that was not unchanged, the checks."""
        return {
            "locale": self.locale,
            "path": relative.relative(self.path) if relative is not None else str(self.path),
            "file": str(self.source),
            "version": self.version,
            "written": self.written,
            "dry_run": self.dry_run,
            "summary": {outcome: self.count(outcome) for outcome in OUTCOMES},
            "units": [
                {
                    "id": u.unit_id,
                    "line": u.line,
                    "msgid": u.msgid,
                    "outcome": u.outcome,
                    "reason": u.reason,
                }
                for u in self.units
                if u.outcome != "unchanged"
            ],
            "checks": self.checks.as_dict(relative),
        }


def bcp47(locale: str) -> str:
    """A locale id as XLIFF and TMX spell languages.

    >>> bcp47("nb_NO"), bcp47("sr_Latn")
    ('nb-NO', 'sr-Latn')
    """
    return locale.split("@")[0].replace("_", "-")


def export_xliff(
    config: ProjectConfig,
    locale: str,
    out: Path,
    *,
    states: str = "untranslated,fuzzy",
    version: str = "1.2",
) -> ExportResult:
    """Write ``locale``'s selected entries to ``out`` as XLIFF ``version`` (1.2 or 2.1)."""
    from ..glossary import load_glossary

    if version not in VERSIONS:
        raise InputError(f"unknown XLIFF version '{version}'.", hint="Use 1.2 or 2.1.")
    selected = parse_selection(states)
    locale = locale_id(locale)
    path = config.po_path(locale)
    po = read_po_file(path, locale=locale)
    glossary = load_glossary(config, locale)
    units = catalog_units(po.catalog, catalog_nplurals(po, locale), states=selected,
                          glossary=glossary)  # fmt: skip
    header = Header(
        version=version,
        source_language=bcp47(locale_id(config.source_locale)),
        target_language=bcp47(locale),
        original=config.relative(path),
    )
    if not units:  # an XLIFF 2 <file> needs a unit; an empty file helps nobody anyway
        return ExportResult(locale, out, version, 0, False)
    _refuse_xml_unsafe(units, po.catalog, path)
    data = build_xliff(units, header)
    if str(out) == "-":  # standard output, as render-batch and glossary export take it
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return ExportResult(locale, out, version, len(units), True)
    written = write_bytes_atomic(out, data, follow_links=True)
    return ExportResult(locale, out, version, len(units), written)


def import_xliff(
    config: ProjectConfig,
    source: Path,
    *,
    locale: str | None = None,
    state: str = "translated",
    dry_run: bool = False,
) -> ImportResult:
    """Merge the targets of an XLIFF file into its locale's catalog (module docstring)."""
    if state not in APPROVAL_STATES:
        raise InputError(f"unknown --state '{state}'.", hint="Use 'translated' or 'reviewed'.")
    threshold = APPROVAL_STATES[state]
    document = read_xliff(source)
    _check_source_language(config, document.header.source_language, source)
    target = _target_locale(config, document.header.target_language, locale, source)
    path = config.po_path(target)
    # Read, merge and write under the catalog's lock: a review save or an update meanwhile
    # would otherwise be lost (QA pass 57).
    with catalog_lock(path):
        po = read_po_file(path, locale=target)
        original, catalog = po.data or b"", po.catalog
        nplurals = catalog_nplurals(po, target)
        by_id: dict[str, Message] = {}
        by_key: dict[tuple[str, str | None], Message] = {}
        for message in entries(catalog):
            ids = source_ids(message)
            by_id[unit_id(ids[0], ids[1] if len(ids) > 1 else None, message.context)] = message
            msgid = ids[0]
            by_key[(msgid, message.context)] = message
        obsolete = {(msgid_of(m), m.context): m for m in catalog.obsolete.values()}
        contexts = {
            msgid: context for (msgid, context) in by_key if context and (msgid, None) not in by_key
        }
        _check_original(config, document.header, target, source)
        resolved = []
        for unit in document.units:
            # Our own exports carry the entry's id; files other tools made are matched by
            # msgctxt and msgid. Either way a changed or removed source finds no entry.
            first = unit.sources[0] if unit.sources else ""
            found = by_id.get(unit.id) or _by_context(by_key, first, unit.context)
            key = f"{found.context}\x04{msgid_of(found)}" if found is not None else unit.id
            old = _by_context(obsolete, first, unit.context) if found is None else None
            resolved.append((unit, found, key, old))
        if resolved and all(found is None and old is None for _, found, _, old in resolved):
            # Nothing of the file is in the catalog: another project's export, or one made
            # before every entry changed; like a TMX file none of whose units can be used.
            raise InputError(
                f"{source}: none of its {len(resolved)} units is an entry of "
                f"{config.relative(path)} (no id, nor source and context, matches); nothing was "
                "imported.",
                hint=f"Check that the file is this project's, or export it again: 'toolkit xliff "
                f"export --locale {target} --out FILE'.",
            )
        conflicts = _conflicting_units(resolved)
        reports: list[UnitReport] = []
        changed: set[tuple[str, str | None]] = set()
        seen: set[str] = set()
        before: dict[tuple[str, str | None], tuple[int, _Prior]] = {}
        for unit, found, key, old in resolved:
            prior = None
            if old is not None:  # po2xliff exports the #~ entries too
                reports.append(_obsolete_unit(unit, old))
                continue
            first = unit.sources[0] if unit.sources else ""
            if found is None and not unit.problem and not unit.context and first in contexts:
                # po2xliff drops msgctxt: the catalog has the source, only with a context.
                report = UnitReport(
                    unit.id, unit.line, first, "refused",
                    f"the catalog has this source only with a msgctxt ({contexts[first]!r}), "
                    "which the file does not carry (po2xliff leaves msgctxt out); export the "
                    "catalog with 'toolkit xliff export' to translate such entries",
                )  # fmt: skip
            elif unit.problem or found is None or key not in conflicts:
                prior = _Prior.of(found) if found is not None else None
                report = _merge_unit(unit, found, nplurals, threshold, key in seen)
            else:
                report = UnitReport(unit.id, unit.line, msgid_of(found), "refused", conflicts[key])
            seen.add(key)
            if found is not None and report.outcome in ("updated", "approved"):
                entry = (msgid_of(found), found.context)
                changed.add(entry)
                assert prior is not None
                before[entry] = (len(reports), prior)
            reports.append(report)
        if locale is None and not (
            _names_catalog(config, document.header, target) and _exported_by_us(document)
        ):
            # (--locale, or our export of this locale's catalog, says which file it is)
            _refuse_another_locales_texts(config, target, document.header, source, catalog,
                                          changed)  # fmt: skip
        checks = CheckReport(findings=(), catalogs=(), checks=())
        written = differs = False
        if changed:
            data = splice_entries(original, catalog, changed, path)
            checks = _check_imported(config, target, path, data, changed)
            if _hold_erring(checks, by_key, before, changed, reports):
                data = splice_entries(original, catalog, changed, path) if changed else original
                checks = _check_imported(config, target, path, data, set(before))
            differs = bool(changed) and data != original
            if changed and not dry_run:
                # (through a link to another catalog: nb_NO/'s to nb/'s, QA pass 83)
                written = write_bytes_atomic(path, data, follow_links=links_to_same_kind(path))
        return ImportResult(
            locale=target,
            path=path,
            source=source,
            version=document.header.version,
            written=written,
            dry_run=dry_run,
            units=tuple(reports),
            checks=checks,
            differs=differs,
        )


def _by_context(entries: dict[tuple[str, str | None], Message], msgid: str,
                context: str | None) -> Message | None:  # fmt: skip
    """The entry of another tool's unit: its msgctxt as written (``msgctxt ""`` is one of
    its own, QA pass 75), or, for an empty one, the entry without a context (a tool that
    writes no context as an empty one)."""
    if context is None:
        return entries.get((msgid, None))
    found = entries.get((msgid, context))
    if found is None and context == "":
        found = entries.get((msgid, None))
    return found


def _check_original(config: ProjectConfig, header: Header, target: str, source: Path) -> None:
    """A file exported from another locale's catalog (its ``original``) whose target
    language was changed, or that was given the wrong ``--locale``, would replace that
    catalog's translations with another language's: refused."""
    if not header.original:
        return
    named = PurePosixPath(header.original.replace("\\", "/"))
    mine = PurePosixPath(config.relative(config.po_path(target)))
    for other in config.locales:
        # (a catalog linked to target's is target's: nb_NO's link to nb's, QA pass 83)
        theirs = PurePosixPath(config.relative(config.po_path(other)))
        if other != target and theirs == named and theirs != mine:
            raise InputError(
                f"{source} was exported from {header.original} ({other}), but would be "
                f"imported into the {target} catalog (target language "
                f"'{header.target_language or '?'}').",
                hint=f"Set the file's target language back to '{bcp47(other)}' to import it "
                f"into {other}, or export {target} and translate that file.",
            )


#: Imported texts word for word another catalog's, from which a file counts as relabelled.
RELABELLED_MIN = 2


def _refuse_another_locales_texts(
    config: ProjectConfig,
    target: str,
    header: Header,
    source: Path,
    catalog: Catalog,
    changed: set[tuple[str, str | None]],
) -> None:
    """A file whose new translations are, word for word, those of another locale's catalog
    is that locale's file relabelled (its ``original`` changed too, or another tool's name):
    a Danish export marked lt-LT put 245 Danish texts into the Lithuanian catalog. Refused
    when four in five new texts (and :data:`RELABELLED_MIN`), leaving out texts that are the
    source itself, are one other catalog's; not asked when ``--locale`` or the file's
    ``original`` names the catalog (a Bokmål file may read as Danish in a few short texts)."""
    if len(changed) < RELABELLED_MIN:
        return
    # A text that is the source itself (a brand name, "OK") says nothing of its language.
    new = {
        key: forms_of(m)
        for key in changed
        if (m := catalog.get(key[0], context=key[1])) and forms_of(m)[0] != key[0]
    }
    if len(new) < RELABELLED_MIN:
        return
    for other in config.locales:
        path = config.po_path(other)
        if other == target or not path.is_file():
            continue
        try:
            theirs = read_po_file(path, locale=other).catalog
        except (CatalogError, OSError):
            continue
        same = 0
        for (msgid, context), forms in new.items():
            message = theirs.get(msgid, context=context)
            same += bool(message is not None and any(forms) and forms_of(message) == forms)
        if same >= RELABELLED_MIN and same * 5 >= len(new) * 4:
            raise InputError(
                f"{source}: {same} of its {len(new)} new translations are the {other} "
                f"catalog's word for word: a {other} file marked "
                f"'{header.target_language or target}'? Nothing was imported.",
                hint=f"Set the file's target language to '{bcp47(other)}' if it is {other}'s; "
                f"if it is {target}'s, import it with --locale {target}.",
            )


def _exported_by_us(document: XliffFile) -> bool:
    """Whether the file's units carry the fingerprints ``xliff export`` writes: another tool's
    file whose ``original`` names the catalog (po2xliff of the Bokmål catalog, its header
    set to Danish) is no export of ours and gets the word-for-word test (QA pass 80)."""
    return any(unit.exported is not None for unit in document.units)


def _names_catalog(config: ProjectConfig, header: Header, target: str) -> bool:
    """Whether the file's ``original`` is ``target``'s catalog (our own export of it)."""
    if not header.original:
        return False
    named = PurePosixPath(header.original.replace("\\", "/"))
    return named == PurePosixPath(config.relative(config.po_path(target)))


def _conflicting_units(
    resolved: list[tuple[FileUnit, Message | None, str, Message | None]],
) -> dict[str, str]:
    """Entries that two or more units of the file translate differently: none of those units
    is imported (which one a vendor meant is not known), each names the others' lines."""
    units: dict[str, list[FileUnit]] = {}
    for unit, found, key, _ in resolved:
        if found is not None and not unit.problem:
            units.setdefault(key, []).append(unit)
    conflicts = {}
    for key, group in units.items():
        versions = {(tuple(str(t) if t else "" for t in u.targets), u.rank) for u in group}
        if len(versions) > 1:
            lines = ", ".join(str(u.line) for u in group if u.line)
            conflicts[key] = (
                f"{len(group)} units (lines {lines}) translate this entry differently; none "
                "is imported"
            )
    return conflicts


@dataclass(frozen=True)
class _Prior:
    """An entry as it was before the import (what a held unit puts back)."""

    strings: tuple[str, ...]
    flags: frozenset[str]
    previous: tuple[str, ...]
    comments: tuple[str, ...]

    @classmethod
    def of(cls, message: Message) -> _Prior:
        return cls(forms_of(message), frozenset(message.flags), tuple(message.previous_id),
                   tuple(message.user_comments))  # fmt: skip

    @property
    def approved(self) -> bool:
        return all(self.strings) and "fuzzy" not in self.flags


def _hold_erring(
    checks: CheckReport,
    messages: dict[tuple[str, str | None], Message],
    before: dict[tuple[str, str | None], tuple[int, _Prior]],
    changed: set[tuple[str, str | None]],
    reports: list[UnitReport],
) -> bool:
    """Imported entries with a check error (a placeholder dropped, a script link) do not go
    out approved: msgfmt would refuse the catalog and compile with it. A new text stays in
    as fuzzy (compile leaves it out; the reviewer sees it); an approval is not made; and an
    approved translation is not replaced by it (it stays, and the unit is reported)."""
    first: dict[tuple[str, str | None], Finding] = {}
    for finding in checks.findings:
        if finding.severity == "error":
            first.setdefault((finding.msgid, finding.msgctxt), finding)
    for key, finding in first.items():
        if key not in before:
            continue
        index, prior = before[key]
        message, report = messages[key], reports[index]
        if report.outcome == "approved" or prior.approved:  # the entry stays as it was
            if report.outcome != "approved":
                set_forms(message, list(prior.strings))
                message.user_comments = list(prior.comments)
            message.flags, message.previous_id = set(prior.flags), list(prior.previous)
            changed.discard(key)
            what = (
                "not approved" if report.outcome == "approved"
                else "not imported, the catalog's approved translation kept"
            )  # fmt: skip
        else:
            message.flags.add("fuzzy")
            what = "imported as fuzzy"
        reason = f"{what}: {finding.check}: {finding.message}"
        reports[index] = dataclasses.replace(report, outcome="held", reason=reason)
    return bool(first.keys() & before.keys())


def _check_source_language(config: ProjectConfig, language: str, source: Path) -> None:
    if not language:
        return
    expected = parse_locale(config.source_locale).language
    try:
        found = parse_locale(language).language
    except InputError:
        found = language
    if found != expected:
        raise InputError(
            f"{source}: the file translates from '{language}', the project's source language "
            f"is '{config.source_locale}'.",
            hint="Import files exported from this project.",
        )


#: Characters XML 1.0 cannot hold (lxml refuses them without saying where).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _refuse_xml_unsafe(units: list[Unit], catalog: Catalog, path: Path) -> None:
    """The first entry whose texts (comments and references too) hold a character XML cannot
    carry, as an error naming its line and msgid."""
    for unit in units:
        texts = (
            *unit.sources, *unit.targets, unit.context or "",
            *(note.text for note in unit.notes), *(name for name, _ in unit.locations),
        )  # fmt: skip
        found = next((m for text in texts if (m := NOT_XML.search(text))), None)
        if found is None:
            continue
        message = catalog.get(unit.sources[0], context=unit.context)
        line = message.lineno if message is not None else None
        shown = unit.sources[0][:60].encode("unicode_escape", "backslashreplace").decode("ascii")
        raise CatalogError(
            f"entry '{shown}' holds U+{ord(found.group()):04X}, a character XML cannot carry; "
            "no XLIFF file was written.",
            path=path,
            line=line,
            hint="Remove the character from the entry (its msgid, msgstr, comments or "
            "references; 'toolkit check' lists translations that hold one) and export again.",
        )


def _target_locale(
    config: ProjectConfig, language: str, requested: str | None, source: Path
) -> str:
    """The configured locale the file's target language names (``da-DK`` finds ``da``), or
    the locale of a catalog on disk that is not configured."""
    if not language:  # optional in XLIFF 1.2; some tools leave it out
        if requested is None:
            raise InputError(
                f"{source} does not say which language it translates into.",
                hint="Pass --locale L.",
            )
        return locale_id(requested)
    try:
        found = locale_id(language)
    except InputError as exc:
        raise InputError(
            f"{source}: target language '{language}' is not a locale.",
            hint="Set the file's target language to one of the project's locales.",
        ) from exc
    configured = list(config.locales)
    match = found if found in configured else None
    if match is None:
        same_language = [c for c in configured if c.split("_")[0] == found.split("_")[0]]
        match = same_language[0] if len(same_language) == 1 else None
    if match is None and config.po_path(found).is_file():
        match = found  # a catalog on disk, not configured (yet): xliff export writes those too
    if requested is not None:
        wanted = locale_id(requested)
        if match != wanted and found != wanted:
            raise InputError(
                f"{source} is a file for '{language}', not for '{requested}'.",
                hint=f"Import it without --locale, or pass --locale {found}.",
            )
        return wanted
    if match is None:
        raise InputError(
            f"{source} is a file for '{language}', which is not one of the project's locales "
            f"({', '.join(configured) or 'none configured'}).",
            hint="Add the locale to [tool.toolkit] locales and run 'toolkit update', "
            "or pass --locale.",
        )
    return match


def _merge_unit(
    unit: FileUnit, message: Message | None, nplurals: int, threshold: int, repeated: bool
) -> UnitReport:
    """Apply one unit to its entry, or say why not (nothing changes for a refused unit)."""

    def report(outcome: Outcome, reason: str = "") -> UnitReport:
        msgid = msgid_of(message) if message is not None else "".join(unit.sources[:1])
        return UnitReport(unit.id, unit.line, msgid, outcome, reason)

    if unit.problem:
        return report("refused", unit.problem)
    if repeated:  # (units that disagree are refused before: this one says the same)
        return report("unchanged", "the same as another unit of the file")
    if message is None:
        return report(
            "refused",
            "no longer in the catalog: no entry has this source and context (changed or "
            "removed since the export?)",
        )
    current = entry_unit(message, nplurals, "untranslated")
    expected = current.sources
    unit = _one_form_from_two(unit, message, expected)
    if len(unit.sources) != len(expected) and not any(unit.targets):
        # po2xliff writes the forms the entry has: an untranslated entry of fewer forms than
        # the rule (msgfmt accepts it) comes back as it went, with nothing to import.
        return report("untranslated")
    if len(unit.sources) != len(expected):
        return report(
            "refused",
            f"{len(unit.sources)} plural forms in the file, the catalog has {len(expected)}",
        )
    for index, (got, want) in enumerate(zip(unit.sources, expected, strict=True)):
        if got != want:
            where = f" (form {index})" if len(expected) > 1 else ""
            return report(
                "refused",
                f"source{where} differs from the catalog's: {_around_difference(got, want)}",
            )
    if unit.exported is not None and (
        translation_digest(current.targets, message.fuzzy) != unit.exported
    ):
        # The entry changed in the catalog since the export (a reviewer's fix or approval, a
        # new MT suggestion, a fuzzy flag set). A unit the vendor left as exported (its text,
        # and a state that says draft or not as the export did) says nothing new: the
        # catalog's entry stays (an untouched file used to revert the fix, or approve again
        # what a reviewer had marked fuzzy).
        if translation_digest(unit.targets, unit.rank < RANK_TRANSLATED) == unit.exported:
            machine = any(unit.targets) and unit.targets == unit.machine
            why = "the machine suggestion as exported, not edited" if machine else (
                "changed in the catalog since the export, not in the file"
            )
            return report("unchanged", f"{why}: left out")
        texts = tuple(text or "" for text in unit.targets)
        if texts != tuple(current.targets) and _Prior.of(message).approved:
            # Both sides edited the text (the same text on both sides is no conflict: a
            # second import of the same file, or the vendor's and the reviewer's same fix).
            return report(
                "refused",
                "changed both in the catalog since the export (now "
                f"{_short(forms_of(message)[0])!r}) and in the file: the catalog's approved "
                "text is kept; merge the two by hand (toolkit review)",
            )
    if not any(unit.targets):
        return report("untranslated")
    strings = [str(text) if text else "" for text in unit.targets]
    missing = [index for index, text in enumerate(strings) if not text]
    if missing:
        forms = forms_of(message)
        # Exported partly translated and left so; or a tool that marks some forms of a fuzzy
        # entry as needing translation (po2xliff), the others as the catalog has them.
        if all(text == forms[index] for index, text in enumerate(strings) if text):
            return report("unchanged")
        return report("refused", f"plural form {missing[0]} has no translation")
    approved = unit.rank >= threshold
    if not approved and tuple(strings) == unit.machine and tuple(strings) != forms_of(message):
        # The machine's text as exported, untouched: no person's translation. (A reviewer
        # rejected it, or the entry went back to untranslated; translate fills it again.)
        return report("unchanged", "the machine suggestion as exported, not edited: left out")
    if tuple(strings) == forms_of(message):
        if message.fuzzy and approved:
            message.flags.discard("fuzzy")
            message.previous_id = []
            return report("approved")
        return report("unchanged")
    set_forms(message, strings)
    message.user_comments = [
        c for c in message.user_comments if not c.startswith(MT_PROVENANCE_PREFIX)
    ]
    if approved:
        message.flags.discard("fuzzy")
        message.previous_id = []
    else:
        message.flags.add("fuzzy")
    return report("updated")


def _one_form_from_two(unit: FileUnit, message: Message, expected: tuple[str, ...]) -> FileUnit:
    """translate-toolkit's po2xliff writes two units (msgid, msgid_plural) for every plural
    entry, also of a catalog with one form (Japanese, Korean, Khmer): the one translated form
    is the text of either, when the other is empty (or the same)."""
    if len(expected) != 1 or len(unit.sources) != 2 or tuple(unit.sources) != tuple(
        source_ids(message)[:2]
    ):
        return unit
    texts = {text for text in unit.targets if text}
    if len(texts) > 1:
        return unit  # two different texts for one form: refused as a count mismatch
    target = texts.pop() if texts else unit.targets[0]
    # po2xliff marks the plural form of a fuzzy entry "needs-translation" (and the group not
    # approved) but its first form approved: a draft, not an approval (it approved 7 fuzzy
    # entries of Liberapay's Japanese catalog on an unedited round trip).
    rank = min(unit.rank, RANK_DRAFT) if unit.pending_form else unit.rank
    return dataclasses.replace(unit, sources=expected, targets=(target,), rank=rank)


def _obsolete_unit(unit: FileUnit, message: Message) -> UnitReport:
    """A unit of an obsolete (``#~``) entry: unchanged when it says what the entry says (an
    unedited round trip through translate-toolkit's po2xliff), else refused, naming why."""
    msgid = msgid_of(message)
    texts = [str(text) for text in unit.targets if text]
    if not texts or texts == [text for text in forms_of(message) if text]:
        # (po2xliff writes a one-form catalog's plural entry as two units, the second empty)
        return UnitReport(unit.id, unit.line, msgid, "unchanged", "")
    return UnitReport(
        unit.id,
        unit.line,
        msgid,
        "refused",
        "the entry is obsolete (#~) in the catalog: the templates no longer have it, so its "
        "translation is not imported",
    )


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _around_difference(got: str, want: str, limit: int = 50) -> str:
    """The two texts where they first differ, each cut to about ``limit`` characters: two long
    sources cut at their start showed the same words (an edit at the end never showed).

    >>> print(_around_difference("Your profile has been marked as spam by our team. EDITED",
    ...                          "Your profile has been marked as spam by our team."))
    '…as spam by our team. EDITED' vs '…as spam by our team.'
    >>> print(_around_difference("Hi", "Hello"))
    'Hi' vs 'Hello'
    """
    if len(got) <= limit and len(want) <= limit:
        return f"{got!r} vs {want!r}"
    from os.path import commonprefix

    same = len(commonprefix([got, want]))
    start = max(0, same - 20)

    def window(text: str) -> str:
        cut = text[start : start + limit]
        return ("…" if start else "") + cut + ("…" if start + limit < len(text) else "")

    return f"{window(got)!r} vs {window(want)!r}"


def _check_imported(
    config: ProjectConfig,
    locale: str,
    path: Path,
    data: bytes,
    changed: set[tuple[str, str | None]],
) -> CheckReport:
    """What ``toolkit check`` reports for the imported entries, as its report."""
    from ..checks import select_checks
    from ..checks.runner import check_file

    checks = select_checks()
    with tempfile.TemporaryDirectory(prefix="toolkit-import-") as folder:
        candidate = Path(folder) / path.name
        candidate.write_bytes(data)
        # Fuzzy texts too: with --state reviewed a vendor's text comes in fuzzy, and one
        # with an error replaced an approved translation unchecked (QA pass 28).
        found, _ = check_file(
            candidate, locale, checks, config=config, source_locale=config.source_locale,
            use_fuzzy=True,
        )
    findings = tuple(
        dataclasses.replace(finding, path=path)
        for finding in found
        if (finding.msgid, finding.msgctxt) in changed
    )
    errors = sum(1 for f in findings if f.severity == "error")
    summary = CatalogSummary(locale, path, len(changed), errors, len(findings) - errors)
    return CheckReport(findings, (summary,), tuple(c.id for c in checks))


def summary(result: ImportResult) -> str:
    """``3 updated, 1 approved, 40 unchanged, 2 untranslated, 1 refused``."""
    return ", ".join(f"{result.count(o)} {o}" for o in OUTCOMES)


__all__ = [
    "APPROVAL_STATES",
    "ExportResult",
    "ImportResult",
    "UnitReport",
    "UnitState",
    "bcp47",
    "export_xliff",
    "import_xliff",
    "summary",
]
