"""Registers every command module on the app (one import line per module)."""

from __future__ import annotations

from . import (
    catalog_commands,  # noqa: F401
    check_commands,  # noqa: F401
    glossary_commands,  # noqa: F401
    interchange_commands,  # noqa: F401
    mt_commands,  # noqa: F401
    payments_commands,  # noqa: F401
    render_commands,  # noqa: F401
    retention_commands,  # noqa: F401
    review_commands,  # noqa: F401
)
