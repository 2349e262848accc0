"""Run a function over a list on two cores: a forked child takes a share, this process the rest.

``update`` reads, merges and serializes each catalog independently of the others; on a project
with many catalogs that is most of its time, and a second core halves it. A plain ``os.fork``
(no pool, no pickled function: the child already has everything) costs ~2 ms; a process pool
costs more than it saves on a few catalogs.

The child only computes: it sends its results back through a pipe and exits with ``os._exit``
(no atexit handlers, no flushing of the parent's buffered output). Anything that goes wrong in
the child (an exception, a result that cannot be pickled, a crash) makes this process do the
child's share itself, so an error is raised here with its own type, file and line. Ctrl-C
reaches the whole process group: the child ignores it and this process stops it.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cores() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS
        return os.cpu_count() or 1


def map_split(
    work: Callable[[T], R], items: Sequence[T], weights: Sequence[float], min_weight: float
) -> list[R]:
    """``[work(item) for item in items]``, in order; with two cores or more and a total
    weight of at least ``min_weight``, a forked child does about half of the weight."""
    if len(items) < 2 or sum(weights) < min_weight or cores() < 2 or not hasattr(os, "fork"):
        return [work(item) for item in items]
    mine, theirs = _halves(weights)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (coverage does not follow it)
        _child(work, [items[i] for i in theirs], reader, writer)
    os.close(writer)
    collected = False
    try:
        results: dict[int, R] = {i: work(items[i]) for i in mine}
        with os.fdopen(reader, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
        collected = True
        try:
            theirs_results = pickle.loads(payload) if payload else None
        except Exception:  # noqa: BLE001 - a broken payload: do the share here
            theirs_results = None
        if not isinstance(theirs_results, list) or len(theirs_results) != len(theirs):
            theirs_results = [work(items[i]) for i in theirs]  # raises the child's error here
        results.update(zip(theirs, theirs_results, strict=True))
        return [results[i] for i in range(len(items))]
    finally:
        if not collected:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover
                pass
            os.waitpid(pid, 0)


def _child(work: Callable[[T], R], items: list[T], reader: int, writer: int) -> None:
    status = 0  # pragma: no cover - the child process
    try:
        os.close(reader)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops this process
        try:
            data = pickle.dumps([work(item) for item in items], protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - the parent redoes this share and raises
            data = b""
        view = memoryview(data)
        while view:
            view = view[os.write(writer, view) :]
    except BaseException:  # noqa: BLE001 - never return into the parent's code
        status = 1
    finally:
        os._exit(status)


def _halves(weights: Sequence[float]) -> tuple[list[int], list[int]]:
    """Indexes split into two shares of about equal weight (largest first, each to the lighter
    share); the first share is this process's."""
    shares: tuple[list[int], list[int]] = ([], [])
    totals = [0.0, 0.0]
    for index in sorted(range(len(weights)), key=lambda i: -weights[i]):
        lighter = 0 if totals[0] <= totals[1] else 1
        shares[lighter].append(index)
        totals[lighter] += weights[index]
    return shares
