"""Benchmark ``toolkit audience`` locally against ``toolkit audience --cluster local:N``.

Generates customers, orders and NPS answers as Parquet with ``bench_retention.generate`` (the
retention benchmark's data), then runs, in this process, each timed with its start-up:

- ``build_audience`` (one DuckDB, all cores);
- ``audience_on_cluster("local:N", partitions=P)`` (a LocalCluster of N worker processes; each
  of the P customer buckets is one task whose DuckDB scans every input and keeps its bucket);

checks that the sends are the same (sorted), and prints the ratio and the per-bucket times.

Run: ``.venv/bin/python benchmarks/bench_audience_cluster.py [--customers N] [--orders N]
[--workers 2] [--partitions 4]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_retention import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--orders", type=int, default=2_000_000)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=4)
    options = parser.parse_args()

    from toolkit.cluster.audience import audience_on_cluster
    from toolkit.retention.audience import build_audience

    folder = Path(tempfile.mkdtemp(prefix="bench-audience-"))
    try:
        print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
        generate(folder, options.customers, options.orders, options.responses)
        inputs = [folder / f"{name}.parquet" for name in ("customers", "orders")]
        responses = folder / "responses.parquet"
        as_of = dt.date(2026, 9, 30)

        started = time.perf_counter()
        local = build_audience(*inputs, folder / "local.jsonl", as_of, responses=responses)
        local_s = time.perf_counter() - started

        buckets = []
        started = time.perf_counter()
        cluster = audience_on_cluster(
            f"local:{options.workers}", *inputs, folder / "parts", as_of, responses=responses,
            partitions=options.partitions, on_partition=buckets.append,
        )
        cluster_s = time.perf_counter() - started

        expected = sorted((folder / "local.jsonl").read_text("utf-8").splitlines())
        got = sorted(line for p in (folder / "parts").glob("part-*.jsonl")
                     for line in p.read_text("utf-8").splitlines())
        assert got == expected and cluster.written == local.written, "sends differ"
        print(f"{options.customers:,} customers, {options.orders:,} orders, "
              f"{local.written:,} sends (equal, sorted)")
        print(f"  local build_audience: {local_s:.2f} s")
        print(f"  LocalCluster {options.workers} workers, {options.partitions} buckets: "
              f"{cluster_s:.2f} s ({cluster_s / local_s:.2f}x the local time)")
        times = sorted(b.seconds for b in buckets)
        print(f"  per bucket: {', '.join(f'{t:.2f}' for t in times)} s "
              f"(mean {sum(times) / len(times):.2f} s)")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
