"""The cyclic garbage collector paused while a stage builds many long-lived objects.

Reading, merging and checking catalogs (and parsing templates) allocate tens of thousands of
objects that live until the stage ends; the collector would traverse them again and again
(8-20 % of an ``update`` or ``check`` of real catalogs). Reference counting still frees
everything that is not in a cycle; the few cycles are collected once the collector is back on.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Collector off inside the block (as it was before, after it)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
