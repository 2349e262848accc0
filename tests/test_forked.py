"""map_split: a forked child does a share of the work; results, errors and order as if this
process had done everything."""

from __future__ import annotations

import os

import pytest

import toolkit.forked as forked
from toolkit.forked import map_split

REAL_MAY_FORK = forked._may_fork
REAL_CORES = forked.cores


@pytest.fixture(autouse=True)
def two_cores(monkeypatch):
    monkeypatch.setattr(forked, "cores", lambda: 2)
    # Threads other tests left in this process would stop map_split from forking.
    monkeypatch.setattr(forked, "_may_fork", lambda: True)


@pytest.fixture
def children(monkeypatch):
    """The pids of the children map_split forks."""
    pids: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(forked.os, "fork", fork)
    return pids


def _reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _pid_and_square(share: list[int]) -> list[tuple[int, int]]:
    return [(os.getpid(), n * n) for n in share]


def each(function):
    """A share-wise function from an item-wise one."""
    return lambda share: [function(item) for item in share]


def test_results_in_order_with_a_share_done_in_a_child():
    items = list(range(10))
    results = map_split(_pid_and_square, items, [1.0] * 10, min_weight=0)
    assert [square for _, square in results] == [n * n for n in items]
    pids = {pid for pid, _ in results}
    assert os.getpid() in pids and len(pids) == 2
    # Balanced by weight: the child's and this process's shares are 5 items each.
    assert sum(pid == os.getpid() for pid, _ in results) == 5


def test_small_work_is_not_forked():
    results = map_split(_pid_and_square, [1, 2, 3], [1.0, 1.0, 1.0], min_weight=10)
    assert {pid for pid, _ in results} == {os.getpid()}


def test_one_core_is_not_forked(monkeypatch):
    monkeypatch.setattr(forked, "cores", lambda: 1)
    results = map_split(_pid_and_square, [1, 2, 3], [1.0, 1.0, 1.0], min_weight=0)
    assert {pid for pid, _ in results} == {os.getpid()}


class Bad(ValueError):
    pass


def test_an_error_in_the_childs_share_is_raised_here_as_it_was(children):
    parent = os.getpid()

    def work(n: int) -> int:
        if n == 7:
            where = "this process" if os.getpid() == parent else "a child"
            raise Bad(f"item {n} failed in {where}")
        return n

    # Item 7 weighs most: it goes to this process's share first; give it to the child's by
    # making item 6 heavier still.
    weights = [1.0] * 8
    weights[6], weights[7] = 100.0, 50.0
    with pytest.raises(Bad, match="item 7 failed in this process"):
        map_split(each(work), list(range(8)), weights, min_weight=0)
    assert len(children) == 1 and _reaped(children[0])


def test_an_error_in_this_processs_share_stops_the_child(children):
    def work(n: int) -> int:
        if n == 0:
            raise Bad("mine")
        return n

    with pytest.raises(Bad, match="mine"):
        map_split(each(work), [0, 1], [2.0, 1.0], min_weight=0)
    assert len(children) == 1 and _reaped(children[0])


def test_a_result_that_cannot_be_pickled_is_computed_here():
    parent = os.getpid()
    results = map_split(
        each(lambda n: lambda: (n, os.getpid())), [1, 2], [1.0, 1.0], min_weight=0
    )
    assert [f() for f in results] == [(1, parent), (2, parent)]


def test_three_shares_on_three_cores(monkeypatch, children):
    monkeypatch.setattr(forked, "cores", lambda: 3)
    weights = [5.0, 1.0, 1.0, 3.0, 2.0, 2.0]
    results = map_split(_pid_and_square, list(range(6)), weights, min_weight=0)
    assert [square for _, square in results] == [n * n for n in range(6)]
    by_pid: dict[int, list[int]] = {}
    for index, (pid, _) in enumerate(results):
        by_pid.setdefault(pid, []).append(index)
    # Heaviest first, each to the lightest share (the first of equals): weights 5, 5, 4.
    assert sorted(by_pid.values()) == [[0], [1, 2, 3], [4, 5]]
    assert by_pid[os.getpid()] == [0]
    assert len(children) == 2 and all(_reaped(pid) for pid in children)


def test_a_share_function_that_loses_items_is_an_error():
    with pytest.raises(ValueError, match=r"work gave 1 results for [24] items"):
        map_split(lambda share: share[:1], [1, 2, 3, 4], [1.0] * 4, min_weight=0)


def test_a_process_with_other_threads_does_not_fork(monkeypatch):
    import threading

    monkeypatch.setattr(forked, "_may_fork", REAL_MAY_FORK)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        results = map_split(_pid_and_square, [1, 2, 3], [1.0, 1.0, 1.0], min_weight=0)
    finally:
        release.set()
        other.join()
    assert {pid for pid, _ in results} == {os.getpid()}


_WAITING = """
import time
import toolkit.forked as forked

forked.cores = lambda: 2


def work(share):
    for item in share:
        if item == 1:  # the child's share: it takes its time
            time.sleep(30)
    return share


print("ready", flush=True)
forked.map_split(work, [0, 1], [2.0, 1.0], min_weight=0)  # item 0 is this process's
"""


def test_ctrl_c_while_waiting_for_a_child_stops_it_and_says_only_keyboard_interrupt():
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-c", _WAITING], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, start_new_session=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    time.sleep(0.5)  # this process waits for the child's results now
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C does
    _, err = process.communicate(timeout=20)
    assert process.returncode != 0
    assert err.count("Traceback") == 1 and "KeyboardInterrupt" in err, err
    assert "Error" not in err.replace("KeyboardInterrupt", ""), err
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):  # no process of the group is left
        os.killpg(process.pid, 0)


@pytest.mark.parametrize("failing", [(2, 5), (4, 6), (5, 2)])
def test_with_errors_in_both_shares_the_first_failing_item_is_reported(children, failing):
    """By weight this process's share is items 0, 4, 5 and the child's 1, 2, 3, 6, 7; one
    process would stop at the first failing item in order, and so does this."""
    weights = [10.0, 5.0, 4.0, 3.0, 2.0, 2.0, 1.0, 1.0]

    def work(n: int) -> int:
        if n in failing:
            raise Bad(f"item {n}")
        return n

    with pytest.raises(Bad, match=f"item {min(failing)}$"):
        map_split(each(work), list(range(8)), weights, min_weight=0)
    assert len(children) == 1 and _reaped(children[0])


_PARENT_KILLED = """
import os, signal, time
import toolkit.forked as forked

forked.cores = lambda: 2


def work(share):
    if 0 in share:  # this process: killed outright once the child runs
        time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(30)  # the child's share
    return share


print("ready", flush=True)
forked.map_split(work, [0, 1], [2.0, 1.0], min_weight=0)
"""


def test_a_child_dies_with_its_parent():
    """SIGKILL (or SIGTERM to the main process alone) ends the main process without any
    clean-up: its child must not work on, holding the catalogs' locks, for nobody."""
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-c", _PARENT_KILLED], stdout=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    process.stdout.close()
    assert process.wait(timeout=20) == -signal.SIGKILL
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return  # no process of the group is left
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("the child outlived its parent")


def test_toolkit_processes_limits_the_processes(monkeypatch):
    from toolkit.errors import InputError

    monkeypatch.setattr(forked, "cores", REAL_CORES)
    monkeypatch.setenv("TOOLKIT_PROCESSES", "1")
    assert forked.cores() == 1
    results = map_split(_pid_and_square, [1, 2, 3], [1.0, 1.0, 1.0], min_weight=0)
    assert {pid for pid, _ in results} == {os.getpid()}
    monkeypatch.setenv("TOOLKIT_PROCESSES", "100")
    assert forked.cores() == len(os.sched_getaffinity(0))
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("TOOLKIT_PROCESSES", bad)
        with pytest.raises(InputError, match="TOOLKIT_PROCESSES"):
            forked.cores()


def test_a_failing_child_stops_this_processs_share_early(children):
    """The child fails at once; this process notices between the parts of its own share
    (before doing all of it) and does the work again in order, raising the first error."""
    weights = [1.0] * 8
    mine, theirs = forked._shares(weights, 2)
    done: list[int] = []
    parent = os.getpid()

    def work(n: int) -> int:
        if n == theirs[0]:
            raise Bad(f"item {n}")
        if os.getpid() == parent and n in mine and n > theirs[0]:
            time.sleep(0.3)  # the child has failed by the time the next part starts
            done.append(n)
        return n

    import time

    with pytest.raises(Bad, match=f"item {theirs[0]}$"):
        map_split(each(work), list(range(8)), weights, min_weight=0)
    later = [n for n in mine if n > theirs[0]]
    assert len(later) > 1 and len(done) < len(later)  # it did not finish its share
    assert len(children) == 1 and _reaped(children[0])


def test_this_process_takes_the_heaviest_share():
    """Three catalogs on two cores: this process checks two and the child, which starts
    later, one."""
    mine, theirs = forked._shares([84_000, 87_000, 84_000], 2)
    assert (len(mine), len(theirs)) == (2, 1)
    assert sorted(mine + theirs) == [0, 1, 2]
    assert forked._shares([5, 1, 1, 1], 2) == [[0], [1, 2, 3]]  # the heavier share: one item
