"""render-batch with 2 workers against 1, with the CPU split and what the machine allowed.

Runs the in-process batch of ``make bench`` (the bench_render customers and template) with 1
and 2 workers alternately and prints, per side, the median wall time and CPU time of the
main process and of its workers (``getrusage``), then the same for a control: one plain
Python loop against two copies of it in two processes at once. On an idle 2-core machine
the control scales 2.0x; when other jobs hold a core it shows how much of a second core
there was to win, so a scaling figure can be read against it.

    .venv/bin/python benchmarks/bench_render_scaling.py [--rows 10000] [--runs 7]

Not part of the test suite; figures go to docs/benchmarks.md by hand.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import bench_render  # noqa: E402
from toolkit.config import load_config  # noqa: E402
from toolkit.render.batch import render_batch  # noqa: E402


def cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def spin(count: int = 4_000_000) -> None:
    total = 0
    for i in range(count):
        total += i


def at_once(processes: int) -> float:
    """Wall time of ``processes`` copies of :func:`spin` started together."""
    started = time.perf_counter()
    pids = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            spin()
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-scaling-"))
    project = bench_render.make_project(work)
    customers = work / "customers.csv"
    bench_render.make_customers(customers, args.rows)
    config = load_config(project)

    def batch(workers: int) -> tuple[float, float, float]:
        own, children = cpu()
        started = time.perf_counter()
        result = render_batch(config, bench_render.TEMPLATE, customers,
                              work / f"out{workers}.jsonl", workers=workers)  # fmt: skip
        wall = time.perf_counter() - started
        assert result.failed == 0, result
        own_after, children_after = cpu()
        return wall, own_after - own, children_after - children

    batch(1), batch(2)  # steady state, as make bench
    same = (work / "out1.jsonl").read_bytes() == (work / "out2.jsonl").read_bytes()
    runs: dict[int, list[tuple[float, float, float]]] = {1: [], 2: []}
    control: dict[int, list[float]] = {1: [], 2: []}
    loads = []
    for _ in range(args.runs):
        loads.append(os.getloadavg()[0])
        for workers in (2, 1):
            runs[workers].append(batch(workers))
            control[workers].append(at_once(workers))
    median = statistics.median
    print(f"{args.rows:,} customers, {args.runs} runs, load average "
          f"{min(loads):.1f}-{max(loads):.1f}, output identical: {same}")  # fmt: skip
    for workers in (1, 2):
        walls = [r[0] for r in runs[workers]]
        print(f"  {workers} worker{'s' if workers > 1 else ''}: wall {median(walls):.3f} s "
              f"(best {min(walls):.3f}), CPU main process {median(r[1] for r in runs[workers]):.3f}"
              f" s + workers {median(r[2] for r in runs[workers]):.3f} s")  # fmt: skip
    one, two = median(r[0] for r in runs[1]), median(r[0] for r in runs[2])
    best = min(r[0] for r in runs[1]) / min(r[0] for r in runs[2])
    print(f"  scaling 2 vs 1 worker: {one / two:.2f}x (medians), {best:.2f}x (best runs)")
    alone, pair = median(control[1]), median(control[2])
    print(f"  control, a Python loop: 1 process {alone:.3f} s, 2 at once {pair:.3f} s: "
          f"{2 * alone / pair:.2f}x (2.00x = two free cores)")  # fmt: skip


if __name__ == "__main__":
    main()
