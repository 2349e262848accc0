"""Links and addresses: a changed URL or e-mail address sends customers to the wrong place."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator

from ..placeholders import EMAIL_PATTERN, URL_PATTERN
from .base import CheckContext, Entry, EntryCheck, register

# The patterns of toolkit.placeholders, searched everywhere in the string: there a URL
# inside a tag's href is part of the tag placeholder, here it must be found on its own.
#: A script URL written in text (``javascript:alert(1)``): a translation that adds one is
#: link injection as much as one that adds an https:// link.
_SCRIPT_URL = r"(?<![\w])(?i:(?:java|vb)script):[^\s\"'<>]+"
#: A protocol-relative link target (``[log ind](//evil.example/login)``, ``href="//cdn.x"``):
#: a browser opens it on the page's scheme, so it sends a customer away as ``https://`` does
#: (QA pass 68). Only where a link target is written: right after ``](`` (or after spaces or
#: ``<`` there, and after a Markdown reference's ``]:``, as CommonMark reads them), after
#: ``="`` or ``='``, or after a link attribute's ``=`` (``href=//x``) (QA passes 69, 71); in
#: prose, ``base=//cdn`` and ``(//2026)`` included, ``//`` is no link.
_LINK_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "background", "cite")
_TARGET_START = (
    r"(?:(?<=\]\()|(?<==\")|(?<==')|(?<=(?i:url)\()|(?<=(?i:url)\(\")|(?<=(?i:url)\(')|"
    + "|".join(f"(?<=(?i:{name})=)" for name in _LINK_ATTRIBUTES)
    + r"|(?:(?<=\]\()|(?<=\]:))\s*<|(?<=\]\()\s+|(?<=\]:)\s*)"
)
#: ``\`` is ``/`` to a browser in a web URL: ``/\evil.example`` is protocol-relative too.
_RELATIVE_SCHEME = _TARGET_START + r"[/\\]{2}[^\s\"'<>()/\\]+[^\s\"'<>()]*"
#: A web link written without its slashes where a link target stands (``](https:evil.com)``,
#: ``href="https:/evil.com"``, CommonMark's autolink ``<https:evil.com>``): browsers and
#: Markdown renderers open it as ``https://evil.com`` (QA pass 83).
_SLASHLESS_SCHEME = (
    f"(?:{_TARGET_START}|(?<=<))" r"(?i:https?|ftp):(?!//)[^\s\"'<>()]+"
)
#: A web URL on a host of another script (``https://例え.jp/``, IDN): the shared pattern
#: stops at CJK letters, which Chinese and Japanese write against a link (QA pass 83).
_IDN_HOST = r"(?:[\w-]+\.)+(?:[A-Za-z]{2,63}(?![A-Za-z0-9_-])|[^\W\d_A-Za-z]{2,63})"
_IDN_URL = (
    r"(?i:https?|ftp)://(?=[\w.-]*[^\x00-\x7f])" + _IDN_HOST
    + r"(?::\d+)?(?:[/?#][A-Za-z0-9\-._~:/?#@!$&*+,;=%]*(?<![.,;:!?]))?"
)
#: An address whose domain is written in another script (``x@bücher.de``, ``x@evil.москва``):
#: an ASCII top-level domain ends at the first letter of another script (Korean writes its
#: particle against it: ``info@bücher.de로``).
_IDN_EMAIL = (
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@(?=[\w.-]*[^\x00-\x7f])" + _IDN_HOST
)
#: A web URL glued to the word before it (``Læshttps://evil.com``): a mail client's
#: autolinker still finds it; the shared pattern wants a word boundary before it.
_URL_START = r"(?<![A-Za-z0-9_])(?:(?i:https?|ftp)://|(?i:www)\.)"
assert URL_PATTERN.startswith(_URL_START)
_ANY_URL = r"(?:(?i:https?|ftp)://|(?<![A-Za-z0-9_])(?i:www)\.)" + URL_PATTERN[len(_URL_START):]
_LINK = re.compile(
    f"{_ANY_URL}|{EMAIL_PATTERN}|{_SCRIPT_URL}|{_RELATIVE_SCHEME}|{_SLASHLESS_SCHEME}|"
    f"{_IDN_URL}|{_IDN_EMAIL}"
)


#: A link illustrates a format when "example" names its host (example.com, example.org,
#: docs.example.net) or its address's local part (example@mastodon.social). A reserved
#: ``.example`` top-level domain is not enough: projects use it as their stand-in domain.
_EXAMPLE_WORD = "example"
#: ``placeholder="..."`` and other attribute values a translator translates (text, not links).
_TEXT_ATTRIBUTE = re.compile(
    r"""\b(?:placeholder|title|alt|aria-label|aria-description|label|summary)\s*=\s*"""
    r"""(?:"([^"]*)"|'([^']*)')""",
    re.IGNORECASE,
)


def is_example(link: str) -> bool:
    """Whether a URL or address is an illustration: an example domain or local part, or a
    host without a dot (``http://localhost:8000/``, ``http://server/trac``), which names no
    site on the Internet but the reader's own machine or server: Trac's Korean catalog writes
    ``http://서버/파일`` for ``http://server/file``.

    >>> [is_example(x) for x in ("joe@example.com", "https://example.org/a.csv",
    ...  "example@mastodon.social", "support@liberapay.com", "https://shop.test/x")]
    [True, True, True, False, False]
    >>> [is_example(x) for x in ("http://localhost:8000/", "http://server/trac",
    ...  "http://127.0.0.1:8000/", "www.edgewall.org")]
    [True, True, False, False]
    """
    if link[:11].lower().startswith(("javascript:", "vbscript:")):
        return False  # no host: a script, never an illustration (QA pass 75)
    local, at, domain = link.rpartition("@")
    if at:
        if local.lower().removeprefix("mailto:") == _EXAMPLE_WORD:
            return True
        host = domain
    else:
        host = re.sub(r"^(?:[a-z]+:)?//", "", link, flags=re.IGNORECASE).split("/")[0].split(":")[0]
        if "." not in host:
            return True
    return _EXAMPLE_WORD in host.lower().split(".")[:-1]


#: Domains reserved for illustration (RFC 2606): no one can own a site there. (Not the
#: ``.example`` or ``.test`` top-level domains: projects and tests use them as stand-ins for
#: real sites, ``nordlys.example``, ``evil.example``.)
_RESERVED_DOMAINS = ("example.com", "example.net", "example.org")


def reserved_example(link: str) -> bool:
    """Whether a link can only illustrate: an ``http(s)://`` URL or an address whose host is
    reserved for examples (``example.org`` and its subdomains) or is the reader's own machine
    (``localhost``, a host without a dot). Stricter than :func:`is_example`, which takes
    ``example.shop.dk`` too: a link a translation adds must name no site anyone can own.

    >>> [reserved_example(x) for x in ("https://example.org/search?q=x", "http://localhost:8888/",
    ...  "joe@mail.example.com", "https://example.evil.com/login", "http://127.0.0.1/",
    ...  "//example.org/x", "HTTPS://evil.example", "http://3627734734/", "http://ai./",
    ...  "http://[::1]/", "http://evil%2Ecom/", "http://0xd83ad6ce/")]
    [True, True, True, False, False, False, False, False, False, False, False, False]
    """
    local, at, domain = link.rpartition("@")
    if at:
        host = domain
        if "/" in local or ":" in local.lower().removeprefix("mailto:"):
            return False  # (credentials in a URL: https://example.org@evil.com)
    else:
        scheme = re.match(r"https?://", link, flags=re.IGNORECASE)
        if scheme is None:
            return False  # (a protocol-relative //host is a link target wherever it stands)
        host = link[scheme.end():]
    host = re.split(r"[/\\?#:]", host, maxsplit=1)[0].lower()  # (\ is / to a browser)
    if "." not in host:
        # The reader's own machine: ``localhost`` or a name of letters (``http://server/``).
        # Not a number (``http://3627734734/`` is an IP address), ``[::1]``, ``%2E``, or
        # letters of another script, which may look like ``localhost`` (QA pass 83).
        return host == "localhost" or (host.isascii() and host.isalpha())
    return any(host == d or host.endswith("." + d) for d in _RESERVED_DOMAINS)




def _without_added_examples(extra: list[str], translation: str) -> list[str]:
    """``extra`` without the links the translation adds to its text as illustrations
    (``URL de recherche (ex. https://example.org/search?q=x)``, ``http://localhost:8888/``:
    SearXNG's French, QA pass 82): reserved example hosts in prose, not link targets."""
    text = _LINK_TARGET.sub(" ", folded(translation))
    prose: Counter[str] = Counter()
    for match in _LINK.finditer(text):
        following = text[match.end():match.end() + 1]
        # (a link cut short, at "http://evil。com" or "http://evil.ｃｏｍ", is no illustration)
        if following != DOT_MARK and not (following.isascii() and following.isalnum()):
            prose[_case_folded(match.group(0).lstrip(" \t\n<"))] += 1
    kept = []
    for link in extra:
        if prose[link] > 0 and reserved_example(link):
            prose[link] -= 1
        else:
            kept.append(link)
    return kept


#: Where a link is a target, not prose: inside a tag (``href=``) or a Markdown ``](url)``.
#: (A Markdown target with a title, ``](http://x.org "t")``, and a reference definition,
#: ``[1]: http://x.org``, are targets too.)
_LINK_TARGET = re.compile(r"<[^<>]*>|\]\([^()]*\)|\]:[ \t]*\S+")


@functools.lru_cache(maxsize=65536)
def localisable_links(text: str) -> Counter[str]:
    """Links a translator may localise: examples in the text (an example in ``href=`` is
    still a link target), any link inside a translatable attribute (``placeholder=``), and
    every link of a string that is nothing but a list of links with an example among them
    (a sample value, as passed to a form field's ``placeholder=`` from a template).

    >>> sorted(localisable_links("john.doe@example.com, mary.moe@site.com"))
    ['john.doe@example.com', 'mary.moe@site.com']
    >>> sorted(localisable_links("Write to john@example.com or help@shop.dk"))
    ['john@example.com']
    """
    prose = _LINK_TARGET.sub(" ", folded(text))
    in_prose = links_of(prose)
    if any(map(is_example, in_prose)) and not _LINK.sub("", prose).strip(" ,;/|\n\t"):
        return Counter(in_prose)
    found = Counter(link for link in in_prose.elements() if is_example(link))
    for match in _TEXT_ATTRIBUTE.finditer(text):
        found |= links_of(match.group(1) or match.group(2) or "")
    return found


_URL_PARTS = re.compile(r"([/.?&=#])")
_LOCALE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z]{2,4}){0,2}", re.IGNORECASE)


def localised_variant(source: str, target: str, locale: str) -> bool:
    """Whether ``target`` is the link ``source`` pointed at the reader's language (that of
    ``locale``): the same but for locale codes in its path, subdomain or query (``/en-US/``
    -> ``/fr-FR/``, ``en.wikipedia.org`` -> ``fr.wikipedia.org``, ``?lang=en`` ->
    ``?lang=fr``). noggin's French and Korean links to Fedora's documentation were errors
    that stopped compile; a link to another language's page still is one.

    >>> localised_variant("https://docs.fedoraproject.org/en-US/accounts/",
    ...                   "https://docs.fedoraproject.org/fr-FR/accounts/", "fr_FR")
    True
    >>> localised_variant("https://docs.fedoraproject.org/en-US/accounts/",
    ...                   "https://docs.fedoraproject.org/zh-CN/accounts/", "fr_FR")
    False
    >>> localised_variant("https://shop.example/api/v1/", "https://shop.example/api/v2/", "da")
    False
    >>> localised_variant("https://shop.dk/en/help", "https://evil.dk/da/help", "da")
    False

    A site whose own language has no code in its paths: the source's code left out
    (privacyidea's German link to ``netknights.it/produkte/...``). A code put in where the
    source has none is still a change (pofilter's too: a hurried edit that links a page
    which may not exist).

    >>> localised_variant("https://netknights.it/en/produkte/pi/",
    ...                   "https://netknights.it/produkte/pi/", "de")
    True
    >>> localised_variant("https://shop.dk/help", "https://shop.dk/da/help", "da_DK")
    False
    """
    ours, theirs = _URL_PARTS.split(source), _URL_PARTS.split(target)
    if len(ours) != len(theirs):
        return _locale_segment_dropped(ours, theirs)
    reader = _language(locale)
    changed = [(a, b) for a, b in zip(ours, theirs, strict=True) if a != b]
    return bool(changed) and all(
        _language(a) is not None and _language(b) == reader for a, b in changed
    )


def _secured(source: str, target: str) -> bool:
    """Whether ``target`` is ``source`` with ``http://`` made ``https://`` (the same page;
    CKAN's Chinese opendefinition.org link was an error that stopped compile; QA pass 76).
    Never the other way: a downgrade is a change.

    >>> _secured("http://a.org/x", "https://a.org/x"), _secured("https://a.org/x", "http://a.org/x")
    (True, False)
    """
    return source.startswith("http://") and target == "https://" + source[len("http://") :]


def _locale_segment_dropped(ours: list[str], theirs: list[str]) -> bool:
    """``theirs`` is ``ours`` (both split at ``_URL_PARTS``) without one path segment that is
    a locale code, after the same host."""
    longer, shorter = ours, theirs
    if len(longer) != len(shorter) + 2 or ours[1:4] != ["/", "", "/"]:
        return False  # one segment and its "/" more, in an absolute URL
    try:
        path = shorter.index("/", 4) + 1  # after the host, which must be the same
    except ValueError:
        return False
    if longer[:path] != shorter[:path]:
        return False
    for start in range(path, len(longer) - 1):
        segment, slash = longer[start], longer[start + 1]
        if slash == "/" and longer[:start] + longer[start + 2 :] == shorter:
            return _language(segment) is not None
    return False


def _language(text: str) -> str | None:
    """The language of a locale code (``fr-FR`` -> ``fr``), None for anything else."""
    if not _LOCALE_CODE.fullmatch(text):
        return None
    from ..errors import ToolkitError
    from ..locales import parse_locale

    try:
        return str(parse_locale(text).language)
    except (ToolkitError, ValueError):
        return None


#: The msgids whose translation credits its translators, with their e-mail addresses and
#: sites (GNOME's ``translator-credits``, KDE's ``Your emails``): pofilter's credit sources.
#: A link there is the point of the entry (QA pass 72: 26 GNOME catalogs refused compile).
CREDITS = frozenset({
    "translator-credits", "translator_credits", "Your names", "Your emails",
    "ROLES_OF_TRANSLATORS", "NAME OF TRANSLATORS", "EMAIL OF TRANSLATORS",
})  # fmt: skip


#: Characters a browser drops from a host name (UTS 46 "ignored"): ``evil\u200b.com`` is
#: ``evil.com``.
_IGNORED = re.compile("[\u00ad\u034f\u180b-\u180d\u200b\u2060\ufe00-\ufe0f\ufeff]")


def folded(text: str) -> str:
    """``text`` as a browser reads the links in it: character references decoded (a
    Markdown renderer or the HTML parser turns ``&#104;ttps&#58;//`` into ``https://``),
    full-width letters and digits made plain (``ｅｖｉｌ`` is ``evil``), characters a host
    name drops removed, and the dots of other scripts (``。``, ``．``) marked, so a link stops
    there and is no illustration (QA pass 83). Sentence punctuation stays as written: a
    Chinese ``。`` before "Python" ends the sentence, not the address. Applied to the source
    and the translation alike.

    >>> folded("&#104;ttps&#58;//ｅｖｉｌ.com/"), folded("evil\u200b.com")
    ('https://evil.com/', 'evil.com')
    """
    if "&" in text:
        import html

        text = _REFERENCE.sub(lambda m: html.unescape(m.group(0)), text)
    if "%" in text:  # (a host's %2E and an address's %40 are decoded: evil%2Ecom, x%40evil)
        text = _ENCODED.sub(lambda m: "." if m.group(1) else "@", text)
    if (("\t" in text or "\n" in text or "\r" in text or '=" ' in text or "=' " in text)
            and ("=" in text or "](" in text) and _TARGET_VALUE.search(text)):
        text = _TARGET_VALUE.sub(_tidied, text)
    if text.isascii() or not _FOLDABLE.search(text):
        return text
    return _IGNORED.sub("", text).translate(_FOLDED_CHARACTERS)


#: A character reference as a browser decodes it in a link: numeric with or without its
#: ";", named only with it (``&region=eu`` in a query is no ``&reg;``).
_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;)")
#: A mark no link pattern takes, for a dot of another script.
DOT_MARK = "\ue001"
_FOLDABLE = re.compile(
    "[\u00ad\u034f\u180b-\u180d\u200b\u2060\ufe00-\ufe0f\ufeff\u3002\uff0e\uff10-\uff19"
    "\uff21-\uff3a\uff41-\uff5a\uff61]"
)
_FOLDED_CHARACTERS = {
    **{code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                         *range(0xFF41, 0xFF5B))},
    **dict.fromkeys((0x3002, 0xFF0E, 0xFF61), DOT_MARK),
}  # fmt: skip


_ENCODED = re.compile(r"%(?:2([eE])|40)")
#: An attribute value or Markdown target with what a browser takes out of a URL: tabs and
#: line breaks anywhere (``ht\ntps://``), spaces around it (``href=" https:evil.com"``).
_TARGET_VALUE = re.compile(
    r"""(=[ \t]*)"([^"]*[\t\n\r][^"]*|[ \t][^"]*)"|(=[ \t]*)'([^']*[\t\n\r][^']*|[ \t][^']*)'"""
    r"""|(\]\()([^()]*[\t\n\r][^()]*)(\))"""
)


def _tidied(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f'{match.group(1)}"{_url_text(match.group(2))}"'
    if match.group(3) is not None:
        return f"{match.group(3)}'{_url_text(match.group(4))}'"
    return f"{match.group(5)}{_url_text(match.group(6))}{match.group(7)}"


def _url_text(value: str) -> str:
    """A link target's text as a URL parser reads it (tabs and line breaks removed; spaces
    around it stripped), when it holds a link; other values (a title, alt text) as written."""
    bare = re.sub(r"[\t\n\r]", "", value).strip(" ")
    return bare if re.match(r"(?i:[a-z][a-z0-9+.-]*:|[/\\]{2})", bare) else value


@functools.lru_cache(maxsize=65536)
def links_of(text: str) -> Counter[str]:
    """URLs and e-mail addresses in a string (``mailto:`` included in the address), read as
    a browser reads them (:func:`folded`)."""
    text = folded(text)
    if "@" not in text and "//" not in text and "\\" not in text:
        lowered = text.lower()  # (wWw., JavaScRIPT: in any case, QA pass 75)
        if ("www." not in lowered and "script:" not in lowered and "http" not in lowered
                and "ftp:" not in lowered):  # (https:evil.com)
            return Counter()
    # (a protocol-relative target matched with what leads to it: "](  <//x")
    return Counter(_case_folded(m.group(0).lstrip(" \t\n<")) for m in _LINK.finditer(text))


_SCHEME_AND_HOST = re.compile(r"^((?:[A-Za-z][A-Za-z0-9+.-]*:)?(?://)?)([^/?#@]*@)?([^/?#]*)")


def _case_folded(link: str) -> str:
    """A link with its scheme and host in lower case, which browsers and mail servers read
    in any case: ``HTTPS://Shop.DK/Tilbud`` is ``https://shop.dk/Tilbud`` (a translation
    that only writes them otherwise changes no link; QA pass 73). The path keeps its case.

    >>> _case_folded("HTTPS://Shop.DK/Tilbud"), _case_folded("Ole@Gnome.DK")
    ('https://shop.dk/Tilbud', 'Ole@gnome.dk')

    An empty path is ``/``, as browsers read it:

    >>> _case_folded("http://mediagoblin.org") == _case_folded("http://mediagoblin.org/")
    True
    """
    if "@" in link and "/" not in link:  # an address: its domain
        local, _, domain = link.rpartition("@")
        return f"{local}@{domain.lower()}"
    match = _SCHEME_AND_HOST.match(link)
    if match is None:
        return link
    scheme, user, host = match.groups()
    if not scheme.endswith("//") and not link[:4].lower() == "www.":
        return scheme.lower() + link[len(scheme):]  # javascript:..., no host to fold
    rest = link[match.end():]
    if scheme.lower() in ("http://", "https://") and host and not rest.startswith("/"):
        rest = "/" + rest  # http://shop.dk is http://shop.dk/ (the same page; QA pass 84)
    return f"{scheme.lower()}{user or ''}{host.lower()}{rest}"


@register
class UrlsCheck(EntryCheck):
    id = "urls"
    name = "URLs and e-mail addresses"
    description = (
        "A URL or e-mail address of the source is missing or changed in the translation "
        "(example addresses and links in attributes such as placeholder= may be localised; "
        "other localized links: suppress with no-check-urls)."
    )
    severity = "error"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        if entry.msgid in CREDITS:  # the translators' own names and addresses go there
            return
        for pair in entry.pairs():
            source, target = links_of(pair.source), links_of(pair.translation)
            if (not source and not target) or source == target:
                continue
            free = localisable_links(pair.source)
            missing_all = source - target
            missing = sorted((missing_all - free).elements())
            # A localised example ("jean@exemple.com") takes the place of the one it replaces.
            spare = sum((missing_all & free).values())
            extra = sorted((target - source).elements())[spare:]
            for link in list(missing):  # the same page in the customer's language
                twin = next((x for x in extra if localised_variant(link, x, context.locale)
                             or _secured(link, x)), None)  # fmt: skip
                if twin is not None:
                    missing.remove(link)
                    extra.remove(twin)
            if extra:
                extra = _without_added_examples(extra, pair.translation)
            if not missing and not extra:
                continue
            if missing and extra:
                yield f"{pair.label} changes {', '.join(missing)} to {', '.join(extra)}."
            elif missing:
                yield f"{pair.label} lacks {', '.join(missing)}."
            else:
                yield f"{pair.label} adds {', '.join(extra)}, which the source does not have."
