"""render-batch's row errors quote customer data; what would drive a terminal is shown escaped."""

from __future__ import annotations

HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202e"
SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J\\u202e"


def test_render_batch_row_errors_show_the_id_escaped(render_cli, render_dir):
    header = "id,locale,first_name,amount,due_date,items,timezone\n"
    rows = f'"c1{HOSTILE}",da_DK,Ann,12.00,2025-01-01,3,Europe/Copenhagen\n'
    rows += f'c2,da_DK,"{HOSTILE}",12.00,2025-01-01,3,Europe/Copenhagen\n'
    rows += f"c3,xx_{HOSTILE},Bo,1,2025-01-01,1,UTC\n"
    (render_dir / "c.csv").write_text(header + rows, "utf-8")
    result = render_cli("render-batch", "email/payment-reminder.j2", "-c", "c.csv",
                        "-o", "out.jsonl", "--no-progress")  # fmt: skip
    assert result.exit_code == 1
    assert f"c.csv:2: row 2: id 'c1{SHOWN}' has a control character" in result.stderr
    assert SHOWN in result.stderr.splitlines()[-1]  # the locale quoted in row 4's error
    assert not any(c in result.stderr for c in "\x1b\x07\u202e")


def test_render_prints_the_message_as_the_customer_gets_it(render_cli, render_dir):
    """The terminal escaping of diagnostics also turned a message's bidi isolates into
    '\\u2066' text (QA pass 30): they are the message's own. Control characters stay escaped."""
    (render_dir / "templates" / "iso.j2").write_text(
        "{% block text %}Tab:\there \u2066{{ first_name }}\u2069{% endblock %}", "utf-8"
    )
    (render_dir / "d.json").write_text('{"first_name": "Zo\u00eb"}', "utf-8")
    result = render_cli("render", "iso.j2", "--locale", "da_DK", "--data", "d.json")
    assert result.exit_code == 0, result.stderr
    assert "Tab:\there \u2066Zo\u00eb\u2069" in result.stdout
