"""Retention messaging toolkit: customer messages in every customer's own language."""

from __future__ import annotations

__version__ = "0.1.0"
