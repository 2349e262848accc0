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
