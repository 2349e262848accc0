"""The content project on the workers: shipped with the job, or read from shared storage.

Workers need the project's configuration file, templates and catalogs. Two ways:

- **ship** (default): the client zips those files once (:func:`ship_project`); the bundle is
  scattered to every worker with the job and unpacked once per worker process into a temporary
  folder. Nothing has to be installed on the workers but the toolkit itself.
- **shared**: the workers read the project from a path they all see (NFS, a container image,
  a synced volume), given as ``worker_root`` when it differs from the client's path.

Either way the project is identified by a digest of its files (names and bytes), computed by the
client; a worker whose shared copy differs, or is missing, is refused before any row is rendered.
Each worker process builds the job's renderer once per (digest, job) and keeps it
(:func:`worker_processor`): catalogs are compiled once per worker, not per message or partition.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import ProjectConfig, load_config
from ..errors import ClusterError, ToolkitError
from ..fsutil import is_within


@dataclass(frozen=True)
class ProjectSource:
    """How workers find the project: a zip bundle, or a folder they share with the client."""

    digest: str  # sha256 of the project's files, names and bytes
    bundle: bytes | None = None  # ship mode: the files, zipped
    shared_root: str | None = None  # shared mode: the project folder as the workers see it

    @property
    def key(self) -> tuple[str, str | None]:
        """What a worker caches the project under: its digest, and where it is read from."""
        return self.digest, self.shared_root

    def __repr__(self) -> str:  # keep multi-megabyte bundles out of logs and reprs
        size = f"{len(self.bundle)} bytes" if self.bundle is not None else self.shared_root
        return f"ProjectSource({self.digest[:12]}, {size})"


def project_files(config: ProjectConfig) -> list[tuple[str, Path]]:
    """The files a worker needs, as (name relative to the project root, path), sorted."""
    root = config.root.resolve()
    files: list[tuple[str, Path]] = []
    if config.config_file is not None:
        files.append((config.config_file.name, config.config_file))
    for folder in (config.templates_path, config.locales_path):
        if not folder.is_dir():
            continue
        if not is_within(folder, root):
            raise ClusterError(
                f"{folder} is outside the project folder {root} and cannot be shipped.",
                hint="Keep templates and locales inside the project, or use --worker-project.",
            )
        for path in folder.rglob("*"):
            if path.is_file() and not path.name.startswith("."):
                files.append((path.resolve().relative_to(root).as_posix(), path))
    return sorted(set(files))


def files_digest(files: list[tuple[str, Path]]) -> str:
    """sha256 over each file's name and bytes, in name order."""
    digest = hashlib.sha256()
    for name, path in files:
        data = path.read_bytes()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def ship_project(config: ProjectConfig) -> ProjectSource:
    """Zip the project's configuration, templates and catalogs for the workers."""
    files = project_files(config)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, path in files:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, path.read_bytes())
    return ProjectSource(files_digest(files), bundle=buffer.getvalue())


def shared_project(config: ProjectConfig, worker_root: str | None = None) -> ProjectSource:
    """Point the workers at a project folder they can read (``worker_root``, or the client's)."""
    root = worker_root or str(config.root.resolve())
    return ProjectSource(files_digest(project_files(config)), shared_root=root)


_LOCK = threading.Lock()
_ROOTS: dict[tuple[str, str | None], Path] = {}  # source.key -> project folder in this process
_PROCESSORS: dict[tuple[Any, ...], Any] = {}  # (*source.key, job) -> what job.build returned


def worker_project(source: ProjectSource) -> ProjectConfig:
    """The project in this worker process: unpacked once, or checked once at its shared path."""
    with _LOCK:
        root = _ROOTS.get(source.key)
        if root is None:
            root = _ROOTS[source.key] = _materialize(source)
    return load_config(root)


def worker_processor(source: ProjectSource, job: Any) -> Any:
    """``job.build(config)``, once per worker process, project and job."""
    key = (*source.key, job)
    with _LOCK:
        processor = _PROCESSORS.get(key)
    if processor is None:
        processor = job.build(worker_project(source))
        with _LOCK:
            processor = _PROCESSORS.setdefault(key, processor)
    return processor


def _materialize(source: ProjectSource) -> Path:
    if source.bundle is not None:
        root = Path(tempfile.mkdtemp(prefix=f"toolkit-project-{source.digest[:12]}-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        with zipfile.ZipFile(io.BytesIO(source.bundle)) as bundle:
            for name in bundle.namelist():
                target = root / name
                if not is_within(target, root):
                    raise ClusterError(f"project bundle holds an unsafe path: {name}.")
            bundle.extractall(root)
        return root
    root = Path(source.shared_root or "")
    if not root.is_dir():
        raise ClusterError(
            f"project folder {root} not found on this worker.",
            hint="Mount the project at that path on every worker, pass the path the workers "
            "see with --worker-project, or leave it out to ship the project with the job.",
        )
    try:
        found = files_digest(project_files(load_config(root)))
    except (OSError, ToolkitError) as exc:
        raise ClusterError(f"project folder {root} unusable on this worker: {exc}") from exc
    if found != source.digest:
        raise ClusterError(
            f"project folder {root} on this worker differs from the client's copy.",
            hint="Sync the templates and catalogs to every worker, or ship the project with "
            "the job (leave out --worker-project).",
        )
    return root
