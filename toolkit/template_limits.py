"""Bounds on what one template expression may allocate, for :class:`.templating.LimitedSandbox`.

The sandbox stops attribute escapes, and the toolkit already bounds ``*``, ``**``, ``range``,
render time and output size. But the output limit is checked on the finished part, and a single
call can ask for gigabytes first: ``'x'.zfill(3 * 10**9)``, ``'%.1000000000f'|format(1.0)``,
``s|indent(10**9)``, ``s.replace('a', s)`` (QA 33). Each check here computes the size of the
result from its arguments, before Python builds it, and raises :class:`OverflowError` (reported
as the message's error) past :data:`MAX_BUILT_CHARACTERS`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import filters as jinja_filters
from jinja2.utils import generate_lorem_ipsum, pass_environment, pass_eval_context

#: The longest string (or list) one call may build: 10 million, ``*``'s bound too.
MAX_BUILT_CHARACTERS = 10_000_000

#: ``str`` methods whose first argument is the width of the result.
_WIDTH_METHODS = frozenset({"zfill", "ljust", "rjust", "center"})

#: A ``%`` conversion's width and precision (``%-10.3f``, ``%(name)*s``).
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?")


def _too_big(what: str, size: int) -> None:
    if size > MAX_BUILT_CHARACTERS:
        raise OverflowError(f"{what} would build {size:,} characters (limit "
                            f"{MAX_BUILT_CHARACTERS:,})")


def _number(value: Any) -> int:
    """An argument as the int Python will use (a bool or float fails in Python itself)."""
    return value if isinstance(value, int) else 0


def check_percent(template: str, values: Any) -> None:
    """``template % values``: no width or precision past the bound (``%.1000000000f``).

    >>> check_percent("%5.2f and %s", (1.0, "x"))
    >>> check_percent("%.1000000000f", 1.0)
    Traceback (most recent call last):
    OverflowError: '%' would build 1,000,000,000 characters (limit 10,000,000)
    """
    if "%" not in template:
        return
    _too_big("'%'", len(template) + _percent_values_size(template, values))
    star = False
    for width, precision in _PERCENT_SPEC.findall(template):
        for number in (width, precision):
            if number == "*":
                star = True
            elif number:
                _too_big("'%'", int(number))
    if star:  # the widths are values: '%*d' % (10**9, 1)
        for value in values if isinstance(values, tuple) else (values,):
            _too_big("'%'", abs(_number(value)))


def _length(value: Any) -> int:
    """The characters a string value adds where it is copied in (other values: 0)."""
    return len(value) if isinstance(value, str) else 0


def _percent_values_size(template: str, values: Any) -> int:
    """What the string values add to ``template % values``: each ``%(name)s`` copies its value
    again (a doubling loop: ``s = '%(a)s%(a)s' % {'a': s}``), a tuple's values once each."""
    if isinstance(values, dict):
        return sum(_length(values.get(name)) for name in re.findall(r"%\(([^)]*)\)", template))
    return sum(_length(value) for value in (values if isinstance(values, tuple) else (values,)))


def check_format(template: str, args: Iterable[Any], kwargs: dict[str, Any]) -> None:
    """``template.format(...)``: no width or precision in a format spec past the bound; with a
    nested spec (``{:>{width}}``) no int argument past it either; the literal text plus the
    string values its fields copy in (``'{0}{0}'.format(s)`` twice ``s``) within it too.

    >>> check_format("{0}{0}", ("x" * 6_000_000,), {})
    Traceback (most recent call last):
    OverflowError: format would build 12,000,000 characters (limit 10,000,000)
    """
    nested = False
    args = tuple(args)
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError:
        return  # Python's own error comes with the call
    size, automatic = 0, 0
    for literal, field, _, _ in fields:
        size += len(literal)
        if field is None:
            continue
        key = re.match(r"[^.\[]*", field).group()  # type: ignore[union-attr]
        whole = key == field  # '{0.name}' and '{0[1]}' copy a part of the value
        if key == "":
            key, automatic = str(automatic), automatic + 1
        if key.isdigit():
            value = args[int(key)] if int(key) < len(args) else None
        else:
            value = kwargs.get(key)
        if whole:
            size += _length(value)
    _too_big("format", size)
    for _, _, spec, _ in fields:
        if not spec:
            continue
        if "{" in spec:
            nested = True
        for digits in re.findall(r"\d+", spec):
            _too_big("format", int(digits))
    if nested:
        for value in (*args, *kwargs.values()):
            _too_big("format", abs(_number(value)))


def check_str_method(text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """A call of ``text.<name>(...)`` from a template: the result's size within the bound."""
    if name in _WIDTH_METHODS:
        width = args[0] if args else kwargs.get("width", 0)
        _too_big(f"'{name}'", _number(width))
    elif name == "expandtabs":
        size = args[0] if args else kwargs.get("tabsize", 8)
        _too_big("'expandtabs'", len(text) + text.count("\t") * _number(size))
    elif name == "replace" and len(args) >= 2:
        check_replace(text, args[0], args[1], args[2] if len(args) > 2 else -1)
    elif name == "join" and args and isinstance(args[0], (list, tuple, str)):
        items = args[0]
        _too_big("'join'", sum(len(item) if isinstance(item, str) else 0 for item in items)
                 + len(text) * max(len(items) - 1, 0))
    elif name in ("format", "format_map"):
        values = args[0] if name == "format_map" and args else {}
        check_format(text, args if name == "format" else (), {**kwargs, **(
            values if isinstance(values, dict) else {})})


def check_replace(text: Any, old: Any, new: Any, count: Any = -1) -> None:
    """``text.replace(old, new)`` grows by ``len(new) - len(old)`` per occurrence."""
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return
    if len(new) <= len(old):
        return
    times = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    _too_big("'replace'", len(text) + times * (len(new) - len(old)))


def check_concat(left: Any, right: Any) -> None:
    """``left + right`` of two strings or lists (a doubling loop: ``s = s + s``)."""
    if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
        _too_big("'+'", len(left) + len(right))


def check_extend(items: list[Any], name: str, args: tuple[Any, ...]) -> None:
    """``items.extend(more)`` from a template (a doubling loop: ``ns.x.extend(ns.x)``)."""
    if name == "extend" and args and isinstance(args[0], (list, tuple, str)):
        _too_big("'extend'", len(items) + len(args[0]))


def bounded_concat(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """The operands of ``~`` (Jinja's string concatenation), checked before they are joined:
    ``{% set ns.s = ns.s ~ ns.s %}`` in a loop doubles a string as ``+`` does."""
    _too_big("'~'", sum(_length(value) for value in values))
    return values


# -- Jinja's filters and globals with a size argument -------------------------------------


def _center(value: Any, width: int = 80) -> str:
    _too_big("center", _number(width))
    return jinja_filters.do_center(value, width)


def _indent(s: Any, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    text = str(s)
    lines = text.count("\n") + 1
    size = _number(width) if not isinstance(width, str) else len(width)
    _too_big("indent", len(text) + lines * size)
    return jinja_filters.do_indent(s, width, first, blank)


def _format(value: Any, *args: Any, **kwargs: Any) -> str:
    if isinstance(value, str):
        check_percent(value, kwargs if kwargs else args)
    return jinja_filters.do_format(value, *args, **kwargs)


@pass_eval_context
def _replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> str:
    check_replace(str(s), str(old), str(new), -1 if count is None else count)
    return jinja_filters.do_replace(eval_ctx, s, old, new, count)


@pass_eval_context
def _join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
    if attribute is None:  # an attribute's values are not known before the join
        value = list(value)
        _too_big("join", sum(_length(item) for item in value)
                 + len(str(d)) * max(len(value) - 1, 0))
    return jinja_filters.sync_do_join(eval_ctx, value, d, attribute)


def _slice(value: Any, slices: int, fill_with: Any = None) -> Any:
    _too_big("slice", _number(slices))
    return jinja_filters.do_slice(value, slices, fill_with)


def _batch(value: Any, linecount: int, fill_with: Any = None) -> Any:
    if fill_with is not None:  # the last batch is padded to linecount items
        _too_big("batch", _number(linecount))
    return jinja_filters.do_batch(value, linecount, fill_with)


@pass_eval_context
def _tojson(eval_ctx: Any, value: Any, indent: int | None = None) -> Any:
    _too_big("tojson indent", _number(indent))
    return jinja_filters.do_tojson(eval_ctx, value, indent)


@pass_environment
def _wordwrap(environment: Any, s: str, width: int = 79, break_long_words: bool = True,
              wrapstring: str | None = None, break_on_hyphens: bool = True) -> str:
    if isinstance(wrapstring, str):  # one wrapstring per line: at most one line per char
        _too_big("wordwrap", len(s) * (len(wrapstring) + 1))
    return jinja_filters.do_wordwrap(environment, s, width, break_long_words, wrapstring,
                                     break_on_hyphens)


def _lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    _too_big("lipsum", _number(n) * (_number(max) or 1) * 12)  # words of up to 12 letters
    return generate_lorem_ipsum(n, html, min, max)


#: Filters replaced in the sandbox by their bounded twins.
BOUNDED_FILTERS: dict[str, Callable[..., Any]] = {
    "center": _center,
    "indent": _indent,
    "format": _format,
    "replace": _replace,
    "join": _join,
    "slice": _slice,
    "batch": _batch,
    "tojson": _tojson,
    "wordwrap": _wordwrap,
}

#: Globals replaced in the sandbox by their bounded twins.
BOUNDED_GLOBALS: dict[str, Callable[..., Any]] = {"lipsum": _lipsum}
