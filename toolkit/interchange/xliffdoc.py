"""XLIFF 1.2 and 2.x documents: the vocabulary both directions share, and reading a vendor's file.

Files are read through :mod:`.safexml`; :mod:`.xliffwrite` writes them. A unit comes back as a
:class:`FileUnit`: its id, msgctxt, every plural form's source and target, and how far its
state says the translation has come (a rank the import compares with ``--state``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalogs.entry import HUMAN_PROVENANCE
from ..errors import CatalogError
from .safexml import local_name, namespace, read_untrusted

if TYPE_CHECKING:
    from lxml import etree

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF11 = "urn:oasis:names:tc:xliff:document:1.1"
XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
SLR = "urn:oasis:names:tc:xliff:sizerestriction:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
#: The fingerprint of the translation as exported (1.2: a context of this type; 2.x: an
#: ``mda:meta`` of this type in the ``toolkit`` category), see ``translation_digest``.
EXPORTED = "x-toolkit-exported"
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


@dataclass(frozen=True)
class Header:
    """What an XLIFF document is about."""

    version: str
    source_language: str
    target_language: str
    original: str


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
    #: Each form's machine-translation or memory proposal (1.2 ``<alt-trans origin="mt: ...">``
    #: or ``"tm: ..."``, 2.x ``<mtc:match type="mt">`` or ``"tm"``, as the export writes them),
    #: None where it has none.
    machine: tuple[str | None, ...] = ()
    #: The fingerprint of the entry's translation when it was exported (None: a file of
    #: another tool, or one that dropped it).
    exported: str | None = None
    #: A form of a plural group says it still needs translating (``state="new"`` or
    #: ``"needs-translation"``): po2xliff writes a fuzzy plural entry so.
    pending_form: bool = False


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
    version = (root.get("version") or "").strip()
    known = ("2.0", "2.1", "2.2") if ns == XLIFF2 else ("1.2",) if ns == XLIFF12 else ("1.1",)
    if version and version not in known:
        raise CatalogError(
            f"XLIFF version '{version}' in the {known[0][0]}.x namespace is not one the toolkit "
            f"reads ({', '.join(known)}).",
            path=path,
            line=root.sourceline,
            hint="Export the file as XLIFF 1.2 or 2.x from the translation tool.",
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
            unit = _combine(node, context, [_form_12(f) for f in forms])
            # (A group a translator approved as a whole is no draft, whatever its forms say.)
            pending = node.get("approved") != "yes" and any(
                _RANKS_12.get(t.get("state", ""), RANK_TRANSLATED) == RANK_NONE
                for f in forms if (t := _child(f, "target")) is not None
            )  # fmt: skip
            yield dataclasses.replace(unit, machine=tuple(_machine(f, "alt-trans") for f in forms),
                                      exported=_exported(forms), pending_form=pending)  # fmt: skip
        elif name == "group":
            yield from _units_12(node, ns)
        elif name == "trans-unit" and node.get("restype") != "x-gettext-domain-header":
            unit = _combine(node, _context_12(node, node), [_form_12(node)])
            yield dataclasses.replace(unit, machine=(_machine(node, "alt-trans"),),
                                      exported=_exported([node]))  # fmt: skip


def _exported(forms: list[etree._Element]) -> str | None:
    """The export's fingerprint of the entry's translation, when every form carries the same
    one (a tool that copied units between files or dropped some of them: None)."""
    found = set()
    for form in forms:
        values = [
            (item.text or "").strip()
            for child in form
            if local_name(child) in ("context-group", "metadata")
            for group in child
            for item in ([group] if local_name(group) == "context" else group)
            if item.get("context-type") == EXPORTED or item.get("type") == EXPORTED
        ]
        if len(values) != 1:
            return None
        found.add(values[0])
    return found.pop() if len(found) == 1 else None


def _machine(node: etree._Element, kind: str) -> str | None:
    """The target of the proposal the export wrote for a draft the toolkit made (``kind``:
    1.2's ``alt-trans`` with an ``mt:`` or ``tm:`` origin, 2.x's ``matches`` with a
    ``type="mt"`` or ``"tm"`` match), or None."""
    if kind == "alt-trans":
        proposals = [c for c in node if local_name(c) == "alt-trans"
                     and _ours(c.get("origin") or "")]  # fmt: skip
    else:
        proposals = [m for c in node if local_name(c) == "matches" for m in c
                     if local_name(m) == "match"
                     and _ours(f"{m.get('type')}: {m.get('origin') or ''}")]  # fmt: skip
    for proposal in proposals:
        target = _child(proposal, "target")
        if target is not None:
            try:
                return _text(target)
            except _Inline:
                return None
    return None


def _ours(origin: str) -> bool:
    """True for the proposal origin of a draft the toolkit made: any MT (``mt: ...``), and of
    translation-memory matches only its own (another tool's TM leverage is not a draft of ours).
    """
    return origin.startswith("mt:") or origin.startswith(f"tm: {HUMAN_PROVENANCE}")


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
        return source, None, RANK_NONE, None
    rank = _RANKS_12.get(target_node.get("state", ""), RANK_TRANSLATED)
    if rank == RANK_NONE:
        # "new" / "needs-translation": whatever the target holds (tools often copy the
        # source there) is not a translation.
        return source, None, RANK_NONE, None
    if node.get("approved") == "yes" and rank != RANK_DRAFT:
        # A needs-* state wins over an approved="yes" left from the export: a vendor who
        # marks an edited unit for review has not approved it (the text comes in fuzzy).
        rank = max(rank, RANK_TRANSLATED)
    if _untranslated_segment(_child(node, "seg-source"), target_node):
        rank, target = RANK_DRAFT, _edges_as_in(target, source)
    return source, target, rank, None


def _segments(node: etree._Element | None) -> dict[str, str]:
    """The text of each ``<mrk mtype="seg">`` segment under ``node``, by its ``mid``."""
    if node is None:
        return {}
    return {
        mrk.get("mid", ""): _text(mrk)
        for mrk in node.iter()
        if isinstance(mrk.tag, str) and local_name(mrk) == "mrk" and mrk.get("mtype") == "seg"
    }


def _untranslated_segment(
    seg_source: etree._Element | None, target: etree._Element
) -> bool:
    """Whether a unit a CAT tool split into segments (XLIFF 1.2's ``<seg-source>`` and
    ``<mrk mtype="seg">``) has a segment with source text and an empty or missing target:
    the target is a part of the translation (memoQ and Okapi leave a segment empty when the
    translator joined it into the one before, or did not get to it), no approved whole."""
    sources = _segments(seg_source)
    targets = _segments(target)
    if not sources or not targets:
        return False
    return any(text.strip() and not targets.get(mid, "").strip() for mid, text in sources.items())


def _edges_as_in(target: str, source: str) -> str:
    """``target`` with white space at its ends only where ``source`` has some: the space
    between two segments stays behind when the second is left empty."""
    if source and not source[-1].isspace():
        target = target.rstrip()
    if source and not source[0].isspace():
        target = target.lstrip()
    return target


def _read_2(root: etree._Element, path: Path) -> XliffFile:
    target_language = root.get("trgLang", "")
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
            unit = _combine(node, node.get("name"), [_form_2(f) for f in forms])
            yield dataclasses.replace(unit, machine=tuple(_machine(f, "matches") for f in forms),
                                      exported=_exported(forms))  # fmt: skip
        elif name == "group":
            yield from _units_2(node)
        elif name == "unit":
            unit = _combine(node, node.get("name"), [_form_2(node)])
            yield dataclasses.replace(unit, machine=(_machine(node, "matches"),),
                                      exported=_exported([node]))  # fmt: skip


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
                state = _RANKS_2.get(part.get("state", "initial"), RANK_DRAFT)
                # a segment with source text and an empty target is a part left out
                ranks.append(RANK_DRAFT if source.strip() and not text.strip() else state)
    except _Inline as exc:
        return "", None, RANK_NONE, str(exc)
    if not translated:
        return "".join(sources), None, RANK_NONE, None
    rank = min(ranks or [RANK_NONE])
    source, target = "".join(sources), "".join(targets)
    if RANK_NONE in ranks or any(
        s.strip() and not t.strip() for s, t in zip(sources, targets, strict=True)
    ):  # a segment without its translation: a draft at most, its spacing trimmed
        rank, target = RANK_DRAFT, _edges_as_in(target, source)
    return source, target, rank, None


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
        targets=tuple(_line_ends_as_in(target, source) for source, target, _, _ in forms),
        rank=min(present) if present else RANK_NONE,
        problem=problems[0] if problems else (None if forms else "empty plural group"),
    )


def _line_ends_as_in(target: str | None, source: str) -> str | None:
    """``target`` with a vendor's ``&#13;`` line ends (CR LF, a lone CR) as line feeds, as
    its source has them: a CR the source lacks reached the message as written."""
    if target is None or "\r" not in target or "\r" in source:
        return target
    return target.replace("\r\n", "\n").replace("\r", "\n")


def _child(node: etree._Element, name: str) -> etree._Element | None:
    for child in node:
        if local_name(child) == name:
            return child
    return None


#: Characters no message holds: C0 controls but tab and line feed, DEL, C1, surrogates
#: (no character on their own: UTF-8 cannot write one) and noncharacters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
#: Inline elements whose content is text of the segment (markers and paired codes).
_TRANSPARENT = frozenset({"mrk", "g", "pc"})
#: XLIFF 2's markers of an annotation that spans codes (``<sm id="m1"/>...<em startRef="m1"/>``):
#: an ``<mrk>`` written as two empty elements, the text between them the segment's.
_EMPTY_MARKERS = frozenset({"sm", "em"})


def _text(node: etree._Element) -> str:
    """The plain text of a source or target; inline codes a PO string cannot hold raise."""
    parts = [node.text or ""]
    for child in node:
        name = local_name(child)
        if name in _TRANSPARENT:
            parts.append(_text(child))
        elif name in _EMPTY_MARKERS and not child.text and not len(child):
            pass  # an annotation's start or end (XLIFF 2 <sm/>, <em/>): no text of its own
        elif name == "cp":
            try:
                character = chr(int(child.get("hex", ""), 16))
            except (ValueError, OverflowError) as exc:
                raise _Inline(f"line {child.sourceline}: <cp> with a bad hex value") from exc
            if _CONTROL.match(character):  # a BEL or NUL in a customer's message is junk
                kind = "control character" if ord(character) < 0xA0 else "character"
                raise _Inline(
                    f"line {child.sourceline}: <cp> is the {kind} U+{ord(character):04X}, "
                    "which a translation must not hold"
                )
            parts.append(character)
        elif isinstance(child.tag, str):
            raise _Inline(
                f"inline code <{name}> on line {child.sourceline} has no equivalent in a PO string"
            )
        parts.append(child.tail or "")
    return "".join(parts)
