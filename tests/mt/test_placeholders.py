"""find_placeholders scans a text without '@', '_', '://' or 'www.' with the symbol-led kinds
only; the spans must be exactly those of the full pattern, on any text."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from toolkit.placeholders import PLACEHOLDER_RE, find_placeholders

PIECES = st.sampled_from(
    ["{{ name }}", "{% if x %}", "{#c#}", "%(n)s", "%s", "%d", "50% off", "%%", "{0}", "{x:.2f}",
     "<b>", "</a>", '<a href="x">', "&amp;", "&#38;", "first_name", "a_b", "https://x.dk/a",
     "www.example.com", "ftp://f", "ann@example.com", "@", "_", ":", "//", " ", "word", "Ø",
     "{", "}", "{{{", "}}}", "<", ">", "&", "%", "\n", ".", ","]
)  # fmt: skip


def full_scan(text: str, percent_literal: bool) -> list[tuple[str, str, int, int]]:
    found = []
    for match in PLACEHOLDER_RE.finditer(text):
        kind, value = match.lastgroup or "", match.group(0)
        if kind == "percent" and percent_literal and value != "%%" and "(" not in value:
            continue
        found.append((kind, value, match.start(), match.end()))
    return found


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=25).map("".join), st.booleans())
@example("Hi {name}, 50% off <b>now</b> &amp; more", True)
@example("Write to ann@example.com about first_name at www.x.dk", False)
def test_spans_are_those_of_the_full_pattern(text: str, percent_literal: bool) -> None:
    ours = [
        (p.kind, p.text, p.start, p.end)
        for p in find_placeholders(text, percent_literal=percent_literal)
    ]
    assert ours == full_scan(text, percent_literal)
