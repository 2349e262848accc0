"""``toolkit translate`` on the Typer-free path (:mod:`toolkit.cli.lite`) means what Typer means.

A rerun from the translation memory is mostly start-up, so the console script runs translate
without importing Typer; every command line that path takes must give the output, exit code,
catalogs and memory that the Typer application gives.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.both_paths import through_lite, through_typer
from toolkit.cli import app, lite

DATA = Path(__file__).parent.parent / "data" / "mt" / "project"

CASES = [
    ["translate"],  # da and lt, both models installed
    ["translate", "-l", "da", "--beam-size", "2"],
    ["translate", "--locale=lt", "--dry-run"],
    ["translate", "-l", "da", "-e", "argos", "--source-locale", "en", "--include-fuzzy"],
    ["translate", "-l", "da", "--engine", "babelfish"],  # an unknown engine: exit 2
    ["translate", "-l", "../../etc"],
]


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.po"))}


@pytest.mark.parametrize("command", CASES, ids=[" ".join(c) for c in CASES])
@pytest.mark.parametrize("twice", [False, True], ids=["first run", "rerun from memory"])
def test_same_output_exit_code_and_files_as_typer(
    command: list[str],
    twice: bool,
    installed: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    results, files = [], []
    for side in ("lite", "typer"):
        project = tmp_path / side
        shutil.copytree(DATA, project)
        monkeypatch.setenv("TOOLKIT_MEMORY", str(tmp_path / f"{side}.sqlite"))
        args = ["--project", str(project), *command]
        for _ in range(2 if twice else 1):
            code, out, err = through_lite(args, capsys) if side == "lite" else through_typer(args)
        results.append((code, out.replace(str(project), "<p>"), err.replace(str(project), "<p>")))
        files.append(files_of(project))
    assert results[0] == results[1]
    assert files[0] == files[1]
    assert results[0][0] in (0, 2)


def test_a_missing_model_among_several_locales_exits_2_on_both_paths(
    run, packages: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(None, "models", "install", str(packages["en_da"])).exit_code == 0  # no en->lt
    project = tmp_path / "project"
    shutil.copytree(DATA, project)
    capsys.readouterr()
    assert lite.run(["--project", str(project), "translate"]) == 2
    err = capsys.readouterr().err
    assert "No model for lt: those catalogs were not translated (1 of 2 locales done)." in err
    shutil.rmtree(project)
    shutil.copytree(DATA, project)
    result = run(project, "translate")
    assert result.exit_code == 2
    assert result.stderr == err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["translate"], ("translate", {}, {})),
        (["-p", "x", "translate", "-l", "da", "--beam-size", "16", "-e", "apertium"],
         ("translate", {"project": "x"}, {"locale": ["da"], "beam_size": 16,
                                           "engine": "apertium"})),
        (["translate", "--beam-size=1", "--dry-run", "--source-locale", "en"],
         ("translate", {}, {"beam_size": 1, "dry_run": True, "source_locale": "en"})),
    ],
)  # fmt: skip
def test_parses_what_click_would(args: list[str], expected: tuple) -> None:
    assert lite.parse(args) == expected


@pytest.mark.parametrize(
    "value", ["0", "17", "x", " 4", "+4", "4.0", "0x4", "\u0664", ""]
)  # outside the range, or a number Click reads its own way: Click's message, not ours
def test_a_beam_size_click_would_judge_goes_to_typer(value: str) -> None:
    assert lite.parse(["translate", "--beam-size", value]) is None


def test_the_range_is_the_typer_options_range() -> None:
    import typer.main

    command = typer.main.get_command(app).commands["translate"]  # type: ignore[attr-defined]
    beam = next(p for p in command.params if p.name == "beam_size")
    within = lite.COMMANDS["translate"].options["--beam-size"].within
    assert within == (beam.type.min, beam.type.max)


def test_a_rerun_from_the_console_script_imports_neither_typer_nor_ctranslate2(
    installed: dict[str, Path], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(DATA, project)
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('imported:', sorted({'typer', 'ctranslate2'} & "
        "{m.split('.')[0] for m in sys.modules}), file=sys.stderr))\n"
        f"sys.argv = ['toolkit', '--project', {str(project)!r}, 'translate', '-l', 'da']\n"
        "from toolkit.cli import main\n"
        "main()\n"
    )
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "imported: ['ctranslate2']" in first.stderr  # the model ran
    shutil.rmtree(project)
    shutil.copytree(DATA, project)
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "imported: []" in again.stderr
    assert "from memory" in again.stdout
    assert files_of(project) != files_of(DATA)
