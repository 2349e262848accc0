"""status/check/compile/showcase cover every catalog on disk and show configured locales
without a catalog as 0 % with the command that creates them."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.config import load_config
from toolkit.project_locales import catalog_locales


@pytest.fixture
def shop(tmp_path):
    root = tmp_path / "shop"
    runner = CliRunner()
    created = runner.invoke(app, ["init", str(root), "--locale", "da", "--locale", "lt"])
    assert created.exit_code == 0
    for args in (["extract"], ["update", "--locale", "da"], ["update", "--locale", "de"]):
        result = runner.invoke(app, ["--project", str(root), *args])
        assert result.exit_code == 0, result.stderr
    return root


def run(root, *args):
    return CliRunner().invoke(app, ["--project", str(root), *args])


def test_locales_are_split_by_config_and_disk(shop):
    found = catalog_locales(load_config(shop))
    assert (found.present, found.missing, found.extra) == (("da",), ("lt",), ("de",))


def test_status_shows_unconfigured_catalogs_and_missing_ones_at_zero(shop):
    result = run(shop, "status", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {row["locale"]: row for row in json.loads(result.stdout)["locales"]}
    assert set(rows) == {"da", "de", "lt"}
    assert rows["lt"]["percent"] == 0.0 and rows["lt"]["missing"] is True
    assert rows["lt"]["create"] == "toolkit update --locale lt"
    assert rows["lt"]["total"] == rows["da"]["total"] == 4
    assert "lt: configured but has no catalog yet (0 %); create it with 'toolkit update " \
        "--locale lt'" in result.stderr
    assert "de: locales/de/LC_MESSAGES/messages.po is not in the configured locales" in (
        result.stderr
    )


def test_check_and_compile_cover_the_unconfigured_catalog(shop):
    checked = run(shop, "check", "--format", "json")
    assert checked.exit_code == 0, checked.stderr
    paths = [c["path"] for c in json.loads(checked.stdout)["catalogs"]]
    assert any("/de/" in p for p in paths) and any("/da/" in p for p in paths)
    compiled = run(shop, "compile")
    assert compiled.exit_code == 0, compiled.stderr
    assert (shop / "locales/de/LC_MESSAGES/messages.mo").is_file()
    assert "note: lt: configured but has no catalog yet" in compiled.stderr


def test_showcase_includes_every_locale(shop, tmp_path):
    out = tmp_path / "out"
    result = run(shop, "showcase", "--from-po", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    for locale in ("da", "lt", "de"):
        assert (out / locale / "email/welcome.j2.html").is_file()
    index = (out / "index.html").read_text("utf-8")
    assert "no catalog: run &#x27;toolkit update --locale lt&#x27;" in index


def test_explicit_locale_still_means_only_that_one(shop):
    result = run(shop, "status", "--locale", "da", "--format", "json")
    assert [row["locale"] for row in json.loads(result.stdout)["locales"]] == ["da"]
