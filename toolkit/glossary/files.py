"""Glossary CSV files: reading with validation (errors carry file:line), merging, writing.

A project keeps ``glossaries/_global.csv`` (rows that hold in every language) and
``glossaries/<locale>.csv`` per target locale; docs/glossary.md describes the columns.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from ..errors import CatalogError
from ..fsutil import decode_utf8, read_regular_file, require_inside, write_text_atomic
from .model import COLUMNS, REQUIRED_COLUMNS, RULES, Rule, Term
from .paths import GLOBAL_NAME as GLOBAL_NAME
from .paths import glossary_paths

if TYPE_CHECKING:
    from ..config import ProjectConfig
    from .glossary import Glossary

_BOOLEANS = {"": False, "no": False, "false": False, "yes": True, "true": True}
_USE_NOTE = re.compile(r"^\s*use:\s*([^;\n]+)", re.IGNORECASE)
_HEADER_HINT = "The first line must be: " + ",".join(COLUMNS)


def load_glossary(config: ProjectConfig, locale: str) -> Glossary:
    """``locale``'s glossary: ``_global.csv`` merged with the locale's file (missing = empty).

    A locale row replaces a global row for the same source term.
    """
    from .glossary import Glossary

    for path in glossary_paths(config, locale):
        if path.is_symlink() and not path.exists():  # a glossary left out silently: no terms
            raise CatalogError(  # enforced, and check passed (QA pass 79)
                f"a symbolic link to a file that does not exist or loops ({os.readlink(path)}).",
                path=path,
                hint="Point the link at the glossary file, or delete it.",
            )
        if path.exists() and not path.is_file():  # a folder or FIFO: left out the same way
            raise CatalogError(  # (QA pass 81)
                "not a regular file (a folder, device or FIFO): its terms would be left out.",
                path=path,
                hint="Put the glossary's CSV file there, or remove it.",
            )
    layers = [
        read_glossary(
            require_inside(path, config.root, shown=config.relative(path)),
            shown=config.relative(path),
        )
        for path in glossary_paths(config, locale)
        if path.is_file()
    ]
    return Glossary(merge_layers(layers), locale=locale)


def read_glossary(path: Path, *, shown: str | None = None) -> list[Term]:
    """The validated rows of one glossary CSV file (CatalogError with file:line if bad)."""
    try:
        data = read_regular_file(path)
    except OSError as exc:
        raise CatalogError(f"cannot read the glossary: {exc.strerror}.", path=path) from exc
    return parse_glossary(data, path=path, shown=shown)


def parse_glossary(data: bytes | str, *, path: Path, shown: str | None = None) -> list[Term]:
    """Parse and validate glossary CSV text; ``shown`` is the path used in term origins."""
    if isinstance(data, bytes):
        text = decode_utf8(data, path, hint="Save the file as UTF-8 CSV.", encoding="utf-8-sig")
    else:
        text = data.removeprefix("\ufeff")
    if not text.strip():
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    label = shown or str(path)
    terms: list[Term] = []
    try:
        header = next(reader)
        columns = _columns(header, path)
        end = reader.line_num
        for fields in reader:
            line, end = end + 1, reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) > len(columns):
                raise CatalogError(
                    f"{len(fields)} fields, but the header names {len(columns)} columns.",
                    path=path,
                    line=line,
                    hint="Quote fields that contain commas.",
                )
            row = {name: "" for name in COLUMNS}
            row.update({c: f.strip() for c, f in zip(columns, fields, strict=False)})
            terms.append(_term(row, path, line, f"{label}:{line}"))
    except csv.Error as exc:
        raise CatalogError(
            f"malformed CSV: {exc}.", path=path, line=reader.line_num, hint="Check the quoting."
        ) from exc
    check_duplicates(terms, path)
    return terms


def _columns(header: list[str], path: Path) -> list[str]:
    columns = [h.strip().lower() for h in header]
    for name in columns:
        if name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f"Did you mean '{close[0]}'? " if close else ""
            raise CatalogError(
                f"unknown column '{name}' in the header.",
                path=path,
                line=1,
                hint=hint + _HEADER_HINT,
            )
        if columns.count(name) > 1:
            raise CatalogError(f"column '{name}' appears twice.", path=path, line=1)
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CatalogError(
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}.",
            path=path,
            line=1,
            hint=_HEADER_HINT,
        )
    return columns


def _term(row: dict[str, str], path: Path, line: int, origin: str) -> Term:
    def fail(message: str, hint: str | None = None) -> CatalogError:
        return CatalogError(message, path=path, line=line, hint=hint)

    rule = row["rule"].lower()
    if rule not in RULES:
        close = difflib.get_close_matches(rule, RULES, n=1, cutoff=0.5)
        hint = f"Did you mean '{close[0]}'? " if close else ""
        raise fail(f"unknown rule '{row['rule']}'.", hint + "Use one of: required, dnt, forbidden.")
    flag = row["case_sensitive"].lower()
    if flag not in _BOOLEANS:
        raise fail(f"case_sensitive is '{row['case_sensitive']}'.", "Use yes, no, true or false.")
    source, target = row["source"], row["target"]
    for name, value in (("source", source), ("target", target)):
        if "\n" in value or "|" in value:
            shown = value.replace("\n", "\\n")  # the error stays one line
            raise fail(f"the {name} term '{shown}' holds a line break or '|'.")
        if value and not any(c.isalnum() for c in value):
            # '*' alone matched every word of every string; "'" or "%" matched nothing
            raise fail(
                f"the {name} term '{value}' has no letter or digit.",
                "A term is a word or phrase; '*' may only stand at its start or end, for "
                "any letters ('*kort').",
            )
        if "*" in value.strip("*"):
            raise fail(
                f"the {name} term '{value}' has a '*' inside it.",
                "A '*' may only stand at the start or end of a term, for any letters.",
            )
    forms: list[str] = []
    replacements: list[tuple[str, str]] = []
    for raw in row["forms"].split("|"):
        form, sep, replacement = (part.strip() for part in raw.partition("="))
        if not form:
            if sep or replacement:
                raise fail(f"form '{raw.strip()}' has nothing before '='.")
            continue
        if "*" in form.strip("*") or form.strip("*") == "" or "\n" in form:
            raise fail(
                f"form '{form}' is not valid.",
                "A '*' may only stand at the start or end of a form, for any letters.",
            )
        if sep:
            if rule != "forbidden":
                raise fail(
                    f"form '{raw.strip()}' names a replacement, but only forbidden rows have them."
                )
            if not replacement or "*" in form:
                raise fail(f"form '{raw.strip()}' needs 'variant=replacement', without '*'.")
            replacements.append((form, replacement))
        forms.append(form)
    if rule == "required" and not (source and target):
        raise fail("a required row needs both a source and a target term.")
    if rule == "dnt":
        if not source:
            raise fail("a dnt row needs the source term.")
        if target and target != source:
            raise fail(
                f"dnt row: target '{target}' differs from source '{source}'.",
                "Leave the target empty (or equal to the source); use 'required' for a fixed "
                "translation.",
            )
    preferred = None
    if rule == "forbidden":
        if not target:
            raise fail("a forbidden row needs the forbidden word in the target column.")
        preferred = preferred_term(row["note"], replacements, target)
    if not source and rule != "forbidden":
        raise fail("empty source term.")
    if rule == "dnt":
        target = ""  # "same as the source", however the file spells it
    target_first = target or (source if rule == "dnt" else "")
    return Term(
        source=source,
        target=target,
        rule=cast(Rule, rule),
        forms=tuple(dict.fromkeys(f for f in forms if f != target_first)),
        case_sensitive=_BOOLEANS[flag],
        pos=row["pos"],
        note=row["note"],
        replacements=tuple(dict.fromkeys(replacements)),
        preferred=preferred,
        path=path,
        line=line,
        origin=origin,
    )


def preferred_term(note: str, replacements: Sequence[tuple[str, str]], target: str) -> str | None:
    """A forbidden row's preferred term: ``use: TERM`` at the start of its note (up to ``;``
    or the line end), else the replacement its forms give for the forbidden word itself.

    >>> preferred_term("use: rabatkode; 'kupon' is a paper voucher", [], "kupon")
    'rabatkode'
    """
    use = _USE_NOTE.match(note)
    return use.group(1).strip() if use else dict(replacements).get(target)


def source_key(term: Term) -> str:
    """What identifies a required or dnt row: its source term (case-folded unless exact)."""
    return term.source if term.case_sensitive else term.source.casefold()


def _same_source(a: Term, b: Term) -> bool:
    if a.source.casefold() != b.source.casefold():
        return False
    return a.source == b.source or not (a.case_sensitive and b.case_sensitive)


def check_duplicates(terms: Sequence[Term], path: Path) -> None:
    """Two rows for one source term (or one forbidden word) in a file are an error.

    Errors point at the later row (its own path and line when it has them)."""
    # Rows indexed by case-folded source: only rows in one bucket can share a source, so the
    # check is linear (a 32k-term TBX import used to compare every pair).
    seen: dict[str, list[Term]] = {}
    forbidden: dict[str, Term] = {}
    for term in terms:
        if term.rule == "forbidden":
            for form in term.target_forms:
                earlier = forbidden.get(form.casefold())
                if earlier is not None and earlier is not term:
                    raise CatalogError(
                        f"'{form}' is already forbidden at {_where(earlier, term)}.",
                        path=term.path or path,
                        line=term.line,
                        hint="Keep one row per forbidden word.",
                    )
                forbidden[form.casefold()] = term
            continue
        bucket = seen.setdefault(term.source.casefold(), [])
        for earlier in bucket:
            if not _same_source(earlier, term):
                continue
            same = _essence(term) == _essence(earlier)
            if same:
                detail = f"duplicates {_where(earlier, term)}"
            else:
                before, now = earlier.target or earlier.source, term.target or term.source
                detail = (
                    f"conflicts with {_where(earlier, term)} "
                    f"({earlier.rule} '{before}' vs {term.rule} '{now}')"
                )
            raise CatalogError(
                f"the row for '{term.source}' {detail}.",
                path=term.path or path,
                line=term.line,
                hint="Keep one required or dnt row per source term; list other forms in 'forms'.",
            )
        bucket.append(term)


def _essence(term: Term) -> Term:
    """What makes two rows the same rule: everything but note, part of speech and the case
    of the source."""
    return replace(term, note="", pos="", source=term.source.casefold())


def _where(earlier: Term, later: Term) -> str:
    """``line 5`` within one file, else the earlier row's origin."""
    if earlier.path == later.path or not earlier.origin:
        return f"line {earlier.line}"
    return earlier.origin


def merge_layers(layers: Sequence[Sequence[Term]]) -> list[Term]:
    """Merge files, least specific first: a later required/dnt row replaces an earlier one
    for the same source; forbidden rows accumulate. Forbidden rows get their preferred
    term from the required row of the same source, and are validated against it."""
    merged: list[Term] = []
    for layer in layers:
        overriding = _by_source(t for t in layer if t.rule != "forbidden")
        forbidden_words = {
            f.casefold() for t in layer if t.rule == "forbidden" for f in t.target_forms
        }
        merged = [
            t
            for t in merged
            if t.rule == "forbidden"
            or not any(_same_source(t, o) for o in overriding.get(t.source.casefold(), ()))
        ]
        merged = [
            t
            for t in merged
            if t.rule != "forbidden" or not {f.casefold() for f in t.target_forms} & forbidden_words
        ]
        merged += layer
    return _link_forbidden(merged)


def _by_source(terms: Iterable[Term]) -> dict[str, list[Term]]:
    """Terms grouped by case-folded source, in order (candidates for :func:`_same_source`)."""
    groups: dict[str, list[Term]] = {}
    for term in terms:
        groups.setdefault(term.source.casefold(), []).append(term)
    return groups


def _link_forbidden(terms: list[Term]) -> list[Term]:
    required = _by_source(t for t in terms if t.rule == "required")
    allowed = {f.casefold(): t for t in terms if t.rule != "forbidden" for f in t.target_forms}
    out = []
    for term in terms:
        if term.rule != "forbidden":
            out.append(term)
            continue
        for form in term.target_forms:
            clash = allowed.get(form.casefold())
            if clash is not None:
                raise CatalogError(
                    f"'{form}' is forbidden here but allowed by the {clash.rule} row at "
                    f"{clash.origin}.",
                    path=term.path,
                    line=term.line,
                    hint="Remove it from one of the two rows.",
                )
        partner = next(
            (
                r
                for r in required.get(term.source.casefold(), ())
                if term.source and _same_source(r, term)
            ),
            None,
        )
        if partner is not None:
            if term.preferred is None:
                term = replace(term, preferred=partner.target)
            elif term.preferred.casefold() not in {f.casefold() for f in partner.target_forms}:
                raise CatalogError(
                    f"the note says 'use: {term.preferred}', but the required row for "
                    f"'{partner.source}' at {partner.origin} says '{partner.target}'.",
                    path=term.path,
                    line=term.line,
                    hint="Make them agree; end the term in the note with ';' if more text follows.",
                )
        out.append(term)
    return out


def format_glossary(terms: Iterable[Term]) -> str:
    """Glossary CSV text (header and rows, ``\\n`` line ends, minimal quoting)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for term in terms:
        writer.writerow(term.row())
    return buffer.getvalue()


def write_glossary(path: Path, terms: Iterable[Term]) -> bool:
    """Write a glossary CSV atomically (validated first); False when unchanged."""
    text = format_glossary(terms)
    parse_glossary(text, path=path)
    return write_text_atomic(path, text)
