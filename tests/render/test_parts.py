"""Message parts and their limits have one definition (toolkit.channels)."""

from __future__ import annotations

from toolkit import channels, templating
from toolkit.checks import available_checks
from toolkit.render.message import CHANNELS


def test_every_stage_reads_the_same_parts():
    names = tuple(p.name for p in channels.PARTS)
    assert templating.MESSAGE_PARTS == channels.MESSAGE_PARTS == names
    assert tuple(CHANNELS) == names
    assert set(CHANNELS.values()) == {"email", "sms", "push"}
    assert channels.PART_LIMITS["push_title"] == channels.PUSH_TITLE_MAX


def test_length_check_describes_the_limits_it_applies():
    length = next(c for c in available_checks() if c.id == "length")
    for limit in (channels.PUSH_TITLE_MAX, channels.PUSH_BODY_MAX, channels.SUBJECT_WARN):
        assert str(limit) in length.description
