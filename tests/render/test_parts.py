"""Message parts and their limits have one definition (toolkit.channels)."""

from __future__ import annotations

import pytest

from toolkit import channels, templating
from toolkit.checks import available_checks
from toolkit.errors import RenderError
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


def test_line_breaks_never_reach_a_one_line_part(renderer, write_template):
    """A CR LF in customer data reached the subject ("Anna\r\nBcc: victim@..."), where a
    sender puts it into the mail header (QA pass 15): one-line parts are joined into one line
    with a warning; the text part keeps its lines."""
    name = write_template("email/crlf.j2", (
        "{% block subject %}Hi {{ name }}{% endblock %}"
        "{% block preheader %}Line one\n\nline two{% endblock %}"
        "{% block text %}Hi {{ name }}{% endblock %}"
        "{% block push_title %}{{ name }}{% endblock %}"
    ))  # fmt: skip
    message = renderer.render(name, "da_DK", {"name": "Anna\r\nBcc: x@example.com\u2028y"})
    assert message.parts["subject"] == "Hi Anna Bcc: x@example.com y"
    assert message.parts["preheader"] == "Line one line two"
    assert message.parts["push_title"] == "Anna Bcc: x@example.com y"
    # A CR LF of customer data is a line feed in the text part too (a mailer writes its own
    # line ends); a bare CR, "\r.\r\n" (SMTP smuggling), VT, FF or NEL is one as well: they
    # reached the text and HTML parts as they were, or were removed with the words on either
    # side glued ("HiBcc"; QA pass 80).
    assert message.parts["text"] == "Hi Anna\nBcc: x@example.com\u2028y"
    joined = [w for w in message.warnings if "joined into one line" in w]
    assert [w.split()[0] for w in joined] == ["subject", "preheader", "push_title"]
    for breaks in ("\r.\r\n", "\r", "\x0b", "\x0c", "\x85", "\x1e"):
        message = renderer.render(name, "da_DK", {"name": f"Anna{breaks}Bcc: x"})
        assert "\r" not in message.parts["text"] and "Anna\n" in message.parts["text"]
        assert message.parts["subject"] in ("Hi Anna Bcc: x", "Hi Anna . Bcc: x"), breaks


def test_control_characters_never_reach_a_customer(renderer, write_template):
    """A NUL or ESC in customer data reached the subject ('Hi Anna\\x00Bcc, news'), and a name
    of control characters only counted as present (QA pass 16)."""
    source = "{% block subject %}Hi {{ name }}{% endblock %}{% block text %}Hi {{ name }}"
    name = write_template("email/ctl.j2", source + "{% endblock %}")
    message = renderer.render(name, "da_DK", {"name": "Anna\x00 \x1b[2JBo\x07"})
    assert message.parts == {"subject": "Hi Anna [2JBo", "text": "Hi Anna [2JBo"}
    assert [w.split()[0] for w in message.warnings if "control characters" in w] == ["name"]
    with pytest.raises(RenderError) as info:
        renderer.render(name, "da_DK", {"name": "\x00\x1b\ufe0f"})
    assert "name is empty" in str(info.value)
    # A lone surrogate (JSON "\ud800") crashed render and render-batch (QA pass 17); one
    # that is the whole value leaves it blank (QA pass 18: "Hi , news" went out).
    assert renderer.render(name, "da_DK", {"name": "A\ud800B"}).parts["subject"] == "Hi AB"
    with pytest.raises(RenderError):
        renderer.render(name, "da_DK", {"name": "\ud800"})
