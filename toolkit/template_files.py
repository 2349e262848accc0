"""Which files are Jinja2 message templates, known without importing Jinja2 (``check`` asks
it of every entry's locations; :mod:`toolkit.templating` re-exports it)."""

from __future__ import annotations

#: Template file suffixes read as Jinja2 message templates.
JINJA_SUFFIXES = (".j2", ".jinja", ".jinja2", ".html", ".htm", ".txt", ".xml")
#: Article and FAQ files extract reads (Markdown segments, YAML questions and answers).
MARKDOWN_SUFFIXES = (".md", ".markdown")
YAML_SUFFIXES = (".yaml", ".yml")
#: Every file suffix extract reads.
SOURCE_SUFFIXES = JINJA_SUFFIXES + MARKDOWN_SUFFIXES + YAML_SUFFIXES


def extracted_location(
    location: str, templates_prefix: str, suffixes: tuple[str, ...] = SOURCE_SUFFIXES
) -> bool:
    """Whether a ``#:`` reference (``templates/email/a.j2:12``, from the project root) names
    a file of the kind extract reads in the templates folder (``templates_prefix``,
    ``"templates/"``), rather than one another tool extracted (``app/views.py:40``).

    >>> extracted_location("templates/a.j2:3", "templates/")
    True
    >>> extracted_location("app/views.py:40", "templates/"), extracted_location("x.html", "t/")
    (False, False)
    """
    name = location.rsplit(":", 1)[0] if location[-1:].isdigit() else location
    name = name.strip("\u2068\u2069")  # gettext isolates a file name with spaces
    return name.startswith(templates_prefix) and name.lower().endswith(suffixes)

