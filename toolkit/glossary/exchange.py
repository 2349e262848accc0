"""``toolkit glossary import/export``: move a project's glossaries to and from TBX."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CatalogError, InputError
from ..fsutil import write_text_atomic
from ..locales import locale_id
from .files import (
    check_duplicates,
    format_glossary,
    glossary_paths,
    merge_layers,
    parse_glossary,
    read_glossary,
)
from .model import Term
from .tbx import TbxConcept, concept_rows, format_tbx, read_tbx, tbx_languages

if TYPE_CHECKING:
    from ..config import ProjectConfig


@dataclass(frozen=True)
class ImportResult:
    """What importing a TBX file did to one locale's glossary file."""

    locale: str
    path: Path
    written: bool
    added: int
    updated: int
    unchanged: int
    kept: int  # rows of the existing file the TBX does not mention
    skipped_global: int  # rows identical to one in _global.csv, not repeated


def _key(term: Term) -> tuple[str, str]:
    if term.rule == "forbidden":
        return ("forbidden", term.target.casefold())
    return ("term", term.source.casefold())


def _merge_row(old: Term, new: Term) -> Term:
    """An imported row over an existing one for the same term.

    When both name the same target, what the TBX does not carry is kept: inflected forms
    (TMS glossaries rarely list them), replacements, case sensitivity, part of speech; the
    local note stays first and a different note from the TBX is added on a line of its own.
    A different target replaces the row.
    """
    if old.rule != new.rule or old.target.casefold() != new.target.casefold():
        return new
    return replace(
        new,
        forms=tuple(dict.fromkeys((*old.forms, *new.forms))),
        replacements=tuple(dict.fromkeys((*old.replacements, *new.replacements))),
        case_sensitive=old.case_sensitive or new.case_sensitive,
        pos=new.pos or old.pos,
        note=_merged_note(old.note, new.note),
        preferred=old.preferred or new.preferred,
    )


def _merged_note(local: str, imported: str) -> str:
    r"""The local note, then the imported one where it says something the local one does not
    (a re-import of an exported glossary leaves the note as it was).

    >>> _merged_note("use: rabatkode; formal", "use: rabatkode; formal")
    'use: rabatkode; formal'
    >>> _merged_note("Plural only in receipts.", "Approved by legal 2026-05.")
    'Plural only in receipts.\nApproved by legal 2026-05.'
    """
    if not local or local.strip() == imported.strip():
        return imported or local
    if not imported or imported.strip() in local:
        return local
    if local.strip() in imported:
        return imported
    return f"{local}\n{imported}"


def import_tbx(
    config: ProjectConfig,
    tbx_path: Path,
    locales: Sequence[str] | None = None,
    *,
    replace_existing: bool = False,
    dry_run: bool = False,
) -> list[ImportResult]:
    """Import a TBX file into ``glossaries/<locale>.csv`` for each locale.

    Without ``locales``: every configured locale the file has terms for. Imported rows
    replace rows of the existing file for the same source term (or forbidden word); other
    existing rows are kept unless ``replace_existing``. Everything is validated before
    anything is written.
    """
    concepts = read_tbx(tbx_path)
    languages = tbx_languages(concepts)
    if locales:
        targets = [locale_id(name) for name in locales]
    else:
        present = {lang.split("-")[0] for lang in languages} | set(languages)
        targets = [
            loc
            for loc in config.locales
            if loc.replace("_", "-").lower() in present or loc.split("_")[0] in present
        ]
        if not targets:
            raise InputError(
                f"{tbx_path} has terms in {', '.join(languages) or 'no language'}, none of "
                f"them a configured locale ({', '.join(config.locales) or 'none'}).",
                hint="Pass --locale to choose the target locale.",
            )
    shown_tbx = config.relative(tbx_path)
    plans: list[tuple[str, Path, ImportResult]] = []
    for locale in targets:
        rows = concept_rows(
            concepts,
            locale,
            path=tbx_path,
            source_locale=config.source_locale,
            shown=shown_tbx,
        )
        if not rows:
            raise InputError(
                f"{tbx_path} has no terms for '{locale}' (languages in the file: "
                f"{', '.join(languages) or 'none'}).",
                hint="Check the --locale value.",
            )
        check_duplicates(rows, tbx_path)
        for row in rows:  # each term as the CSV would hold it, its error at the TBX's line
            try:
                parse_glossary(format_glossary([row]), path=tbx_path)
            except CatalogError as exc:
                message = exc.message.split(": ", 1)[-1]  # without the CSV text's line
                raise CatalogError(message, path=tbx_path, line=_term_line(concepts, row, message),
                                   hint=exc.hint) from None  # fmt: skip
        paths = glossary_paths(config, locale)
        global_rows = (
            read_glossary(paths[0], shown=config.relative(paths[0])) if paths[0].is_file() else []
        )
        global_set = set(global_rows)
        rows_in_global = [r for r in rows if r in global_set]
        rows = [r for r in rows if r not in global_set]
        target = paths[-1]
        existing = (
            read_glossary(target, shown=config.relative(target))
            if target.is_file() and not replace_existing
            else []
        )
        incoming = {_key(r): r for r in rows}
        merged: list[Term] = []
        added = updated = unchanged = kept = 0
        for old in existing:
            new = incoming.pop(_key(old), None)
            if new is None:
                merged.append(old)
                kept += 1
            else:
                new = _merge_row(old, new)
                merged.append(new)
                if new == old:
                    unchanged += 1
                else:
                    updated += 1
        merged += incoming.values()
        added = len(incoming)
        check_duplicates(merged, target)
        merge_layers([global_rows, merged])
        text = format_glossary(merged)
        parse_glossary(text, path=target)
        result = ImportResult(
            locale, target, False, added, updated, unchanged, kept, len(rows_in_global)
        )
        plans.append((text, target, result))
    results = []
    for text, target, result in plans:
        untouched = not (result.added or result.updated) and target.is_file()
        written = False if dry_run or untouched else write_text_atomic(target, text)
        results.append(
            ImportResult(
                result.locale,
                target,
                written,
                result.added,
                result.updated,
                result.unchanged,
                result.kept,
                result.skipped_global,
            )
        )
    return results


def export_tbx(config: ProjectConfig, locale: str, *, include_global: bool = True) -> bytes:
    """``locale``'s glossary as a TBX document (with the ``_global.csv`` rows by default)."""
    from .files import load_glossary

    locale = locale_id(locale)
    if include_global:
        terms = list(load_glossary(config, locale))
    else:
        layers = [
            read_glossary(p, shown=config.relative(p))
            for p in glossary_paths(config, locale)[1:]
            if p.is_file()
        ]
        terms = merge_layers(layers)
    return format_tbx(terms, locale, source_locale=config.source_locale)


def _term_line(concepts: list[TbxConcept], row: Term, message: str) -> int | None:
    """The line of the TBX term an import error quotes (``the target term 'x*y'``), else the
    line of its concept."""
    for concept in concepts:
        if concept.line != row.line:
            continue
        for terms in concept.terms.values():
            for term in terms:
                if term.line and term.text and f"'{term.text}'" in message:
                    return term.line
    return row.line
