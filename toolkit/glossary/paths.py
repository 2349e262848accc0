"""Where a locale's glossary files are (no glossary module needed to ask: a project
without glossaries pays no import for them)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..config import ProjectConfig

GLOBAL_NAME = "_global"


def glossary_paths(config: ProjectConfig, locale: str) -> list[Path]:
    """The files that make ``locale``'s glossary, least specific first.

    ``_global.csv``, then the language (``nb.csv`` for ``nb_NO``), then the locale itself.
    """
    names = [GLOBAL_NAME]
    language = re.split(r"[_@-]", locale)[0]
    if language != locale:
        names.append(language)
    names.append(locale)
    return [config.glossaries_path / f"{name}.csv" for name in names]


def has_glossary(config: ProjectConfig, locale: str) -> bool:
    """Whether any of ``locale``'s glossary files exists (:func:`glossary_paths`); a link
    to nothing, a folder or a FIFO counts, so that loading it says what is wrong with it."""
    return any(path.exists() or path.is_symlink() for path in glossary_paths(config, locale))
