"""What the workers run for each kind of batch: a job turns customer rows into output lines.

A job is a small frozen (hashable, picklable) dataclass with one method, ``build(config)``, that
returns a *row processor* once per worker process: an object whose ``row(number, data)`` gives
``(number, id, json_line | None, error | None)``, the same tuple the local render-batch uses
(:class:`toolkit.render.batch._BatchRenderer`). The runner (:mod:`.runner`) does the rest:
partitions, project shipping, output part files, retries, progress and row errors.

Jobs: :class:`RenderJob` (``render-batch TEMPLATE``) and :class:`SendsJob`
(``render-batch --sends``: each row names its template). Work that needs all rows at once
(aggregates over every order, as ``toolkit audience``) is not a row job: see :mod:`.audience`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from ..config import ProjectConfig

Result = tuple[int, str | None, str | None, str | None]  # as toolkit.render.batch.Result


class RowProcessor(Protocol):
    """Turns one customer row into one output line or one error (built once per worker)."""

    def row(self, number: int, data: dict[str, Any] | str) -> Result: ...


class PartitionJob(Protocol):
    """A frozen dataclass naming what to do with each row; built once per worker process."""

    def build(self, config: ProjectConfig) -> RowProcessor: ...


@dataclass(frozen=True)
class RenderJob:
    """``render-batch``: one template rendered for every customer row, in the row's locale."""

    template: str
    id_column: str = "id"
    from_po: bool = False
    use_fuzzy: bool = False
    strict: bool = False  # --strict: rows not fit to send fail (toolkit.render.strict)

    def build(self, config: ProjectConfig) -> RowProcessor:
        from ..render.batch import _BatchRenderer
        from ..render.message import ARTICLE_SUFFIXES, Renderer

        renderer = Renderer(config, from_po=self.from_po, use_fuzzy=self.use_fuzzy)
        if not self.template.lower().endswith(ARTICLE_SUFFIXES):
            # Load and compile the template now: a worker without it fails before any row.
            renderer.templates(self.template, renderer.locale_state(config.source_locale))
        return _BatchRenderer(renderer, self.template, self.id_column, self.strict)


@dataclass(frozen=True)
class SendsJob:
    """``render-batch --sends``: each sends line rendered with its own template and locale.

    The processor is ``render/sends.py``'s own (:class:`toolkit.render.sends.SendsRenderer`):
    the same line checks, template resolution and output record as a local run.
    """

    from_po: bool = False
    use_fuzzy: bool = False
    strict: bool = False  # --strict: lines not fit to send fail (toolkit.render.strict)
    #: One message per customer: a customer's rendered lines after the first, in any
    #: partition, fail as in a local run (toolkit.cluster.runner._once_per_customer).
    once_per_customer: ClassVar[bool] = True

    def build(self, config: ProjectConfig) -> RowProcessor:
        from ..render.message import Renderer
        from ..render.sends import SendsRenderer

        renderer = Renderer(config, from_po=self.from_po, use_fuzzy=self.use_fuzzy)
        return SendsRenderer(config, renderer, self.strict)
