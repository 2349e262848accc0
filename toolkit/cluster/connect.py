"""Connecting to a Dask cluster and refusing, in one line, one that cannot run a job.

``local:N`` starts a ``distributed.LocalCluster``; any other address is a running scheduler.
Before any partition is sent, every worker must have the client's versions (:func:`environment`)
and must find the project and build the job (:func:`check_workers`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.metadata
import logging
import platform
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..errors import ClusterError, InputError, ToolkitError
from .project import ProjectSource, worker_processor

CONNECT_TIMEOUT = 20.0  # seconds to reach a scheduler and to wait for its first worker
CHECKED_PACKAGES = ("dask", "distributed", "cloudpickle", "babel", "jinja2", "fsspec", "pyarrow")
_LOCAL = re.compile(r"^local:(\d+)$")


@contextlib.contextmanager
def open_cluster(spec: str, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[Any]:
    """A ``distributed.Client`` for ``local:N`` (a LocalCluster of N processes) or an address."""
    match = _LOCAL.match(spec)
    if match is None and "://" not in spec:
        raise InputError(
            f"--cluster {spec!r} is neither local:N nor a scheduler address.",
            hint="Use e.g. local:4 or tcp://scheduler:8786.",
        )
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError(
            "--cluster needs Dask, which is not installed.",
            hint="Install it with: pip install '.[dask]' (from the toolkit's folder).",
        ) from exc
    with contextlib.ExitStack() as stack:
        # The client's own error logs too (a lost scheduler: ~30 lines of traceback before the
        # toolkit's line); --debug shows tracebacks.
        client_log = logging.getLogger("distributed")
        stack.callback(client_log.setLevel, client_log.level)
        client_log.setLevel(logging.CRITICAL)
        if match is not None:
            workers = int(match.group(1))
            if workers < 1:
                raise InputError("--cluster local:N needs N of 1 or more.")
            with _ctrl_c_ignored():  # the worker processes inherit it (see the function)
                cluster = stack.enter_context(
                    LocalCluster(
                        n_workers=workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",
                        # A task's failure is the toolkit's one error line: Dask's own log of
                        # it ("distributed.worker - ERROR - Compute Failed", a traceback) came
                        # before it on the user's stderr (QA pass 80).
                        silence_logs=logging.CRITICAL,
                    )
                )
            client = stack.enter_context(Client(cluster, timeout=timeout))
        else:
            try:
                client = stack.enter_context(Client(spec, timeout=timeout))
            except (OSError, TimeoutError) as exc:
                raise ClusterError(
                    f"cannot reach the Dask scheduler at {spec} within {timeout:.0f} s.",
                    hint="Check the address and that 'dask scheduler' runs there.",
                ) from exc
        yield client


@contextlib.contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """Ctrl-C ignored while the local cluster's processes start, so they inherit that: a
    terminal's Ctrl-C reaches the whole process group, and each Dask worker printed its own
    traceback. The main process alone handles it and closes the cluster (which stops them)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def dashboard_link(client: Any) -> str | None:
    """The Dask dashboard's address, when the scheduler serves one."""
    try:
        link = client.dashboard_link
    except Exception:
        return None
    return str(link) if link else None


# -- checking the workers ----------------------------------------------------------------------


@functools.cache
def environment() -> dict[str, str]:
    """Versions that must agree between client and workers (toolkit: version + code digest)."""
    import toolkit

    code = hashlib.sha256()
    package = Path(toolkit.__file__).parent
    for path in sorted(package.rglob("*.py")):
        code.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    found = {
        "python": platform.python_version(),
        "toolkit": f"{toolkit.__version__} (code {code.hexdigest()[:12]})",
    }
    for name in CHECKED_PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def version_mismatches(client_env: dict[str, str], worker_env: dict[str, str]) -> list[str]:
    """``name X here, Y on the worker`` for each version that differs.

    >>> version_mismatches({"toolkit": "0.1", "dask": "1"}, {"toolkit": "0.2", "dask": "1"})
    ['toolkit 0.1 here, 0.2 on the worker']
    """
    return [
        f"{name} {mine} here, {worker_env.get(name, 'not installed')} on the worker"
        for name, mine in client_env.items()
        if worker_env.get(name) != mine
    ]


def _preflight(source: ProjectSource, job: Any) -> dict[str, str]:
    """Runs on each worker: build the job's processor (project files, template), give versions."""
    worker_processor(source, job)
    return environment()


def check_workers(
    client: Any, source: ProjectSource, job: Any, *, timeout: float = CONNECT_TIMEOUT
) -> list[str]:
    """Refuse, with one line, a cluster that cannot run ``job``; return the worker addresses.

    Every worker must have the client's versions (:func:`environment`) and must find the
    project (shipped or shared) and build the job, before any partition is sent.
    """
    return confirm_workers(client, environment(), _preflight, source, job, timeout=timeout)


def confirm_workers(
    client: Any,
    here: dict[str, str],
    probe: Callable[..., dict[str, str]],
    *args: Any,
    timeout: float = CONNECT_TIMEOUT,
    what: str = "toolkit and Dask",
) -> list[str]:
    """Wait for a worker, run ``probe(*args)`` on every worker and compare the versions it
    returns with ``here``; one-line ClusterError for no workers, a failing probe or a
    mismatch. Returns the worker addresses."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError as exc:
        raise ClusterError(
            f"the Dask scheduler at {client.scheduler.address} has no workers "
            f"(waited {timeout:.0f} s).",
            hint="Start some with 'dask worker SCHEDULER_ADDRESS'.",
        ) from exc
    replies = client.run(probe, *args, on_error="return")
    for worker, reply in sorted(replies.items()):
        if isinstance(reply, BaseException):
            raise ClusterError(f"worker {worker}: {describe(reply)}") from reply
        mismatched = version_mismatches(here, reply)
        if mismatched:
            raise ClusterError(
                f"worker {worker} runs other versions: {'; '.join(mismatched)}.",
                hint=f"Install the same {what} versions on the client and every worker.",
            )
    return sorted(replies)


def describe(exc: BaseException) -> str:
    if isinstance(exc, ToolkitError):
        return str(exc)
    if isinstance(exc, ImportError):
        return f"cannot import {exc.name or exc}; install the toolkit on every worker."
    return f"{type(exc).__name__}: {exc}"
