"""The Apertium engine on segments that its text format once ran together (QA pass 80):
each segment translated on its own, whitespace kept, its marks caught, missing pairs and a
missing command handled like a missing Argos model."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest

from toolkit.config import load_config
from toolkit.mt import translate_catalog
from toolkit.mt.apertium import ApertiumEngine

needs_apertium = pytest.mark.skipif(
    shutil.which("apertium") is None, reason="apertium is not installed (.ci/run installs it)"
)


def _project(root: Path, source: str, locales: list[str], texts: list[str]) -> Path:
    """A content project in ``source`` whose catalogs hold ``texts``, untranslated."""
    root.mkdir(parents=True)
    (root / "toolkit.toml").write_text(
        f'source_locale = "{source}"\nlocales = {locales!r}\n'.replace("'", '"'), "utf-8")
    for locale in locales:
        po = polib.POFile(wrapwidth=0)
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8",
                       "Plural-Forms": "nplurals=2; plural=(n != 1);"}  # fmt: skip
        for number, text in enumerate(texts):
            po.append(polib.POEntry(msgid=text, msgstr="", occurrences=[("t.j2", str(number))]))
        folder = root / "locales" / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        po.save(str(folder / "messages.po"))
    return root


def _translations(root: Path, locale: str) -> dict[str, str]:
    po = polib.pofile(str(root / "locales" / locale / "LC_MESSAGES" / "messages.po"))
    return {e.msgid: e.msgstr for e in po}


@needs_apertium
def test_words_stay_in_their_own_segment(tmp_path, mt_env):
    """Bokmål 'Saldoen din' is Danish 'Din saldo': Apertium's rules moved 'Din' across the
    blank line to the end of the message before ('... bonuspointer.. Din' / 'saldo er nu')."""
    texts = ["Denne bestillingen ga deg 10 bonuspoeng.", "Saldoen din er nå 50 bonuspoeng."]
    root = _project(tmp_path / "nb-project", "nb", ["da"], texts)
    translate_catalog(load_config(root), "da", engine="apertium")
    done = _translations(root, "da")
    assert done[texts[0]] == "Denne bestilling gav dig 10 bonuspointer."
    assert done[texts[1]] == "Din saldo er nu 50 bonuspointer."


@needs_apertium
def test_a_segment_is_translated_as_it_is_alone(tmp_path, mt_env):
    """After 'Tak.', 'Der er ingen bruger ...' came back 'Som er ingen bruker ...'."""
    texts = ["Tak.", "Der er ingen bruger ved navn Jens."]
    root = _project(tmp_path / "da-project", "da", ["nb"], texts)
    translate_catalog(load_config(root), "nb", engine="apertium")
    assert _translations(root, "nb")[texts[1]] == "Der er ingen bruker ved navn Jens."


@needs_apertium
def test_tabs_no_break_and_double_spaces_survive(tmp_path, mt_env):
    """Input and output were collapsed to single spaces: '100\\xa0kr.' lost its no-break
    space, 'Navn:\\tJens' its tab."""
    texts = ["Prisen er 100\u00a0kr. i alt", "Navn:\tJens Hansen", "Tryk på  knappen",
             "Det koster 5\u202f000 kr.", "Linje et\nLinje to", "Pris [ny] er 5$ a/b"]
    root = _project(tmp_path / "ws", "da", ["nb"], texts)
    translate_catalog(load_config(root), "nb", engine="apertium")
    done = _translations(root, "nb")
    assert "100\u00a0kr." in done[texts[0]]
    assert done[texts[1]] == "Navn:\tJens Hansen"
    assert "  " in done[texts[2]]
    assert "5\u202f000" in done[texts[3]]
    assert done[texts[4]].count("\n") == 1
    assert "[ny]" in done[texts[5]] and "5$" in done[texts[5]] and "a/b" in done[texts[5]]


@needs_apertium
def test_a_missing_pair_leaves_the_other_locales_translated(tmp_path, mt_env, monkeypatch):
    """da->lt has no Apertium pair: the run stopped there, and nn (installed) was never
    translated."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    root = _project(tmp_path / "many", "da", ["lt", "nb"], ["Velkommen tilbage!"])
    result = CliRunner().invoke(app, ["--project", str(root), "translate", "--engine",
                                      "apertium"])  # fmt: skip
    assert result.exit_code == 2
    assert "Error: lt: apertium has no da->lt language pair installed" in result.stderr
    assert "No model for lt: those catalogs were not translated (1 of 2 locales done)" in (
        result.stderr.replace("\n", " "))
    assert _translations(root, "nb")["Velkommen tilbage!"] == "Velkommen tilbake!"


def test_a_locale_of_the_source_language_is_nothing_to_translate():
    """'--locale da_DK' in a Danish project advised installing apertium-dan-dan."""
    from toolkit.errors import MissingModelError

    with pytest.raises(MissingModelError, match="da_DK is in the source language"):
        ApertiumEngine("da", "da_DK")


@needs_apertium
def test_a_rerun_from_memory_needs_no_apertium(tmp_path, mt_env, monkeypatch):
    """The engine looked for the command before the memory was asked: a machine without
    Apertium could not rerun what the memory holds."""
    root = _project(tmp_path / "again", "da", ["nb"], ["Velkommen tilbage!"])
    translate_catalog(load_config(root), "nb", engine="apertium")
    path = root / "locales" / "nb" / "LC_MESSAGES" / "messages.po"
    po = polib.pofile(str(path))
    for entry in po:
        entry.msgstr, entry.flags, entry.tcomment = "", [], ""
    po.save(str(path))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    result = translate_catalog(load_config(root), "nb", engine="apertium")
    assert result.from_memory == 1
    assert _translations(root, "nb")["Velkommen tilbage!"] == "Velkommen tilbake!"


@needs_apertium
def test_a_markdown_code_span_is_not_translated(tmp_path, mt_env):
    """A knowledge-base answer's `toolkit check` came back `toolkit sjekk`."""
    text = "Kør `toolkit check` før du sender."
    root = _project(tmp_path / "code", "da", ["nb"], [text])
    translate_catalog(load_config(root), "nb", engine="apertium")
    assert "`toolkit check`" in _translations(root, "nb")[text]
