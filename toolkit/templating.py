"""The one Jinja2 configuration shared by extraction and rendering.

Extraction and rendering must parse templates identically, or a message extracted from a
``{% trans %}`` block would not be found at render time. Both take their settings from here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, TemplateNotFound
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from .fsutil import is_within

#: Template file suffixes read as Jinja2 message templates.
JINJA_SUFFIXES = (".j2", ".jinja", ".jinja2", ".html", ".htm", ".txt", ".xml")
#: Template block names that are parts of a message, by channel.
MESSAGE_PARTS = ("subject", "preheader", "text", "html", "sms", "push_title", "push_body")
#: Options for ``jinja2.ext.babel_extract`` matching :func:`new_environment`.
EXTRACT_OPTIONS = {
    "trimmed": "true",
    "newstyle_gettext": "true",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
    "silent": "false",
    "extensions": "jinja2.ext.do,jinja2.ext.loopcontrols",
}


def new_environment(loader: BaseLoader | None = None, **options: Any) -> SandboxedEnvironment:
    """A sandboxed Jinja2 environment with the i18n extension and the toolkit's policies."""
    env = SandboxedEnvironment(
        loader=loader,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols"],
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )
    env.policies["ext.i18n.trimmed"] = True
    return env


class ProjectLoader(FileSystemLoader):
    """A FileSystemLoader that reads only files resolving inside ``root`` (the project): a
    template or ``{% include %}`` that is a symbolic link to a file outside is not found."""

    def __init__(self, searchpath: Path, root: Path) -> None:
        super().__init__(str(searchpath))
        self.root = root

    def get_source(self, environment: Environment, template: str) -> Any:
        for folder in self.searchpath:
            path = Path(folder, *split_template_path(template))
            if os.path.isfile(path) and not is_within(path, self.root):
                raise TemplateNotFound(
                    template,
                    f"{template} is a link to a file outside the project; refused",
                )
        return super().get_source(environment, template)
