"""The one Jinja2 configuration shared by extraction and rendering.

Extraction and rendering must parse templates identically, or a message extracted from a
``{% trans %}`` block would not be found at render time. Both take their settings from here.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from jinja2 import BaseLoader, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import import_string

from .channels import MESSAGE_PARTS as MESSAGE_PARTS  # template blocks that are message parts
from .errors import ConfigError

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


BUILTIN_EXTENSIONS = ("jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols")


def new_environment(
    loader: BaseLoader | None = None,
    *,
    extensions: Sequence[str] = (),
    opaque_tags: Sequence[str] = (),
    **options: Any,
) -> SandboxedEnvironment:
    """A sandboxed Jinja2 environment with the i18n extension and the toolkit's policies.

    ``extensions`` are import paths of further Jinja2 extensions and ``opaque_tags`` custom tag
    names (a framework's ``{% snippet %}``, ``{% url_for %}``), both from the project's
    ``jinja_extensions`` / ``jinja_opaque_tags`` configuration.
    """
    loaded: list[str | type[Extension]] = list(BUILTIN_EXTENSIONS)
    for name in extensions:
        if name not in loaded:
            loaded.append(load_extension(name))
    if opaque_tags:
        loaded.append(opaque_tags_extension(tuple(sorted(set(opaque_tags)))))
    env = SandboxedEnvironment(
        loader=loader,
        extensions=loaded,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )
    env.policies["ext.i18n.trimmed"] = True
    return env


def load_extension(name: str) -> type[Extension]:
    """The Jinja2 extension class at import path ``name`` (``jinja2.ext.do``, ``pkg.mod:Ext``)."""
    try:
        found = import_string(name)
    except (ImportError, AttributeError, ValueError) as exc:
        raise ConfigError(
            f"jinja_extensions: cannot import '{name}' ({exc}).",
            hint="Use an import path such as 'jinja2.ext.do' or 'package.module:Extension', "
            "installed in the toolkit's environment.",
        ) from exc
    if not (isinstance(found, type) and issubclass(found, Extension)):
        raise ConfigError(
            f"jinja_extensions: '{name}' is not a Jinja2 extension class.",
            hint="Name a subclass of jinja2.ext.Extension.",
        )
    return found


@functools.cache
def opaque_tags_extension(names: tuple[str, ...]) -> type[Extension]:
    """An extension that accepts ``{% name args %}`` for each of ``names``.

    The tag's arguments are parsed as expressions (positional, ``key=value``, comma-separated;
    bare words such as ``as x`` or ``with`` parse as names), so ``_()``, ``gettext()`` and
    ``ngettext()`` calls inside them are extracted like any other; the tag itself renders
    nothing: its arguments sit in a branch that never runs, so a framework helper the toolkit
    does not have (``h.url_for``) is never called. ``{% end<name> %}`` is accepted as well.
    """

    class OpaqueTags(Extension):
        # ``end<name>`` too: a block tag ({% cache 60 %}...{% endcache %}) keeps its body as
        # ordinary template content, so messages inside it are extracted and rendered.
        tags = set(names) | {f"end{name}" for name in names}

        def parse(self, parser: Parser) -> nodes.Node:
            token = next(parser.stream)
            arguments: list[nodes.Expr] = []
            while parser.stream.current.type != "block_end":
                if arguments and parser.stream.skip_if("comma"):
                    continue
                if parser.stream.current.type == "name" and parser.stream.look().type == "assign":
                    next(parser.stream)
                    next(parser.stream)
                arguments.append(parser.parse_expression())
            body = [nodes.ExprStmt(nodes.Tuple(arguments, "load"), lineno=token.lineno)]
            return nodes.If(nodes.Const(False), body, [], [], lineno=token.lineno)

    OpaqueTags.__name__ = OpaqueTags.__qualname__ = "OpaqueTags_" + "_".join(names)
    return OpaqueTags
