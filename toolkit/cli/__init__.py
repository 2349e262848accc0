"""The ``toolkit`` command line: parses options, calls the library, prints results.

Each command lives in a module of this package and calls one library function; heavy modules
(machine translation above all) are imported inside the command functions only.
"""

from __future__ import annotations

from . import commands as _commands  # noqa: F401  (registers every command on ``app``)
from .app import app, main

__all__ = ["app", "main"]
