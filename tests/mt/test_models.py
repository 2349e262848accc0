"""``toolkit models``: install (checked), list, remove, and where models live."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from toolkit.config import load_config
from toolkit.errors import ModelError
from toolkit.mt.models import find_chain, install_from_file, list_models, models_dir


def test_install_list_remove_through_the_cli(run, packages, mt_env):
    result = run(None, "models", "install", str(packages["en_da"]))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"wrote {mt_env['models'] / 'translate-en_da-1_0'}")
    assert "model en->da 1.0" in result.stdout
    listed = json.loads(run(None, "models", "list", "--format", "json").stdout)
    assert [(m["pair"], m["version"]) for m in listed["models"]] == [("en->da", "1.0")]
    assert listed["models"][0]["size"] > 100_000
    assert "en->da" in run(None, "models", "list").stdout
    # Installing again replaces the copy in place.
    assert run(None, "models", "install", str(packages["en_da"])).exit_code == 0
    assert len(list_models(mt_env["models"])) == 1
    removed = run(None, "models", "remove", "en:da")
    assert removed.exit_code == 0 and "removed" in removed.stdout
    assert list_models(mt_env["models"]) == []
    missing = run(None, "models", "remove", "en:da")
    assert missing.exit_code == 2 and "no en->da model is installed" in missing.stderr


def test_models_list_empty_says_how_to_install(run, mt_env):
    result = run(None, "models", "list")
    assert result.exit_code == 0
    assert "toolkit models install" in result.stdout


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


GOOD_META = json.dumps({"from_code": "en", "to_code": "da", "package_version": "1.0"}).encode()


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (None, "not a zip archive"),
        ({"../evil/metadata.json": GOOD_META}, "unsafe member path"),
        ({"/abs/metadata.json": GOOD_META}, "unsafe member path"),
        ({"p/model/model.bin": b"x", "p/sentencepiece.model": b"x"}, "no metadata.json"),
        ({"p/metadata.json": GOOD_META, "p/sentencepiece.model": b"x"}, "no model/"),
        ({"p/metadata.json": GOOD_META, "p/model/model.bin": b"x"}, "no a tokenizer"),
        ({"p/metadata.json": GOOD_META, "q/model/model.bin": b"x"}, "exactly one top-level"),
        (
            {"p/metadata.json": b"{nope", "p/model/model.bin": b"x", "p/bpe.model": b"x"},
            "not valid JSON",
        ),
        (
            {"p/metadata.json": b"{}", "p/model/model.bin": b"x", "p/bpe.model": b"x"},
            "lacks 'from_code'",
        ),
    ],
)
def test_bad_packages_are_rejected(tmp_path, mt_env, run, members, message):
    bad = tmp_path / "bad.argosmodel"
    if members is None:
        bad.write_text("this is not a zip file")
    else:
        _zip(bad, members)
    with pytest.raises(ModelError, match=message):
        install_from_file(bad, mt_env["models"])
    result = run(None, "models", "install", str(bad))
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "evil").exists()
    assert list_models(mt_env["models"]) == []


def test_symlink_members_are_rejected(tmp_path, mt_env):
    bad = tmp_path / "link.argosmodel"
    with zipfile.ZipFile(bad, "w") as archive:
        info = zipfile.ZipInfo("p/metadata.json")
        info.external_attr = (0o120777 << 16)
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(ModelError, match="symbolic link"):
        install_from_file(bad, mt_env["models"])


def test_pair_install_offline_names_the_file_alternative(run, mt_env):
    result = run(None, "models", "install", "en:da")
    assert result.exit_code == 2
    assert "cannot reach the Argos package index" in result.stderr
    assert "toolkit models install PATH/TO/FILE.argosmodel" in result.stderr


def test_neither_file_nor_pair(run, mt_env):
    result = run(None, "models", "install", "no-such-file.argosmodel")
    assert result.exit_code == 2
    assert "neither a package file nor a language pair" in result.stderr


def test_models_dir_precedence(tmp_path, monkeypatch, mt_project):
    (mt_project / "toolkit.toml").write_text(
        'source_locale = "en"\nlocales = ["da"]\nmodels_dir = "my-models"\n'
    )
    config = load_config(mt_project)
    monkeypatch.setenv("TOOLKIT_MODELS_DIR", str(tmp_path / "env-models"))
    assert models_dir(config) == tmp_path / "env-models"
    monkeypatch.delenv("TOOLKIT_MODELS_DIR")
    assert models_dir(config) == mt_project.resolve() / "my-models"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert models_dir(None) == tmp_path / "xdg" / "toolkit" / "models"


def test_chain_prefers_direct_and_explains_missing(packages, mt_env):
    install_from_file(packages["en_da"], mt_env["models"])
    models = list_models(mt_env["models"])
    assert [m.pair for m in find_chain(models, "en_US", "da_DK")] == ["en->da"]
    with pytest.raises(ModelError, match=r"no Argos model translates en->lt \(installed: en->da\)"):
        find_chain(models, "en", "lt")
