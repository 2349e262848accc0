"""``toolkit models``: install (checked), list, remove, and where models live."""

from __future__ import annotations

import json
import os
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
        # QA pass 80: a './' member was an IndexError traceback; a model/ without model.bin
        # replaced a working model; a dot folder installed where no command sees it; a
        # regional code installed a model no locale could choose or remove.
        ({"./": b"", "p/metadata.json": GOOD_META, "p/model/model.bin": b"x",
          "p/bpe.model": b"x"}, "unsafe member path './'"),
        ({"p/metadata.json": GOOD_META, "p/model/config.json": b"{}", "p/bpe.model": b"x"},
         "no model/model.bin"),
        ({".hidden/metadata.json": GOOD_META, ".hidden/model/model.bin": b"x",
          ".hidden/bpe.model": b"x"}, "starts with a dot"),
        ({"p/metadata.json": GOOD_META.replace(b'"da"', b'"pt-BR"'),
          "p/model/model.bin": b"x", "p/bpe.model": b"x"}, "which is no language code"),
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
    result = run(None, "models", "install", "danish-please")
    assert result.exit_code == 2
    assert "neither a package file nor a language pair" in result.stderr


@pytest.mark.parametrize("source", ["no-such-file.argosmodel", "models/en_da.zip"])
def test_a_missing_package_file_is_named_as_missing(run, mt_env, source):
    result = run(None, "models", "install", source)
    assert result.exit_code == 2
    assert f"{source}: no such file" in result.stderr


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
    # A locale in the source language asked for an impossible en->en model (QA pass 56).
    with pytest.raises(ModelError, match=r"en_GB is in the source language \(en\): there is "
                                         "nothing to machine-translate"):  # fmt: skip
        find_chain(models, "en_US", "en_GB")


def _with_metadata(source: Path, target: Path, **changes: object) -> Path:
    """A copy of the package ``source`` whose metadata.json has ``changes``."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename.endswith("/metadata.json"):
                data = json.dumps({**json.loads(data), **changes}).encode()
            copy.writestr(info, data)
    return target


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("code", [5, None, "../etc", "klingon", "xx/yy", "EN", ""])
def test_a_package_with_a_bad_language_code_changes_nothing(tmp_path, run, packages, mt_env,
                                                            code):  # fmt: skip
    assert run(None, "models", "install", str(packages["en_da"])).exit_code == 0
    before = _snapshot(mt_env["models"])
    bad = _with_metadata(packages["en_da"], tmp_path / "bad.argosmodel", to_code=code)
    result = run(None, "models", "install", str(bad))
    assert result.exit_code == 2, result.stdout
    assert "to_code" in result.stderr
    assert _snapshot(mt_env["models"]) == before  # the working en->da model is still there
    assert [m.pair for m in list_models(mt_env["models"])] == ["en->da"]


def test_a_package_of_another_pair_in_the_same_folder_replaces_nothing(tmp_path, run, packages,
                                                                      mt_env):  # fmt: skip
    assert run(None, "models", "install", str(packages["en_da"])).exit_code == 0
    before = _snapshot(mt_env["models"])
    other = _with_metadata(packages["en_da"], tmp_path / "other.argosmodel", to_code="nb")
    result = run(None, "models", "install", str(other))
    assert result.exit_code == 2
    assert "where the installed en->da model is, but it translates en->nb" in result.stderr
    assert "toolkit models remove en:da" in result.stderr
    assert _snapshot(mt_env["models"]) == before


def test_a_newer_copy_of_the_same_pair_replaces_the_installed_one(tmp_path, run, packages,
                                                                  mt_env):  # fmt: skip
    assert run(None, "models", "install", str(packages["en_da"])).exit_code == 0
    newer = _with_metadata(packages["en_da"], tmp_path / "newer.argosmodel", package_version="1.1")
    result = run(None, "models", "install", str(newer))
    assert result.exit_code == 0, result.stderr
    assert [(m.pair, m.version) for m in list_models(mt_env["models"])] == [("en->da", "1.1")]
    assert not [p for p in mt_env["models"].iterdir() if p.name.startswith(".")]  # no leftovers


def test_a_pair_the_index_lacks_gets_a_hint_that_fits_it(tmp_path, run, mt_env, monkeypatch):
    index = tmp_path / "index"
    index.mkdir()
    (index / "index.json").write_text(json.dumps([
        {"type": "translate", "from_code": "en", "to_code": "da", "links": []},
    ]))  # fmt: skip
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", index.as_uri())
    from_english = run(None, "models", "install", "en:nb")
    assert from_english.exit_code == 2
    assert "the Argos index has no en->nb package" in from_english.stderr
    assert "en->en" not in from_english.stderr and "Check the language codes" in from_english.stderr
    between = run(None, "models", "install", "da:nb")
    assert "Install da->en and en->nb" in between.stderr.replace("\n", " ")


def test_installing_again_mends_a_broken_installed_copy(run, packages, mt_env):
    assert run(None, "models", "install", str(packages["en_da"])).exit_code == 0
    (mt_env["models"] / "translate-en_da-1_0" / "metadata.json").write_text("{broken")
    assert run(None, "models", "list").exit_code == 2  # the broken copy is named
    result = run(None, "models", "install", str(packages["en_da"]))
    assert result.exit_code == 0, result.stderr
    assert [m.pair for m in list_models(mt_env["models"])] == ["en->da"]


@pytest.mark.parametrize(("target", "pair"), [
    ("zh_TW", "en->zt"), ("zh_Hant", "en->zt"), ("zh-HK", "en->zt"), ("zh_Hant_MO", "en->zt"),
    ("zh_CN", "en->zh"), ("zh_Hans", "en->zh"), ("zh_Hans_HK", "en->zh"), ("zh", "en->zh"),
])
def test_traditional_chinese_uses_argos_zt_model(tmp_path, target, pair):
    """zh_TW and zh_Hant were translated by the Simplified en->zh model (QA 32); Argos names
    Traditional Chinese 'zt'."""
    from toolkit.mt.models import InstalledModel

    models = [InstalledModel("en", code, "1.9", tmp_path / code, 1) for code in ("zh", "zt")]
    assert [m.pair for m in find_chain(models, "en", target)] == [pair]


def test_a_package_of_many_small_compressible_members_is_a_zip_bomb(tmp_path, mt_env):
    """2,000 members of 1 MiB of zeros each passed the per-member ratio test: 2.7 MB unpacked
    to 2 GB (QA pass 80). The whole package's ratio is tested too."""
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("p/metadata.json", GOOD_META)
        archive.writestr("p/model/model.bin", b"x")
        archive.writestr("p/bpe.model", b"x")
        for n in range(70):
            archive.writestr(f"p/pad/{n}.bin", bytes(1024**2))
    with pytest.raises(ModelError, match="looks like a zip bomb"):
        install_from_file(bomb, mt_env["models"])
    assert list_models(mt_env["models"]) == []


def test_a_broken_folder_does_not_stop_translating_other_pairs(run, packages, mt_env, tmp_path):
    """A folder with a bad metadata.json made translate exit 2 for every pair, lt too (QA pass
    80). models list still names it; a translate that needs it says it could not be read."""
    from toolkit.mt.engines import open_engine

    assert run(None, "models", "install", str(packages["en_lt"])).exit_code == 0
    junk = mt_env["models"] / "junk"
    junk.mkdir()
    (junk / "metadata.json").write_text("{bad", "utf-8")
    assert run(None, "models", "list").exit_code == 2
    engine = open_engine("argos", "en", "lt", models_dir=mt_env["models"])
    assert engine.label.startswith("argos en->lt")
    with pytest.raises(ModelError, match=r"1 installed folder\(s\) could not be read: .*junk"):
        open_engine("argos", "en", "da", models_dir=mt_env["models"])


def test_an_install_killed_midway_is_cleaned_up_and_undone_by_the_next(packages, mt_env):
    """kill -9 during an install left .installing-* (250 MB) that no command lists or removes
    (QA pass 80); one killed after moving the installed copy aside lost the pair. The next
    install removes what a dead process left and puts an installed copy back first."""
    import subprocess
    import sys

    models = mt_env["models"]
    install_from_file(packages["en_da"], models)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    staging = models / f".installing-{dead}-abc"
    staging.mkdir()
    (staging / "junk.bin").write_bytes(b"x" * 1000)
    os.replace(models / "translate-en_da-1_0", staging / ".previous-translate-en_da-1_0")
    assert list_models(models) == []  # as a kill -9 between the two renames leaves it
    install_from_file(packages["en_lt"], models)
    assert not staging.exists()
    assert sorted(m.pair for m in list_models(models)) == ["en->da", "en->lt"]
