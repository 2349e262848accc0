"""Ctrl-C or SIGTERM while the MT libraries load ends translate as an interrupt, not an abort.

``import ctranslate2`` takes seconds where torch is installed (ctranslate2 imports it), and a
KeyboardInterrupt raised while pybind11 runs Python code from C++ aborts the process
(``terminate called after throwing an instance of 'pybind11::error_already_set'``, exit 134).
Here a stand-in ``ctranslate2`` sends the signal to its own process while it loads: the import
must finish first, and the command end with its one line and 143.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.mt.conftest import DATA

_STAND_IN = """
import os, signal
os.kill(os.getpid(), signal.SIGTERM)  # arrives while this module loads
total = 0
for i in range(100_000):  # Python code after the signal, as torch's own start-up runs
    total += i
open(os.environ["LOADED_MARKER"], "w").close()
"""

DA = "locales/da/LC_MESSAGES/messages.po"


def test_sigterm_while_ctranslate2_loads_waits_for_the_import_then_exits_143(
    installed, mt_env, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    shutil.copytree(DATA / "project", project)
    before = (project / DA).read_bytes()
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "ctranslate2.py").write_text(_STAND_IN, encoding="utf-8")
    marker = tmp_path / "loaded"
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(fake), os.getcwd()]),
        LOADED_MARKER=str(marker),
    )
    process = subprocess.run(
        [sys.executable, "-m", "toolkit", "--project", str(project), "translate", "--locale", "da"],
        capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert marker.exists(), process.stderr  # the import was not cut half-way
    assert process.returncode == 143, process.stderr
    assert process.stderr.strip().splitlines()[-1] == (
        "Interrupted; files already written are complete, nothing is half-written."
    )
    assert "Traceback" not in process.stderr
    assert (project / DA).read_bytes() == before
    assert not list(project.rglob("*.tmp"))
