"""Writing XLIFF 1.2 and 2.1 documents from :class:`~toolkit.interchange.units.Unit` records.

Both versions carry the same unit: XLIFF 1.2 as ``<trans-unit>`` with ``maxwidth``/
``size-unit="char"``, ``state``/``state-qualifier`` and ``<alt-trans>`` for machine
translations; XLIFF 2.1 as ``<unit>`` with the Size and Length Restriction module
(``slr:sizeRestriction``), segment ``state``/``subState`` and the Translation Candidates module
(``<mtc:matches>``). Each unit carries a fingerprint of the translation as exported (1.2: a
``x-toolkit-exported`` context, 2.1: Metadata module ``<mda:meta>``) for the import to tell
an untouched unit from an edited one. Plural entries are groups of one unit per plural form
(``restype="x-gettext-plurals"`` as translate-toolkit's po2xliff writes them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InputError
from .safexml import require_lxml
from .units import Unit, translation_digest
from .xliffdoc import (
    EXPORTED,
    MDA,
    MTC,
    PLURAL_RESTYPE,
    PLURAL_TYPE,
    SLR,
    XLIFF2,
    XLIFF12,
    XML_NS,
    Header,
)

if TYPE_CHECKING:
    from lxml import etree

_NOTE_FROM = {"translator": "translator", "glossary": "translator", "previous": "translator"}


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
                    target_node.set("state-qualifier", f"{unit.suggestion}-suggestion")
            if unit.mt_origin is not None and target:
                alt = el(node, "alt-trans", origin=f"{unit.suggestion}: {unit.mt_origin}")
                alt.set("alttranstype", "proposal")
                el(alt, "source", source)
                el(alt, "target", target)
            # Strict XLIFF 1.2 wants context-group names unique in the whole <file>.
            form_id = node.get("id", "")
            if unit.context is not None:
                group = el(node, "context-group", name=f"{form_id}-msgctxt", purpose="information")
                el(group, "context", unit.context, **{"context-type": "x-po-msgctxt"})
            group = el(node, "context-group", name=f"{form_id}-exported", purpose="information")
            exported = translation_digest(unit.targets, unit.state in ("fuzzy", "mt"))
            el(group, "context", exported, **{"context-type": EXPORTED})
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
        nsmap={None: XLIFF2, "mtc": MTC, "slr": SLR, "mda": MDA},
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
                    {"ref": "#s1", "type": unit.suggestion, "origin": unit.mt_origin},
                )
                el(match, "source", source)
                el(match, "target", target)
            metadata = etree.SubElement(node, f"{{{MDA}}}metadata")
            group = etree.SubElement(metadata, f"{{{MDA}}}metaGroup", {"category": "toolkit"})
            meta = etree.SubElement(group, f"{{{MDA}}}meta", {"type": EXPORTED})
            meta.text = translation_digest(unit.targets, unit.state in ("fuzzy", "mt"))
            notes = _notes_21(unit)
            if notes:
                notes_node = el(node, "notes")
                for category, text in notes:
                    el(notes_node, "note", text, category=category)
            segment = el(node, "segment", id="s1")
            if target:
                segment.set("state", "translated" if unit.state == "translated" else "initial")
                if unit.state == "mt":
                    segment.set("subState", f"toolkit:{unit.suggestion}")
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
