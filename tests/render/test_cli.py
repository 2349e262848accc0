"""toolkit render / render-batch through the CLI: output formats, exit codes, stderr."""

from __future__ import annotations

import json

from toolkit.cli import app

from .test_batch import CSV

EMAIL = "email/payment-reminder.j2"


def test_render_json_shape(render_cli):
    result = render_cli("render", EMAIL, "--locale", "da-DK", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["locale"] == "da_DK"
    assert data["locale_chain"] == ["da_DK", "da", "en"]
    assert set(data["parts"]) == {"subject", "preheader", "text", "html"}
    assert data["parts"]["subject"] == "Mette, din faktura er klar"  # from the sample data
    assert data["payment_methods"][0]["id"] == "dankort"
    assert data["sms"] is None and data["warnings"] == []


def test_render_text_prints_parts_and_metadata_on_stderr(render_cli):
    result = render_cli("render", "templates/sms/reactivation.j2", "-l", "lt_LT", "--data", "-",
                        input='{"first_name": "Ona", "discount": 5, "code": "ABCDEFGHIJ"}')
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("[sms]\nSveiki, Ona!")
    assert "[sms: UCS-2," in result.stdout
    assert "chain lt_LT -> lt -> en" in result.stderr
    assert "warning: sms is" in result.stderr


def test_render_html_format(render_cli):
    result = render_cli("render", EMAIL, "-l", "nb", "-f", "html")
    assert result.exit_code == 0
    assert result.stdout.startswith("<p>Hei Mette,</p>")
    sms = render_cli("render", "sms/reactivation.j2", "-l", "nb", "-f", "html",
                     "-d", "-", input='{"first_name": "A", "discount": 1, "code": "x"}')
    assert sms.exit_code == 2 and "has no html part" in sms.stderr


def test_render_locale_from_data_and_from_po(render_cli, render_dir):
    (render_dir / "locales/da/LC_MESSAGES/messages.mo").unlink()
    data = '{"locale": "da", "first_name": "A", "amount": 1, "due_date": "2025-01-01", "items": 2}'
    compiled = render_cli("render", EMAIL, "-f", "json", "-d", "-", input=data)
    assert json.loads(compiled.stdout)["parts"]["subject"] == "A, your invoice is ready"
    preview = render_cli("render", EMAIL, "-f", "json", "-d", "-", "--from-po", input=data)
    assert json.loads(preview.stdout)["parts"]["subject"] == "A, din faktura er klar"


def test_render_usage_errors_exit_2(render_cli, render_dir):
    cases = [
        (("render", EMAIL, "-l", "xx_YY"), "Unknown locale"),
        (("render", "../../etc/passwd", "-l", "da"), "outside the templates folder"),
        (("render", EMAIL, "-l", "da", "-d", "-"), "invalid JSON"),
        (("render", EMAIL, "-l", "da", "-f", "pdf"), "text"),
        (("render", "email/nope.j2", "-l", "da"), "not found"),
    ]
    for args, message in cases:
        result = render_cli(*args, input="{oops")
        assert result.exit_code == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    missing = render_cli("render", EMAIL, "-l", "da", "-d", "-", input='{"first_name": "A"}')
    assert missing.exit_code == 2
    assert "payment-reminder.j2:2: preheader: 'amount' is undefined" in missing.stderr


def test_render_batch_exit_codes_and_errors_file(render_cli, render_dir):
    (render_dir / "c.csv").write_text(CSV, "utf-8")
    result = render_cli("render-batch", EMAIL, "--customers", "c.csv", "--out", "out.jsonl",
                        "--errors", "errors.jsonl", "--no-progress")
    assert result.exit_code == 1
    assert "c.csv:4: row 4 (id c3): Unknown locale 'xx_YY'" in result.stderr
    assert "wrote out.jsonl (3 messages, 3 failed rows" in result.stdout
    errors = [json.loads(x) for x in (render_dir / "errors.jsonl").read_text().splitlines()]
    assert [e["row"] for e in errors] == [4, 5, 6]
    good = "\n".join(CSV.splitlines()[:3] + CSV.splitlines()[-1:]) + "\n"
    (render_dir / "good.csv").write_text(good, "utf-8")
    ok = render_cli("render-batch", EMAIL, "-c", "good.csv", "-o", "-", "--no-progress")
    assert ok.exit_code == 0, ok.stderr
    assert [json.loads(x)["id"] for x in ok.stdout.splitlines()] == ["c1", "c2", "c6"]
    missing = render_cli("render-batch", EMAIL, "-c", "nope.csv", "-o", "x.jsonl")
    assert missing.exit_code == 2 and "cannot read customers file" in missing.stderr


def test_commands_have_help():
    for command in app.registered_commands:
        if command.name in ("render", "render-batch"):
            assert (command.callback.__doc__ or "").strip()


def test_customer_data_with_a_byte_order_mark_is_read(render_cli, tmp_path):
    """Windows tools save JSON with a UTF-8 BOM; a CSV with one was read and a JSON file
    refused ('decode using utf-8-sig'). Both are read now (QA pass 11)."""
    data = tmp_path / "mette.json"
    data.write_bytes(b"\xef\xbb\xbf" + json.dumps({"first_name": "Mette", "amount": 10,
                                                   "due_date": "2025-03-01", "items": 1}).encode())
    result = render_cli("render", EMAIL, "-l", "da", "-f", "json", "-d", str(data))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["parts"]["subject"].startswith("Mette,")
    piped = render_cli("render", EMAIL, "-l", "da", "-f", "json", "-d", "-",
                       input="\ufeff" + data.read_bytes()[3:].decode())
    assert piped.exit_code == 0, piped.stderr
