"""Links and addresses: a changed URL or e-mail address sends customers to the wrong place."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterator

from .base import CheckContext, Entry, EntryCheck, register

# The same shapes as toolkit.placeholders, searched everywhere in the string: there a URL
# inside a tag's href is part of the tag placeholder, here it must be found on its own.
_LINK = re.compile(
    r"\b(?:https?|ftp)://[^\s<>\"'()]+[^\s<>\"'().,;:!?]"
    r"|\bwww\.[^\s<>\"'()]+[^\s<>\"'().,;:!?]"
    r"|\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b"
)


@functools.lru_cache(maxsize=65536)
def links_of(text: str) -> Counter[str]:
    """URLs and e-mail addresses in a string (``mailto:`` included in the address)."""
    if "@" not in text and "://" not in text and "www." not in text:
        return Counter()
    return Counter(m.group(0) for m in _LINK.finditer(text))


@register
class UrlsCheck(EntryCheck):
    id = "urls"
    name = "URLs and e-mail addresses"
    description = (
        "A URL or e-mail address of the source is missing or changed in the translation "
        "(localized links: suppress with no-check-urls)."
    )
    severity = "error"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        for pair in entry.pairs():
            source, target = links_of(pair.source), links_of(pair.translation)
            if source == target:
                continue
            missing = sorted((source - target).elements())
            extra = sorted((target - source).elements())
            if missing and extra:
                yield f"{pair.label} changes {', '.join(missing)} to {', '.join(extra)}."
            elif missing:
                yield f"{pair.label} lacks {', '.join(missing)}."
            else:
                yield f"{pair.label} adds {', '.join(extra)}, which the source does not have."
