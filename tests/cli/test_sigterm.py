"""SIGTERM (a CI timeout, ``kill``, a container stopping) unwinds like Ctrl-C in every command."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from toolkit.catalogs import catalog_lock, update_catalogs
from toolkit.extract import extract_messages


def test_sigterm_while_update_waits_for_a_lock_exits_130_with_one_line(project):
    extract_messages(project)
    update_catalogs(project)
    (project.templates_path / "email" / "new.j2").write_text(
        '{% block subject %}{{ _("A new subject") }}{% endblock %}', "utf-8"
    )
    extract_messages(project)
    before = {loc: project.po_path(loc).read_bytes() for loc in project.locales}
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
