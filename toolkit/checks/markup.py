"""HTML/XML markup: tags a translation lost, added, changed or left unbalanced."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .base import CheckContext, Entry, EntryCheck, placeholders_of, register
from .urls import links_of

_TAG = re.compile(r"<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:-]*)(?P<attrs>[^<>]*?)(?P<self>/)?>")
#: What follows a tag name when the "tag" is a path: Trac's ``trac-admin </path/to/projenv>``
#: is console text. A browser needs ``=`` to give a ``/``-separated attribute a value
#: (``<svg/onload=...>``), so a tail without one carries no markup.
_PATH_TAIL = re.compile(r"(?:/[\w.~+-]+)+")
_ATTR = re.compile(r"""([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
#: Attributes whose values are text a translator should translate.
TRANSLATABLE_ATTRIBUTES = frozenset(
    {"alt", "title", "aria-label", "aria-description", "placeholder", "label", "summary"}
)
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
#: HTML elements (WHATWG list plus common obsolete ones that e-mail HTML still uses). A tag
#: with another name counts only when the source opens and closes it (XML, custom elements):
#: ``<field>:<value>`` or ``<unused singular (hash=...)>`` are text, not markup.
HTML_ELEMENTS = VOID_ELEMENTS | frozenset(
    """a abbr address article aside audio b bdi bdo big blink blockquote body button canvas
    caption center cite code data datalist dd del details dfn dialog div dl dt em fieldset
    figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hgroup html i iframe ins
    kbd label legend li main map mark menu meter nav noscript object ol optgroup option output
    p param picture pre progress q rp rt ruby s samp script search section select slot small
    span strike strong style sub summary sup svg table tbody td template textarea tfoot th
    thead time title tr tt u ul var video math path g circle rect""".split()
)


@dataclass(frozen=True)
class Tag:
    name: str  # lower-case
    closing: bool
    self_closing: bool
    key: str  # the tag with translatable attribute values blanked, for comparison
    text: str


def _well_formed_attributes(attrs: str) -> bool:
    """Whether a tag's attribute text is only ``name``, ``name=value`` pairs and spaces."""
    rest = _ATTR.sub("", attrs)
    return not rest.strip(" \t\n/")


@functools.lru_cache(maxsize=65536)
def tags_of(text: str, also: frozenset[str] = frozenset()) -> tuple[Tag, ...]:
    """The HTML/XML tags of a string, in order.

    A tag is an HTML element, or an element ``text`` (or the names in ``also``) both opens
    and closes, with well-formed attributes; other ``<...>`` is prose, and so is a path.

    >>> [t.text for t in tags_of("Must be <field>:<value> pairs, <b>now</b>")]
    ['<b>', '</b>']
    >>> [t.name for t in tags_of("<x-note>Hi</x-note> <unused singular (hash=1f)>")]
    ['x-note', 'x-note']
    >>> tags_of("Usage: trac-admin </path/to/projenv> [command]")
    ()
    """
    candidates = []
    for placeholder in placeholders_of(text):
        if placeholder.kind != "tag":
            continue
        match = _TAG.fullmatch(placeholder.text)
        if match is None or _PATH_TAIL.fullmatch(match.group("attrs")):
            continue
        # Odd attributes make a tag prose (``<unused singular (hash=1f)>``), but not one of an
        # HTML element: a browser reads ``<img/src=x/onerror=alert(1)>`` as markup.
        if match.group("name").lower() in HTML_ELEMENTS or _well_formed_attributes(
            match.group("attrs")
        ):
            candidates.append(match)
    opened = {m.group("name").lower() for m in candidates if not m.group("close")}
    closed = {m.group("name").lower() for m in candidates if m.group("close")}
    known = HTML_ELEMENTS | (opened & closed) | also
    found = []
    for match in candidates:
        name = match.group("name").lower()
        if name not in known:
            continue
        attrs = []
        for attr in _ATTR.finditer(match.group("attrs")):
            attr_name = attr.group(1).lower()
            value = attr.group(2) or ""
            if attr_name in TRANSLATABLE_ATTRIBUTES:
                value = "…"
            elif links_of(value.strip("\"'")):
                value = "URL"  # a changed link is the urls check's finding, not a tag change
            attrs.append(f"{attr_name}={value.strip(chr(34) + chr(39))}")
        closing = bool(match.group("close"))
        key = ("</" if closing else "<") + " ".join([name, *sorted(attrs)]) + ">"
        if not _well_formed_attributes(match.group("attrs")):
            key = match.group(0)  # compared as written: any change is a change
        found.append(Tag(name, closing, bool(match.group("self")), key, match.group(0)))
    return tuple(found)


def _prose_keys(tags: tuple[Tag, ...], text: str) -> frozenset[str]:
    """Element names used as words in a source with no closing tag at all: pgAdmin's
    ``<Select All>`` (a dropdown label) and ``label: <label>`` (a format description) are
    opened and never closed, without ``name=value`` attributes, and stand apart from the
    words around them. A translation may translate them. Markup that omits end tags
    (``<li>``) closes something else (``</ul>``); a tag glued to a word (``<b>Enter``,
    ``First<p>Second``) is markup.

    >>> sorted(_prose_keys(tags_of(t := "label: <label>, choose <Select All>"), t))
    ['<label>', '<select all=>']
    >>> [_prose_keys(tags_of(t), t) for t in ("<ul><li>One<li>Two</ul>", "Press <b>Enter")]
    [frozenset(), frozenset()]
    """
    if not tags or any(t.closing for t in tags):
        return frozenset()
    return frozenset(
        t.key for t in tags
        if not t.self_closing and t.name not in VOID_ELEMENTS and "=" not in t.text
        and not _glued(t.text, text)
    )  # fmt: skip


def _glued(tag: str, text: str) -> bool:
    """Whether ``tag`` touches a letter or digit anywhere it occurs in ``text``."""
    start = text.find(tag)
    while start >= 0:
        before = text[start - 1 : start]
        after = text[start + len(tag) : start + len(tag) + 1]
        if before.isalnum() or after.isalnum():
            return True
        start = text.find(tag, start + 1)
    return False


def balance_problem(tags: tuple[Tag, ...]) -> str | None:
    """Why the tags do not nest, or None."""
    stack: list[Tag] = []
    for tag in tags:
        if tag.self_closing or (tag.name in VOID_ELEMENTS and not tag.closing):
            continue
        if not tag.closing:
            stack.append(tag)
        elif not stack:
            return f"{tag.text} closes a tag that is not open"
        elif stack[-1].name != tag.name:
            return f"{tag.text} closes {stack[-1].text}"
        else:
            stack.pop()
    if stack:
        return f"{stack[-1].text} is never closed"
    return None


def _unmatched(these: Sequence[Tag], others: Sequence[Tag], key: str) -> str:
    """The text of a tag of ``key`` in ``these`` that ``others`` lacks: every link shares one
    key (its URL blanked), and the message named the link the translation has, not the one it
    dropped (CKAN's German about text; QA pass 76)."""
    left = Counter(t.text for t in others if t.key == key)
    mine = [t.text for t in these if t.key == key]
    for text in mine:
        if left[text]:
            left[text] -= 1
        else:
            return text
    return mine[-1]


#: Inline formatting elements: with no attributes, a pair of them only changes how words look.
#: A translation that adds or drops such pairs (German merges "<strong>not</strong> ...
#: <strong>any</strong>" into one word, "<strong>keine</strong>"; a translator marks up
#: ``<code>pip</code>``) breaks nothing, as long as its tags still nest: a warning
#: (``html-formatting``), not an error that blocks compile.
FORMATTING_ELEMENTS = frozenset(
    """b strong i em u s small big mark code kbd samp var sub sup tt cite q dfn abbr del ins
    strike br wbr""".split()  # (a line break added or dropped: Wagtail's Russian, Kiwi's
)  # Traditional Chinese; QA pass 81)


def _formatting(key: str) -> bool:
    """Whether a tag key is an attribute-less opening or closing formatting tag."""
    return key.strip("</> ") in FORMATTING_ELEMENTS


class _Difference:
    """How one string's tags differ from its source's."""

    __slots__ = ("label", "missing", "extra", "unbalanced", "formatting_only")

    def __init__(
        self, label: str, missing: list[str], extra: list[str], unbalanced: str | None,
        formatting_only: bool,
    ) -> None:
        self.label, self.missing, self.extra = label, missing, extra
        self.unbalanced = unbalanced  # why the translation's tags do not nest (none differ)
        self.formatting_only = formatting_only  # only formatting pairs differ; tags nest


def _differences(entry: Entry) -> Iterator[_Difference]:
    for pair in entry.pairs():
        if "<" not in pair.source and "<" not in pair.translation:
            continue  # no tag in either
        found = _difference(pair.label, pair.source, pair.translation)
        if found is not None:
            yield found


@functools.lru_cache(maxsize=4096)  # (html-tags and html-formatting ask in turn)
def _difference(label: str, source_text: str, translation: str) -> _Difference | None:
    """How the tags of ``translation`` differ from those of ``source_text``, or None."""
    source = tags_of(source_text)
    if not source and "<" not in translation:
        return None
    target = tags_of(translation, frozenset(t.name for t in source))
    prose = _prose_keys(source, source_text)
    if prose:
        source = tuple(t for t in source if t.key not in prose)
        target = tuple(t for t in target if t.key not in prose)
    if not source and not target:
        return None
    wanted = Counter(t.key for t in source)
    written = Counter(t.key for t in target)
    missing = [_unmatched(source, target, k) for k in wanted if written[k] < wanted[k]]
    extra = [_unmatched(target, source, k) for k in written if written[k] > wanted[k]]
    if missing or extra:
        changed = (wanted - written) + (written - wanted)
        formatting_only = (
            bool(source)  # tags added to plain text show as text in a text part
            and all(_formatting(k) for k in changed)
            and balance_problem(target) is None
            and balance_problem(source) is None
        )
        return _Difference(label, missing, extra, None, formatting_only)
    if balance_problem(source) is None:
        problem = balance_problem(target)
        if problem is not None:
            return _Difference(label, [], [], problem, False)
    return None


def _said(difference: _Difference) -> str:
    label, missing, extra = difference.label, difference.missing, difference.extra
    if difference.unbalanced is not None:
        return f"{label} has unbalanced tags: {difference.unbalanced}."
    if missing and extra:
        return f"{label} lacks {', '.join(missing)} and has {', '.join(extra)} instead."
    if missing:
        return f"{label} lacks the tag(s) {', '.join(missing)}."
    return f"{label} has tag(s) the source does not: {', '.join(extra)}."


@register
class HtmlTagsCheck(EntryCheck):
    id = "html-tags"
    name = "HTML tags"
    description = (
        "HTML tags missing, added, changed (other than translatable attributes such as alt and "
        "title) or unbalanced: the e-mail renders broken."
    )
    severity = "error"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        for difference in _differences(entry):
            if not difference.formatting_only:
                yield _said(difference)


@register
class HtmlFormattingCheck(EntryCheck):
    id = "html-formatting"
    name = "HTML formatting"
    description = (
        "Inline formatting tags without attributes (<strong>, <em>, <code>...) added or "
        "dropped in pairs, the markup still well nested: the words look different, nothing "
        "breaks."
    )
    severity = "warning"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        for difference in _differences(entry):
            if difference.formatting_only:
                yield _said(difference)
