"""translate loads CTranslate2's compiled core only: no NumPy, no torch, the same output.

``import ctranslate2`` imports the package's model converters, which import NumPy and, where
the ``[argos]`` extra installed it, torch (2.6 s on this machine). The engine loads the
compiled extension alone (toolkit.mt.argos.import_ctranslate2); where it cannot, it imports
the package with torch kept out. Every path must translate the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mt.conftest import DATA

DA = "locales/da/LC_MESSAGES/messages.po"

_SCRIPT = """
import atexit, importlib.machinery, json, sys
mode = sys.argv[2]
if mode == "package-first":
    import ctranslate2  # as in a process that uses it already (the tests' package builder)
elif mode == "no-extension-file":
    importlib.machinery.EXTENSION_SUFFIXES[:] = [".nothing"]  # only the package import left
names = ("torch", "numpy", "ctranslate2", "ctranslate2._ext")
atexit.register(lambda: print(json.dumps([m for m in names if sys.modules.get(m) is not None])))
from toolkit.cli import main
sys.argv = ["toolkit", "--project", sys.argv[1], "translate", "--locale", "da"]
main()
"""


def _translate(project: Path, memory: Path, mode: str) -> dict:
    env = dict(os.environ, TOOLKIT_MEMORY=str(memory))
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(project), mode],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return {"loaded": json.loads(done.stdout.strip().splitlines()[-1]),
            "po": (project / DA).read_bytes()}  # fmt: skip


@pytest.mark.parametrize("mode", ["package-first", "no-extension-file"])
def test_every_way_of_loading_ctranslate2_translates_the_same(
    installed, mt_env, tmp_path: Path, mode: str
) -> None:
    projects = {}
    for name in ("extension", mode):
        projects[name] = tmp_path / name
        shutil.copytree(DATA / "project", projects[name])
    alone = _translate(projects["extension"], tmp_path / "one.sqlite", "extension")
    other = _translate(projects[mode], tmp_path / "two.sqlite", mode)
    assert b'msgstr "Velkommen tilbage!"' in alone["po"]
    assert other["po"] == alone["po"]
    # The compiled core alone: neither the package, nor NumPy, nor torch.
    assert alone["loaded"] == ["ctranslate2._ext"]
    if mode == "no-extension-file":  # the package, with torch kept out even where installed
        assert "ctranslate2" in other["loaded"] and "torch" not in other["loaded"]


def test_a_process_marking_ctranslate2_missing_gets_import_error() -> None:
    code = (
        "import sys; sys.modules['ctranslate2'] = None\n"
        "from toolkit.mt.argos import import_ctranslate2\n"
        "try:\n    import_ctranslate2()\n"
        "except ImportError as exc:\n    print('missing', exc.name)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "missing ctranslate2", done.stderr


def test_torch_imported_later_in_the_process_still_works() -> None:
    pytest.importorskip("torch")  # the [argos] extra; CI installs it
    code = (
        "import importlib.machinery, sys\n"
        "importlib.machinery.EXTENSION_SUFFIXES[:] = ['.nothing']\n"
        "from toolkit.mt.argos import import_ctranslate2\n"
        "core = import_ctranslate2()\n"
        "assert 'torch' not in sys.modules\n"
        "import torch\n"
        "print(torch.tensor([1, 2]).sum().item())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "3", done.stderr
