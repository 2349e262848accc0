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


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('[tool.toolkit]\nsource_locale = "en"\n\nlocale = ["da"]\n',
         "toolkit.toml:4: unknown key 'locale'"),
        ('[tool.toolkit]\nlocales = "da"\n', "toolkit.toml:2: 'locales' must be a list"),
        ('locales = ["da"]\n"markets" = "DK"\n', "toolkit.toml:2: 'markets' must be a list"),
        ('[tool.toolkit]\nlocales = ["da"\n', "toolkit.toml:2: invalid TOML: Unclosed array at "
         "the end of the file. Look for a bracket or quote opened and never closed"),
        ('[tool.toolkit]\nlocales = ["da"]\nrender_timeout = =\n',
         "toolkit.toml:3: invalid TOML: Invalid value (column 18)."),
        # by the value or the key the message names (QA pass 64)
        ('[tool.toolkit]\nsource_locale = "en"\nlocales = ["da", "xx"]\n',
         "toolkit.toml:3: Unknown locale 'xx'"),
        ('[tool.toolkit]\nlocales = ["da"]\nkeywords = ["_:1,2,3"]\n',
         "toolkit.toml:3: keywords: '_:1,2,3' is not a function name"),
        ('[tool.toolkit]\nlocales = ["da"]\n\nmarkets = ["XX"]\n',
         "toolkit.toml:4: 'XX' in 'markets' is not an ISO 3166 country code"),
        ('[tool.toolkit]\nbrands = ["xx"]\nlocales = [\n  "da",\n  "xx",\n]\n',
         "toolkit.toml:5: Unknown locale 'xx'"),  # the locales', not the brands' line
    ],
)  # fmt: skip
def test_a_setting_error_names_its_line(tmp_path, text, where):
    """Errors named the file only, and tomllib's '(at end of document)' no line (QA pass 59)."""
    (tmp_path / "toolkit.toml").write_text(text, "utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert f"{tmp_path / where}" in str(info.value)


def test_a_key_of_another_pyproject_table_is_not_taken_for_the_setting(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nlocales = 1\n[tool.toolkit]\nlocales = ["da"]\nbrands = [1]\n'
        'locales_dir = ""\n', "utf-8")  # fmt: skip
    with pytest.raises(ConfigError, match=r"pyproject.toml:7: 'locales_dir' must be"):
        load_config(tmp_path)


def _load_in_a_new_process(project: Path) -> list[str]:
    """The locales a fresh Python process loads from ``project``, and whether it imported
    tomllib to do so (the cache folder is the test's, passed on in the environment)."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom pathlib import Path\nfrom toolkit.config import load_config\n"
        f"config = load_config(Path({str(project)!r}))\n"
        "print(','.join(config.locales), 'tomllib' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    return done.stdout.split()


def test_an_unchanged_configuration_is_read_again_without_tomllib(tmp_path: Path) -> None:
    config = tmp_path / "toolkit.toml"
    config.write_text('[tool.toolkit]\nsource_locale = "en"\nlocales = ["da", "lt"]\n', "utf-8")
    assert _load_in_a_new_process(tmp_path) == ["da,lt", "True"]  # parsed, remembered
    assert _load_in_a_new_process(tmp_path) == ["da,lt", "False"]
    config.write_text('[tool.toolkit]\nsource_locale = "en"\nlocales = ["da", "nb"]\n', "utf-8")
    assert _load_in_a_new_process(tmp_path) == ["da,nb", "True"]  # an edit is read, at once
    assert load_config(tmp_path).locales == ("da", "nb")


def test_a_damaged_remembered_configuration_is_parsed_again(tmp_path: Path) -> None:
    import os

    (tmp_path / "toolkit.toml").write_text('[tool.toolkit]\nlocales = ["da"]\n', "utf-8")
    load_config(tmp_path)
    entries = list((Path(os.environ["TOOLKIT_CACHE_DIR"]) / "toml").iterdir())
    assert len(entries) == 1
    entries[0].write_bytes(entries[0].read_bytes()[:7])
    assert load_config(tmp_path).locales == ("da",)
    entries[0].write_bytes(b"\xff" * 40)
    assert load_config(tmp_path).locales == ("da",)


def test_a_configuration_with_a_syntax_error_is_never_remembered(tmp_path: Path) -> None:
    import os

    (tmp_path / "toolkit.toml").write_text('[tool.toolkit]\nlocales = ["da"\n', "utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match="toolkit.toml:2: invalid TOML: Unclosed array"):
            load_config(tmp_path)
    assert not (Path(os.environ["TOOLKIT_CACHE_DIR"]) / "toml").exists()


@pytest.mark.parametrize("tag", ["trans", "pluralize", "endtrans", "if", "block"])
def test_jinjas_own_tags_are_not_opaque_tags(tmp_path, tag):
    """``jinja_opaque_tags = ["trans"]`` hid every {% trans %} block from extract: Zulip's
    e-mails went from 201 messages to 70 with exit 0 (QA pass 64)."""
    (tmp_path / "toolkit.toml").write_text(
        f'[tool.toolkit]\nlocales = ["da"]\njinja_opaque_tags = ["url_for", "{tag}"]\n', "utf-8")
    with pytest.raises(ConfigError, match=rf"toolkit.toml:3: jinja_opaque_tags: '{tag}' is a "
                       "tag of Jinja2 itself"):  # fmt: skip
        load_config(tmp_path)
    (tmp_path / "toolkit.toml").write_text(
        '[tool.toolkit]\njinja_opaque_tags = ["url_for", "endorse", "snippet"]\n', "utf-8")
    assert load_config(tmp_path).jinja_opaque_tags == ("url_for", "endorse", "snippet")


def test_a_configuration_that_is_not_utf8_is_refused_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "toolkit.toml").write_bytes(b'[tool.toolkit]\nlocales = ["da"]\n# caf\xe9\n')
    with pytest.raises(ConfigError, match=r"toolkit.toml:3: not UTF-8 text \(byte 0xe9\)"):
        load_config(tmp_path)


def test_a_planted_remembered_configuration_never_blocks(tmp_path: Path) -> None:
    import os

    (tmp_path / "toolkit.toml").write_text('[tool.toolkit]\nlocales = ["da"]\n', "utf-8")
    load_config(tmp_path)
    (entry,) = (Path(os.environ["TOOLKIT_CACHE_DIR"]) / "toml").iterdir()
    entry.unlink()
    os.mkfifo(entry)
    assert load_config(tmp_path).locales == ("da",)
    entry.unlink()
    entry.symlink_to("/dev/zero")
    assert load_config(tmp_path).locales == ("da",)


def test_a_configuration_error_names_the_file_from_the_current_folder(tmp_path, monkeypatch):
    """Found by walking up, the configuration's path is absolute, and its errors named it so
    (`/tmp/x/toolkit.toml:3: ...`) while the docs and every other error name files from the
    current folder when they lie below it (QA pass 81)."""
    import pytest

    from toolkit.config import load_config
    from toolkit.errors import ConfigError

    (tmp_path / "toolkit.toml").write_text('locales = ["da"]\nlocale = "x"\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as info:
        load_config()
    assert str(info.value).startswith("toolkit.toml:2: unknown key 'locale'")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # the file above the current folder: named in full
    with pytest.raises(ConfigError) as info:
        load_config()
    assert str(info.value).startswith(f"{tmp_path / 'toolkit.toml'}:2: unknown key")


def test_fuzzy_matching_must_be_a_boolean(tmp_path):
    import pytest

    from toolkit.config import load_config
    from toolkit.errors import ConfigError

    (tmp_path / "toolkit.toml").write_text('locales = ["da"]\nfuzzy_matching = "no"\n', "utf-8")
    with pytest.raises(ConfigError, match="'fuzzy_matching' must be true or false"):
        load_config(tmp_path)
    (tmp_path / "toolkit.toml").write_text('locales = ["da"]\nfuzzy_matching = false\n', "utf-8")
    assert load_config(tmp_path).fuzzy_matching is False
