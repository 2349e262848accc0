"""Where links may point: translations never move a link, no script URLs reach a customer.

Two rules, shared by message rendering, articles, FAQs and the showcase:

- **A translation keeps its source's link targets.** A URL in a msgstr (the whole msgstr when it
  is a URL, as in ``href="{{ _('https://example.com/help') }}"``, or an ``href``/``src`` inside
  it) must be one of the msgid's URLs, or a localisation of one: the same scheme and host with
  another path (``https://example.com/da/hjaelp``). Anything else makes the translation unusable
  and the source text is used instead.
- **No script URLs in rendered HTML.** ``javascript:``, ``vbscript:`` and ``data:`` (except
  ``data:image/...`` in ``src``) are refused in link attributes, whether they came from the
  template, a translation or customer data (``shop_url=javascript:...``).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

#: A msgstr that is nothing but a URL (scheme, no spaces), or a scheme-less path/fragment.
#: A string that is a URL as a whole: a scheme and something after its colon, or ``//``. A
#: label that ends in its colon ("Detaljer:", "Dokumentai:") points nowhere.
_BARE_URL = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:(?=\S)|//)\S*\s*$")
_ATTR_URL = re.compile(
    r"""\b(href|src|action|formaction|xlink:href|poster|background|cite)\s*=\s*
        (?:"([^"]*)"|'([^']*)'|([^\s>"']+))""",
    re.IGNORECASE | re.VERBOSE,
)
#: Lengths of the attribute names of ``_ATTR_URL``, longest first.
_NAME_LENGTHS = (10, 6, 4, 3)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]+")
SCRIPT_SCHEMES = ("javascript", "vbscript", "data", "file")


def _scheme(url: str) -> str:
    """The lower-case scheme of ``url`` as a browser reads it (entities decoded, control
    characters and whitespace removed: ``jav&#x09;ascript:`` is ``javascript``)."""
    cleaned = _CONTROL.sub("", html.unescape(url))
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else ""


def is_script_url(url: str, attribute: str = "href") -> bool:
    """True for URLs that run code or smuggle content instead of linking.

    >>> is_script_url("javascript:alert(1)"), is_script_url(" JaVa&#x09;script:x")
    (True, True)
    >>> is_script_url("https://example.com"), is_script_url("data:image/png;base64,AA", "src")
    (False, False)
    """
    scheme = _scheme(url)
    if scheme == "data" and attribute.lower() == "src":
        cleaned = _CONTROL.sub("", html.unescape(url)).lower()
        return not cleaned.startswith("data:image/") or cleaned.startswith("data:image/svg")
    return scheme in SCRIPT_SCHEMES


def is_script_value(value: str) -> bool:
    """A printed value that is one script URL (``javascript:``, ``vbscript:``, ``data:``,
    ``file:``, no space in it): never sent, in a link or as text (an SMS ``Open
    javascript:...``). Prose with a colon ("JavaScript: required", "Data: 5 GB") is no URL.

    >>> is_script_value("javascript:alert(1)"), is_script_value(" JaVa&#x09;script:x")
    (True, True)
    >>> is_script_value("JavaScript: required"), is_script_value("data:text/html,<b>x</b>")
    (False, True)
    """
    stripped = value.strip()
    return " " not in stripped and _scheme(stripped) in SCRIPT_SCHEMES


def link_targets(text: str) -> list[str]:
    """URLs a string would point to when used in HTML: the whole string when it is a URL, and
    every link attribute value inside it.

    >>> link_targets('Read <a href="https://example.com/t">the terms</a>.')
    ['https://example.com/t']
    >>> link_targets("javascript:alert(1)")
    ['javascript:alert(1)']
    >>> link_targets("Kl. 10:30 i morgen"), link_targets("Detaljer:")
    ([], [])
    """
    # A browser drops tabs and line breaks anywhere in a URL (WHATWG URL parsing): the URL it
    # opens for "https://nordlys.example\r@evil.com/help" is https://evil.com/help.
    squeezed = _TAB_OR_NEWLINE.sub("", text)
    found = [squeezed.strip()] if _BARE_URL.match(squeezed) else []
    for match in _ATTR_URL.finditer(text):
        found.append(next(g for g in match.groups()[1:] if g is not None))
    return found


def localises(url: str, sources: list[str]) -> bool:
    """``url`` is one of ``sources`` or the same scheme and host with another path."""
    if url in sources:
        return True
    if is_script_url(url):
        return False
    target = urlsplit(_CONTROL.sub("", html.unescape(url)))
    for source in sources:
        origin = urlsplit(_CONTROL.sub("", html.unescape(source)))
        if (
            origin.scheme
            and target.scheme.lower() == origin.scheme.lower()
            and target.netloc.lower() == origin.netloc.lower()
            and origin.scheme.lower() in ("http", "https", "mailto", "tel")
        ):
            return True
    return False


def moved_link(
    msgids: tuple[str, ...], msgstr: str, *, attributes: bool = True
) -> str | None:
    """The first link target in ``msgstr`` that its source does not allow, or None.

    With ``attributes=False`` only a msgstr that is a URL as a whole counts (tags in a
    translation are escaped unless verbatim in the source, so their attributes cannot move).

    >>> moved_link(("https://example.com/help",), "https://example.com/da/hjaelp") is None
    True
    >>> moved_link(("https://example.com/help",), "javascript:alert(1)")
    'javascript:alert(1)'
    >>> moved_link(("Help",), "https://evil.example")
    'https://evil.example'
    >>> moved_link(("https://example.com/help",), "https://example.com\\r@evil.com/help")
    'https://example.com@evil.com/help'
    """
    squeezed = _TAB_OR_NEWLINE.sub("", msgstr)
    targets = link_targets(msgstr) if attributes else [squeezed.strip()] * bool(
        _BARE_URL.match(squeezed)
    )
    if not targets:
        # A URL's translation that is no URL ("https://nordlys.example @evil.com"): where the
        # template puts it, in an href, it is no link the source allows.
        if msgstr.strip() and any(_BARE_URL.match(msgid) for msgid in msgids):
            return msgstr.strip()
        return None
    sources = [url for msgid in msgids for url in link_targets(msgid)]
    return next((url for url in targets if not localises(url, sources)), None)


def script_urls_in_html(markup: str) -> list[str]:
    """Link attributes of rendered HTML whose URL would run code (``attr=value`` strings)."""
    return [
        f"{match.group(1)}={value}"
        for match in _attribute_urls(markup)
        if _is_script_url(value := next(g for g in match.groups()[1:] if g is not None),
                          match.group(1))
    ]


def _attribute_urls(markup: str) -> Iterator[re.Match[str]]:
    """``_ATTR_URL.finditer(markup)``, match for match, trying the pattern only where an
    attribute name could end before an ``=`` (a name, spaces, ``=``) instead of at every
    position of the text: a rendered e-mail is scanned for every customer.

    A match's ``=`` is the first one after its start (names hold none, only whitespace
    follows them), so its name ends where the whitespace before that ``=`` begins and it
    starts one name length earlier; the candidates are tried leftmost first, as ``finditer``
    would find them.
    """
    position = 0
    while True:
        equals = markup.find("=", position)
        if equals < 0:
            return
        end = equals
        while end > position and markup[end - 1].isspace():  # the \s* before the "="
            end -= 1
        for length in _NAME_LENGTHS:
            if end - length >= position:
                match = _ATTR_URL.match(markup, end - length)
                if match is not None:
                    yield match
                    position = match.end()
                    break
        else:
            position = equals + 1


@functools.lru_cache(maxsize=1024)
def _is_script_url(url: str, attribute: str) -> bool:
    """:func:`is_script_url`, remembered: most link targets of a batch are the template's."""
    return is_script_url(url, attribute)
