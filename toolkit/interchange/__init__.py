"""Interchange with translation vendors and TMSs: XLIFF 1.2/2.1 for catalogs, TMX 1.4b for the
translation memory.

``export_xliff`` / ``import_xliff`` (:mod:`.xliff`) and ``export_tmx`` / ``import_tmx``
(:mod:`.tmx`) are what ``toolkit xliff`` and ``toolkit memory`` call. Every file from outside
is parsed by :mod:`.safexml` (no entities, no DTD, no network). lxml is imported on first use.
"""

from __future__ import annotations

from .tmx import TmxExportResult, TmxImportResult, export_tmx, import_tmx
from .xliff import ExportResult, ImportResult, UnitReport, export_xliff, import_xliff

__all__ = [
    "ExportResult",
    "ImportResult",
    "TmxExportResult",
    "TmxImportResult",
    "UnitReport",
    "export_tmx",
    "export_xliff",
    "import_tmx",
    "import_xliff",
]
