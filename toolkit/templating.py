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

from .channels import MESSAGE_PARTS as MESSAGE_PARTS  # template blocks that are message parts
from .fsutil import is_within

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


#: Longest string or list one ``*`` may build, and largest power ``**`` may compute: a
#: template expression like ``"x" * 10**10`` or ``9**9**9`` fails instead of eating memory/CPU.
MAX_PRODUCT_ITEMS = 10_000_000
MAX_POWER_DIGITS = 1_000


class LimitedSandbox(SandboxedEnvironment):
    """The sandbox with ``*`` and ``**`` bounded (the sandbox already bounds ``range``)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int):
                    if len(seq) * times > MAX_PRODUCT_ITEMS:
                        raise OverflowError(
                            f"'*' would build {len(seq) * times:,} items "
                            f"(limit {MAX_PRODUCT_ITEMS:,})"
                        )
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and right * max(abs(left), 2).bit_length() > (
                MAX_POWER_DIGITS * 4
            ):
                raise OverflowError(f"'**' result would exceed {MAX_POWER_DIGITS:,} digits")
        return super().call_binop(context, operator, left, right)


def new_environment(loader: BaseLoader | None = None, **options: Any) -> SandboxedEnvironment:
    """A sandboxed Jinja2 environment with the i18n extension and the toolkit's policies."""
    env = LimitedSandbox(
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
