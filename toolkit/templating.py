"""The one Jinja2 configuration shared by extraction and rendering.

Extraction and rendering must parse templates identically, or a message extracted from a
``{% trans %}`` block would not be found at render time. Both take their settings from here.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, TemplateNotFound, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.ext import Extension
from jinja2.loaders import split_template_path
from jinja2.parser import Parser
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import import_string

from .channels import MESSAGE_PARTS as MESSAGE_PARTS  # template blocks that are message parts
from .errors import ConfigError
from .fsutil import is_within
from .template_files import JINJA_SUFFIXES as JINJA_SUFFIXES  # template suffixes
from .template_limits import (
    BOUNDED_FILTERS,
    BOUNDED_GLOBALS,
    bounded_concat,
    check_concat,
    check_extend,
    check_percent,
    check_str_method,
)

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


class _LimitedCodeGenerator(CodeGenerator):
    """Jinja's code generator with ``~`` checked (:func:`.template_limits.bounded_concat`)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"{func_name}(environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


class LimitedSandbox(SandboxedEnvironment):
    """The sandbox with ``*``, ``**``, ``%``, ``+`` and the calls that size their result
    bounded (the sandbox already bounds ``range``; see :mod:`.template_limits`)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _LimitedCodeGenerator
    bounded_concat = staticmethod(bounded_concat)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters.update(BOUNDED_FILTERS)
        self.globals.update(BOUNDED_GLOBALS)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """The sandbox's ``str.format``, with the widths of its specs bounded first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template, name = value.__self__, value.__name__

        def bounded(*args: Any, **kwargs: Any) -> str:
            check_str_method(template, name, args, kwargs)
            return wrapped(*args, **kwargs)

        return bounded

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "+":
            check_concat(left, right)
        elif operator == "%":
            if isinstance(left, str):
                check_percent(left, right)
        elif operator == "*":
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

    # -- fast paths (render-batch calls these millions of times) ------------------------------
    # Both skip only work whose answer is known in advance; everything else takes the
    # sandbox's own path unchanged.

    def trust_call(self, *functions: Any) -> None:
        """Functions the toolkit installs itself (the gettext callables, all ``pass_context``):
        called without the sandbox's per-call inspection, which can only say "safe" for them."""
        trusted = self.__dict__.setdefault("_trusted_calls", {})
        for function in functions:
            trusted[id(function)] = function

    def trust_attributes_of(self, *types: type) -> None:
        """Plain data classes (payment methods) whose public attributes templates read: for
        them ``is_safe_attribute`` is "not starting with _" (they are no function, method, type,
        code, frame or generator), so the answer is computed without the sandbox's chain of
        ``isinstance`` checks and without trying ``obj[name]`` first."""
        self.__dict__["_data_types"] = frozenset(types) | self.__dict__.get("_data_types", set())

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        trusted = __self.__dict__.get("_trusted_calls")
        if trusted is not None and trusted.get(id(__obj)) is __obj:
            loop_vars = kwargs.pop("_loop_vars", None)
            block_vars = kwargs.pop("_block_vars", None)
            if loop_vars:
                __context = __context.derived(loop_vars)
            if block_vars:
                __context = __context.derived(block_vars)
            return __obj(__context, *args, **kwargs)
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):  # 'x'.zfill(10**9), '{:>999999999}'.format(1)
            check_str_method(owner, getattr(__obj, "__name__", ""), args, kwargs)
        elif isinstance(owner, list):  # ns.x.extend(ns.x) in a loop
            check_extend(owner, getattr(__obj, "__name__", ""), args)
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        types = self.__dict__.get("_data_types")
        if types and type(obj) in types and not attribute.startswith("_"):
            try:
                return getattr(obj, attribute)
            except AttributeError:
                pass  # the sandbox's own path: item lookup, then undefined
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        types = self.__dict__.get("_data_types")
        if types and type(obj) in types and isinstance(argument, str):
            if not argument.startswith("_"):  # self.getattr(obj, argument), inlined
                try:
                    return getattr(obj, argument)
                except AttributeError:
                    pass
            return super().getattr(obj, argument)
        return super().getitem(obj, argument)


BUILTIN_EXTENSIONS = ("jinja2.ext.i18n", "jinja2.ext.do", "jinja2.ext.loopcontrols")


def new_environment(
    loader: BaseLoader | None = None,
    *,
    extensions: Sequence[str] = (),
    opaque_tags: Sequence[str] = (),
    trimmed: bool = True,
    trim_blocks: bool = True,
    lstrip_blocks: bool = True,
    **options: Any,
) -> SandboxedEnvironment:
    """A sandboxed Jinja2 environment with the i18n extension and the toolkit's policies.

    ``extensions`` are import paths of further Jinja2 extensions and ``opaque_tags`` custom tag
    names (a framework's ``{% snippet %}``, ``{% url_for %}``), both from the project's
    ``jinja_extensions`` / ``jinja_opaque_tags`` configuration; ``trimmed`` is its
    ``jinja_trimmed`` (``{% trans %}`` blocks trimmed, as babel.cfg's ``trimmed = true``), and
    ``trim_blocks``/``lstrip_blocks`` its ``jinja_trim_blocks``/``jinja_lstrip_blocks``.
    """
    loaded: list[str | type[Extension]] = list(BUILTIN_EXTENSIONS)
    for name in extensions:
        if name not in loaded:
            loaded.append(load_extension(name))
    if opaque_tags:
        loaded.append(opaque_tags_extension(tuple(sorted(set(opaque_tags)))))
    env = LimitedSandbox(
        loader=loader,
        extensions=loaded,
        trim_blocks=trim_blocks,
        lstrip_blocks=lstrip_blocks,
        **options,
    )
    env.policies["ext.i18n.trimmed"] = trimmed  # the project's jinja_trimmed
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
        source, filename, uptodate = super().get_source(environment, template)
        refuse_unquoted_attributes(source, template, filename)
        return source, filename, uptodate


#: An HTML attribute whose value is not quoted and takes a Jinja expression or statement
#: (``<a title={{ name }}>``): escaping does not stop a space, so a customer named
#: ``x onmouseover=alert(1)`` adds an attribute.
_UNQUOTED_VALUE = re.compile(r"<[A-Za-z][^<>]*?\s([\w:.-]+)\s*=\s*[^\s\"'=<>`]*\{[{%]")


def refuse_unquoted_attributes(source: str, name: str, filename: str | None = None) -> None:
    """A TemplateSyntaxError (file:line) for an attribute value written without quotes that
    takes a template value: customer data in it could add attributes.

    >>> refuse_unquoted_attributes('<a title="{{ name }}">', "t.j2")
    >>> refuse_unquoted_attributes("<p>\\n<a title={{ name }}>", "t.j2")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    jinja2.exceptions.TemplateSyntaxError: the value of attribute 'title' is not in quotes ...
    """
    if "{" not in source or "<" not in source:
        return
    found = _UNQUOTED_VALUE.search(source)
    if found is None:
        return
    from jinja2 import TemplateSyntaxError

    attribute = found.group(1)
    raise TemplateSyntaxError(
        f"the value of attribute '{attribute}' is not in quotes but takes a template value: "
        f"escaping does not stop a space, so customer data there could add attributes "
        f"(onmouseover=...); write {attribute}=\"{{{{ ... }}}}\"",
        source[: found.end()].count("\n") + 1,
        name,
        filename,
    )
