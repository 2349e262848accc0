"""One distributed.LocalCluster (2 worker processes) shared by this package's tests."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from toolkit.compile import compile_catalogs
from toolkit.config import ProjectConfig, load_config

DATA = Path(__file__).parent.parent / "data" / "render"


@pytest.fixture(scope="package")
def scheduler() -> Iterator[str]:
    """The address of a LocalCluster with 2 worker processes (started once, ~2 s)."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    ) as cluster:
        yield cluster.scheduler_address


@pytest.fixture(scope="package")
def cluster_project(tmp_path_factory: pytest.TempPathFactory) -> ProjectConfig:
    """tests/data/render/project, copied once and compiled (read-only for the tests)."""
    target = tmp_path_factory.mktemp("cluster") / "project"
    shutil.copytree(DATA / "project", target)
    compile_catalogs(load_config(target))
    return load_config(target)
