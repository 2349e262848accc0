"""render-batch on a Dask LocalCluster against the local worker pool, on the same customers.

Both runs use the same number of worker processes on this machine: ``render-batch --workers N``
(multiprocessing pool, one JSONL file) and ``render-batch --cluster local:N`` (Dask, part files).
Prints the ratio, the per-message overhead Dask adds, the measured per-partition times, and a
projection to M machines from those times.

    .venv/bin/python benchmarks/bench_cluster.py [--rows 1000000] [--workers 2]
        [--partition-size 2MB] [--cores-per-machine 8]

Not part of the test suite. Results go to docs/benchmarks.md (## cluster) by hand.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_render import TEMPLATE, make_customers, make_project  # noqa: E402

from toolkit.cli.cluster_run import parse_size  # noqa: E402
from toolkit.cluster import render_batch_on_cluster  # noqa: E402
from toolkit.config import load_config  # noqa: E402
from toolkit.render.batch import render_batch  # noqa: E402


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partition-size", default="1MB")
    parser.add_argument("--cores-per-machine", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = load_config(make_project(work))
        customers = work / "customers.csv"
        make_customers(customers, args.rows)
        size = customers.stat().st_size
        print(f"{args.rows} customers ({size / 1e6:.0f} MB CSV), template {TEMPLATE}, "
              f"{args.workers} workers, {os.cpu_count()} CPUs, load {load()}", flush=True)

        started = time.perf_counter()
        pool = render_batch(config, TEMPLATE, customers, work / "pool.jsonl",
                            workers=args.workers)
        pool_s = time.perf_counter() - started
        print(f"local pool (--workers {args.workers}): {pool_s:8.1f} s "
              f"{args.rows / pool_s:8.0f} msg/s   load {load()}", flush=True)

        ready: list[float] = []
        started = time.perf_counter()
        result = render_batch_on_cluster(
            f"local:{args.workers}", config, TEMPLATE, str(customers), str(work / "parts"),
            partition_bytes=parse_size(args.partition_size),
            on_ready=lambda *_: ready.append(time.perf_counter()),
        )
        cluster_s = time.perf_counter() - started
        startup_s = ready[0] - started
        run_s = cluster_s - startup_s
        print(f"LocalCluster (local:{args.workers}):  {cluster_s:8.1f} s "
              f"{args.rows / cluster_s:8.0f} msg/s   (start + checks {startup_s:.1f} s, "
              f"run {run_s:.1f} s = {args.rows / run_s:.0f} msg/s)   load {load()}", flush=True)
        assert (result.rendered, pool.rendered) == (args.rows, args.rows), (result, pool)
        parts = sorted((work / "parts").glob("part-*"))
        with (work / "pool.jsonl").open("rb") as expected:
            for part in parts:
                with part.open("rb") as got:
                    while chunk := got.read(1 << 20):
                        assert chunk == expected.read(len(chunk)), part
        print(f"outputs equal: {len(parts)} part files == pool.jsonl, byte for byte")

        print(f"ratio cluster/pool: {pool_s / cluster_s:.2f}x throughput, both with start-up "
              f"(cluster run phase alone: {pool_s / run_s:.2f}x; the pool's spawn is not "
              "separable)")
        print(f"Dask overhead per message: {(cluster_s - pool_s) / args.rows * 1e6:+.1f} µs "
              f"with start-up, {(run_s - pool_s) / args.rows * 1e6:+.1f} µs without")

        seconds = [p.seconds for p in result.partitions]
        rows_per_partition = args.rows / len(seconds)
        busy = sum(seconds)
        per_core = args.rows / busy
        fixed = max(run_s - busy / args.workers, 0.0)
        print(f"partitions: {len(seconds)} x {rows_per_partition:.0f} rows, "
              f"{statistics.mean(seconds):.2f} s mean, {min(seconds):.2f}-{max(seconds):.2f} s; "
              f"{per_core:.0f} rows/s per worker while busy; fixed cost of a run "
              f"(count lines, schedule, commit) {fixed:.1f} s + start-up {startup_s:.1f} s")
        cores = args.cores_per_machine
        print(f"projection, {cores} worker processes per machine, partitions of "
              f"{rows_per_partition:.0f} rows taking {statistics.mean(seconds):.2f} s each:")
        for customers_n in (1_000_000, 20_000_000):
            cells = []
            for machines in (1, 4, 16, 64):
                partitions = math.ceil(customers_n / rows_per_partition)
                waves = math.ceil(partitions / (machines * cores))
                wall = startup_s + fixed + waves * statistics.mean(seconds)
                cells.append(f"{machines} machines {wall / 60:6.1f} min")
            print(f"  {customers_n:>11,} customers: " + " | ".join(cells))


if __name__ == "__main__":
    main()
