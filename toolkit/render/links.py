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

import html
import re
from urllib.parse import urlsplit

#: A msgstr that is nothing but a URL (scheme, no spaces), or a scheme-less path/fragment.
_BARE_URL = re.compile(r"^\s*(?:[A-Za-z][A-Za-z0-9+.\-]*:|//)\S*\s*$")
_ATTR_URL = re.compile(
    r"""\b(href|src|action|formaction|xlink:href|poster|background|cite)\s*=\s*
        (?:"([^"]*)"|'([^']*)'|([^\s>"']+))""",
    re.IGNORECASE | re.VERBOSE,
)
#: The same pattern for scanning rendered HTML, twice as fast: the lookahead (the first
#: letters of the names, which under IGNORECASE also admits U+017F, as the names do) lets the
#: regex engine skip positions where no name can start before it evaluates ``\b``.
_ATTR_URL_SCAN = re.compile(r"(?=[hsafxpbc])" + _ATTR_URL.pattern, _ATTR_URL.flags)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
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


def link_targets(text: str) -> list[str]:
    """URLs a string would point to when used in HTML: the whole string when it is a URL, and
    every link attribute value inside it.

    >>> link_targets('Read <a href="https://example.com/t">the terms</a>.')
    ['https://example.com/t']
    >>> link_targets("javascript:alert(1)")
    ['javascript:alert(1)']
    >>> link_targets("Kl. 10:30 i morgen")
    []
    """
    found = [text.strip()] if _BARE_URL.match(text) else []
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
    """
    targets = link_targets(msgstr) if attributes else [msgstr.strip()] * bool(
        _BARE_URL.match(msgstr)
    )
    if not targets:
        return None
    sources = [url for msgid in msgids for url in link_targets(msgid)]
    return next((url for url in targets if not localises(url, sources)), None)


def script_urls_in_html(markup: str) -> list[str]:
    """Link attributes of rendered HTML whose URL would run code (``attr=value`` strings)."""
    if "=" not in markup:  # every link attribute has one: nothing to scan (most SMS/text)
        return []
    return [
        f"{match.group(1)}={value}"
        for match in _ATTR_URL_SCAN.finditer(markup)
        if is_script_url(value := next(g for g in match.groups()[1:] if g is not None),
                         match.group(1))
    ]
