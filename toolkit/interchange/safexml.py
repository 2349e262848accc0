"""Parsing XML that comes from outside (vendors, TMSs): no entities, no network, no DTD.

Every XLIFF and TMX file is read through :func:`parse_untrusted`. A document that declares
entities or attribute defaults is refused before the parser sees it (billion laughs,
external entities), and the
lxml parser is hardened as well: entities are never resolved, nothing is fetched, no DTD is
loaded and libxml2's limits on huge documents stay on.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import CatalogError, InputError
from ..fsutil import read_error, read_regular_file

if TYPE_CHECKING:
    from lxml import etree

#: What a document's prolog may not declare, and why.
_REFUSED_DECLARATIONS = (
    (
        re.compile(rb"<!ATTLIST", re.IGNORECASE),
        "the document's DOCTYPE declares attribute defaults (<!ATTLIST>), which would give "
        "elements attributes the file does not show (a unit's state); refused.",
    ),
    (
        re.compile(rb"<!ENTITY", re.IGNORECASE),
        "the document declares XML entities, which are refused (entity expansion and "
        "external entities are a known attack).",
    ),
)
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def require_lxml() -> None:
    """XLIFF and TMX need lxml (the ``interchange`` extra); say so plainly when it is missing."""
    try:
        import lxml.etree  # noqa: F401
    except ImportError as exc:
        raise InputError(
            "XLIFF and TMX support needs lxml, which is not installed.",
            hint="Install it with: pip install '.[interchange]' (from the toolkit's folder).",
        ) from exc


def hardened_parser() -> etree.XMLParser:
    """An lxml parser that resolves no entity, loads no DTD and never uses the network."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        attribute_defaults=False,
        remove_pis=True,
        # Not collect_ids=False: with it libxml2 (lxml 6.0, libxml2 2.14) loads the external
        # DTD a DOCTYPE names, load_dtd=False notwithstanding: a local file, a FIFO that
        # never ends the read, or a stray tmx14.dtd in the current folder.
    )


def parse_untrusted(data: bytes, path: Path, *, what: str) -> etree._Element:
    """The root element of ``data``; anything unsafe or malformed is a CatalogError."""
    require_lxml()
    from lxml import etree

    text = _as_utf8(data)
    prolog_end = _ROOT_START.search(text, text.find(b"?>") + 1 if text.startswith(b"<?") else 0)
    prolog = text[: prolog_end.start()] if prolog_end else text
    # What a comment says declares nothing (a DOCTYPE quoted in one is no DOCTYPE); blanked
    # with its length kept, so a line number found below is still the file's.
    prolog = _COMMENT.sub(lambda m: re.sub(rb"[^\n]", b" ", m.group()), prolog)
    for declaration, refusal in _REFUSED_DECLARATIONS:
        found = declaration.search(prolog)
        if found is not None:
            raise CatalogError(
                refusal,
                path=path,
                line=text[: found.start()].count(b"\n") + 1,
                hint=f"Export the {what} again without a DOCTYPE internal subset.",
            )
    try:
        root = etree.fromstring(data, hardened_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        message = " ".join(str(exc.msg or exc).split())  # libxml2 may end it with a newline
        message = re.sub(r", line \d+, column \d+$", "", message).rstrip(". ")
        if "XML_PARSE_HUGE" in message:  # a flag of libxml2 the user cannot set
            message = re.sub(r",?\s*(?:use|try) XML_PARSE_HUGE(?: option)?", "", message)
            message = message.rstrip(". ")
            message += " (over a safety limit of the XML parser: 256 levels of nesting, 10 MB "
            message += "of text in one element)"
        raise CatalogError(
            f"not well-formed XML: {message}.",
            path=path,
            line=line,
            hint=f"Check that the file is a complete {what}; export it again from its tool.",
        ) from exc
    if root is None:
        raise CatalogError(f"empty document, not a {what}.", path=path)
    for reference in root.iter(etree.Entity):
        # No DTD is read, so nothing defines it: its text would silently be missing.
        raise CatalogError(
            f"the document uses the entity {reference.text}, which nothing defines here (no "
            "DTD is read).",
            path=path,
            line=reference.sourceline,
            hint=f"Export the {what} again with the character itself or a numeric reference "
            "(&#233;).",
        )
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise CatalogError(
            "the document declares XML entities, which are refused.",
            path=path,
            hint=f"Export the {what} again without a DOCTYPE internal subset.",
        )
    return root


def _as_utf8(data: bytes) -> bytes:
    """UTF-16/32 documents re-encoded for the entity scan (they announce themselves by BOM)."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(codec, errors="replace").encode("utf-8")
    return data


#: XLIFF and TMX files larger than this are refused before parsing: libxml2's tree takes
#: several times the file's size in memory (a vendor's whole translation memory as one TMX
#: is rarely past a few hundred MB; split a larger one).
MAX_XML_BYTES = 512 * 1024 * 1024


def read_untrusted(path: Path, *, what: str) -> etree._Element:
    """Read and parse ``path`` (see :func:`parse_untrusted`), at most :data:`MAX_XML_BYTES`."""
    try:
        data = read_regular_file(path, limit=MAX_XML_BYTES)
    except FileNotFoundError as exc:
        raise CatalogError("file not found.", path=path) from exc
    except OSError as exc:
        raise read_error(path, exc) from exc
    if len(data) > MAX_XML_BYTES:
        raise CatalogError(
            f"the {what} is larger than {_size(MAX_XML_BYTES)}, the limit for one file.",
            path=path,
            hint="Split it into smaller files (one per locale or project), or raise "
            "toolkit.interchange.safexml.MAX_XML_BYTES.",
        )
    return parse_untrusted(data, path, what=what)


def _size(count: int) -> str:
    return f"{count // 2**20} MiB" if count % 2**20 == 0 else f"{count:,} bytes"


def local_name(element: etree._Element) -> str:
    """The tag without its namespace (``trans-unit``)."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def namespace(element: etree._Element) -> str:
    """The element's namespace URI, or ``""``."""
    tag = element.tag
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].partition("}")[0]
    return ""
