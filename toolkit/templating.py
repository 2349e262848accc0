"""The one Jinja2 configuration shared by extraction and rendering.

Extraction and rendering must parse templates identically, or a message extracted from a
``{% trans %}`` block would not be found at render time. Both take their settings from here.
"""

from __future__ import annotations

from typing import Any

from jinja2 import BaseLoader
from jinja2.sandbox import SandboxedEnvironment

from .channels import MESSAGE_PARTS as MESSAGE_PARTS  # template blocks that are message parts

#: Template file suffixes read as Jinja2 message templates.
JINJA_SUFFIXES = (".j2", ".jinja", ".jinja2", ".html", ".htm", ".txt", ".xml")
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
