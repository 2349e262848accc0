"""``toolkit glossary list/export/import`` and glossary errors through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

from tests.glossary.conftest import DATA

TBX = DATA / "tbx"


def test_list_json(gcli) -> None:
    result = gcli("glossary", "list", "--locale", "lt", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    rows = {(r["rule"], r["source"], r["target"]): r for r in data["lt"]}
    row = rows[("required", "loyalty points", "lojalumo taškai")]
    assert "lojalumo taškų" in row["forms"].split("|")
    assert row["origin"] == "glossaries/lt.csv:2"
    assert rows[("forbidden", "receipt", "čekis")]["preferred"] == "kvitas"


def test_list_table(gcli) -> None:
    result = gcli("glossary", "list")
    assert result.exit_code == 0, result.stderr
    for name in ("Glossary da", "Glossary nb", "Glossary lt", "bonuspoeng"):
        assert name in result.stdout


def test_export_to_stdout_and_file(gcli, gproject_dir: Path, tmp_path: Path) -> None:
    result = gcli("glossary", "export", "--locale", "nb")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<martif')
    assert "<term>rabattkode</term>" in result.stdout
    out = tmp_path / "nb.tbx"
    result = gcli("glossary", "export", "-l", "nb", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out} (TBX, 12 terms)" in result.stdout
    assert out.read_text("utf-8") == gcli("glossary", "export", "-l", "nb").stdout


def test_export_import_round_trip_through_the_cli(gcli, gproject_dir: Path, tmp_path: Path):
    before = (gproject_dir / "glossaries" / "lt.csv").read_text("utf-8")
    out = tmp_path / "lt.tbx"
    assert gcli("glossary", "export", "-l", "lt", "--no-global", "-o", str(out)).exit_code == 0
    (gproject_dir / "glossaries" / "lt.csv").unlink()
    result = gcli("glossary", "import", str(out), "--locale", "lt")
    assert result.exit_code == 0, result.stderr
    assert "lt: 5 added, 0 updated, 0 unchanged, 0 kept" in result.stdout
    after = (gproject_dir / "glossaries" / "lt.csv").read_text("utf-8")
    assert _rows(after) == _rows(before)


def _rows(text: str) -> list[list[str]]:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    # Normalized spelling: empty case_sensitive is written as false.
    return [[c if (i != 4 or c) else "false" for i, c in enumerate(r)] for r in rows]


def test_import_refuses_billion_laughs(gcli, gproject_dir: Path) -> None:
    before = (gproject_dir / "glossaries" / "da.csv").read_bytes()
    result = gcli("glossary", "import", str(TBX / "billion-laughs.tbx"), "-l", "da")
    assert result.exit_code == 2
    assert "billion-laughs.tbx:3: refused" in result.stderr
    assert "Traceback" not in result.stderr
    assert (gproject_dir / "glossaries" / "da.csv").read_bytes() == before


def test_import_malformed_tbx(gcli) -> None:
    result = gcli("glossary", "import", str(TBX / "malformed.tbx"))
    assert result.exit_code == 2
    assert "malformed.tbx:6: not well-formed XML" in result.stderr


def test_bad_csv_stops_every_command_with_file_line(gcli, gproject_dir: Path) -> None:
    path = gproject_dir / "glossaries" / "da.csv"
    path.write_text(path.read_text("utf-8") + "voucher,kupon,requierd,,,,\n", "utf-8")
    for args in (
        ["glossary", "list"],
        ["glossary", "export", "-l", "da"],
        ["check", "--locale", "da"],
    ):
        result = gcli(*args)
        assert result.exit_code == 2, args
        assert "glossaries/da.csv:12: unknown rule 'requierd'. Did you mean 'required'?" in (
            result.stderr
        )


def test_every_glossary_command_has_help(gcli) -> None:
    for command in ("import", "export", "list"):
        result = gcli("glossary", command, "--help")
        assert result.exit_code == 0
        assert "Usage" in result.stdout
