"""SIGTERM (a CI timeout, ``kill``, a container stopping) unwinds like Ctrl-C in every command."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from toolkit.catalogs import catalog_lock

from ..catalogs.helpers import catalogs_behind_a_new_string


def test_sigterm_while_update_waits_for_a_lock_exits_143_with_one_line(project):
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
    assert process.returncode == 143, err  # 128 + SIGTERM, as a shell reports it
    assert "Interrupted" in err and "Traceback" not in err
    assert {loc: project.po_path(loc).read_bytes() for loc in project.locales} == before
    assert not list(project.locales_path.rglob("*.tmp"))


def test_an_interrupt_a_library_turns_into_its_own_error_still_exits_143(
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
    assert lite.run(["--project", str(project_dir), "check"]) == 143
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


def test_sigterm_during_start_up_is_one_line_and_143():
    process = subprocess.run(
        [sys.executable, "-c", _DURING_START_UP], capture_output=True, text=True, timeout=30
    )
    assert process.returncode == 143, process.stderr
    assert process.stderr.strip() == (
        "Interrupted; files already written are complete, nothing is half-written."
    )


#: Restores the handlers while a SIGTERM comes just after SIGINT's handler was put back: the
#: moment a QA run hit at the very end of an `update` (a KeyboardInterrupt traceback).
RESTORING = """
import os, signal
from toolkit.cli import guard
guard.install_interrupt_handlers()
real = signal.signal
def restoring(signum, handler):
    result = real(signum, handler)
    if signum == signal.SIGINT:
        os.kill(os.getpid(), signal.SIGTERM)
    return result
signal.signal = restoring
guard.restore_interrupt_handlers()
print("not reached: the SIGTERM ends the process once the handlers are restored")
"""


def test_a_signal_while_the_handlers_are_restored_ends_the_run_without_a_traceback():
    done = subprocess.run([sys.executable, "-c", RESTORING], capture_output=True, text=True)
    assert done.returncode == -signal.SIGTERM, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr
    assert "not reached" not in done.stdout


#: Ctrl-C as update renames its second catalog into place (strace's rename injection in QA
#: pass 80): the group of catalogs is finished first.
_AT_THE_SECOND_RENAME = """
import os, signal, sys
real, renamed = os.replace, []

def replace(src, dst):
    real(src, dst)
    if str(dst).endswith(".po"):
        renamed.append(dst)
        if len(renamed) == 2:
            os.kill(os.getpid(), signal.SIGINT)

os.replace = replace
sys.argv = ["toolkit", "--project", sys.argv[1], "update"]
from toolkit.cli import main
main()
"""


def test_an_interrupt_after_files_were_written_names_them(project):
    """Every catalog was written whole, but the only line was 'Interrupted; files already
    written are complete' and no 'wrote' line: nobody could tell that all three changed."""
    before = catalogs_behind_a_new_string(project)
    process = subprocess.run(
        [sys.executable, "-c", _AT_THE_SECOND_RENAME, str(project.root)],
        capture_output=True, text=True, timeout=60, cwd=project.root,
    )  # fmt: skip
    assert process.returncode == 130, process.stderr
    changed = sorted(loc for loc in project.locales if project.po_path(loc).read_bytes()
                     != before[loc])  # fmt: skip
    assert changed == sorted(project.locales)  # (the group is finished first)
    shown = ", ".join(f"locales/{loc}/LC_MESSAGES/messages.po" for loc in project.locales)
    assert process.stderr.strip().endswith(
        f"Interrupted after writing 3 files ({shown}): each is complete, nothing is "
        "half-written.")
    assert "Traceback" not in process.stderr


def test_a_signal_while_the_command_loads_waits_for_its_handlers(tmp_path):
    """Ctrl-C in the first ~20 ms (the command's modules loading, before main() installs its
    handlers) printed a KeyboardInterrupt traceback in 12 of 60 runs (QA pass 81). Started as
    the ``toolkit`` script, the signals wait until the handlers are in place."""
    script = tmp_path / "toolkit"  # what the console script's __main__ is called
    script.write_text(
        "import os, signal, sys\n"
        "sys.argv = ['toolkit', 'status']\n"
        "import toolkit.cli\n"
        "os.kill(os.getpid(), signal.SIGINT)  # comes while the modules load: held\n"
        "print('held', flush=True)\n"
        "toolkit.cli.main()\n", "utf-8")  # fmt: skip
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)  # fmt: skip
    assert done.stdout.startswith("held"), (done.stdout, done.stderr)
    assert done.returncode == 130 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("Interrupted")
    # Imported by a program (or this test), nothing is held.
    other = tmp_path / "program.py"
    other.write_text("import os, signal, toolkit.cli\nos.kill(os.getpid(), signal.SIGINT)\n"
                     "print('not held')\n", "utf-8")  # fmt: skip
    done = subprocess.run([sys.executable, str(other)], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert "not held" not in done.stdout and "KeyboardInterrupt" in done.stderr
