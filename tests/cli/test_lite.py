"""The Typer-free path of the catalog commands (``toolkit.cli.lite``) means what Typer means.

Every command line it accepts must give the output, exit code and files the Typer application
gives; everything else must be left to Typer.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from toolkit.cli import app, lite

from .both_paths import through_lite, through_typer

DATA = Path(__file__).parent.parent / "data"


def click_command(name: str):  # type: ignore[no-untyped-def]
    return typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(lite.COMMANDS))
def test_each_command_has_the_options_of_its_typer_command(name: str) -> None:
    spec = lite.COMMANDS[name].options
    params = [p for p in click_command(name).params if p.name != "help"]
    typer_options = {o for p in params for o in (*p.opts, *p.secondary_opts)}
    assert set(spec) == typer_options
    for param in params:
        for option in param.opts:
            meaning = spec[option]
            assert meaning.name == param.name
            assert (meaning.kind == "flag") == bool(getattr(param, "is_flag", False))
            assert (meaning.kind == "multiple") == bool(getattr(param, "multiple", False))
            assert not param.secondary_opts  # no --no-x forms to mirror


def test_the_entry_point_offers_exactly_these_commands_to_the_typer_free_path() -> None:
    from toolkit.cli import LITE_COMMANDS

    assert set(lite.COMMANDS) == LITE_COMMANDS


def test_global_options_are_the_callbacks_except_version() -> None:
    group = typer.main.get_command(app)
    options = {o for p in group.params if p.name not in ("help", "version") for o in p.opts}
    assert set(lite.GLOBAL) == options
    for param in group.params:
        for option in param.opts:
            if option in lite.GLOBAL:
                assert lite.GLOBAL[option].name == param.name


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["compile"], ("compile", {}, {})),
        (["-p", "x", "--debug", "compile", "-l", "da", "--locale=nb", "--force"],
         ("compile", {"project": "x", "debug": True},
          {"locale": ["da", "nb"], "force": True})),
        (["--project=x", "check", "-f", "json", "--fail-on", "warning", "--select", "-x"],
         ("check", {"project": "x"}, {"format": "json", "fail_on": "warning", "select": "-x"})),
        (["update", "--plural-forms", "cldr", "--check", "--no-fuzzy-matching"],
         ("update", {}, {"plural_forms": "cldr", "check": True, "no_fuzzy_matching": True})),
        (["extract", "--keep-going"], ("extract", {}, {"keep_going": True})),
        (["update", "-i", "all.pot", "-l", "da"],
         ("update", {}, {"pot": ["all.pot"], "locale": ["da"]})),
    ],
)  # fmt: skip
def test_parses_what_click_would(args: list[str], expected: tuple) -> None:
    assert lite.parse(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--version"],
        ["--help"],
        ["compile", "--help"],
        ["compile", "-h"],
        ["status"],  # not a command of this path
        ["render-batch", "x.j2"],
        ["compile", "da"],  # a stray word
        ["compile", "--no-force"],  # unknown option
        ["compile", "--force=yes"],  # a value for a flag
        ["compile", "-lda"],  # short option with its value attached
        ["compile", "-l=da"],
        ["compile", "--locale"],  # missing value
        ["check", "--format", "xml"],  # outside the choices: Click's usage error
        ["check", "--fail-on", "fatal"],
        ["update", "--plural-forms", "gnu"],
        ["compile", "--debug"],  # a global option after the command
        ["--", "compile"],
        ["-x", "compile"],
    ],
)
def test_everything_else_goes_to_typer(args: list[str]) -> None:
    assert lite.parse(args) is None
    assert lite.run(args) is None


ROOT = Path(__file__).parents[2]


def fresh_project(root: Path) -> Path:
    target = root / "project"
    shutil.copytree(DATA / "project", target)
    return target


def translated_project(root: Path) -> Path:
    """The repository's own catalogs and glossaries (translated, with plurals), no templates."""
    target = root / "project"
    for folder in ("locales", "glossaries"):
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("*.mo"))
    (target / "toolkit.toml").write_text(
        '[tool.toolkit]\nsource_locale = "en"\nlocales = ["da", "nb", "lt"]\n', "utf-8"
    )
    return target


CASES = [
    ["extract"],
    ["extract", "--check"],
    ["update", "--check"],
    ["update", "-l", "da"],
    ["update", "--plural-forms", "cldr"],
    ["update", "-N", "-l", "nb"],
    ["compile"],
    ["compile", "--locale=nb", "--use-fuzzy"],
    ["compile", "-l", "dk"],  # a usage error from the library: exit 2
    ["compile", "-l", "../../etc"],
    ["check"],
    ["check", "-f", "json", "--fail-on", "warning"],
    ["check", "--select", "placeholders,tags", "-l", "lt"],  # an unknown id: exit 2
    ["check", "--select", "placeholders,html-tags", "-l", "lt"],
    ["check", "--ignore", "no-such-check"],
    ["check", "--list-checks", "--format", "json"],
]


def files_of(project: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(project)): p.read_bytes()
        for p in sorted(project.rglob("*"))
        if p.is_file()
    }


TRANSLATED_CASES = [
    ["update", "--check"],
    ["update", "-l", "lt"],
    ["compile"],
    ["compile", "-l", "lt", "--force"],
    ["check"],
    ["check", "--format", "json", "-l", "da"],
    ["check", "--fail-on", "warning", "--ignore", "end-punctuation"],
    ["check", "--no-cache", "-l", "nb"],
]


@pytest.mark.parametrize(
    ("command", "make"),
    [(c, fresh_project) for c in CASES] + [(c, translated_project) for c in TRANSLATED_CASES],
    ids=[" ".join(c) for c in CASES] + [f"translated {' '.join(c)}" for c in TRANSLATED_CASES],
)
def test_same_output_exit_code_and_files_as_typer(
    command: list[str],
    make,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    results, files = [], []
    for side in ("lite", "typer"):
        project = make(tmp_path / side)
        monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / side / "cache"))
        monkeypatch.chdir(project)
        setup = ["--project", str(project)]
        # a POT and catalogs to work on, the same on both sides
        if make is fresh_project and command[0] != "extract":
            assert lite.run([*setup, "extract"]) == 0
            assert lite.run([*setup, "update"]) == 0
        args = [*setup, *command]
        outcome = through_lite(args, capsys) if side == "lite" else through_typer(args)
        results.append(tuple(str(part).replace(str(tmp_path / side), "<tmp>") for part in outcome))
        files.append(files_of(project))
    assert results[0] == results[1]
    assert files[0] == files[1]
    assert results[0][0] in ("0", "1", "2")


def test_debug_prints_the_traceback_of_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "missing")
    code, _, err = through_lite(["--debug", "--project", missing, "compile"], capsys)
    assert code == 2
    assert "Traceback" in err and err.rstrip().splitlines()[-1].startswith("Error: ")
    code, _, err = through_lite(["--project", missing, "compile"], capsys)
    assert code == 2 and "Traceback" not in err


def run_script(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('typer imported:', 'typer' in sys.modules, "
        "file=sys.stderr))\n"
        f"sys.argv = ['toolkit', '--project', {str(project)!r}, *{list(args)!r}]\n"
        "from toolkit.cli import main\n"
        "main()\n"
    )
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)


def test_the_console_script_runs_catalog_commands_without_typer(tmp_path: Path) -> None:
    project = fresh_project(tmp_path)
    done = run_script(project, "extract")
    assert done.returncode == 0, done.stderr
    assert "wrote " in done.stdout
    assert "typer imported: False" in done.stderr
    helped = run_script(project, "extract", "--help")
    assert helped.returncode == 0
    assert "--keep-going" in helped.stdout
    assert "typer imported: True" in helped.stderr
    refused = run_script(project, "check", "--format", "xml")
    assert refused.returncode == 2
    assert "Invalid value for --format" in refused.stderr


CHOICES = [
    (name, word, choice)
    for name, command in lite.COMMANDS.items()
    for word, option in command.options.items()
    for choice in option.choices
]


@pytest.mark.parametrize(("name", "word", "choice"), CHOICES)
def test_every_choice_this_path_accepts_the_command_accepts(
    name: str,
    word: str,
    choice: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = translated_project(tmp_path)
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path / "cache"))
    extra = ["--check"] if name == "update" else []
    code, _, err = through_lite(["--project", str(project), name, word, choice, *extra], capsys)
    assert code in (0, 1), err
