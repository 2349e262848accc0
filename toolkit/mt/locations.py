"""Where installed translation models live, without importing the package reader
(:mod:`.models` loads zipfile, tempfile and hashlib: ~5 ms a ``translate`` rerun from the
translation memory does not need)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import ProjectConfig


def models_dir(config: ProjectConfig | None = None) -> Path:
    """``TOOLKIT_MODELS_DIR``, else the project's ``models_dir``, else the user data folder."""
    configured = os.environ.get("TOOLKIT_MODELS_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    if config is not None and config.models_dir:
        path = Path(config.models_dir).expanduser()
        return (path if path.is_absolute() else config.root / path).resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir("toolkit")) / "models"
