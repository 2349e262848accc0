"""The one small interface every MT engine implements, and how an engine is chosen.

``argos`` (default) runs Argos Translate packages through CTranslate2 in large batches;
``apertium`` runs Debian's rule-based engine for the pairs it has (da->nb and others).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import InputError, ModelError

ENGINES = ("argos", "apertium")


@dataclass(frozen=True)
class MTOutput:
    """One translated segment and the model's score (log-probability per token) if any."""

    text: str
    score: float | None = None


class Engine(Protocol):
    """An MT engine for one language pair.

    ``label`` goes into provenance comments (``argos en->da 1.0``); ``memory_key`` names the
    model and decoding options in the translation memory. ``copies_ok``: an output identical
    to its source is a translation (a rule-based engine between close languages: Danish
    "Navn" is Bokmål "Navn"), not the failure it is for a neural model.
    """

    name: str
    label: str
    memory_key: str
    copies_ok: bool

    def translate(self, segments: Sequence[str]) -> Iterator[tuple[list[int], list[MTOutput]]]:
        """Translate ``segments``; yield ``(indices, outputs)`` chunk by chunk as they finish."""
        ...


def open_engine(
    name: str,
    source: str,
    target: str,
    *,
    models_dir: Path,
    beam_size: int = 4,
) -> Engine:
    """The engine ``name`` set up for ``source`` -> ``target`` (errors name the fix)."""
    if name == "argos":
        from ..errors import MissingModelError
        from .argos import ArgosEngine
        from .models import find_chain, list_models

        unreadable: list[ModelError] = []
        installed = list_models(models_dir, unreadable=unreadable)
        try:
            chain = find_chain(installed, source, target)
        except MissingModelError as exc:
            if unreadable:  # the pair may be the broken folder's: say so
                raise MissingModelError(
                    f"{exc.message} {len(unreadable)} installed folder(s) could not be read: "
                    f"{unreadable[0].message}",
                    hint=unreadable[0].hint or exc.hint,
                ) from exc
            raise
        return ArgosEngine(chain, beam_size)
    if name == "apertium":
        from .apertium import ApertiumEngine

        return ApertiumEngine(source, target)
    raise unknown_engine(name)


def unknown_engine(name: str) -> InputError:
    """The error for an engine name that is none of :data:`ENGINES`."""
    return InputError(f"unknown MT engine '{name}'.", hint=f"Use one of: {', '.join(ENGINES)}.")
