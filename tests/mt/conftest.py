"""MT fixtures: real Argos packages built once per session, an isolated models folder per test.

argostranslate reads ARGOS_PACKAGES_DIR and the XDG folders once, at its first import, and
creates folders there: the session fixture points them into a temporary folder before any
test can import it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.argos_package import EN_DA, build_package
from toolkit.cli import app

DATA = Path(__file__).parent.parent / "data" / "mt"

EN_LT = {
    "You": "Jūs",
    "have": "turite",
    "point": "tašką",
    "points": "taškų",
    "Welcome": "Sveiki",
    "back": "sugrįžę",
}
DA_EN = {"Velkommen": "Welcome", "tilbage": "back", "Du": "You", "har": "have", "point": "points"}


@pytest.fixture(scope="session", autouse=True)
def argos_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """XDG_* and ARGOS_PACKAGES_DIR in a temporary folder for the whole session."""
    home = tmp_path_factory.mktemp("argos-home")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            patch.setenv(name, str(home / name.lower()))
        patch.setenv("ARGOS_PACKAGES_DIR", str(home / "argos-packages"))
        patch.setenv("ARGOS_PACKAGE_INDEX", "http://127.0.0.1:9/")
        yield home


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Small real packages: en->da (the test dictionary), en->lt, da->en."""
    out = tmp_path_factory.mktemp("packages")
    return {
        "en_da": build_package(out, EN_DA, from_code="en", to_code="da"),
        "en_lt": build_package(
            out, EN_LT, from_code="en", to_code="lt", to_name="Lithuanian", seed=1
        ),
        "da_en": build_package(
            out,
            DA_EN,
            from_code="da",
            to_code="en",
            from_name="Danish",
            to_name="English",
            seed=2,
        ),
    }


@pytest.fixture
def mt_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A per-test models folder and translation memory."""
    paths = {"models": tmp_path / "models", "memory": tmp_path / "cache" / "memory.sqlite"}
    monkeypatch.setenv("TOOLKIT_MODELS_DIR", str(paths["models"]))
    monkeypatch.setenv("TOOLKIT_MEMORY", str(paths["memory"]))
    return paths


@pytest.fixture
def mt_project(tmp_path: Path) -> Path:
    """A copy of tests/data/mt/project (English source; da and lt catalogs)."""
    target = tmp_path / "mt-project"
    shutil.copytree(DATA / "project", target)
    return target


@pytest.fixture
def run(mt_env: dict[str, Path]):
    """``run(project, "translate", ...)``: the CLI with stdout and stderr apart."""
    runner = CliRunner()

    def invoke(project: Path | None, *args: str):
        prefix = ["--project", str(project)] if project is not None else []
        return runner.invoke(app, [*prefix, *args])

    return invoke


@pytest.fixture
def installed(run, packages: dict[str, Path], mt_env: dict[str, Path]) -> dict[str, Path]:
    """en->da and en->lt installed through 'toolkit models install'."""
    for name in ("en_da", "en_lt"):
        result = run(None, "models", "install", str(packages[name]))
        assert result.exit_code == 0, result.stderr
    assert os.environ["TOOLKIT_MODELS_DIR"] == str(mt_env["models"])
    return packages
