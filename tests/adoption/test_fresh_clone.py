"""A fresh clone of this repository: ``make demo`` leaves ``git status`` clean and both CI
gates (``extract --check``, ``update --check``) pass.

The clone is of the committed state (HEAD) of the repository the tests run from. To stay
fast it does not build a new virtualenv: ``make demo`` runs with ``VENV`` pointing at the
environment running the tests and its ``setup`` stamp marked up to date (``make -o``), so the
Makefile's own demo recipe runs with the toolkit installed here. By hand, the same check is::

    git clone . /tmp/fresh && make -C /tmp/fresh demo && git -C /tmp/fresh status --porcelain
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stderr}"
    return done.stdout


def test_make_demo_on_a_fresh_clone_leaves_git_clean(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.fail(f"{ROOT} is not a git checkout: the fresh-clone test needs one")
    venv = Path(sys.prefix)
    toolkit = venv / "bin" / "toolkit"
    assert toolkit.exists(), f"run the tests from the project's venv ({toolkit} missing)"
    clone = tmp_path / "clone"
    _run("git", "clone", "--quiet", str(ROOT), str(clone), cwd=tmp_path)
    env = {**os.environ, "SOURCE_DATE_EPOCH": ""}
    stamp = venv / ".installed"
    make = shutil.which("make")
    assert make, "GNU make is needed"
    _run(make, "-s", "demo", f"VENV={venv}", "-o", str(stamp), cwd=clone, env=env)
    assert _run("git", "status", "--porcelain", cwd=clone) == ""
    assert "up to date" in _run(str(toolkit), "extract", "--check", cwd=clone)
    assert "up to date" in _run(str(toolkit), "update", "--check", cwd=clone)
