"""Moved to :mod:`toolkit.catalogs.splice` (``translate`` writes through it too)."""

from ..catalogs.splice import splice_entries as splice_entries
