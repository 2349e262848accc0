"""``%`` followed by a letter is a placeholder only in python-format strings: "50% rabatt" in
an article is text for extract, check, msgfmt and MT masking."""

from __future__ import annotations

import shutil
import subprocess

from babel.messages.pofile import read_po
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.mt.masking import mask

ARTICLE = "# Offers\n\nGet 50% off your first order.\n"


def test_percent_text_in_articles_is_not_a_placeholder(tmp_path):
    root = tmp_path / "shop"
    runner = CliRunner()
    assert runner.invoke(app, ["init", str(root), "--locale", "nb"]).exit_code == 0
    (root / "templates" / "kb").mkdir()
    (root / "templates" / "kb" / "offers.md").write_text(ARTICLE, "utf-8")
    for args in (["extract"], ["update"]):
        assert runner.invoke(app, ["--project", str(root), *args]).exit_code == 0
    po = root / "locales/nb/LC_MESSAGES/messages.po"
    po.write_text(
        po.read_text("utf-8").replace(
            'msgid "Get 50% off your first order."\nmsgstr ""',
            'msgid "Get 50% off your first order."\nmsgstr "Få 50% rabatt på første bestilling."',
        ),
        "utf-8",
    )
    with po.open("rb") as handle:
        entry = read_po(handle).get("Get 50% off your first order.")
    assert "no-python-format" in entry.flags
    result = runner.invoke(app, ["--project", str(root), "check", "--locale", "nb"])
    assert "placeholders" not in result.stdout and "% r" not in result.stdout, result.stdout
    assert shutil.which("msgfmt")
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
    # MT sends the words, not a mask token, for the literal percent
    assert mask("Get 50% off", percent_literal=True).text == "Get 50% off"
