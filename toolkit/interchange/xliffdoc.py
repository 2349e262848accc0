"""XLIFF 1.2 and 2.1 documents: units written out, a vendor's file read back (no catalog logic).

Both versions carry the same :class:`~toolkit.interchange.units.Unit`: XLIFF 1.2 as
``<trans-unit>`` with ``maxwidth``/``size-unit="char"``, ``state``/``state-qualifier`` and
``<alt-trans>`` for machine translations; XLIFF 2.1 as ``<unit>`` with the Size and Length
Restriction module (``slr:sizeRestriction``), segment ``state``/``subState`` and the
Translation Candidates module (``<mtc:matches>``). Plural entries are groups of one unit per
plural form (``restype="x-gettext-plurals"`` as translate-toolkit's po2xliff writes them).
Files are written with lxml and read back through :mod:`.safexml`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CatalogError, InputError
from .safexml import local_name, namespace, read_untrusted, require_lxml
from .units import Unit

if TYPE_CHECKING:
    from lxml import etree

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF11 = "urn:oasis:names:tc:xliff:document:1.1"
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
SLR = "urn:oasis:names:tc:xliff:sizerestriction:2.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
VERSIONS = ("1.2", "2.1")
PLURAL_RESTYPE = "x-gettext-plurals"
PLURAL_TYPE = "gettext:plurals"
#: How far a unit's translation has come; the import compares it with ``--state``.
RANK_NONE, RANK_DRAFT, RANK_TRANSLATED, RANK_REVIEWED = 0, 1, 2, 3
_RANKS_12 = {
    "new": RANK_NONE,
    "needs-translation": RANK_NONE,
    "needs-adaptation": RANK_DRAFT,
    "needs-l10n": RANK_DRAFT,
    "needs-review-adaptation": RANK_DRAFT,
    "needs-review-l10n": RANK_DRAFT,
    "needs-review-translation": RANK_DRAFT,
    "translated": RANK_TRANSLATED,
    "signed-off": RANK_REVIEWED,
    "final": RANK_REVIEWED,
}
_RANKS_2 = {
    "initial": RANK_DRAFT,
    "translated": RANK_TRANSLATED,
    "reviewed": RANK_REVIEWED,
    "final": RANK_REVIEWED,
}
_NOTE_FROM = {"translator": "translator", "glossary": "translator", "previous": "translator"}


@dataclass(frozen=True)
class Header:
    """What an XLIFF document is about."""

    version: str
    source_language: str
    target_language: str
    original: str


# -- writing -------------------------------------------------------------------------------


def build_xliff(units: list[Unit], header: Header) -> bytes:
    """The XLIFF document (``header.version`` 1.2 or 2.1) for ``units``, as UTF-8 bytes."""
    require_lxml()
    from lxml import etree

    try:
        if header.version == "1.2":
            root = _build_12(units, header)
        else:
            root = _build_21(units, header)
    except ValueError as exc:  # lxml refuses control characters XML cannot hold
        raise InputError(
            f"a message holds characters XML cannot carry: {exc}.",
            hint="Remove control characters from the catalog entry and export again.",
        ) from exc
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _build_12(units: list[Unit], header: Header) -> etree._Element:
    from lxml import etree

    def el(
        parent: etree._Element, tag: str, text: str | None = None, **attrs: str
    ) -> etree._Element:
        node = etree.SubElement(parent, f"{{{XLIFF12}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    root = etree.Element(f"{{{XLIFF12}}}xliff", {"version": "1.2"}, nsmap={None: XLIFF12})
    file = el(
        root,
        "file",
        original=header.original,
        **{"source-language": header.source_language},
        **{"target-language": header.target_language},
        datatype="po",
    )
    tool_header = el(file, "header")
    el(tool_header, "tool", **{"tool-id": "toolkit", "tool-name": "toolkit"})
    body = el(file, "body")
    for unit in units:
        parent = body
        if unit.plural:
            parent = el(body, "group", id=unit.id, restype=PLURAL_RESTYPE)
            if unit.context is not None:
                parent.set("resname", unit.context)
        for index, (source, target) in enumerate(zip(unit.sources, unit.targets, strict=True)):
            node = el(parent, "trans-unit", id=unit.form_id(index) if unit.plural else unit.id)
            node.set(f"{{{XML_NS}}}space", "preserve")
            if unit.context is not None:
                node.set("resname", unit.context)
            if unit.state == "translated":
                node.set("approved", "yes")
            if unit.max_length is not None:
                node.set("size-unit", "char")
                node.set("maxwidth", str(unit.max_length))
            el(node, "source", source)
            if target:
                state = "translated" if unit.state == "translated" else "needs-review-translation"
                target_node = el(node, "target", target, state=state)
                if unit.state == "mt":
                    target_node.set("state-qualifier", "mt-suggestion")
            if unit.mt_origin is not None and target:
                alt = el(node, "alt-trans", origin=f"mt: {unit.mt_origin}")
                alt.set("alttranstype", "proposal")
                el(alt, "source", source)
                el(alt, "target", target)
            # Strict XLIFF 1.2 wants context-group names unique in the whole <file>.
            form_id = node.get("id", "")
            if unit.context is not None:
                group = el(node, "context-group", name=f"{form_id}-msgctxt", purpose="information")
                el(group, "context", unit.context, **{"context-type": "x-po-msgctxt"})
            for number, (path, line) in enumerate(unit.locations, start=1):
                name = f"{form_id}-location-{number}"
                group = el(node, "context-group", name=name, purpose="location")
                el(group, "context", path, **{"context-type": "sourcefile"})
                if line:
                    el(group, "context", str(line), **{"context-type": "linenumber"})
            for note in unit.notes:
                if note.category == "context":
                    continue
                el(node, "note", note.text, **{"from": _NOTE_FROM.get(note.category, "developer")})
    return root


def _build_21(units: list[Unit], header: Header) -> etree._Element:
    from lxml import etree

    def el(
        parent: etree._Element, tag: str, text: str | None = None, **attrs: str
    ) -> etree._Element:
        node = etree.SubElement(parent, f"{{{XLIFF2}}}{tag}", attrs)
        if text is not None:
            node.text = text
        return node

    root = etree.Element(
        f"{{{XLIFF2}}}xliff",
        {"version": "2.1", "srcLang": header.source_language, "trgLang": header.target_language},
        nsmap={None: XLIFF2, "mtc": MTC, "slr": SLR},
    )
    file = el(root, "file", id="f1", original=header.original)
    if any(unit.max_length is not None for unit in units):
        etree.SubElement(file, f"{{{SLR}}}profiles", {"generalProfile": "xliff:codepoints"})
    for unit in units:
        parent = file
        if unit.plural:
            parent = el(file, "group", id=unit.id, type=PLURAL_TYPE)
            if unit.context is not None:
                parent.set("name", unit.context)
        for index, (source, target) in enumerate(zip(unit.sources, unit.targets, strict=True)):
            node = el(parent, "unit", id=unit.form_id(index) if unit.plural else unit.id)
            if unit.context is not None:
                node.set("name", unit.context)
            if unit.max_length is not None:
                node.set(f"{{{SLR}}}sizeRestriction", str(unit.max_length))
            if unit.mt_origin is not None and target:
                matches = etree.SubElement(node, f"{{{MTC}}}matches")
                match = etree.SubElement(
                    matches,
                    f"{{{MTC}}}match",
                    {"ref": "#s1", "type": "mt", "origin": unit.mt_origin},
                )
                el(match, "source", source)
                el(match, "target", target)
            notes = _notes_21(unit)
            if notes:
                notes_node = el(node, "notes")
                for category, text in notes:
                    el(notes_node, "note", text, category=category)
            segment = el(node, "segment", id="s1")
            if target:
                segment.set("state", "translated" if unit.state == "translated" else "initial")
                if unit.state == "mt":
                    segment.set("subState", "toolkit:mt")
                elif unit.state == "fuzzy":
                    segment.set("subState", "gettext:fuzzy")
            source_node = el(segment, "source", source)
            source_node.set(f"{{{XML_NS}}}space", "preserve")
            if target:
                target_node = el(segment, "target", target)
                target_node.set(f"{{{XML_NS}}}space", "preserve")
    return root


def _notes_21(unit: Unit) -> list[tuple[str, str]]:
    notes = []
    if unit.context is not None:
        notes.append(("context", f"msgctxt: {unit.context}"))
    for path, line in unit.locations:
        notes.append(("location", f"{path}:{line}" if line else path))
    notes += [(note.category, note.text) for note in unit.notes]
    return notes


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileUnit:
    """A unit as a vendor's file has it: one entry, all its plural forms."""

    id: str
    line: int | None
    context: str | None  # msgctxt as the file gives it (resname / name), for units without our id
    sources: tuple[str, ...]
    targets: tuple[str | None, ...]  # None: the form has no <target>
    rank: int  # RANK_* of the least advanced form
    problem: str | None = None  # why the unit cannot be imported, when it cannot


@dataclass(frozen=True)
class XliffFile:
    """A parsed XLIFF document."""

    path: Path
    header: Header
    units: tuple[FileUnit, ...]


class _Inline(Exception):
    """An inline code that a PO string cannot hold."""


def read_xliff(path: Path) -> XliffFile:
    """Parse an XLIFF 1.2 or 2.x file safely; a file that is not XLIFF is a CatalogError."""
    root = read_untrusted(path, what="XLIFF file")
    ns = namespace(root)
    if local_name(root) != "xliff" or ns not in (XLIFF12, XLIFF11, XLIFF2):
        raise CatalogError(
            f"not an XLIFF 1.2 or 2.x document (root element <{local_name(root)}>"
            f"{' in ' + ns if ns else ''}).",
            path=path,
            line=root.sourceline,
            hint="Export the file as XLIFF 1.2 or XLIFF 2.x from the translation tool.",
        )
    if ns == XLIFF2:
        return _read_2(root, path)
    return _read_12(root, path, ns)


def _read_12(root: etree._Element, path: Path, ns: str) -> XliffFile:
    files = [child for child in root if local_name(child) == "file"]
    if not files:
        raise CatalogError("the XLIFF document has no <file>.", path=path, line=root.sourceline)
    languages = {(f.get("source-language", ""), f.get("target-language", "")) for f in files}
    if len(languages) > 1:
        raise CatalogError(
            "the XLIFF document mixes languages: "
            + ", ".join(f"{s}->{t}" for s, t in sorted(languages))
            + ".",
            path=path,
            hint="Import one file per target language.",
        )
    source_language, target_language = languages.pop()
    if not target_language:
        raise CatalogError(
            "the <file> has no target-language.",
            path=path,
            line=files[0].sourceline,
            hint="Set target-language to the locale the file translates into.",
        )
    units: list[FileUnit] = []
    for file in files:
        for body in (child for child in file if local_name(child) == "body"):
            units += _units_12(body, ns)
    header = Header(
        "1.2" if ns == XLIFF12 else "1.1",
        source_language,
        target_language,
        files[0].get("original", ""),
    )
    return XliffFile(path, header, tuple(units))


def _units_12(parent: etree._Element, ns: str) -> Iterator[FileUnit]:
    for node in parent:
        name = local_name(node)
        if name == "group" and node.get("restype") == PLURAL_RESTYPE:
            forms = [child for child in node if local_name(child) == "trans-unit"]
            context = _context_12(node, forms[0] if forms else None)
            yield _combine(node, context, [_form_12(f) for f in forms])
        elif name == "group":
            yield from _units_12(node, ns)
        elif name == "trans-unit" and node.get("restype") != "x-gettext-domain-header":
            yield _combine(node, _context_12(node, node), [_form_12(node)])


def _context_12(node: etree._Element, unit: etree._Element | None) -> str | None:
    """msgctxt as po2xliff-style tools keep it (a x-po-msgctxt context), else ``resname``."""
    for element in (unit, node):
        if element is None:
            continue
        for group in (c for c in element if local_name(c) == "context-group"):
            for context in group:
                if context.get("context-type") == "x-po-msgctxt":
                    return context.text or ""
    return node.get("resname")


def _form_12(node: etree._Element) -> tuple[str, str | None, int, str | None]:
    """(source, target, rank, problem) of one ``<trans-unit>``."""
    source_node = _child(node, "source")
    target_node = _child(node, "target")
    try:
        source = _text(source_node) if source_node is not None else ""
        target = _text(target_node) if target_node is not None else None
    except _Inline as exc:
        return "", None, RANK_NONE, str(exc)
    if target_node is None or not target:
        rank = RANK_NONE
    else:
        rank = _RANKS_12.get(target_node.get("state", ""), RANK_TRANSLATED)
        if rank == RANK_NONE:
            rank = RANK_DRAFT
        if node.get("approved") == "yes":
            rank = max(rank, RANK_TRANSLATED)
    return source, target, rank, None


def _read_2(root: etree._Element, path: Path) -> XliffFile:
    target_language = root.get("trgLang", "")
    if not target_language:
        raise CatalogError(
            "the <xliff> element has no trgLang.",
            path=path,
            line=root.sourceline,
            hint="Set trgLang to the locale the file translates into.",
        )
    files = [child for child in root if local_name(child) == "file"]
    units: list[FileUnit] = []
    for file in files:
        units += _units_2(file)
    original = files[0].get("original", "") if files else ""
    header = Header(root.get("version", "2.0"), root.get("srcLang", ""), target_language, original)
    return XliffFile(path, header, tuple(units))


def _units_2(parent: etree._Element) -> Iterator[FileUnit]:
    for node in parent:
        name = local_name(node)
        if name == "group" and node.get("type") == PLURAL_TYPE:
            forms = [child for child in node if local_name(child) == "unit"]
            yield _combine(node, node.get("name"), [_form_2(f) for f in forms])
        elif name == "group":
            yield from _units_2(node)
        elif name == "unit":
            yield _combine(node, node.get("name"), [_form_2(node)])


def _form_2(node: etree._Element) -> tuple[str, str | None, int, str | None]:
    """A unit's segments and ignorables joined: tools may split a unit into sentences."""
    sources: list[str] = []
    targets: list[str] = []
    ranks: list[int] = []
    translated = False
    try:
        for part in node:
            kind = local_name(part)
            if kind not in ("segment", "ignorable"):
                continue
            source_node = _child(part, "source")
            target_node = _child(part, "target")
            source = _text(source_node) if source_node is not None else ""
            sources.append(source)
            if target_node is None:
                targets.append(source if kind == "ignorable" else "")
                if kind == "segment":
                    ranks.append(RANK_NONE)
                continue
            text = _text(target_node)
            targets.append(text)
            if kind == "segment":
                translated = translated or bool(text)
                ranks.append(_RANKS_2.get(part.get("state", "initial"), RANK_DRAFT))
    except _Inline as exc:
        return "", None, RANK_NONE, str(exc)
    if not translated:
        return "".join(sources), None, RANK_NONE, None
    return "".join(sources), "".join(targets), min(ranks or [RANK_NONE]), None


def _combine(
    node: etree._Element,
    context: str | None,
    forms: list[tuple[str, str | None, int, str | None]],
) -> FileUnit:
    problems = [problem for _, _, _, problem in forms if problem]
    present = [rank for _, target, rank, _ in forms if target]
    return FileUnit(
        id=node.get("id", ""),
        line=node.sourceline,
        context=context,
        sources=tuple(source for source, _, _, _ in forms),
        targets=tuple(target for _, target, _, _ in forms),
        rank=min(present) if present else RANK_NONE,
        problem=problems[0] if problems else (None if forms else "empty plural group"),
    )


def _child(node: etree._Element, name: str) -> etree._Element | None:
    for child in node:
        if local_name(child) == name:
            return child
    return None


#: Inline elements whose content is text of the segment (markers and paired codes).
_TRANSPARENT = frozenset({"mrk", "g", "pc"})


def _text(node: etree._Element) -> str:
    """The plain text of a source or target; inline codes a PO string cannot hold raise."""
    parts = [node.text or ""]
    for child in node:
        name = local_name(child)
        if name in _TRANSPARENT:
            parts.append(_text(child))
        elif name == "cp":
            try:
                parts.append(chr(int(child.get("hex", ""), 16)))
            except ValueError as exc:
                raise _Inline(f"line {child.sourceline}: <cp> with a bad hex value") from exc
        elif isinstance(child.tag, str):
            raise _Inline(
                f"inline code <{name}> on line {child.sourceline} has no equivalent in a PO string"
            )
        parts.append(child.tail or "")
    return "".join(parts)
