"""``toolkit memory export`` / ``import``: the translation memory as TMX 1.4b.

Export writes the machine translations of the memory (each ``<tu>`` names its model in a
``x-toolkit-model`` property, placeholders masked for MT appear as ``<ph>`` codes), the human
translations imported before, and the approved (non-fuzzy) entries of the catalogs, so a
vendor's memory and ours grow together. Import reads a vendor's TMX safely: units of our own
MT go back under their model key; every other pair is stored as a human translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalogs import entries, forms_of, read_po_file, source_ids
from ..catalogs.plurals import PluralForms, judged_plural_forms, singular_and_other
from ..config import ProjectConfig
from ..errors import CatalogError, InputError
from ..fsutil import write_bytes_atomic
from ..locales import locale_id
from .safexml import local_name, read_untrusted, require_lxml
from .xliff import NOT_XML, bcp47

if TYPE_CHECKING:
    from lxml import etree

    from ..mt.memory import HumanUnit, Stored

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MODEL_PROP = "x-toolkit-model"
SCORE_PROP = "x-toolkit-score"
ORIGIN_PROP = "x-toolkit-origin"
CONTEXT_PROP = "x-context"
#: On a pair of a plural entry: the entry's other source text (msgid_plural on the msgid's
#: pair, msgid on the last form's). A form may say the count its msgid leaves out ("Renew
#: this donation": Russian form 0 is also 21, 31...) or leave out one both sources have
#: (Arabic's zero form), so such a pair is checked against the placeholders of both.
PLURAL_PROP = "x-toolkit-plural"
_MASK_TOKEN = re.compile(r"XPH(\d+)X")


@dataclass(frozen=True)
class TmxExportResult:
    """What ``export_tmx`` wrote."""

    path: Path
    written: bool
    machine: int  # MT segments of the memory
    human: int  # human translations of the memory
    catalog: int  # approved catalog entries (pairs not already in the memory)
    skipped: int  # MT rows whose model key names no language pair


@dataclass(frozen=True)
class TmxImportResult:
    """What ``import_tmx`` added to the memory."""

    source: Path
    memory: Path
    dry_run: bool
    units: int  # <tu> elements read
    human_added: int
    machine_added: int
    known: int  # pairs the memory already had
    skipped: tuple[tuple[int | None, str], ...]  # (line, reason) of units left out
    unsafe: int = 0  # of those, pairs refused for a placeholder, tag or link (unsafe_pair)


def export_tmx(
    config: ProjectConfig,
    out: Path,
    *,
    locale: str | None = None,
    memory_path: Path | None = None,
    include_catalogs: bool = True,
) -> TmxExportResult:
    """Write the memory (and approved catalog entries) of one or every locale to ``out``."""
    require_lxml()
    from lxml import etree

    from ..mt.memory import TranslationMemory, default_memory_path

    source_lang = bcp47(locale_id(config.source_locale))
    wanted = bcp47(locale_id(locale)) if locale is not None else None
    memory_file = memory_path or default_memory_path()
    with TranslationMemory(memory_file, read_only=True) as memory:
        segments = memory.segments()
        humans = memory.human_units()
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        {
            "creationtool": "toolkit",
            "creationtoolversion": _version(),
            "segtype": "sentence",
            "o-tmf": "toolkit-sqlite",
            "adminlang": "en",
            "srclang": source_lang,
            "datatype": "plaintext",
        },
    )
    body = etree.SubElement(root, "body")
    machine = skipped = 0
    for model, source, stored in segments:
        pair = model_languages(model)
        if pair is None:
            skipped += 1
            continue
        if wanted is not None and not _made_for(pair[1], wanted):
            continue
        _refuse_not_xml((source, stored.target), f"memory segment {_shown(source)}", memory_file,
                        hint=_MEMORY_HINT)  # fmt: skip
        _machine_tu(body, model, pair, source, stored)
        machine += 1
    catalog_pairs: list[tuple[HumanUnit, str | None, str | None]] = []
    if include_catalogs:
        locales = [locale_id(locale)] if locale is not None else list(config.locales)
        from ..fsutil import missing_catalog_error, other_domains
        from ..project_locales import refuse_unread_layout

        # (another domain's or flat catalogs: their approved entries would be left out)
        refuse_unread_layout(config, locales)

        for name in locales:  # da has only sphinx.po, lt a messages.po: da's were left out
            path = config.po_path(name)
            if not path.exists() and other_domains(path):
                raise missing_catalog_error(path)
        for name in locales:
            catalog_pairs += _catalog_pairs(config, name, source_lang)
    # (a memory unit that is a catalog's plural pair keeps saying so: exported again and
    # imported again, it must pass the same check)
    siblings = {
        (u.source_lang, u.target_lang, u.source, u.target): sibling
        for u, _, sibling in catalog_pairs
        if sibling is not None
    }
    seen: set[tuple[str, str, str, str]] = set()
    human = 0
    for unit in humans:
        if wanted is not None and not _same_language(unit.target_lang, wanted):
            continue
        key = (unit.source_lang, unit.target_lang, unit.source, unit.target)
        seen.add(key)
        texts = (unit.source, unit.target, unit.context or "")
        _refuse_not_xml(texts, f"memory unit {_shown(unit.source)}", memory_file,
                        hint=_MEMORY_HINT)  # fmt: skip
        _human_tu(body, unit, unit.context or None, siblings.get(key) or unit.plural or None)
        human += 1
    catalog = 0
    for unit, context, sibling in catalog_pairs:
        key = (unit.source_lang, unit.target_lang, unit.source, unit.target)
        if key in seen:
            continue
        seen.add(key)
        _human_tu(body, unit, context, sibling)
        catalog += 1
    etree.indent(root, space="  ")
    data = etree.tostring(
        root,
        xml_declaration=True,
        encoding="UTF-8",
        pretty_print=True,
        doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">',
    )
    written = write_bytes_atomic(out, data, follow_links=True)
    return TmxExportResult(out, written, machine, human, catalog, skipped)


def model_languages(model: str) -> tuple[str, str] | None:
    """Source and target language of an MT memory key, as BCP 47 tags.

    >>> model_languages("argos en->de->da 1.0+1.1 ab12 beam=4")
    ('en', 'da')
    >>> model_languages("mystery") is None
    True
    """
    parts = model.split()
    if len(parts) < 2:
        return None
    codes = re.split(r"->|-", parts[1]) if parts[0] in ("argos", "apertium") else []
    if len(codes) < 2:
        return None
    try:
        return bcp47(locale_id(codes[0])), bcp47(locale_id(codes[-1]))
    except InputError:
        return None


def _same_language(tag: str, wanted: str) -> bool:
    """``da`` matches ``da`` and ``da-DK``; ``pt-BR`` matches only ``pt-BR``."""
    if tag == wanted:
        return True
    return "-" not in wanted and tag.split("-")[0] == wanted


def _made_for(model_target: str, wanted: str) -> bool:
    """Whether a model translating into ``model_target`` made segments for ``wanted``: a
    language's model (``nb``) serves its regional catalogs too (``nb-NO``: translate uses the
    en->nb package for nb_NO, so its memory is stored under nb).

    >>> _made_for("nb", "nb-NO"), _made_for("nb", "nb"), _made_for("pt-BR", "pt-PT")
    (True, True, False)
    """
    return _same_language(model_target, wanted) or (
        "-" not in model_target and model_target == wanted.split("-")[0]
    )


def _catalog_pairs(
    config: ProjectConfig, locale: str, source_lang: str
) -> list[tuple[HumanUnit, str | None, str | None]]:
    """Approved entries of a locale's catalog as TM pairs (plurals: the forms for 1 and for
    CLDR's "other" numbers),
    with their msgctxt and, for a plural's pair, the entry's other source text."""
    from ..mt.memory import HumanUnit

    path = config.po_path(locale)
    if not path.exists():
        return []
    po = read_po_file(path, locale=locale)
    catalog = po.catalog
    target_lang = bcp47(locale)
    origin = f"catalog {config.relative(path)}"
    nplurals, expr = judged_plural_forms(po.layout.header.get("plural-forms"), locale)
    # The forms for 1 and for CLDR's "other": not always the first and the last (GNOME's
    # Slovenian rule puts the singular in msgstr[1]; QA pass 72).
    one, most = singular_and_other(PluralForms(nplurals, expr), locale)
    pairs: list[tuple[HumanUnit, str | None, str | None]] = []
    for message in entries(catalog):
        if message.fuzzy:
            continue
        ids, strings = source_ids(message), forms_of(message)
        if len(ids) == 1 or len(strings) < nplurals:
            candidates = [(ids[0], strings[0], ids[1] if len(ids) > 1 else None)]
        else:
            candidates = [(ids[0], strings[one], ids[1])]
            if nplurals > 1:
                candidates.append((ids[1], strings[most], ids[0]))
        for source, target, sibling in candidates:
            if source and target:
                _refuse_not_xml(
                    (source, target, message.context or ""), f"entry {_shown(ids[0])}", path,
                    message.lineno,
                )  # fmt: skip
                unit = HumanUnit(source_lang, target_lang, source, target, origin)
                pairs.append((unit, message.context, sibling))
    return pairs


def _refuse_not_xml(
    texts: tuple[str, ...], what: str, path: Path, line: int | None = None,
    hint: str = "Remove the character ('toolkit check' lists translations that hold one) and "
    "export again.",
) -> None:
    """A CatalogError when a text of a pair holds a character XML cannot carry (ESC, NUL:
    msgfmt accepts them, lxml refuses them with a traceback): nothing is written."""
    found = next((m for text in texts if (m := NOT_XML.search(text))), None)
    if found is None:
        return
    raise CatalogError(
        f"{what} holds U+{ord(found.group()):04X}, a character XML cannot carry; no TMX file "
        "was written.",
        path=path,
        line=line,
        hint=hint,
    )


_MEMORY_HINT = (
    "The memory holds it (a review save or translate stored it; 'toolkit check' does not see "
    "the memory): fix the catalog entry it came from, and export with --memory naming another "
    "memory file (a new one exports the catalogs' approved entries alone)."
)


def _shown(text: str) -> str:
    return repr(text[:60]).encode("ascii", "backslashreplace").decode("ascii")


def _machine_tu(
    body: etree._Element, model: str, pair: tuple[str, str], source: str, stored: Stored
) -> None:
    from lxml import etree

    tu = etree.SubElement(body, "tu", srclang=pair[0])
    _prop(tu, ORIGIN_PROP, "mt")
    _prop(tu, MODEL_PROP, model)
    if stored.score is not None:
        _prop(tu, SCORE_PROP, repr(stored.score))
    _tuv(tu, pair[0], source)
    _tuv(tu, pair[1], stored.target)


def _human_tu(
    body: etree._Element, unit: HumanUnit, context: str | None, sibling: str | None = None
) -> None:
    from lxml import etree

    tu = etree.SubElement(body, "tu", srclang=unit.source_lang)
    _prop(tu, ORIGIN_PROP, unit.origin or "human")
    if context is not None:
        _prop(tu, CONTEXT_PROP, context)
    if sibling is not None:
        _prop(tu, PLURAL_PROP, sibling)
    _tuv(tu, unit.source_lang, unit.source)
    _tuv(tu, unit.target_lang, unit.target)


def _prop(tu: etree._Element, kind: str, text: str) -> None:
    from lxml import etree

    etree.SubElement(tu, "prop", type=kind).text = text


def _tuv(tu: etree._Element, lang: str, text: str) -> None:
    """A ``<tuv>`` whose MT mask tokens (``XPH0X``) become ``<ph>`` placeholder codes."""
    from lxml import etree

    tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
    seg = etree.SubElement(tuv, "seg")
    pieces = _MASK_TOKEN.split(text)
    seg.text = pieces[0]
    last: etree._Element | None = None
    for index in range(1, len(pieces), 2):
        last = etree.SubElement(seg, "ph", x=str(int(pieces[index]) + 1))
        last.text = f"XPH{pieces[index]}X"
        last.tail = pieces[index + 1]


def _version() -> str:
    from .. import __version__

    return str(__version__)


def import_tmx(
    config: ProjectConfig,
    source: Path,
    *,
    locale: str | None = None,
    memory_path: Path | None = None,
    dry_run: bool = False,
) -> TmxImportResult:
    """Add the translations of a TMX file (into ``locale`` only, if given) to the memory."""
    from ..mt.memory import HumanUnit, Stored, TranslationMemory, default_memory_path

    root = read_untrusted(source, what="TMX file")
    if local_name(root) != "tmx" or not root.get("version", "").startswith("1."):
        raise CatalogError(
            f"not a TMX 1.x document (root element <{local_name(root)}>).",
            path=source,
            line=root.sourceline,
            hint="Export the translation memory as TMX 1.4 from the tool.",
        )
    header = next((c for c in root if local_name(c) == "header"), None)
    body = next((c for c in root if local_name(c) == "body"), None)
    if header is None or body is None:
        raise CatalogError("a TMX file needs a <header> and a <body>.", path=source)
    project_source = bcp47(locale_id(config.source_locale))
    default_source = header.get("srclang", "")
    wanted = bcp47(locale_id(locale)) if locale is not None else None
    human: list[HumanUnit] = []
    machine: dict[str, list[tuple[str, Stored]]] = {}
    skipped: list[tuple[int | None, str]] = []
    targets_seen: set[str] = set()
    count = unsafe_count = 0
    for tu in (c for c in body if local_name(c) == "tu"):
        count += 1
        srclang = tu.get("srclang", default_source)
        variants = _variants(tu)
        if variants is None:
            skipped.append((tu.sourceline, "a <tuv> without xml:lang"))
            continue
        if not srclang or srclang == "*all*":
            # TMX 1.4b: any <tuv> may be the source; the project's source language is.
            srclang = _source_variant(variants, project_source) or ""
            if not srclang:
                skipped.append(
                    (tu.sourceline, f"no <tuv> in the project's source language "
                                    f"'{project_source}' (srclang is *all* or missing)")
                )  # fmt: skip
                continue
        source_text = next((text for lang, text in variants if _same_tag(lang, srclang)), None)
        if not _same_language(_tag(srclang), project_source.split("-")[0]):
            skipped.append(
                (tu.sourceline, f"source language '{srclang}' is not '{project_source}'")
            )
            continue
        if not source_text:
            skipped.append((tu.sourceline, f"no <tuv> in the source language '{srclang}'"))
            continue
        props = {p.get("type", ""): (p.text or "") for p in tu if local_name(p) == "prop"}
        for lang, text in variants:
            if _same_tag(lang, srclang):
                continue
            try:
                tag = bcp47(locale_id(lang))
            except InputError:
                skipped.append((tu.sourceline, f"unknown language '{lang}'"))
                continue
            targets_seen.add(tag)
            if (wanted is not None and not _same_language(tag, wanted)) or not text:
                continue
            unsafe = unsafe_pair(source_text, text, props.get(PLURAL_PROP) or None)
            if unsafe is not None:
                skipped.append((tu.sourceline, f"{lang}: {unsafe}"))
                unsafe_count += 1
                continue
            model = props.get(MODEL_PROP)
            if model and model_languages(model) is not None:
                score = _score(props.get(SCORE_PROP))
                machine.setdefault(model, []).append((source_text, Stored(text, score)))
            else:
                origin = props.get(ORIGIN_PROP) or f"tmx {source.name}"
                context = props.get(CONTEXT_PROP, "")
                plural = props.get(PLURAL_PROP, "")
                human.append(
                    HumanUnit(project_source, tag, source_text, text, origin, context, plural)
                )
    if wanted is not None and not any(_same_language(t, wanted) for t in targets_seen):
        raise InputError(
            f"{source} has no translations into '{locale}' "
            f"(it has: {', '.join(sorted(targets_seen)) or 'none'}).",
            hint="Check the file, or import it without --locale.",
        )
    if count and not human and not machine:
        reasons = sorted({reason for _, reason in skipped}) or ["no translation"]
        raise InputError(
            f"{source}: none of its {count} units can be used ({reasons[0]}"
            + (f", and {len(reasons) - 1} other reasons" if len(reasons) > 1 else "")
            + "); the memory was not changed.",
            hint="Check the file's languages (srclang, xml:lang) against the project's source "
            f"language '{project_source}' and locales.",
        )
    memory_file = memory_path or default_memory_path()
    human_added = machine_added = 0
    known = 0
    with TranslationMemory(memory_file, read_only=dry_run) as memory:
        for model, rows in machine.items():
            have = memory.lookup(model, [s for s, _ in rows])
            new = [(s, stored) for s, stored in rows if s not in have]  # never overwrite
            machine_added += len(new)
            known += len(rows) - len(new)
            memory.store(model, new)
        if dry_run:
            present = {
                (u.source_lang, u.target_lang, u.source, u.target) for u in memory.human_units()
            }
            fresh = {(u.source_lang, u.target_lang, u.source, u.target) for u in human} - present
            human_added = len(fresh)
        else:
            human_added = memory.store_human(human)
        known += len(human) - human_added  # a pair the file repeats is known the second time
    return TmxImportResult(
        source=source,
        memory=memory_file,
        dry_run=dry_run,
        units=count,
        human_added=human_added,
        machine_added=machine_added,
        known=known,
        skipped=tuple(skipped),
        unsafe=unsafe_count,
    )


#: Placeholder kinds a translation keeps exactly (tags and links are compared on their own).
_KEPT_KINDS = frozenset({"percent", "brace", "jinja"})


def _named(key: str) -> bool:
    """Whether a placeholder names its value (``{name}``, ``{1}``, ``%(name)s``, ``{{ x }}``):
    it may appear any number of times. Not a tag, a mask token, ``%s`` or ``{}``."""
    return key.startswith("%(") or (key.startswith("{") and key != "{}")


def unsafe_pair(source: str, target: str, plural_of: str | None = None) -> str | None:
    """Why a translation pair must not go into the memory, whose units ``translate`` reuses:
    a placeholder the target drops or adds, a tag it adds or drops (translatable attributes
    such as ``alt`` may differ), a script or data link (a vendor's TMX put ``<script>`` and
    ``javascript:`` links into the memory with exit 0). None when the pair is sound.
    ``plural_of``: the other source text of a plural entry's pair (:data:`PLURAL_PROP`): the
    target may add a placeholder that text has, and leave out one both texts have.

    >>> unsafe_pair("Hi %(name)s", "Hej %(name)s") is None
    True
    >>> print(unsafe_pair("Hi %(name)s", "Hej"))
    the target drops '%(name)s'
    >>> print(unsafe_pair("Hi", "Hej <script>alert(1)</script>"))
    the target adds '<script>'
    >>> print(unsafe_pair('See <a href="x">it</a>', 'Se <a href="javascript:x">den</a>'))
    a script or data link (href=javascript:x)
    >>> unsafe_pair("Renew this donation", "Продлить {n} пожертвование", "Renew {n} donations")
    >>> print(unsafe_pair("Renew this donation", "Продлить {x}", "Renew {n} donations"))
    the target adds '{x}'
    >>> print(unsafe_pair("Hi XPH0X,", "Hej,"))
    the target drops 'XPH0X'
    >>> unsafe_pair("Hi {name}", "Hej {name}, {name}") is None
    True
    >>> print(unsafe_pair("%s of %s", "%s af %s %s"))
    the target adds '%s'
    """
    from collections import Counter

    from ..checks.markup import tags_of
    from ..placeholders import find_placeholders
    from ..render.links import script_urls_in_html

    def kept(text: str) -> Counter[str]:
        found = Counter(p.text for p in find_placeholders(text) if p.kind in _KEPT_KINDS)
        found.update(f"tag {t.key}" for t in tags_of(text))
        # A machine unit's placeholders are MT mask tokens (<ph>XPH0X</ph>): one the target
        # lost could never be restored, and translate would take the unit from the memory
        # instead of asking the model again.
        found.update(m.group() for m in _MASK_TOKEN.finditer(text))
        return found

    scripts = script_urls_in_html(target)
    if scripts:
        return f"a script or data link ({scripts[0]})"
    from ..checks.urls import is_example, links_of, localisable_links
    from ..render.links import moved_link

    sources = (source,) if plural_of is None else (source, plural_of)
    moved = moved_link(sources, target)
    if moved is not None:  # href="https://nordlys.dk/..." -> "https://nordlys-login.ru/..."
        return f"the target changes a link ({moved})"
    linked, free = links_of(source), localisable_links(source)
    if plural_of is not None:
        linked, free = linked | links_of(plural_of), free | localisable_links(plural_of)
    # A localised example takes the place of the one it replaces, as for the urls check
    # ("example@mastodon.social" -> "pavyzdys@mastodon.social", Liberapay's Lithuanian).
    spare = sum(((linked - links_of(target)) & free).values())
    new_links = sorted(x for x in (links_of(target) - linked).elements() if not is_example(x))
    new_links = new_links[spare:]
    if new_links:  # a URL in the text, which mail clients make a link
        return f"the target adds the link {new_links[0]!r}"
    ours, theirs = kept(source), kept(target)
    shown = {t.key: t.text for t in tags_of(target)} | {t.key: t.text for t in tags_of(source)}
    added, dropped = theirs - ours, ours - theirs
    # A named placeholder used more or fewer times than the source uses it is the same value
    # ("{1} ... {1}", as the placeholders check takes it); a positional %s is one more value.
    added = Counter({k: n for k, n in added.items() if not (_named(k) and k in ours)})
    dropped = Counter({k: n for k, n in dropped.items() if not (_named(k) and k in theirs)})
    if plural_of is not None:
        other = kept(plural_of)
        added = Counter({k: n for k, n in added.items() if k.startswith("tag ") or k not in other})
        dropped = Counter(
            {k: n for k, n in dropped.items() if k.startswith("tag ") or k not in other}
        )
    for what, items in (("adds", added), ("drops", dropped)):
        for item in items:
            text = shown.get(item.removeprefix("tag "), item) if item.startswith("tag ") else item
            return f"the target {what} {text!r}"
    return None


def _variants(tu: etree._Element) -> list[tuple[str, str]] | None:
    """``(language, text)`` of each ``<tuv>``; inline codes keep their native text."""
    found = []
    for tuv in (c for c in tu if local_name(c) == "tuv"):
        lang = tuv.get(XML_LANG) or tuv.get("lang")
        if not lang:
            return None
        seg = next((c for c in tuv if local_name(c) == "seg"), None)
        found.append((lang, "".join(seg.itertext()) if seg is not None else ""))
    return found


def _source_variant(variants: list[tuple[str, str]], project_source: str) -> str | None:
    """The language of the ``<tuv>`` in the project's source language (its own tag first:
    ``en-US`` before ``en-GB`` for an ``en_US`` project), for a unit of ``srclang="*all*"``."""
    exact = next((lang for lang, _ in variants if _same_tag(lang, project_source)), None)
    if exact is not None:
        return exact
    language = project_source.split("-")[0].lower()
    return next(
        (lang for lang, _ in variants if _tag(lang).split("-")[0].lower() == language), None
    )


def _tag(language: str) -> str:
    """A TMX language (``EN-US``, ``en_US``) as a BCP 47 tag (``en-US``); unknown ones as given."""
    try:
        return bcp47(locale_id(language))
    except InputError:
        return language


def _same_tag(first: str, second: str) -> bool:
    return first.replace("_", "-").lower() == second.replace("_", "-").lower()


def _score(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None
