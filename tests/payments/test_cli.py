"""``toolkit payments``: works without a project, table and JSON output, exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.payments import payment_methods


@pytest.fixture
def run(tmp_path, monkeypatch):
    """The CLI run from an empty folder: no project configuration anywhere."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_json_output_shape(run):
    result = run("payments", "--locale", "nb_NO", "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"locale", "territory", "fallback", "as_of", "recurring_only", "methods"}
    assert payload["locale"] == "nb_NO" and payload["territory"] == "NO"
    assert payload["fallback"] is False and payload["recurring_only"] is False
    assert [m["id"] for m in payload["methods"]] == [m.id for m in payment_methods("NO")]
    vipps = payload["methods"][0]
    assert set(vipps) == {
        "id",
        "name",
        "kind",
        "recurring",
        "recurring_detail",
        "currencies",
        "description",
        "note",
        "source",
        "as_of",
    }
    assert vipps["name"] == "Vipps" and vipps["kind"] == "wallet"
    assert vipps["recurring"] is None and vipps["recurring_detail"] == "psp_dependent"
    assert vipps["currencies"] == ["NOK"]
    assert vipps["description"] == "Pay from your phone with Vipps."


def test_recurring_flag(run):
    result = run("payments", "-l", "sv_SE", "-f", "json", "--recurring")
    payload = json.loads(result.stdout)
    assert payload["recurring_only"] is True
    assert [m["id"] for m in payload["methods"]] == ["klarna", "card_visa", "card_mastercard"]
    assert all(m["recurring"] is True for m in payload["methods"])


def test_table_output(run):
    result = run("payments", "--locale", "da")
    assert result.exit_code == 0, result.stderr
    assert "Payment methods for da (DK)" in result.stdout
    assert result.stdout.index("Dankort") < result.stdout.index("MobilePay")
    assert "No payment data" not in result.stdout


def test_fallback_is_announced(run):
    table = run("payments", "--locale", "ar_EG")
    assert table.exit_code == 0
    assert "No payment data for EG" in table.stdout
    assert json.loads(run("payments", "-l", "ar_EG", "-f", "json").stdout)["fallback"] is True


@pytest.mark.parametrize("bad", ["xx_YY", "../../etc", "da_DK/x"])
def test_bad_locale_exits_2_with_a_plain_message(run, bad):
    result = run("payments", "--locale", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr + result.stdout


def test_bad_format_and_missing_locale_exit_2(run):
    assert run("payments", "--locale", "da", "--format", "yaml").exit_code == 2
    assert run("payments").exit_code == 2


def test_overrides_option(run, tmp_path):
    extra = {"markets": {"DK": {"currency": "DKK", "methods": ["mobilepay"], "note": "ours"}}}
    path = tmp_path / "payments.json"
    path.write_text(json.dumps(extra), encoding="utf-8")
    result = run("payments", "-l", "da_DK", "-f", "json", "--overrides", str(path))
    assert [m["id"] for m in json.loads(result.stdout)["methods"]] == ["mobilepay"]
    broken = run("payments", "-l", "da", "--overrides", str(tmp_path / "missing.json"))
    assert broken.exit_code == 2 and "overrides" in broken.stderr


def test_an_overrides_file_that_is_no_small_file_is_refused(run, tmp_path):
    """/dev/zero was read until the kernel's OOM killer stopped the machine's biggest
    process, a FIFO hung, 100,000 nested brackets named no file (QA pass 81)."""
    import os

    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    large = tmp_path / "large.json"
    large.write_text('{"methods": {}, "note": "' + "a" * 1_100_000 + '"}', "utf-8")
    for path, said in (("/dev/zero", "not a regular file"), (fifo, "not a regular file"),
                       (deep, "nested too deeply"), (large, "larger than 1 MiB")):
        result = run("payments", "-l", "da", "--overrides", str(path))
        assert result.exit_code == 2, (path, result.output)
        assert f"{path}: " in result.stderr and said in result.stderr, result.stderr
        assert "Traceback" not in result.output


def test_help_documents_the_command(run):
    result = run("payments", "--help")
    assert result.exit_code == 0
    assert "--locale" in result.stdout and "--recurring" in result.stdout
