"""Which files are Jinja2 message templates, known without importing Jinja2 (``check`` asks
it of every entry's locations; :mod:`toolkit.templating` re-exports it)."""

from __future__ import annotations

#: Template file suffixes read as Jinja2 message templates.
JINJA_SUFFIXES = (".j2", ".jinja", ".jinja2", ".html", ".htm", ".txt", ".xml")
