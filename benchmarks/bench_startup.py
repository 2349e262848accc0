"""Benchmark: whole-process times where start-up dominates, each against its plain alternative.

* ``toolkit translate`` rerun with every segment in the translation memory, against
  ``toolkit status`` reading the same 500-entry catalog (goal: <= 1.5x): a rerun must not
  open the model or import ctranslate2;
* ``toolkit --help`` against ``pybabel --help`` (goal: <= 1.2x).

Every command runs as its own process (``python -m`` is not used: the installed console
scripts are what users run), alternating between the two sides, and the median of
``--runs`` runs is shown. Everything happens in a temporary folder.

    python benchmarks/bench_startup.py [--runs 7] [--strings 500]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_translate import catalog_strings, write_project  # noqa: E402
from tests.argos_package import EN_DA, build_package  # noqa: E402

BIN = Path(sys.executable).parent


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def compare(
    label: str, ours: list[str], theirs: list[str], env: dict[str, str], runs: int,
    prepare: list[str] | None = None,
) -> tuple[str, float, float]:
    """Median seconds of both commands, run alternately ``runs`` times."""
    mine, other = [], []
    for _ in range(runs):
        if prepare:
            subprocess.run(prepare, env=env, check=True, stdout=subprocess.DEVNULL)
        mine.append(timed(ours, env))
        other.append(timed(theirs, env))
    return label, statistics.median(mine), statistics.median(other)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--strings", type=int, default=500)
    args = parser.parse_args()
    toolkit, pybabel = str(BIN / "toolkit"), shutil.which("pybabel") or str(BIN / "pybabel")

    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        env = dict(os.environ)
        for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            env[name] = str(work / name.lower())
        env["TOOLKIT_MODELS_DIR"] = str(work / "models")
        env["TOOLKIT_MEMORY"] = str(work / "memory.sqlite")
        os.environ.update(env)

        from toolkit.mt.models import install_from_file

        strings = catalog_strings(args.strings)
        install_from_file(build_package(work / "build", EN_DA, corpus=strings), work / "models")
        warm, project = work / "warm", work / "project"
        for folder in (warm, project):
            folder.mkdir()
        write_project(warm, strings)
        po = write_project(project, strings)
        pristine = work / "pristine.po"
        shutil.copy(po, pristine)
        subprocess.run(
            [toolkit, "--project", str(warm), "translate", "--locale", "da"],
            env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        restore = [sys.executable, "-c", f"import shutil; shutil.copy({str(pristine)!r}, "
                   f"{str(po)!r})"]  # fmt: skip
        rows = [
            compare(
                f"translate rerun from memory ({args.strings} entries) vs status",
                [toolkit, "--project", str(project), "translate", "--locale", "da"],
                [toolkit, "--project", str(project), "status"],
                env,
                args.runs,
                prepare=restore,
            ),
            compare("toolkit --help vs pybabel --help", [toolkit, "--help"],
                    [pybabel, "--help"], env, args.runs),  # fmt: skip
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, median of {args.runs}")
    print(f"{'':62} {'ours s':>7} {'plain s':>8} {'ratio':>6}")
    for label, mine, other in rows:
        print(f"{label:62} {mine:7.3f} {other:8.3f} {mine / other:5.2f}x")


if __name__ == "__main__":
    main()
