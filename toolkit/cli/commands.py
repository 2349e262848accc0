"""Registers every command module on the app (one import line per module)."""

from __future__ import annotations

from . import catalog_commands  # noqa: F401
