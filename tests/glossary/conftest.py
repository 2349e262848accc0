"""Glossary fixtures: a copy of tests/data/glossary/project (da, nb, lt) per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.config import ProjectConfig, load_config

DATA = Path(__file__).parent.parent / "data" / "glossary"


@pytest.fixture
def gproject_dir(tmp_path: Path) -> Path:
    """A fresh copy of the glossary test project."""
    target = tmp_path / "gproject"
    shutil.copytree(DATA / "project", target)
    return target


@pytest.fixture
def gproject(gproject_dir: Path) -> ProjectConfig:
    return load_config(gproject_dir)


@pytest.fixture
def gcli(gproject_dir: Path):
    """``gcli("glossary", "list")``: the CLI on the copied project, stdout and stderr apart."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, ["--project", str(gproject_dir), *args])

    return invoke
