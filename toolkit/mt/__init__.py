"""Offline machine translation of catalogs: Argos packages via CTranslate2, or Apertium.

Public entry points: :func:`translate_catalog` (fill a locale's catalog, see
``toolkit.mt.translate``), the :class:`Terms` protocol a glossary implements to take part
(``toolkit.mt.terms``), and model management in ``toolkit.mt.models``. Nothing here imports
argostranslate, ctranslate2 or torch until a model is actually used.
"""

from __future__ import annotations

from .terms import Terms
from .translate import Change, Flagged, TranslateResult, translate_catalog

__all__ = ["Change", "Flagged", "Terms", "TranslateResult", "translate_catalog"]
