"""A save that waits for another command's catalog lock holds up nobody else (QA pass 80:
another reviewer's queue took as long as 'toolkit update' held the Danish catalog)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import urllib.request

from toolkit.config import ProjectConfig

from .conftest import CHANGED, eid
from .server import live_server

_HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.readline()  # held until the test lets go
"""


def _json(url: str, body: dict | None = None, csrf: str = "") -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json", "X-CSRF-Token": csrf} if body else {}
    request = urllib.request.Request(url, data=data, headers=headers,
                                     method="POST" if body else "GET")  # fmt: skip
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status, json.loads(response.read())


def test_other_requests_are_served_while_a_save_waits_for_the_lock(
    review_config: ProjectConfig,
) -> None:
    folder = review_config.po_path("da").parent
    with subprocess.Popen([sys.executable, "-c", _HOLD, str(folder)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as holder:  # fmt: skip
        try:
            _while_held(review_config, holder)
        finally:
            holder.kill()
    assert "Kom tilbage og få" in review_config.po_path("da").read_text("utf-8")


def _while_held(review_config: ProjectConfig, holder: subprocess.Popen[str]) -> None:
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
    with live_server(review_config) as url:
        csrf = _json(f"{url}/api/session")[1]["csrf"]
        key = eid(CHANGED)
        entry = _json(f"{url}/api/da/entries/{key}?state=all")[1]
        saved: dict[str, object] = {}

        def save() -> None:
            body = {"msgstr": ["Kom tilbage og få %(discount)s rabat."],
                    "revision": entry["revision"], "entry_version": entry["entry_version"]}
            saved["status"] = _json(f"{url}/api/da/entries/{key}", body, csrf)[0]

        waiting = threading.Thread(target=save)
        waiting.start()
        status, queue = _json(f"{url}/api/lt/entries?state=all")
        assert status == 200 and queue["entries"]
        assert waiting.is_alive() and "status" not in saved  # still waiting, not served
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        waiting.join(timeout=30)
        assert saved["status"] == 200
