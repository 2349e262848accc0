"""Where a URL written in text starts and ends: the one pattern every check, the MT placeholder
protection and the glossary use (toolkit.placeholders.URL_PATTERN)."""

from __future__ import annotations

import re

import pytest

from toolkit.placeholders import URL_PATTERN, URL_STOPS

URL = re.compile(URL_PATTERN)


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("See https://nordlys.dk/hjælp.", ["https://nordlys.dk/hjælp"]),
        ("https://vi.wikipedia.org/wiki/Việt_Nam và", ["https://vi.wikipedia.org/wiki/Việt_Nam"]),
        ("Ссылка: https://ru.wikipedia.org/wiki/Москва)", ["https://ru.wikipedia.org/wiki/Москва"]),
        # CJK and Thai text glue their words to a URL without a space, on either side
        ("请访问http://trac.edgewall.org/wiki/TracGuide查看帮助。",
         ["http://trac.edgewall.org/wiki/TracGuide"]),
        ("파일은 `http://서버/파일`일 수 있습니다.", []),  # a host in CJK script: no URL
        ("ดูที่https://example.co.th/a ก่อน", ["https://example.co.th/a"]),
        ("https://th.wikipedia.org/wiki/ประเทศไทย", ["https://th.wikipedia.org/wiki/ประเทศไทย"]),
        # a letter, digit or underscore glued before it: no URL starts there
        ("xhttp://a.org y", []),
        ("my_www.site.org", []),
        ("1www.site.org", []),
        # stops: quotes, brackets, backtick, typographic quotes, %-placeholders, dashes, emoji
        ("«https://x.org/a»", ["https://x.org/a"]),
        ("[http://docs.python.org/library/logging.html]", ["http://docs.python.org/library/logging.html"]),
        ("https://x.org/%(path)s", ["https://x.org/"]),
        ("https://x.org/a%20b", ["https://x.org/a%20b"]),
        ("see https://x.org/a—then", ["https://x.org/a"]),
        ("https://x.org/ok🎉", ["https://x.org/ok"]),
        ("www.nordlys.dk/a\u00a0b", ["www.nordlys.dk/a"]),
    ],
)  # fmt: skip
def test_where_a_url_starts_and_ends(text: str, urls: list[str]) -> None:
    assert URL.findall(text) == urls


@pytest.mark.parametrize("stop", sorted(URL_STOPS + "<>\"'()` \t\n\u3000\u2028"))
def test_every_stop_ends_a_url(stop: str) -> None:
    assert URL.findall(f"https://x.org/a{stop}b") == ["https://x.org/a"]


def test_cjk_ends_a_url_everywhere_in_the_scripts() -> None:
    """Each block of Chinese, Japanese and Korean text and full-width forms ends a URL."""
    for first, last in [(0x1100, 0x11FF), (0x2E80, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7A3),
                        (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
                        (0x20000, 0x3FFFF)]:  # fmt: skip
        for code in range(first, last + 1, 97):
            text = f"https://x.org/a{chr(code)}b"
            assert URL.findall(text) == ["https://x.org/a"], hex(code)


@pytest.mark.parametrize(
    ("text", "emails"),
    [
        # Liberapay's Korean and Chinese catalogs: the next word right against the address
        # (a false "msgstr lacks support@liberapay.com" error that stopped compile).
        ("문제가 지속되면 support@liberapay.com에 연락해 주세요.", ["support@liberapay.com"]),
        ("可寄信到support@liberapay.com。", ["support@liberapay.com"]),
        ("メールはhelp@nordlys.dkまで", ["help@nordlys.dk"]),
        ("Write to a.b+c@d-e.org; or (x@y.co).", ["a.b+c@d-e.org", "x@y.co"]),
        ("no address@here", []),
    ],
)
def test_where_an_email_address_starts_and_ends(text: str, emails: list[str]) -> None:
    from toolkit.placeholders import EMAIL_PATTERN

    assert re.findall(EMAIL_PATTERN, text) == emails
