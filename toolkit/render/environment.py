"""Sandboxed Jinja2 environments for one locale, with its catalogs installed.

Each locale gets two environments built on :func:`toolkit.templating.new_environment`: one for
plain-text parts (subject, preheader, text, sms, push; autoescape off, except for ``.html``
templates) and one for the ``html`` part (autoescape on). Jinja decides escaping when it compiles
a template, so a part cannot switch it at render time; two compiled copies are the cheap way.

Translations are installed by :func:`install_translations` (new-style gettext, the contract of
``install_gettext_translations(newstyle=True)`` with one call layer less).

Translations are untrusted input like customer data: a machine translation can drop a
placeholder, add ``%`` directives or smuggle in markup. With new-style gettext under autoescape,
Jinja wraps the *translated* string in ``Markup`` and escapes only the variables, so markup in a
msgstr would reach the HTML raw. :class:`VettedTranslations` therefore checks each translation
once before Jinja sees it:

- a msgstr whose ``%`` directives are not the msgid's named placeholders (or ``%%``) is not used;
  the source text is, with a warning (otherwise ``"50% rabat"`` would format the variables dict
  into the message);
- in HTML parts, tags in the msgstr that do not appear verbatim in the msgid are escaped, and so
  is all other text; entities are kept;
- a msgstr that points a link somewhere its msgid does not (``javascript:alert(1)`` for a msgid
  used as an ``href``) is not used (:mod:`toolkit.render.links`);
- a msgstr that fails the ``urls`` or ``brand-name`` check (a link added to its prose, a brand
  name changed) is used, with a warning that ``--strict`` refuses the message for
  (:mod:`toolkit.render.served_checks`).
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import math
import re
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from jinja2 import BaseLoader, StrictUndefined, Undefined, nodes, pass_context
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.filters import FILTERS as DEFAULT_FILTERS
from jinja2.filters import do_default
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing
from markupsafe import Markup, escape

from ..placeholders import find_placeholders
from ..templating import LimitedSandbox, new_environment
from .filters import printable, printable_values
from .links import moved_link
from .locale_chain import Catalog

if TYPE_CHECKING:
    from .served_checks import ServedChecks

_NAMED = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)")
HTML_SUFFIXES = (".html", ".htm", ".xml")


@dataclass
class RenderTrace:
    """What happened while rendering one message: which catalog served each string, warnings."""

    served: Counter[str] = field(default_factory=lambda: Counter.__new__(Counter))  # empty
    warnings: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)  # of served translations
    deadline: float = float("inf")  # time.monotonic() by which the message must be done
    #: Undefined values a fallback took the place of at run time (``|default``, ``is
    #: defined``), as (``id()`` of the object that lacked the name, 0 for the top level, the
    #: name): a blank field counts as "the template's fallback was used" only when the
    #: template's code that falls back ran, not in a branch the message never took.
    fell_back: list[tuple[int, str]] = field(default_factory=list)


#: A memoised translation: (vetted text, serving locale, warning or None, failed checks).
Hit = tuple[str, str, str | None, tuple[str, ...]]

#: The trace of the message being rendered (set by the renderer around each message).
TRACE: ContextVar[RenderTrace | None] = ContextVar("toolkit_render_trace", default=None)


@functools.lru_cache(maxsize=65536)
def vet_translation(
    msgids: tuple[str, ...], msgstr: str, html: bool, counts: frozenset[str] = frozenset()
) -> str | None:
    """The msgstr made safe to use, or None when it must not be used.

    A plural form (two ``msgids``) may leave out the count (``counts``: the names the
    count is given as, ``num`` always; "Én vare" for 1) but no other named value.

    >>> vet_translation(("Hi %(name)s",), "Hej %(name)s", False)
    'Hej %(name)s'
    >>> vet_translation(("50%% off",), "50% rabat", False) is None
    True
    >>> vet_translation(("Book %(index)s of %(range)s",), "Buku", False) is None
    True
    >>> one, many = "%(num)d item for %(name)s", "%(num)d items for %(name)s"
    >>> vet_translation((one, many), "Én vare til %(name)s", False)
    'Én vare til %(name)s'
    >>> vet_translation((one, many), "%(num)d varer", False) is None
    True
    >>> vet_translation(("See <b>this</b>",), "Se <b>dette</b><script>x()</script>", True)
    'Se <b>dette</b>&lt;script&gt;x()&lt;/script&gt;'
    """
    allowed_names = {"num", "context"}
    for msgid in msgids:
        allowed_names.update(_NAMED.findall(msgid))
    # "Book %(index)s of %(range)s" -> "Buku": the customer loses what the value says (a
    # plural's form may leave out its number, "Én vare"; not "for %(name)s").
    required = set(_NAMED.findall(msgids[-1]))
    if len(msgids) > 1:
        required -= counts | {"num"}
    if not required <= set(_NAMED.findall(msgstr)):
        return None
    for placeholder in find_placeholders(msgstr):
        if placeholder.kind != "percent" or placeholder.text == "%%":
            continue
        match = _NAMED.match(placeholder.text)
        if not match or match.group(1) not in allowed_names:
            return None
    if "%" in re.sub(r"%%|%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]?\d*(?:\.\d+)?[diouxXeEfFgGcrsa]",
                     "", msgstr):
        return None  # a stray '%' that would break or abuse formatting
    if moved_link(msgids, msgstr, attributes=False) is not None:
        return None  # a translation must not change where a link points (links.py)
    if not html:
        return msgstr
    source_tags = {
        p.text for msgid in msgids for p in find_placeholders(msgid) if p.kind == "tag"
    }
    out: list[str] = []
    position = 0
    for placeholder in find_placeholders(msgstr):
        keep = placeholder.kind == "entity" or (
            placeholder.kind == "tag" and placeholder.text in source_tags
        )
        if keep:
            out.append(str(escape(msgstr[position : placeholder.start])))
            out.append(placeholder.text)
            position = placeholder.end
    out.append(str(escape(msgstr[position:])))
    return "".join(out)


def _as_count(n: Any, variables: dict[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """The format variables of a plural message: ``num`` (and the ``{% trans count=... %}``
    variable, the same value) as the number a CSV string stands for, so ``%(num)d`` formats
    ``"3"`` as ``%d`` formats 3; and the names the count is given as."""
    number = plural_count(n) if isinstance(n, str) else n
    if number is not n:
        variables = {name: number if value is n else value for name, value in variables.items()}
    variables.setdefault("num", number)
    counts = frozenset(name for name, value in variables.items() if value is number)
    return variables, counts


def plural_count(value: Any) -> int | Decimal | float:
    """The number that selects a plural form; CSV gives counts as strings (``"3"``).

    An integer where the value is one; a fraction stays a fraction, and the catalog's plural
    rule is evaluated with it, as Python's gettext does: English "1.5 points", and the form a
    four-form Polish catalog keeps for fractions (cut to 1, "1.5" chose the singular, and
    ``{% trans count=n %}`` then showed "1").

    >>> plural_count("3"), plural_count("3.0"), plural_count(2.0), plural_count("1.5")
    (3, 3, 2, Decimal('1.5'))
    """
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if isinstance(value, bool):
        raise TypeError(f"plural count must be a number, not {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value.strip())
    number: float | Decimal | None = value if isinstance(value, (float, Decimal)) else None
    if isinstance(value, str):  # "3.0" from a spreadsheet's export: the number it writes
        try:
            number = Decimal(value.strip())
        except ArithmeticError:
            number = None
    if number is not None and math.isfinite(number) and abs(float(number)) < 1e18:
        return int(number) if number == int(number) else number  # (no int of "1e999999999")
    raise TypeError(f"plural count must be a number, not {value!r}")


@contextlib.contextmanager
def _fraction_counts(n: object) -> Iterator[None]:
    """Python's gettext evaluates a plural rule with a fraction after a DeprecationWarning
    ("Plural value must be an integer"), which says nothing to the customer's message."""
    if isinstance(n, int):
        yield
        return
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Plural value must be an integer", DeprecationWarning)
        yield


#: Plural counts below this are memo keys themselves (see ``VettedTranslations._count_key``).
SMALL_COUNTS = 100


class VettedTranslations:
    """gettext callables for Jinja's i18n extension over a chain of catalogs.

    Methods take the Jinja context (``pass_context``) to know whether the part is HTML; they
    return the vetted translation, and record in :data:`TRACE` which catalog served it.
    """

    #: Bound on memoised lookups (counts make ngettext keys open-ended).
    MEMO_LIMIT = 100_000

    def __init__(
        self, catalogs: list[Catalog], head: gettext.NullTranslations, source: str,
        checks: Mapping[str, ServedChecks] | None = None,
    ) -> None:
        self._head = head
        self._members = [(c.locale, c.translations._catalog) for c in catalogs]  # type: ignore[attr-defined]
        self._plurals = tuple(c.translations.plural for c in catalogs)  # type: ignore[attr-defined]
        self._source = source
        # The QA checks of each catalog's served translations, by catalog locale.
        self._checks = checks or {}
        # (call, arguments..., html) -> (vetted text, serving locale, warning or None, failed
        # checks): a batch asks for the same strings millions of times; lookup and vetting
        # run once.
        self._memo: dict[tuple[Any, ...], Hit] = {}

    def _count_key(self, n: int) -> object:
        """What a plural lookup depends on, as a memo key: ``n`` itself when small, else the
        plural form each catalog of the chain picks plus whether the source's singular
        applies. A batch with a count per customer (points, days) then memoises a few forms
        instead of every count it meets (memory stays flat however many customers)."""
        if 0 <= n < SMALL_COUNTS:
            return n
        return ("forms", n == 1, *(plural(n) for plural in self._plurals))

    def _served_by(self, key: object) -> str:
        for locale, table in self._members:
            if key in table:
                return locale
        return self._source

    def _record(self, hit: Hit) -> str:
        trace = TRACE.get()
        if trace is not None:
            trace.served[hit[1]] += 1
            if hit[2] is not None:
                trace.warnings.append(hit[2])
            if hit[3]:
                trace.failed_checks += hit[3]
        return hit[0]

    def failed_checks(
        self, served: str, key: object, msgids: tuple[str, ...]
    ) -> tuple[str, ...]:
        """What the QA checks find in the translation of ``key`` that catalog ``served``
        serves (:class:`~toolkit.render.served_checks.ServedChecks`, once per entry)."""
        checks = self._checks.get(served)
        return checks.problems(key, msgids) if checks is not None else ()

    def _vetted(
        self, memo_key: tuple[Any, ...], served_key: object, msgids: tuple[str, ...],
        text: str, fallback: str, html: bool, counts: frozenset[str] = frozenset(),
    ) -> str:
        warning = None
        if not text and fallback:  # a plural form only fractions pick, left empty (msgfmt ships it)
            warning = (
                f"the translation of {msgids[0]!r} has an empty form for this count; the source "
                "text was used"
            )
            text = fallback
        elif not (text == fallback and text in msgids):
            vetted = vet_translation(msgids, text, html, counts)
            if vetted is None:
                warning = (
                    f"translation {text!r} of {msgids[0]!r} has placeholders or link targets "
                    "the source does not have, or lacks one it has; the source text was used "
                    "(fix it in the PO, 'toolkit check' lists it)"
                )
                text = fallback
            else:
                text = vetted
        if len(self._memo) >= self.MEMO_LIMIT:
            self._memo.clear()
        # A refused translation: the source language served it (--strict counts it so).
        served = self._source if warning is not None else self._served_by(served_key)
        failed = self.failed_checks(served, served_key, msgids) if warning is None else ()
        hit = self._memo[memo_key] = (text, served, warning, failed)
        return self._record(hit)

    @pass_context
    def gettext(self, context: Context, message: str) -> str:
        html = bool(context.eval_ctx.autoescape) if context is not None else False
        memo_key = ("g", message, html)
        hit = self._memo.get(memo_key)
        if hit is not None:
            return self._record(hit)
        text = self._head.gettext(message)
        return self._vetted(memo_key, message, (message,), text, message, html)

    @pass_context
    def ngettext(
        self, context: Context, singular: str, plural: str, n: Any,
        counts: frozenset[str] = frozenset(),
    ) -> str:
        """``counts``: the names the count is given as besides ``num`` (``{% trans
        count=n %}``), which a form may leave out (see :func:`vet_translation`). A negative
        count picks the form of its absolute value, as CLDR's rules do (Python's ``%`` on -1
        gave Lithuanian "-1 taškus" for "-1 tašką"; C gettext's unsigned count is no better)."""
        n = abs(plural_count(n))
        html = bool(context.eval_ctx.autoescape) if context is not None else False
        memo_key = ("n", singular, plural, self._count_key(n), html, counts)
        hit = self._memo.get(memo_key)
        if hit is not None:
            return self._record(hit)
        with _fraction_counts(n):
            text = self._head.ngettext(singular, plural, n)
        fallback = singular if n == 1 else plural
        return self._vetted(
            memo_key, (singular, 0), (singular, plural), text, fallback, html, counts
        )

    @pass_context
    def pgettext(self, context: Context, msgctxt: str, message: str) -> str:
        html = bool(context.eval_ctx.autoescape) if context is not None else False
        memo_key = ("p", msgctxt, message, html)
        hit = self._memo.get(memo_key)
        if hit is not None:
            return self._record(hit)
        text = self._head.pgettext(msgctxt, message)
        return self._vetted(
            memo_key, f"{msgctxt}\x04{message}", (message,), text, message, html
        )

    @pass_context
    def npgettext(
        self, context: Context, msgctxt: str, singular: str, plural: str, n: Any,
        counts: frozenset[str] = frozenset(),
    ) -> str:
        n = abs(plural_count(n))  # (a negative count: see ngettext)
        html = bool(context.eval_ctx.autoescape) if context is not None else False
        memo_key = ("np", msgctxt, singular, plural, self._count_key(n), html, counts)
        hit = self._memo.get(memo_key)
        if hit is not None:
            return self._record(hit)
        with _fraction_counts(n):
            text = self._head.npgettext(msgctxt, singular, plural, n)
        fallback = singular if n == 1 else plural
        return self._vetted(
            memo_key, (f"{msgctxt}\x04{singular}", 0), (singular, plural), text, fallback,
            html, counts,
        )

    def lookup(self, message: str) -> str:
        """A translation used as text, not as a format string (article segments, payment method
        descriptions); callers treat it as untrusted (escaped like data in HTML)."""
        memo_key = ("t", message)
        hit = self._memo.get(memo_key)
        if hit is None:
            served = self._served_by(message)
            hit = self._memo[memo_key] = (
                self._head.gettext(message), served, None,
                self.failed_checks(served, message, (message,)),
            )
        return self._record(hit)

    def lookup_in_context(self, msgctxt: str, message: str) -> tuple[str, str, tuple[str, ...]]:
        """``(translation, serving locale, failed checks)`` of a text with a context (payment
        method names and descriptions), used as text like :meth:`lookup`. Catalogs made before
        the texts had contexts are still used: without a contextual entry the plain msgid is
        tried."""
        key = f"{msgctxt}\x04{message}"
        served = self._served_by(key)
        if served != self._source:
            text = self._head.pgettext(msgctxt, message)
        else:
            key = message
            served = self._served_by(key)
            text = self._head.gettext(message)
        return text, served, self.failed_checks(served, key, (message,))


_FORMAT_DIRECTIVE = re.compile(r"%\(([^()]*)\)s|%%")


def _simple_placeholders(text: str) -> tuple[str, ...] | None:
    """The names of ``text``'s ``%(name)s`` placeholders in order, when those and ``%%`` are
    its only ``%`` directives; None otherwise (``%(n)d``, ``%s``, a stray ``%``).

    >>> _simple_placeholders("Hi %(name)s, 100%% %(name)s"), _simple_placeholders("%(n)d")
    (('name', 'name'), None)
    """
    if "%" in _FORMAT_DIRECTIVE.sub("", text):
        return None
    return tuple(m.group(1) for m in _FORMAT_DIRECTIVE.finditer(text) if m.group(1) is not None)


def _fell_back(value: Undefined) -> None:
    trace = TRACE.get()
    if trace is not None:
        owner = value._undefined_obj  # the object that lacks the name; missing: top level
        trace.fell_back.append((0 if owner is missing else id(owner), value._undefined_name or ""))


def default_filter(value: Any, default_value: Any = "", boolean: bool = False) -> Any:
    """Jinja's ``default`` (``d``), noting in the trace an undefined value it replaced."""
    if isinstance(value, Undefined):
        _fell_back(value)
    return do_default(value, default_value, boolean)


def defined_test(value: Any) -> bool:
    """Jinja's ``defined`` test, noting in the trace an undefined value it was asked about."""
    if isinstance(value, Undefined):
        _fell_back(value)
        return False
    return True


def undefined_test(value: Any) -> bool:
    """Jinja's ``undefined`` test, noting it as :func:`defined_test` does."""
    return not defined_test(value)


def install_translations(env: SandboxedEnvironment, translations: VettedTranslations) -> None:
    """Install new-style gettext callables for ``translations`` on ``env``.

    Same contract as ``env.install_gettext_translations(translations, newstyle=True)``
    (``_("Hi %(name)s", name=x)``, ``{% trans %}``; under autoescape the translation is Markup
    and the variables are escaped) but one call layer instead of two: Jinja's wrapper calls the
    translations object through ``Context.call`` again, which costs about 10 % of a message in
    render-batch.
    """

    # (Positional-only parameters: a {% trans n=... %}, message=, context= or plural=
    # variable is a format variable, as in Jinja's own functions, not a second argument.)
    memo = translations._memo
    record = translations._record
    # ``text % {}`` of a call without variables, per (text, html): the same every time.
    constant: dict[tuple[str, bool], str] = {}
    # Per vetted text used in HTML: the names of its placeholders when every directive is
    # ``%(name)s`` or ``%%`` (then escaping the values and formatting the plain string is
    # what ``Markup(text) % variables`` does, without its per-value helper objects), else
    # None and ``Markup(text)``.
    simple: dict[str, tuple[tuple[str, ...] | None, Markup]] = {}

    def format_html(text: str, variables: dict[str, Any]) -> str:
        found = simple.get(text)
        if found is None:
            found = (_simple_placeholders(text), Markup(text))
            if len(simple) < translations.MEMO_LIMIT:
                simple[text] = found
        names, markup = found
        if names is None:
            return markup % variables
        return Markup(text % {name: str(escape(variables[name])) for name in names})

    @pass_context
    def gettext(context: Context, message: str, /, **variables: Any) -> str:
        html = bool(context.eval_ctx.autoescape)
        hit = memo.get(("g", message, html))  # VettedTranslations.gettext's memo, inlined
        text = record(hit) if hit is not None else translations.gettext(context, message)
        if not variables:
            done = constant.get((text, html))
            if done is None:
                done = (Markup(text) if html else text) % variables
                if len(constant) < translations.MEMO_LIMIT:
                    constant[(text, html)] = done
            return done
        printable_values(text, variables)
        if html:
            return format_html(text, variables)
        return text % variables

    @pass_context
    def ngettext(
        context: Context, singular: str, plural: str, n: Any, /, **variables: Any
    ) -> str:
        variables, counts = _as_count(n, variables)
        text = translations.ngettext(context, singular, plural, n, counts)
        printable_values(text, variables)
        if context.eval_ctx.autoescape:
            return format_html(text, variables)
        return text % variables

    @pass_context
    def pgettext(context: Context, msgctxt: str, message: str, /, **variables: Any) -> str:
        variables.setdefault("context", msgctxt)
        text = translations.pgettext(context, msgctxt, message)
        printable_values(text, variables)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    @pass_context
    def npgettext(
        context: Context, msgctxt: str, singular: str, plural: str, n: Any, /, **variables: Any
    ) -> str:
        variables, counts = _as_count(n, variables)
        variables.setdefault("context", msgctxt)
        text = translations.npgettext(context, msgctxt, singular, plural, n, counts)
        printable_values(text, variables)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    env.newstyle_gettext = True  # type: ignore[attr-defined]
    env.globals.update(gettext=gettext, ngettext=ngettext, pgettext=pgettext, npgettext=npgettext)
    # ``_`` is the same function, not Jinja's alias that looks ``gettext`` up in the context at
    # every call (one more call layer through the sandbox; a variable named "gettext" in the
    # data could have taken its place).
    env.globals["_"] = gettext
    if isinstance(env, LimitedSandbox):
        env.trust_call(gettext, ngettext, pgettext, npgettext)


#: A keyword spec (``keywords`` in the configuration, as pybabel's ``-k``) and the standard
#: gettext function whose arguments it names.
_STANDARD_SHAPES = {"": "gettext", "1": "gettext", "1,2": "ngettext", "1c,2": "pgettext",
                    "1c,2,3": "npgettext"}  # fmt: skip


def keyword_aliases(keywords: Sequence[str]) -> dict[str, str]:
    """The project's own gettext functions that render as a standard one: ``_gettext`` and
    ``lazy_gettext`` (no spec, or ``1``) as ``gettext``, ``_ngettext:1,2`` as ``ngettext``,
    ``pgettext_lazy:1c,2`` as ``pgettext``. A name given specs of different shapes, or a spec
    no standard function has (``dgettext:2``), gets none.

    >>> keyword_aliases(["_gettext", "_ngettext:1,2", "dgettext:2", "gettext:1"])
    {'_gettext': 'gettext', '_ngettext': 'ngettext'}
    """
    found: dict[str, str | None] = {}
    for keyword in keywords:
        name, _, spec = keyword.partition(":")
        standard = _STANDARD_SHAPES.get(spec)
        if name in _STANDARD_SHAPES.values() or name == "_":
            continue
        found[name] = standard if found.get(name, standard) == standard else None
    return {name: standard for name, standard in found.items() if standard}


class SharedTemplateCode(BytecodeCache):
    """Compiled template code shared by the environments of every locale of one renderer
    (one cache for the text environments, one for the HTML ones: autoescape is decided when
    a template is compiled). A batch in six locales compiles each template twice instead of
    twelve times; every locale still runs the code in its own environment, with its own
    translations, filters and globals (they are looked up when a block runs).

    One thing Jinja does at compile time depends on the locale: the optimizer applies a
    filter or test to constant arguments (``{{ 1234|currency }}``) with the compiling
    environment's filters. A template with a filter or test that uses no variable is
    therefore never shared (each locale compiles its own, as without this cache).
    """

    def __init__(self) -> None:
        self._code: dict[tuple[str, str], Any] = {}
        self._sources: dict[tuple[str, str], tuple[str, str | None, str]] = {}

    def get_bucket(
        self, environment: Any, name: str, filename: str | None, source: str
    ) -> Bucket:
        bucket = super().get_bucket(environment, name, filename, source)
        if bucket.code is None:  # Jinja compiles it and hands it to dump_bytecode
            self._sources[(bucket.key, bucket.checksum)] = (name, filename, source)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        key = (bucket.key, bucket.checksum)
        found = self._sources.pop(key, None)
        if found is None:  # not from get_bucket (another thread's load): not shared
            return
        name, filename, source = found
        if locale_independent_code(bucket.environment, source, name, filename):
            self._code[key] = bucket.code


def locale_independent_code(env: Any, source: str, name: str, filename: str | None) -> bool:
    """False when Jinja's optimizer could fold a filter or test at compile time (one whose
    value and arguments use no variable), so the compiled code could hold one locale's
    formatting."""
    tree = env.parse(source, name, filename)
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        if node.node is None or not any(True for _ in node.find_all(nodes.Name)):
            return False
    return True


@pass_context
def map_filter(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
    """Jinja's ``map`` filter, with the common ``map(attribute="name")`` (a plain name)
    looked up directly through the environment's ``getitem``, as Jinja's attribute getter
    does, without its per-item loop over dotted parts: the same items, as lazily, through
    the same sandbox checks. Everything else is Jinja's own ``map``."""
    attribute = kwargs.get("attribute")
    if (
        args
        or len(kwargs) != 1
        or type(attribute) is not str
        or "." in attribute
        or attribute.isdigit()
        or context.environment.is_async
    ):
        return _JINJA_MAP(context, value, *args, **kwargs)
    return _map_attribute(context.environment.getitem, value, attribute)


def _map_attribute(getitem: Callable[[Any, str], Any], value: Any, attribute: str) -> Any:
    if value:
        for item in value:
            yield getitem(item, attribute)


_JINJA_MAP = DEFAULT_FILTERS["map"]


@dataclass(frozen=True)
class LocaleEnvironments:
    """The text and HTML environments of one locale."""

    text: SandboxedEnvironment
    html: SandboxedEnvironment


def _html_template(name: str | None) -> bool:
    return bool(name) and str(name).lower().endswith(HTML_SUFFIXES)


def build_environments(
    loader: BaseLoader,
    translations: VettedTranslations,
    filters: dict[str, Callable[..., Any]],
    globals: dict[str, Any],
    *,
    extensions: Sequence[str] = (),
    opaque_tags: Sequence[str] = (),
    syntax: Mapping[str, Any] | None = None,
    shared_code: tuple[SharedTemplateCode, SharedTemplateCode] | None = None,
    keywords: Sequence[str] = (),
) -> LocaleEnvironments:
    """Sandboxed environments with the locale's translations, filters and globals installed
    (and the project's own gettext functions, ``keywords``, as their standard twins).

    Undefined names are errors (``StrictUndefined``): a missing customer field must stop the
    message, not send "Hi ,".

    ``shared_code`` (text, HTML) lets several locales' environments share compiled templates
    (:class:`SharedTemplateCode`; only for the toolkit's own extensions).
    """
    envs = []
    caches = shared_code if shared_code is not None and not extensions else (None, None)
    for autoescape, cache in zip((_html_template, True), caches, strict=True):
        env = new_environment(
            loader,
            extensions=extensions,
            opaque_tags=opaque_tags,
            **(syntax or {}),
            undefined=StrictUndefined,
            finalize=printable,  # no "Hej True," or "Hej ['a', 'b'],"
            autoescape=autoescape,
            auto_reload=False,
            cache_size=-1,
            bytecode_cache=cache,
        )
        install_translations(env, translations)
        for name, standard in keyword_aliases(keywords).items():
            env.globals[name] = env.globals[standard]  # the same (trusted) function
        if env.filters.get("map") is _JINJA_MAP:
            env.filters["map"] = map_filter
        env.filters["default"] = env.filters["d"] = default_filter
        env.tests["defined"], env.tests["undefined"] = defined_test, undefined_test
        env.filters.update(filters)
        env.globals.update(globals)
        envs.append(env)
    return LocaleEnvironments(text=envs[0], html=envs[1])
