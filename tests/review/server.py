"""A live review server in a thread of the test process, on a free loopback port."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from toolkit.config import ProjectConfig
from toolkit.review import ReviewWorkspace
from toolkit.review.app import allowed_hosts_for, bind, create_app


@contextmanager
def live_server(
    config: ProjectConfig, *, reviewer: str = "Tester", token: str | None = None
) -> Iterator[str]:
    """Serve ``config`` until the block ends; yields the base URL (``http://127.0.0.1:N``)."""
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    workspace = ReviewWorkspace(config, reviewer=reviewer)
    app = create_app(workspace, token=token, allowed_hosts=allowed_hosts_for("127.0.0.1", port))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
