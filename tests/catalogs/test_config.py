from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.config import load_config
from toolkit.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_section_is_found_walking_up(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", '[tool.toolkit]\nlocales = ["da", "nb-NO"]\n')
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    config = load_config()
    assert config.root == tmp_path.resolve()
    assert config.locales == ("da", "nb_NO")
    assert config.pot_path == tmp_path.resolve() / "locales" / "messages.pot"
    assert config.po_path("da") == tmp_path.resolve() / "locales/da/LC_MESSAGES/messages.po"


def test_pyproject_without_section_is_skipped_for_parent(tmp_path, monkeypatch):
    write(tmp_path / "toolkit.toml", '[tool.toolkit]\nlocales = ["lt"]\n')
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    monkeypatch.chdir(tmp_path / "sub")
    assert load_config().locales == ("lt",)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[tool.toolkit]\nlocale = ["da"]\n', "did you mean 'locales'"),
        ('[tool.toolkit]\nlocales = "da"\n', "must be a list"),
        ('[tool.toolkit]\nlocales = ["xx_QQ"]\n', "Unknown locale"),
        ('[tool.toolkit]\nlocales = ["../../etc"]\n', "not a locale name"),
        ('[tool.toolkit]\nlocales_dir = "../elsewhere"\n', "inside the project"),
        ("[tool.toolkit\nlocales = 1\n", "invalid TOML"),
    ],
)
def test_invalid_config_is_explained(tmp_path, text, needle):
    write(tmp_path / "toolkit.toml", text)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert needle.lower() in str(info.value).lower()
    assert "toolkit.toml" in str(info.value)


def test_missing_project_says_how_to_create_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError, match="toolkit init"):
        load_config()
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope")
