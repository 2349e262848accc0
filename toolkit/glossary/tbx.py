"""TBX import and export, so glossaries move to and from Weblate, Crowdin, Smartling & co.

Export writes TBX 2008 (``<martif type="TBX">``, TBX-Basic data categories), which every
terminology tool reads; import reads that and TBX v3 (``<tbx>``, ``conceptEntry``/``langSec``/
``termSec``), namespaced or not. Parsing goes through ``defusedxml``: a file that declares
entities (the "billion laughs" bomb) or refers to external ones is refused, never expanded.

Mapping (one ``termEntry`` per glossary row; docs/glossary.md has the table):

- English term: ``<langSet xml:lang="en">``; part of speech: ``termNote type="partOfSpeech"``.
- Target terms: ``<langSet xml:lang="da">``; the row's target is ``preferredTerm-admn-sts``,
  its other forms ``admittedTerm-admn-sts``; a forbidden row's words are
  ``deprecatedTerm-admn-sts``, a replacement ``termNote type="x-replacement"``.
- dnt: ``<descrip type="Translation needed">no</descrip>`` (what Weblate and translate-toolkit
  use for untranslatable terms); case sensitivity: ``termNote type="x-caseSensitive"``.
- The translator note: ``<note>``.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import CatalogError
from ..fsutil import read_error, read_regular_file
from .files import preferred_term
from .model import Rule, Term

_ALLOWED_STATUS = {"preferredterm-admn-sts", "admittedterm-admn-sts", "preferred", "admitted"}
#: Statuses of a term not to use: TBX-Basic's and ISO 12620's administrativeStatus values,
#: TBX v3's, and the older normativeAuthorization ones ("deprecatedTerm"). "forbidden" and
#: "obsolete" were read as allowed forms of the required row: Weblate's test file made
#: its obsolete "bus de données" the required translation (QA pass 80).
_FORBIDDEN_STATUS = {
    "deprecatedterm-admn-sts",
    "supersededterm-admn-sts",
    "forbiddenterm-admn-sts",
    "obsoleteterm-admn-sts",
    "deprecated",
    "superseded",
    "notrecommended",
    "forbidden",
    "obsolete",
    "deprecatedterm",
    "supersededterm",
    "forbiddenterm",
    "obsoleteterm",
    "rejectedterm",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ENTRY_TAGS = {"termEntry", "conceptEntry"}
_LANG_TAGS = {"langSet", "langSec"}
_TERM_TAGS = {"tig", "ntig", "termSec"}
#: Files larger than this are refused before parsing.
MAX_TBX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class TbxTerm:
    """One term of a language in a TBX concept."""

    text: str
    status: str = ""
    pos: str = ""
    case_sensitive: bool | None = None
    replacement: str | None = None
    line: int = 0  # of its <term> element (0: unknown)
    untranslatable: bool = False  # <termNote type="translationNote">no</termNote> (Weblate)


@dataclass(frozen=True)
class TbxConcept:
    """One ``termEntry`` / ``conceptEntry``: its terms by language and its metadata."""

    line: int
    terms: dict[str, list[TbxTerm]] = field(default_factory=dict)
    translatable: bool = True
    notes: tuple[str, ...] = ()


# --- export -------------------------------------------------------------------------------


def format_tbx(terms: Iterable[Term], locale: str, *, source_locale: str = "en") -> bytes:
    """A TBX 2008 document with one ``termEntry`` per glossary row."""
    source_lang, target_lang = _bcp47(source_locale), _bcp47(locale)
    root = ET.Element("martif", {"type": "TBX", _XML_LANG: source_lang})
    header = ET.SubElement(ET.SubElement(root, "martifHeader"), "fileDesc")
    ET.SubElement(
        ET.SubElement(header, "sourceDesc"), "p"
    ).text = f"Glossary {source_lang} -> {target_lang}, exported by the retention messaging toolkit"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    used: set[str] = set()
    for term in terms:
        entry = ET.SubElement(body, "termEntry", {"id": _entry_id(term, used)})
        if term.rule == "dnt":
            ET.SubElement(entry, "descrip", {"type": "Translation needed"}).text = "no"
        if term.source:
            lang = ET.SubElement(entry, "langSet", {_XML_LANG: source_lang})
            _tig(lang, term.source, None, term.pos, term.case_sensitive)
        lang = ET.SubElement(entry, "langSet", {_XML_LANG: target_lang})
        replacements = dict(term.replacements)
        forbidden = term.rule == "forbidden"
        for index, text in enumerate(term.target_forms):
            if forbidden:
                status = "deprecatedTerm-admn-sts"
            else:
                status = "preferredTerm-admn-sts" if index == 0 else "admittedTerm-admn-sts"
            _tig(
                lang,
                text,
                status,
                term.pos if not term.source else "",
                term.case_sensitive if not term.source else False,
                replacements.get(text),
            )
        if term.note:
            ET.SubElement(entry, "note").text = term.note
    ET.indent(root)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        + ET.tostring(root, encoding="utf-8", xml_declaration=False)
        + b"\n"
    )


def _tig(
    parent: ET.Element,
    text: str,
    status: str | None,
    pos: str,
    case_sensitive: bool,
    replacement: str | None = None,
) -> None:
    tig = ET.SubElement(parent, "tig")
    ET.SubElement(tig, "term").text = text
    if status:
        ET.SubElement(tig, "termNote", {"type": "administrativeStatus"}).text = status
    if pos:
        ET.SubElement(tig, "termNote", {"type": "partOfSpeech"}).text = pos
    if case_sensitive:
        ET.SubElement(tig, "termNote", {"type": "x-caseSensitive"}).text = "yes"
    if replacement:
        ET.SubElement(tig, "termNote", {"type": "x-replacement"}).text = replacement


def _entry_id(term: Term, used: set[str]) -> str:
    """A stable id from the row's content, so re-exports keep ids (TMSs match on them)."""
    digest = hashlib.sha1(f"{term.rule}\0{term.source}\0{term.target}".encode()).hexdigest()
    base = f"{term.rule}-{digest[:10]}"
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    used.add(candidate)
    return candidate


def _bcp47(locale: str) -> str:
    """``nb_NO`` -> ``nb-NO`` (XML language tags use hyphens)."""
    return locale.replace("_", "-")


# --- import -------------------------------------------------------------------------------


def read_tbx(path: Path) -> list[TbxConcept]:
    """The concepts of a TBX file (CatalogError with file:line if it is unsafe or malformed)."""
    try:
        size = path.stat().st_size
        if size > MAX_TBX_BYTES:
            raise CatalogError(
                f"{size} bytes is too large for a glossary (limit {MAX_TBX_BYTES}).", path=path
            )
        data = read_regular_file(path)
    except OSError as exc:
        raise read_error(path, exc) from exc
    return parse_tbx(data, path=path)


def parse_tbx(data: bytes, *, path: Path) -> list[TbxConcept]:
    """Parse TBX bytes safely into concepts."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import DefusedXMLParser

    builder = _LineTreeBuilder()
    parser = DefusedXMLParser(target=builder)
    builder.expat = parser.parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        raise CatalogError(
            f"refused: the file declares or references XML entities ({type(exc).__name__}).",
            path=path,
            line=builder.line(),
            hint="TBX needs no entities; export it again without a DTD internal subset.",
        ) from exc
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise CatalogError(
            f"not well-formed XML: {exc.msg if hasattr(exc, 'msg') else exc}.",
            path=path,
            line=line,
            hint="Is this a TBX file? Check it with an XML validator.",
        ) from exc
    if _local(root.tag) not in ("martif", "tbx"):
        raise CatalogError(
            f"not a TBX file: the root element is <{_local(root.tag)}>, not <martif> or <tbx>.",
            path=path,
            line=builder.lines.get(root, 1),
        )
    concepts = [
        _concept(element, builder.lines, path)
        for element in root.iter()
        if _local(element.tag) in _ENTRY_TAGS
    ]
    return concepts


class _LineTreeBuilder:
    """An ElementTree target that remembers the line each element starts on."""

    def __init__(self) -> None:
        self.builder = ET.TreeBuilder()
        self.lines: dict[ET.Element, int] = {}
        self.expat: Any = None

    def line(self) -> int | None:
        return int(self.expat.CurrentLineNumber) if self.expat is not None else None

    def start(self, tag: str, attrs: dict[str, str]) -> ET.Element:
        element = self.builder.start(tag, attrs)
        self.lines[element] = self.line() or 0
        return element

    def end(self, tag: str) -> ET.Element:
        return self.builder.end(tag)

    def data(self, text: str) -> None:
        self.builder.data(text)

    def close(self) -> ET.Element:
        return self.builder.close()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


#: Invisible characters no term starts or ends with: a trailing zero-width space kept a term
#: from ever matching (QA pass 80).
_INVISIBLE_EDGES = "\u200b\u200c\u200d\u2060\ufeff"


def _text(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split()).strip(_INVISIBLE_EDGES).strip()


def _concept(entry: ET.Element, lines: dict[ET.Element, int], path: Path) -> TbxConcept:
    terms: dict[str, list[TbxTerm]] = {}
    translatable = True
    notes: list[str] = []
    for child in entry:
        name = _local(child.tag)
        if name in _LANG_TAGS:
            lang = (child.get(_XML_LANG) or child.get("lang") or "").replace("_", "-").lower()
            if not lang:  # its terms were dropped without a word (QA pass 80)
                raise CatalogError(
                    f"a <{name}> without xml:lang: its terms belong to no language.",
                    path=path,
                    line=lines.get(child, 0) or None,
                    hint='Add the language\'s tag (xml:lang="lt") and import again.',
                )
            if lang.split("-")[0] == "no":  # Norwegian: Bokmål, as the toolkit reads 'no'
                lang = "nb" + lang[2:]
            found = [_term(t, lines, path) for t in child if _local(t.tag) in _TERM_TAGS]
            terms.setdefault(lang, []).extend(found)
            if any(t.untranslatable for t in found):
                translatable = False
        elif name == "descrip" and (child.get("type") or "").lower() == "translation needed":
            translatable = _text(child).lower() not in ("no", "false")
        elif name == "note" or (name == "descrip" and child.get("type") == "definition"):
            if _text(child):
                notes.append("".join(child.itertext()).strip())
        elif name == "descripGrp":
            for sub in child:
                if _local(sub.tag) == "descrip" and sub.get("type") == "definition" and _text(sub):
                    notes.append("".join(sub.itertext()).strip())
    return TbxConcept(lines.get(entry, 0), terms, translatable, tuple(notes))


def _term(container: ET.Element, lines: dict[ET.Element, int], path: Path) -> TbxTerm:
    text = status = pos = ""
    untranslatable = False
    case_sensitive: bool | None = None
    replacement = None
    line = 0
    for element in container.iter():
        name, kind = _local(element.tag), (element.get("type") or "")
        # TBX v3's DCT style writes the data category as the element (<min:administrativeStatus>)
        category = kind if name == "termNote" else name
        if name == "term" and not text:
            text = _text(element)
            line = lines.get(element, 0)
            if text[:1] in ("=", "@"):
                # A glossary is a CSV file people open in spreadsheets, which run such a
                # cell as a formula (=HYPERLINK(...), =cmd|...): no term starts so.
                raise CatalogError(
                    f"the term {text[:40]!r} starts like a spreadsheet formula ('{text[0]}'); "
                    "it would run as one in the glossary's CSV file.",
                    path=path,
                    line=line or None,
                    hint="Fix or remove the term in the TBX file and import again.",
                )
        elif category in ("administrativeStatus", "normativeAuthorization"):
            status = _text(element).lower()
        elif category == "partOfSpeech":
            pos = _text(element)
        elif category == "translationNote" and _text(element).lower() in ("no", "false"):
            untranslatable = True  # Weblate's mark of a term that is not translated
        elif name == "termNote" and kind == "x-caseSensitive":
            case_sensitive = _text(element).lower() in ("yes", "true")
        elif name == "termNote" and kind == "x-replacement":
            replacement = _text(element) or None
    return TbxTerm(text, status, pos, case_sensitive, replacement, line, untranslatable)


def _language_terms(concept: TbxConcept, locale: str) -> list[TbxTerm]:
    """The concept's terms for ``locale``: a region-less tag serves every region, and a locale
    without a region takes the terms of its language's regional tags (``lt`` from ``lt-LT``, as
    Weblate and Crowdin tag them); ``pt_BR`` never takes ``pt-PT``'s."""
    wanted = _bcp47(locale).lower()
    language = wanted.split("-")[0]
    exact = concept.terms.get(wanted)
    if exact:
        return exact
    found = concept.terms.get(language)
    if found or wanted != language:
        return found or []
    regional = [terms for tag, terms in sorted(concept.terms.items())
                if tag.split("-")[0] == language]
    return [term for terms in regional for term in terms]


def concept_rows(
    concepts: Sequence[TbxConcept],
    locale: str,
    *,
    path: Path,
    source_locale: str = "en",
    shown: str | None = None,
) -> list[Term]:
    """Glossary rows for ``locale`` from TBX concepts (a concept may give a required or dnt
    row and a forbidden row). Concepts without terms in ``locale`` are left out, except
    do-not-translate ones, which hold in every language."""
    rows: list[Term] = []
    for concept in concepts:
        sources = [t for t in _language_terms(concept, source_locale) if t.text]
        targets = [t for t in _language_terms(concept, locale) if t.text]
        if not sources and not targets:
            continue
        source = sources[0] if sources else None
        allowed = [t for t in targets if t.status not in _FORBIDDEN_STATUS]
        allowed.sort(key=lambda t: 0 if t.status.startswith("preferred") else 1)
        forbidden = [t for t in targets if t.status in _FORBIDDEN_STATUS]
        known = [t.case_sensitive for t in (*sources, *targets) if t.case_sensitive is not None]
        case_sensitive = any(known)
        pos = next((t.pos for t in (*sources, *targets) if t.pos), "")
        note = "\n".join(concept.notes)
        base = Term(
            source=source.text if source else "",
            target="",
            rule="required",
            case_sensitive=case_sensitive,
            pos=pos,
            note=note,
            path=path,
            line=concept.line,
            origin=f"{shown or path}:{concept.line}",
        )

        def row(base: Term, rule: Rule, target: str, forms: list[TbxTerm], note: str) -> Term:
            return replace(
                base,
                target=target,
                rule=rule,
                forms=tuple(dict.fromkeys(t.text for t in forms if t.text != target)),
                note=note,
                replacements=tuple((t.text, t.replacement) for t in forms if t.replacement),
            )

        if not concept.translatable:
            if source is None:
                raise CatalogError(
                    "a do-not-translate concept without a source-language term.",
                    path=path,
                    line=concept.line,
                )
            same = [t for t in allowed if t.text != source.text]
            rows.append(row(base, "dnt", "", same, note))
        elif allowed:
            if source is None:
                raise CatalogError(
                    f"concept has '{allowed[0].text}' but no {source_locale} term.",
                    path=path,
                    line=concept.line,
                    hint="Add the source-language term, or mark the target deprecated.",
                )
            rows.append(row(base, "required", allowed[0].text, allowed[1:], note))
        if forbidden:
            # The note belongs to the concept's main row when there is one.
            main_note = note if not allowed else ""
            rows.append(row(base, "forbidden", forbidden[0].text, forbidden, main_note))
    return [_with_preferred(t) for t in rows]


def _with_preferred(term: Term) -> Term:
    if term.rule != "forbidden":
        return term
    return replace(term, preferred=preferred_term(term.note, term.replacements, term.target))


def tbx_languages(concepts: Sequence[TbxConcept]) -> list[str]:
    """Every language tag used in the concepts, sorted."""
    return sorted({lang for c in concepts for lang in c.terms if lang})
