"""Length limits of channels (SMS, push, subject line) and of entries that carry their own."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..channels import (
    PART_BY_NAME,
    PART_LIMITS,
    PUSH_BODY_MAX,
    PUSH_TITLE_MAX,
    SMS_SINGLE,
    SUBJECT_WARN,
    normalize_sms,
    sms_info,
)
from .base import CheckContext, Entry, EntryCheck, placeholders_of, register

_PART = re.compile(r"^part:\s*([a-z_]+)\s*$")
_MAX_LENGTH_FLAG = re.compile(r"^max-length:\s*(\d+)$")
_MAX_LENGTH_COMMENT = re.compile(r"\bmax-length:\s*(\d+)\b")
#: Placeholder kinds left out of a length estimate: their values are unknown until sending.
_VARIABLE_KINDS = frozenset({"jinja", "percent", "brace", "tag"})


def fixed_text(text: str) -> str:
    """The text without placeholders and tags (``%%`` counts as one ``%``).

    >>> fixed_text("Hi %(name)s, 100%% <b>free</b>")
    'Hi , 100% free'
    """
    parts, last = [], 0
    for placeholder in placeholders_of(text):
        if placeholder.kind in _VARIABLE_KINDS:
            parts.append(text[last : placeholder.start])
            if placeholder.text == "%%":
                parts.append("%")
            last = placeholder.end
    parts.append(text[last:])
    return "".join(parts)


def length_limit(entry: Entry) -> int | None:
    """The entry's own limit: a ``max-length:N`` flag or a ``max-length: N`` comment."""
    for flag in entry.flags:
        match = _MAX_LENGTH_FLAG.match(flag) if flag.startswith("max-length:") else None
        if match:
            return int(match.group(1))
    for comment in entry.comments:
        match = _MAX_LENGTH_COMMENT.search(comment) if "max-length:" in comment else None
        if match:
            return int(match.group(1))
    return None


def parts_of(entry: Entry) -> list[str]:
    """Message parts (template blocks) the entry appears in, from ``part:`` comments."""
    return [
        m.group(1) for c in entry.auto_comments if "part:" in c and (m := _PART.match(c.strip()))
    ]


def _limits(
    flags: frozenset[str], auto: tuple[str, ...], user: tuple[str, ...], entry: Entry
) -> tuple[int | None, tuple[str, ...]]:
    """The entry's own limit and its limited parts; the same comments and flags in every
    locale's catalog give the same answer, worked out once."""
    key = (flags, auto, user)
    found = _LIMITS.get(key)
    if found is None:
        found = (length_limit(entry), tuple(p for p in parts_of(entry) if p in PART_LIMITS))
        if len(_LIMITS) > 65536:
            _LIMITS.clear()
        _LIMITS[key] = found
    return found


_LIMITS: dict[tuple[object, ...], tuple[int | None, tuple[str, ...]]] = {}


@register
class LengthCheck(EntryCheck):
    id = "length"
    name = "Length limit"
    description = (
        f"Longer than its channel allows (SMS {SMS_SINGLE['GSM-7']} GSM-7 / {SMS_SINGLE['UCS-2']} "
        f"UCS-2 characters per segment, push title {PUSH_TITLE_MAX}, push body {PUSH_BODY_MAX}, "
        f"subject {SUBJECT_WARN}) or than its own max-length; placeholders not counted."
    )
    severity = "warning"

    def check(self, entry: Entry, context: CheckContext) -> Iterator[str]:
        limit, parts = _limits(entry.flags, entry.auto_comments, entry.user_comments, entry)
        if limit is None and not parts:
            return
        for pair in entry.pairs():
            text = fixed_text(pair.translation)
            length = len(text)
            if limit is not None and length > limit:
                yield (
                    f"{pair.label} has {length} characters (placeholders not counted), over "
                    f"the entry's max-length of {limit}."
                )
            for part in parts:
                if part == "sms":
                    yield from _sms(pair.label, text)
                elif length > PART_LIMITS[part]:
                    yield (
                        f"{pair.label} has {length} characters (placeholders not counted); a "
                        f"{PART_BY_NAME[part].label} should stay within {PART_LIMITS[part]}."
                    )


def _sms(label: str, text: str) -> Iterator[str]:
    info = sms_info(normalize_sms(text))
    if info.segments <= 1:
        return
    reason = ""
    if info.encoding == "UCS-2":
        odd = next((c for c in normalize_sms(text) if sms_info(c).encoding == "UCS-2"), "")
        reason = (f"; {_shown_character(odd)} is not in GSM-7, so a segment holds only "
                  f"{SMS_SINGLE['UCS-2']}")  # fmt: skip
    yield (
        f"{label} needs {info.segments} SMS segments: {info.units} {info.encoding} characters "
        f"before placeholders are filled, {SMS_SINGLE[info.encoding]} fit in one{reason}."
    )


def _shown_character(character: str) -> str:
    """A character as a finding names it: quoted when it shows, else its code point and name
    (a combining accent, a zero-width joiner or a soft hyphen printed alone shows nothing).

    >>> _shown_character("ą"), _shown_character("\u00ad")
    ("'ą' (U+0105)", 'U+00AD SOFT HYPHEN')
    """
    import unicodedata

    point = f"U+{ord(character):04X}"
    if character.isprintable() and unicodedata.category(character) not in ("Mn", "Me", "Cf"):
        return f"'{character}' ({point})"
    return f"{point} {unicodedata.name(character, 'character')}"
