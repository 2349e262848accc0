"""The interchange commands: help, light imports, plain errors without lxml."""

from __future__ import annotations

import subprocess
import sys

import pytest

from toolkit.errors import InputError
from toolkit.interchange.safexml import require_lxml


def test_help_of_the_interchange_commands_imports_no_xml_stack():
    code = (
        "import sys\n"
        "from toolkit.cli import app\n"
        "from typer.testing import CliRunner\n"
        "for args in (['--help'], ['xliff', 'export', '--help'], ['memory', 'import', '--help']):\n"
        "    r = CliRunner().invoke(app, args)\n"
        "    assert r.exit_code == 0, r.output\n"
        "print(' '.join(m for m in ('lxml', 'translate', 'argostranslate') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_without_lxml_the_commands_say_which_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "lxml.etree", None)
    with pytest.raises(InputError, match=r"pip install '\.\[interchange\]'"):
        require_lxml()


def test_usage_errors_exit_2(run, tmp_path):
    result = run(
        "xliff", "export", "--locale", "lt", "--out", str(tmp_path / "x.xlf"), "--version", "3"
    )
    assert result.exit_code == 2
    result = run(
        "xliff", "export", "--locale", "lt", "--out", str(tmp_path / "x.xlf"), "--state", "done"
    )
    assert result.exit_code == 2 and "unknown --state value 'done'" in result.stderr
    assert not (tmp_path / "x.xlf").exists()
    result = run("xliff", "import", str(tmp_path / "missing.xlf"))
    assert result.exit_code == 2 and "missing.xlf: file not found" in result.stderr


def test_export_prints_what_it_wrote(run, tmp_path):
    out = tmp_path / "lt.xlf"
    result = run("xliff", "export", "-l", "lt", "-o", str(out), "--version", "2.1")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"wrote {out} (XLIFF 2.1, lt, 4 entries)")
    tmx = tmp_path / "lt.tmx"
    result = run("memory", "export", "--format", "tmx", "--locale", "lt", "--out", str(tmx))
    assert result.exit_code == 0 and "0 machine, 0 human, 4 catalog units" in result.stdout


@pytest.mark.parametrize("command", ["export", "import"])
def test_an_empty_locale_is_refused_not_read_as_every_locale(run, tmp_path, command):
    """'memory export --locale ""' exported every locale (QA 32)."""
    tmx = tmp_path / "all.tmx"
    run("memory", "export", "--out", str(tmx))
    args = ["--out", str(tmp_path / "x.tmx")] if command == "export" else [str(tmx)]
    result = run("memory", command, "--locale", "", *args)
    assert result.exit_code == 2 and "'' is not a locale name" in result.stderr
    assert not (tmp_path / "x.tmx").exists()


def test_an_empty_selection_writes_no_file(run, tmp_path):
    out = tmp_path / "da.xlf"
    result = run("xliff", "export", "-l", "da", "-o", str(out), "--state", "fuzzy")
    assert result.exit_code == 0 and "nothing to export" in result.stdout
    assert not out.exists()


def test_a_file_without_target_language_needs_locale(vendor, run, tmp_path):
    from lxml import etree

    from toolkit.interchange import export_xliff

    out = tmp_path / "lt.xlf"
    export_xliff(vendor, "lt", out, states="all")
    tree = etree.parse(str(out))
    file = tree.getroot()[0]
    del file.attrib["target-language"]
    tree.write(str(out))
    result = run("xliff", "import", str(out))
    assert result.exit_code == 2 and "Pass --locale L." in result.stderr
    assert run("xliff", "import", str(out), "--locale", "lt").exit_code == 0


@pytest.mark.parametrize("command", [("xliff", "import"), ("memory", "import")])
def test_an_xml_file_over_the_size_limit_is_refused_before_parsing(
    run, tmp_path, vendor_dir, monkeypatch, command
):
    """An XLIFF or TMX file had no size limit: libxml2 held several times a file of any size
    in memory (the adversarial pass's unbounded inputs)."""
    from toolkit.interchange import safexml

    big = tmp_path / "big.xml"
    big.write_bytes(b"<?xml version='1.0'?><xliff>" + b" " * 4096 + b"</xliff>")
    monkeypatch.setattr(safexml, "MAX_XML_BYTES", 4096)
    catalog = vendor_dir / "locales" / "lt" / "LC_MESSAGES" / "messages.po"
    before = catalog.read_bytes()
    result = run(*command, str(big), "--locale", "lt")
    assert result.exit_code == 2, result.output
    assert "big.xml: the" in result.stderr and "larger than 4,096 bytes" in result.stderr
    assert "MAX_XML_BYTES" in result.stderr
    assert catalog.read_bytes() == before
