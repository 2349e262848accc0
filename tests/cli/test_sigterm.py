"""SIGTERM (a CI timeout, ``kill``, a container stopping) unwinds like Ctrl-C in every command."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from toolkit.catalogs import catalog_lock

from ..catalogs.helpers import catalogs_behind_a_new_string


def test_sigterm_while_update_waits_for_a_lock_exits_130_with_one_line(project):
    before = catalogs_behind_a_new_string(project)
    with catalog_lock(project.po_path("lt")):  # another toolkit command is writing it
        process = subprocess.Popen(
            [sys.executable, "-c", "from toolkit.cli import main; main()",
             "--project", str(project.root), "update"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(1.5)  # update is waiting for the lock now
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Interrupted" in err and "Traceback" not in err
    assert {loc: project.po_path(loc).read_bytes() for loc in project.locales} == before
    assert not list(project.locales_path.rglob("*.tmp"))


def test_an_interrupt_a_library_turns_into_its_own_error_still_exits_130(
    project_dir, monkeypatch, capsys
):
    """DuckDB answers Ctrl-C or SIGTERM in a query with ``RuntimeError: Query interrupted``;
    after a signal, an error like that ends the command as an interrupt, not a traceback."""
    import pytest

    from toolkit.cli import catalog_run, guard, lite

    def interrupted_query(state, **options):  # type: ignore[no-untyped-def]
        guard._interrupts.append(signal.SIGTERM)  # what the handler notes
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(guard, "_interrupts", [])
    monkeypatch.setattr(catalog_run, "check", interrupted_query)
    assert lite.run(["--project", str(project_dir), "check"]) == 130
    assert "Interrupted" in capsys.readouterr().err

    def failing(state, **options):  # type: ignore[no-untyped-def]
        raise RuntimeError("a real bug")

    monkeypatch.setattr(guard, "_interrupts", [])  # no signal: the error is not hidden
    monkeypatch.setattr(catalog_run, "check", failing)
    with pytest.raises(RuntimeError, match="a real bug"):
        lite.run(["--project", str(project_dir), "check"])


_DURING_START_UP = """
import os, signal, sys, time
import toolkit.cli.lite as lite

def run(args):  # SIGTERM before any command's error handling runs
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(5)

lite.run = run
sys.argv = ["toolkit", "check"]
from toolkit.cli import main
main()
"""


def test_sigterm_during_start_up_is_one_line_and_130():
    process = subprocess.run(
        [sys.executable, "-c", _DURING_START_UP], capture_output=True, text=True, timeout=30
    )
    assert process.returncode == 130, process.stderr
    assert process.stderr.strip() == (
        "Interrupted; files already written are complete, nothing is half-written."
    )
