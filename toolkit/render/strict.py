"""``--strict`` for render and render-batch: is a rendered message fit to send as it is?

A message fails strict mode when any string was served by a fallback (the source language, for
a customer who reads another language), when a customer value it uses was missing (a blank
field the template replaced with its declared fallback), when a translation it uses fails the
``urls`` or ``brand-name`` check (:mod:`.served_checks`), or when a part is over its channel
budget (docs/channels.md). :func:`strict_problems` says which, one reason per line.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import TYPE_CHECKING

from .. import channels

if TYPE_CHECKING:
    from .message import RenderedMessage

#: The most a part may hold in strict mode, in characters: the channel maxima of
#: docs/channels.md (the subject's 50-character mobile guideline stays a warning).
STRICT_BUDGETS = {
    "subject": channels.SUBJECT_MAX,
    "preheader": channels.PREHEADER_MAX,
    "push_title": channels.PUSH_TITLE_MAX,
    "push_body": channels.PUSH_BODY_MAX,
}
#: SMS: at most this many segments (a Lithuanian SMS is UCS-2, 67 characters a segment).
STRICT_SMS_SEGMENTS = channels.SMS_MAX_SEGMENTS


def _language(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0].lower()


def strict_problems(message: RenderedMessage) -> list[str]:
    """Why ``message`` is not fit to send; empty when it is."""
    problems = []
    chain = message.chain
    if _language(chain.source) != _language(chain.locale):
        untranslated = message.served_by.get(chain.source, 0)
        if untranslated and not message.catalogs:
            problems.append(
                f"no catalog serves {chain.locale} (tried {', '.join(chain.candidates)}): "
                f"{untranslated} string(s) in the source language {chain.source}"
            )
        elif untranslated:
            # (the catalog's folder names its locale: locales/da_DK/LC_MESSAGES/messages.mo)
            nearest = PurePath(message.catalogs[0]).parent.parent.name
            problems.append(
                f"{untranslated} string(s) not translated into {chain.locale}: served by the "
                f"source language {chain.source} (run 'toolkit check --locale {nearest}' to "
                "list them: its untranslated and fuzzy findings; 'toolkit compile' if the "
                "catalog changed since it was compiled)"
            )
    for field in message.missing:
        problems.append(f"{field} is empty: the template's fallback was used")
    problems += message.failed_checks
    parts = message.parts
    for part, limit in STRICT_BUDGETS.items():
        if part in parts and len(parts[part]) > limit:
            problems.append(f"{part} is {len(parts[part])} characters, over its {limit} budget")
    sms = message.sms
    if sms is not None and sms.segments > STRICT_SMS_SEGMENTS:
        problems.append(
            f"sms is {sms.segments} {sms.encoding} segments, over its budget of "
            f"{STRICT_SMS_SEGMENTS}"
        )
    payload = channels.push_payload_bytes(parts)
    if payload is not None and payload > channels.PUSH_PAYLOAD_MAX_BYTES:
        problems.append(
            f"push payload is {payload} bytes, over the "
            f"{channels.PUSH_PAYLOAD_MAX_BYTES}-byte limit"
        )
    return problems
