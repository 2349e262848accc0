"""Run a function over a list on several cores: forked children take shares, this process one.

``update`` and ``check`` work on each catalog independently of the others; on a project with
many catalogs that is most of their time, and a second core halves it. A plain ``os.fork`` (no
pool, no pickled function: the child already has everything) costs ~2 ms; a process pool
(``concurrent.futures``) costs more than it saves on a few catalogs.

Only a Linux process that runs no other thread forks (see :func:`_may_fork`). The child only
computes: it sends its results back through a pipe and exits with ``os._exit``
(no atexit handlers, no flushing of the parent's buffered output). Anything that goes wrong in
the child (an exception, a result that cannot be pickled, a crash) makes this process do the
child's share itself, so an error is raised here with its own type, file and line; an error in
this process's share makes it do all the work again in order, so the error is the one a single
process reports (the first failing item). Ctrl-C reaches the whole process group: the child
ignores it and this process stops it; a child dies with its parent (Linux).
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
    """Processes work may be shared out among: the CPUs this process may run on, at most
    ``TOOLKIT_PROCESSES`` (``1``: never fork)."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS
        count = os.cpu_count() or 1
    limit = os.environ.get("TOOLKIT_PROCESSES", "").strip()
    if limit:
        if not limit.isdigit() or int(limit) < 1:
            from .errors import InputError

            raise InputError(
                f"TOOLKIT_PROCESSES={limit!r} is not a number of processes.",
                hint="Set it to 1 (one process, no fork) or more, or unset it.",
            )
        count = min(count, int(limit))
    return count


def map_split(
    work: Callable[[list[T]], list[R]],
    items: Sequence[T],
    weights: Sequence[float],
    min_weight: float,
    processes: int | None = None,
) -> list[R]:
    """``work(list(items))``, whose result has one entry per item, in order. With two cores
    or more and a total weight of at least ``min_weight``, the items are dealt into
    ``processes`` shares of about equal weight (default: one per core), and forked children
    run ``work`` on all shares but the first, which this process runs meanwhile."""
    count = min(processes or cores(), cores(), len(items))
    everything = list(range(len(items)))
    if count < 2 or sum(weights) < min_weight or not _may_fork():
        return _checked(work, items, everything)
    shares = _shares(weights, count)
    children: list[tuple[int, int, list[int]]] = []  # pid, read end of its pipe, its share
    try:
        for share in shares[1:]:
            reader, writer = os.pipe()
            parent = os.getpid()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child (coverage does not follow it)
                for _, other, _ in children:
                    os.close(other)
                _child(work, [items[i] for i in share], reader, writer, parent)
            os.close(writer)
            children.append((pid, reader, share))
        received: dict[int, list[bytes]] = {pid: [] for pid, _, _ in children}
        try:
            mine: list[R] = []
            for part in _parts(shares[0], _PARTS):
                if _a_child_failed(children, received):
                    raise _ChildFailed  # no need to finish this share first
                mine += _checked(work, items, part)
        except Exception:  # noqa: BLE001 - an error in this share: as one process would
            for pid, reader, _ in children:
                _stop(pid, reader)
            children.clear()
            # One process reports the first failing item (a child's share may hold an earlier
            # one): the work is done again in order, so the same error is raised. (A child that
            # failed for another reason, a result that cannot be pickled, costs only time.)
            return _checked(work, items, everything)
        results = dict(zip(shares[0], mine, strict=True))
        while children:
            pid, reader, share = children[0]
            payload = b"".join(received[pid]) + _read_all(reader)
            os.close(reader)
            children[0] = (pid, -1, share)  # its pipe is closed
            os.waitpid(pid, 0)
            children.pop(0)
            try:
                theirs = pickle.loads(payload) if payload else None
            except Exception:  # noqa: BLE001 - a broken payload: do the share here
                theirs = None
            if not isinstance(theirs, list) or len(theirs) != len(share):
                theirs = _checked(work, items, share)  # raises the child's error here
            results.update(zip(share, theirs, strict=True))
        return [results[i] for i in range(len(items))]
    finally:
        for pid, reader, _ in children:  # an error or Ctrl-C here: stop the rest
            _stop(pid, reader)


#: Parts this process's share is done in: between them it looks whether a child has failed.
_PARTS = 4


class _ChildFailed(Exception):
    """A child ended without results (its work raised): stop, and do the work in order."""


def _parts(share: list[int], count: int) -> list[list[int]]:
    """``share`` cut into up to ``count`` runs of about equal length, in order."""
    size = max(1, -(-len(share) // count))
    return [share[start : start + size] for start in range(0, len(share), size)] or [[]]


def _a_child_failed(
    children: list[tuple[int, int, list[int]]], received: dict[int, list[bytes]]
) -> bool:
    """Whether a child has closed its pipe without sending anything (it writes its results
    only at the end, so any byte means it has finished its work); what is there is kept."""
    import select

    readers = [reader for _, reader, _ in children if reader >= 0]
    ready, _, _ = select.select(readers, [], [], 0)
    for pid, reader, _ in children:
        if reader in ready:
            chunk = os.read(reader, 1 << 16)
            if chunk:
                received[pid].append(chunk)
            elif not received[pid]:
                return True
    return False


def _read_all(fd: int) -> bytes:
    """Everything written to the pipe until the child closes it (exits)."""
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)


def _stop(pid: int, reader: int) -> None:
    """Kill a child whose results are not wanted (any more), close its pipe, reap it; a
    child that already exited or was reaped is no error (Ctrl-C can come in between)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:  # pragma: no cover - already reaped
        pass
    if reader >= 0:
        os.close(reader)
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:  # pragma: no cover - reaped just before the interrupt
        pass


def _may_fork() -> bool:
    """Only a Linux process without other threads forks (a lock another thread holds would
    stay locked in the child: the review server, a caller's thread pool; macOS system
    libraries are not fork-safe, as render-batch's pool decides too); elsewhere no fork."""
    import sys
    import threading

    return sys.platform.startswith("linux") and threading.active_count() == 1


def _checked(work: Callable[[list[T]], list[R]], items: Sequence[T], share: list[int]) -> list[R]:
    results = work([items[i] for i in share])
    if len(results) != len(share):
        raise ValueError(f"work gave {len(results)} results for {len(share)} items")
    return results


def _child(
    work: Callable[[list[T]], list[R]], items: list[T], reader: int, writer: int, parent: int
) -> None:
    status = 0  # pragma: no cover - the child process
    try:
        os.close(reader)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops this process
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's unwinding handler
        die_with(parent)
        try:
            data = pickle.dumps(work(items), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - the parent redoes this share and raises
            data = b""
        view = memoryview(data)
        while view:
            view = view[os.write(writer, view) :]
    except BaseException:  # noqa: BLE001 - never return into the parent's code
        status = 1
    finally:
        os._exit(status)


def die_with(parent: int) -> None:
    """Linux: this child is killed when the parent dies (SIGKILL, SIGTERM to the parent
    alone), so it does not work on, and hold the catalogs' locks, for nobody (render-batch's
    pool workers too: after a ``kill -9`` of the batch they rendered on for a minute)."""
    import sys

    if not sys.platform.startswith("linux"):  # pragma: no cover
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - no prctl: the pipe still ends it
        return
    if os.getppid() != parent:  # the parent died before the prctl call
        os._exit(1)


def _shares(weights: Sequence[float], count: int) -> list[list[int]]:
    """Indexes dealt into ``count`` shares of about equal weight (heaviest first, each to the
    lightest share so far), each share in item order. The first, this process's, is the
    heaviest: a child starts its share a few ms later (the fork, its own set-up), so with
    three catalogs on two cores this process checks two of them and the child one."""
    shares: list[list[int]] = [[] for _ in range(count)]
    totals = [0.0] * count
    for index in sorted(range(len(weights)), key=lambda i: -weights[i]):
        lightest = totals.index(min(totals))
        shares[lightest].append(index)
        totals[lightest] += weights[index]
    order = sorted(range(count), key=lambda s: -totals[s])  # stable: ties keep their order
    return [sorted(shares[s]) for s in order]
