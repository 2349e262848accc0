"""Fixtures for rendering tests: a small content project with real da/nb/lt translations."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.compile import compile_catalogs
from toolkit.config import ProjectConfig, load_config
from toolkit.render import Renderer

DATA = Path(__file__).parent.parent / "data" / "render"


@pytest.fixture
def render_dir(tmp_path: Path) -> Path:
    """A copy of tests/data/render/project with its catalogs compiled by toolkit.compile."""
    target = tmp_path / "project"
    shutil.copytree(DATA / "project", target)
    compile_catalogs(load_config(target))
    return target


@pytest.fixture
def render_project(render_dir: Path) -> ProjectConfig:
    return load_config(render_dir)


@pytest.fixture
def renderer(render_project: ProjectConfig) -> Renderer:
    return Renderer(render_project)


@pytest.fixture
def write_template(render_dir: Path) -> Callable[[str, str], str]:
    """Write a template into the copied project; returns its loader name."""

    def write(name: str, source: str) -> str:
        path = render_dir / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, "utf-8")
        return name

    return write


@pytest.fixture
def render_cli(render_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the CLI inside the copied project (cwd = project root)."""
    monkeypatch.chdir(render_dir)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, ["--project", str(render_dir), *args], input=input)

    return invoke
