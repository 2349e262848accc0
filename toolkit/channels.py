"""Message parts, channel length limits and SMS encoding: the one definition that templates,
extraction, rendering and ``toolkit check`` share.

Limits (see docs/channels.md for sources): SMS 160 GSM-7 / 70 UCS-2 characters in one segment,
153 / 67 per segment when concatenated; push title 40 and body 100 characters; subject 50
(warning) and 78 (error); preheader 40-100.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

# GSM 03.38 default alphabet (basic table) and the extension table (2 septets each).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

SMS_SINGLE = {"GSM-7": 160, "UCS-2": 70}
SMS_CONCATENATED = {"GSM-7": 153, "UCS-2": 67}
SMS_MAX_SEGMENTS = 10
PUSH_TITLE_MAX = 40
PUSH_BODY_MAX = 100
PUSH_PAYLOAD_MAX_BYTES = 4096
SUBJECT_WARN = 50
SUBJECT_MAX = 78
PREHEADER_MIN = 40
PREHEADER_MAX = 100



@dataclass(frozen=True)
class MessagePart:
    """A part of a message: a template ``{% block %}`` name, its channel and its limit."""

    name: str  # the template block name ("push_title")
    channel: str  # "email", "sms" or "push"
    label: str  # in messages ("push title")
    limit: int | None = None  # characters ``toolkit check`` allows a translation (None: no limit)


#: Every message part, in the order a message shows them.
PARTS: tuple[MessagePart, ...] = (
    MessagePart("subject", "email", "subject line", SUBJECT_WARN),
    MessagePart("preheader", "email", "preheader", PREHEADER_MAX),
    MessagePart("text", "email", "text body"),
    MessagePart("html", "email", "HTML body"),
    MessagePart("sms", "sms", "SMS", SMS_SINGLE["GSM-7"]),
    MessagePart("push_title", "push", "push title", PUSH_TITLE_MAX),
    MessagePart("push_body", "push", "push body", PUSH_BODY_MAX),
)
#: Message parts by template block name.
PART_BY_NAME = {part.name: part for part in PARTS}
#: Template block names that are parts of a message.
MESSAGE_PARTS = tuple(part.name for part in PARTS)
#: Message parts (template block names) and the character limit a check enforces.
PART_LIMITS = {part.name: part.limit for part in PARTS if part.limit is not None}

# Typography that would force UCS-2 for no visible gain in an SMS.
_SMS_NORMALIZE = str.maketrans(
    {
        "\u00a0": " ",  # no-break space (Babel amounts)
        "\u202f": " ",  # narrow no-break space (Babel, fr/sv/nb)
        "\u2009": " ",
        "\u2007": " ",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
    }
)


@dataclass(frozen=True)
class SmsInfo:
    """Encoding and size of an SMS text."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def normalize_sms(text: str) -> str:
    """Replace typographic spaces, quotes and dashes by their GSM-7 equivalents.

    >>> normalize_sms("1.234,50\\xa0kr. – tak")
    '1.234,50 kr. - tak'
    """
    return text.translate(_SMS_NORMALIZE)


def sms_info(text: str) -> SmsInfo:
    """Encoding, length in units and segment count of an SMS text (no normalisation).

    A character of two units (a GSM-7 extension character such as ``€``: escape and
    character; outside the BMP in UCS-2, an emoji: a surrogate pair) is never split between
    two segments of a concatenated message: it starts the next one, as phones and gateways
    pack them (Twilio's segment calculator too).

    >>> sms_info("a" * 160), sms_info("a" * 161).segments, sms_info("Jūsų").encoding
    (SmsInfo(encoding='GSM-7', units=160, segments=1), 2, 'UCS-2')
    >>> sms_info("a" * 152 + "€" + "a" * 152).segments  # € would straddle units 153-154
    3
    """
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text):
        encoding = "GSM-7"
        widths = [2 if ch in GSM7_EXTENSION else 1 for ch in text]
    else:
        encoding = "UCS-2"
        widths = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    units = sum(widths)
    if units <= SMS_SINGLE[encoding]:
        return SmsInfo(encoding, units, 1 if units else 0)
    per = SMS_CONCATENATED[encoding]
    segments, used = 1, 0
    for width in widths:
        if used + width > per:
            segments, used = segments + 1, 0
        used += width
    return SmsInfo(encoding, units, segments)


def push_payload_bytes(parts: Mapping[str, str]) -> int | None:
    """Size of the APNs/FCM alert payload built from a message's push parts (None without).

    >>> push_payload_bytes({"push_title": "Hej", "push_body": "Dine point"})
    53
    """
    if "push_title" not in parts and "push_body" not in parts:
        return None
    alert = {"title": parts.get("push_title", ""), "body": parts.get("push_body", "")}
    payload = json.dumps({"aps": {"alert": alert}}, ensure_ascii=False, separators=(",", ":"))
    return len(payload.encode("utf-8"))
