"""translate's progress bar: on terminals only, and no Rich import where none is shown."""

from __future__ import annotations

import os
import subprocess
import sys

_SCRIPT = """
import sys
from toolkit.cli.mt_run import _ProgressBar
with _ProgressBar("da") as progress:
    for done in range(0, 101, 10):
        progress(done, 100)
print("rich" if "rich.console" in sys.modules else "no rich")
"""


def _run(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    return subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, env=clean | env
    )


def test_no_terminal_no_bar_and_rich_is_not_imported() -> None:
    done = _run()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "no rich"
    assert done.stderr == ""


def test_a_forced_terminal_shows_the_bar() -> None:
    done = _run(FORCE_COLOR="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "rich"
    assert "translating da" in done.stderr
