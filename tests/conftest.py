"""Shared fixtures: a fresh copy of the small content project for each test."""

from __future__ import annotations

import shutil
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.config import ProjectConfig, load_config

DATA = Path(__file__).parent / "data"

# A shell starts a background job (`.ci/run &`, nohup) with Ctrl-C ignored, and Python keeps it
# so; the tests of Ctrl-C need it as a terminal delivers it (programs they start inherit it).
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    """A copy of tests/data/project in tmp_path (checked-in data is never modified)."""
    target = tmp_path / "project"
    shutil.copytree(DATA / "project", target)
    return target


@pytest.fixture
def project(project_dir: Path) -> ProjectConfig:
    """The configuration of the copied content project."""
    return load_config(project_dir)


@pytest.fixture
def cli(project_dir: Path):
    """Run the CLI against the copied project: ``cli("extract")`` -> click Result."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, ["--project", str(project_dir), *args], input=input)

    return invoke


@pytest.fixture(autouse=True)
def _toolkit_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Each test its own cache folder (compile's verified-catalog marks), never ~/.cache."""
    monkeypatch.setenv("TOOLKIT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
