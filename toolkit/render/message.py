"""Render one message template for one customer: every part, SMS encoding, channel warnings.

A message template is one Jinja2 file whose ``{% block %}``s are the parts of the message:
``subject``, ``preheader``, ``text``, ``html`` (e-mail), ``sms``, ``push_title``, ``push_body``.
Each block is rendered on its own and stripped. The :class:`Renderer` caches, per locale, the
catalog chain, the environments, the compiled templates and the Babel filters, so rendering many
customers costs one dictionary lookup per locale after the first message.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import math
import os
import re
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unicodedata import category

from babel.numbers import is_currency
from jinja2 import Template, TemplateNotFound, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, TemplateError, TemplateRuntimeError, UndefinedError
from jinja2.utils import internal_code

from .. import channels
from ..channels import MESSAGE_PARTS, PART_BY_NAME
from ..config import ProjectConfig
from ..errors import CatalogError, ConfigError, InputError, RenderError, ToolkitError
from ..fsutil import is_within, require_inside
from ..locales import text_direction
from ..payments import NOT_MONEY, PaymentMethod
from ..placeholders import CONTROL_CHARACTERS
from ..templating import JINJA_SUFFIXES, LimitedSandbox, ProjectLoader
from .bidi import BIDI_CONTROLS, contain_bidi, contain_bidi_in
from .environment import (
    TRACE,
    LocaleEnvironments,
    RenderTrace,
    SharedTemplateCode,
    VettedTranslations,
    build_environments,
)
from .filters import (
    FilterPatternError,
    FilterValueError,
    NotText,
    locale_filters,
    territory_currency,
    time_zone,
)
from .links import script_urls_in_html
from .locale_chain import (
    Catalog,
    LocaleChain,
    chain_translations,
    compiled_before_edit,
    load_catalog,
    resolve_chain,
    stale_warning,
)

if TYPE_CHECKING:
    from collections import Counter

    from .served_checks import ServedChecks

#: Names the renderer gives templates that customer data must not replace (a CRM export's
#: payment_methods column broke the loop over the country's methods; a '_' column gettext).
_TEMPLATE_GLOBALS = {
    "payment_methods": "the payment methods of the customer's country",
    **{name: "a gettext function" for name in ("_", "gettext", "ngettext", "pgettext",
                                                "npgettext")},  # fmt: skip
}
ARTICLE_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
#: The channel of each message part (``subject`` -> ``email``).
CHANNELS = {part.name: part.channel for part in PART_BY_NAME.values()}


class RenderLimitError(RenderError):
    """A message part that ran past ``render_timeout`` or ``render_max_output``."""


class RenderTimeout(Exception):
    """Raised by the timer signal inside a render that runs past its time limit."""


@contextlib.contextmanager
def render_deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with :class:`RenderTimeout` (main thread only:
    elsewhere the per-chunk deadline check in ``Renderer._collect`` is the limit). A loop that
    yields no output, such as nested ``range`` loops with empty bodies, is stopped by this
    timer. Inside :func:`timer_signal` (a chunk of render-batch rows) the chunk's ticking
    timer enforces the deadline and this costs no system call."""
    if _TICKING.active and threading.get_ident() == _TICKING.thread:
        _TICKING.deadline = time.monotonic() + seconds
        try:
            yield
        finally:
            _TICKING.deadline = math.inf
        return
    if (
        threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0
    ):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _expire(signum: int, frame: Any) -> None:
    raise RenderTimeout


class _Ticking:
    """The state of :func:`timer_signal`'s ticking timer (one per process: SIGALRM is)."""

    active = False
    thread = 0  # the main thread's ident while active
    deadline = math.inf  # of the message being rendered; inf between messages


_TICKING = _Ticking()


def _tick(signum: int, frame: Any) -> None:
    if time.monotonic() >= _TICKING.deadline:
        raise RenderTimeout


@contextlib.contextmanager
def timer_signal(seconds: float = 5.0) -> Iterator[None]:
    """One ticking timer around many renders (a chunk of render-batch rows) instead of a
    timer armed and disarmed for every message (four system calls and two enum conversions
    per message): SIGALRM every ``seconds``/20 (at most 50 ms), and a tick that finds the
    message being rendered past its deadline raises :class:`RenderTimeout` in it, as the
    per-message timer would (at most one tick later). ``seconds`` is the render time limit.
    Off the main thread, without ``setitimer`` or while another timer runs, each render
    falls back to :func:`render_deadline`'s own handling."""
    if (
        _TICKING.active
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0
    ):
        yield
        return
    interval = max(min(seconds / 20, 0.05), 0.001)
    previous = signal.signal(signal.SIGALRM, _tick)
    _TICKING.deadline = math.inf
    _TICKING.thread = threading.get_ident()
    _TICKING.active = True
    signal.setitimer(signal.ITIMER_REAL, interval, interval)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        _TICKING.active = False
        _TICKING.deadline = math.inf
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class SmsReport:
    """The SMS part as it will be sent."""

    encoding: str
    units: int
    segments: int
    normalized: bool  # typographic spaces, quotes or dashes were replaced


@dataclass(frozen=True)
class RenderedMessage:
    """One customer's message in their locale, with the metadata of how it was produced."""

    template: str
    chain: LocaleChain
    catalogs: tuple[str, ...]  # project-relative paths of the catalogs in the chain
    served_by: dict[str, int]  # locale -> number of strings it served (source included)
    parts: dict[str, str]
    sms: SmsReport | None
    payment_methods: tuple[PaymentMethod, ...]
    currency: str | None
    timezone: str
    warnings: tuple[str, ...] = ()
    kind: str | None = None  # "article" or "faq"; None for message templates
    data: Any = None  # the translated FAQ document (FAQ only)
    missing: tuple[str, ...] = ()  # blank customer fields the template replaced by its fallback
    #: Served translations that fail a QA check (a link added, a brand changed), one line each
    #: naming msgid, catalog locale and the check's finding (:mod:`.served_checks`).
    failed_checks: tuple[str, ...] = ()

    @property
    def channels(self) -> list[str]:
        """Channels the parts belong to (``email``, ``sms``, ``push``), in part order;
        ``[kind]`` for articles."""
        if self.kind:
            return [self.kind]
        return list(dict.fromkeys(CHANNELS.get(p, "other") for p in self.parts))

    def as_dict(self, *, full_payment_methods: bool = True) -> dict[str, Any]:
        """The JSON shape of ``toolkit render --format json`` (and of render-batch lines)."""
        methods: list[Any]
        if full_payment_methods:
            methods = [m.as_dict() for m in self.payment_methods]
        else:
            methods = [m.id for m in self.payment_methods]
        return {
            "template": self.template,
            "channels": self.channels,
            "locale": self.chain.locale,
            "requested_locale": self.chain.requested,
            "locale_chain": list(self.chain.chain),
            "catalogs": list(self.catalogs),
            "served_by": self.served_by,
            "country": self.chain.country,
            "currency": self.currency,
            "timezone": self.timezone,
            "parts": self.parts,
            "sms": dataclasses.asdict(self.sms) if self.sms else None,
            "payment_methods": methods,
            "warnings": list(self.warnings),
        } | ({"data": self.data} if self.data is not None else {}) | (
            {"missing": list(self.missing)} if self.missing else {}
        )


@dataclass
class LocaleState:
    """Everything cached for one requested locale."""

    chain: LocaleChain
    catalogs: list[Catalog]
    envs: LocaleEnvironments
    translations: VettedTranslations
    payment_methods: tuple[PaymentMethod, ...]
    currency: str | None
    warnings: list[str]
    catalog_paths: tuple[str, ...] = ()
    templates: dict[str, tuple[Template, Template]] = field(default_factory=dict)
    customer_country: str | None = None  # the customer's country, where not the locale's


class Renderer:
    """Renders message templates of one project, caching all per-locale work.

    ``from_po`` reads translations straight from the PO files (preview before compiling);
    ``use_fuzzy`` includes fuzzy (unreviewed, e.g. machine-translated) entries.
    """

    def __init__(
        self, config: ProjectConfig, *, from_po: bool = False, use_fuzzy: bool = False
    ) -> None:
        self.config = config
        self.from_po = from_po
        self.use_fuzzy = use_fuzzy
        self.loader = ProjectLoader(config.templates_path, config.root)
        self._states: dict[str, LocaleState] = {}
        self._catalogs: dict[str, Catalog | None] = {}
        self._served_checks: dict[str, ServedChecks] = {}  # by catalog locale
        self._sources: dict[str, str] = {}
        self._part_names: dict[Template, list[str]] = {}  # the part blocks of a template
        self._top_level_code: dict[str, bool] = {}  # see _runs_top_level
        self._references: dict[str, list[_Reference]] = {}  # see _compile_referenced
        # Compiled templates shared by the locales' environments (text, HTML).
        self._shared_code = (SharedTemplateCode(), SharedTemplateCode())

    # -- per-locale state -------------------------------------------------------------------

    def locale_state(
        self, name: str, country: str | None = None, currency: str | None = None
    ) -> LocaleState:
        """The cached state for a locale as typed (validated on first use); with ``country``,
        for a customer of that country (its payment methods and currency, the locale's
        formats): English in Denmark; with ``currency``, for amounts in that currency (an
        order in euros from Denmark)."""
        key = name if country is None else f"{name}\x00{country}"
        if currency is not None:
            key = f"{key}\x00\x00{currency}"
        state = self._states.get(key)
        if state is None:
            state = self._states[key] = self._build_state(name, country, currency)
        return state

    def _customer_state(self, state: LocaleState, locale: str, country: Any) -> LocaleState:
        """The state for a customer whose data names a ``country`` other than the locale's
        territory (``locale: en, country: DK``): Danish payment methods and kroner in English,
        not the United States'."""
        if country is None or (isinstance(country, str) and shows_nothing(country)):
            return state
        code = country.strip().upper() if isinstance(country, str) else ""
        if code and code == state.chain.country:
            return state
        from ..payments import country_code

        try:
            code = country_code(code)
        except InputError:
            raise RenderError(
                f"country {country!r} is not an ISO 3166 country code.",
                hint="Write the customer's country as two letters, e.g. DK, NO or LT.",
            ) from None
        return self.locale_state(locale, code)

    def _currency_state(self, state: LocaleState, locale: str, currency: Any) -> LocaleState:
        """The state for a customer whose data names the ``currency`` of their amounts (as
        ``toolkit audience`` writes it: the latest order's): ``|currency`` without a code
        formats in it, so a Danish customer who ordered in euros reads euros, not kroner."""
        if currency is None or (isinstance(currency, str) and shows_nothing(currency)):
            return state
        code = currency.strip().upper() if isinstance(currency, str) else ""
        if code == state.currency:
            return state
        if (
            not (len(code) == 3 and code.isascii() and code.isalpha() and is_currency(code))
            or code in NOT_MONEY
        ):
            raise RenderError(
                f"currency {str(currency)[:40]!r} is not an ISO 4217 currency code of money.",
                hint="Write the currency of the customer's amounts as three letters, e.g. "
                "DKK, NOK or EUR.",
            )
        return self.locale_state(locale, state.customer_country, code)

    def _catalog(self, locale: str) -> Catalog | None:
        if locale not in self._catalogs:
            self._catalogs[locale] = load_catalog(
                self.config, locale, from_po=self.from_po, use_fuzzy=self.use_fuzzy
            )
        return self._catalogs[locale]

    def _checks_of(self, catalog: Catalog) -> ServedChecks:
        """The QA checks of the translations ``catalog`` serves (one per catalog: each entry
        is checked once, whichever locales' chains the catalog is in)."""
        checks = self._served_checks.get(catalog.locale)
        if checks is None:
            from .served_checks import ServedChecks

            checks = self._served_checks[catalog.locale] = ServedChecks(catalog, self.config)
        return checks

    def _build_state(
        self, name: str, country: str | None = None, currency: str | None = None
    ) -> LocaleState:
        chain = resolve_chain(name, self.config.source_locale)
        if country is not None:
            chain = _abroad(chain, country, self.config.source_locale)
        catalogs = [c for c in (self._catalog(loc) for loc in chain.candidates) if c is not None]
        warnings = self._chain_warnings(chain, catalogs)
        translations = VettedTranslations(
            catalogs, chain_translations(catalogs), chain.source,
            {c.locale: self._checks_of(c) for c in catalogs},
        )
        methods, method_warnings = _payment_methods(chain, translations, currency)
        currency = currency or territory_currency(chain.country)
        globals_ = {
            "payment_methods": methods,
            "locale": chain.locale,
            "country": chain.country,
            # (an e-mail's HTML in Arabic or Hebrew needs dir="rtl": <div dir="{{ direction }}">)
            "direction": text_direction(chain.locale),
        }
        filters = locale_filters(chain.locale, chain.country, currency)
        try:
            envs = build_environments(
                self.loader,
                translations,
                filters,
                globals_,
                extensions=self.config.jinja_extensions,
                opaque_tags=self.config.jinja_opaque_tags,
                syntax=self.config.jinja_syntax,
                shared_code=self._shared_code,
                keywords=self.config.keywords,
            )
        except ConfigError as exc:
            raise self.config.at_setting("jinja_extensions", exc) from exc
        for env in (envs.text, envs.html):
            if isinstance(env, LimitedSandbox):  # templates loop over the payment methods
                env.trust_attributes_of(TranslatedMethod, PaymentMethod)
        return LocaleState(
            chain=chain,
            catalogs=catalogs,
            envs=envs,
            translations=translations,
            payment_methods=methods,
            currency=currency,
            warnings=warnings + method_warnings,
            catalog_paths=tuple(self.config.relative(c.path) for c in catalogs),
            customer_country=country,
        )

    def _chain_warnings(self, chain: LocaleChain, catalogs: list[Catalog]) -> list[str]:
        warnings = []
        kind = "PO" if self.from_po else "compiled MO"
        for locale in chain.candidates:
            # A catalog on disk counts too when its locale is not configured: 'compile'
            # compiles every catalog on disk (QA pass 67: an uncompiled de.po was only "no
            # catalog serves de").
            wanted = locale in self.config.locales or (
                not self.from_po and self.config.po_path(locale).is_file()
            )
            if wanted and self._catalog(locale) is None:
                path = self.config.relative(
                    self.config.po_path(locale) if self.from_po else self.config.mo_path(locale)
                )
                fix = "run 'toolkit update'" if self.from_po else (
                    "run 'toolkit compile' (or preview with --from-po)"
                )
                absent = self.config.po_path(locale) if self.from_po else (
                    self.config.mo_path(locale))  # fmt: skip
                others = sorted(p.name for p in absent.parent.glob(f"*{absent.suffix}"))
                if others:  # Zulip's django.mo (QA pass 64)
                    fix += (f"; the folder holds {others[0]} (if that is this project's "
                            f'catalog, set domain = "{others[0][:-3]}")')
                warnings.append(f"no {kind} catalog {path}: {fix}")
        if not self.from_po:
            warnings += self._stale_warnings(catalogs)
        reader_of_source = chain.locale.split("_")[0] == chain.source.split("_")[0]
        if not catalogs and chain.candidates and not reader_of_source:  # en_GB reads en
            warnings.append(
                f"no catalog serves {chain.locale} (tried {', '.join(chain.candidates)}); "
                f"messages are in the source language ({chain.source})"
            )
        return warnings

    def _stale_warnings(self, catalogs: list[Catalog]) -> list[str]:
        """Catalogs of the chain whose PO was edited after their MO was compiled."""
        warnings = []
        for catalog in catalogs:
            po = self.config.po_path(catalog.locale)
            why = compiled_before_edit(po, catalog.path)
            if why:
                warnings.append(stale_warning(self.config, po, catalog.path, "this message", why))
        return warnings

    def templates(self, name: str, state: LocaleState) -> tuple[Template, Template]:
        """The template compiled in the locale's text and HTML environments (cached)."""
        found = state.templates.get(name)
        if found is None:
            try:
                found = (state.envs.text.get_template(name), state.envs.html.get_template(name))
            except TemplateNotFound as exc:
                if exc.message and "outside the project" in exc.message:
                    raise InputError(f"{exc.message}.") from exc
                raise InputError(
                    f"template '{name}' not found in "
                    f"{self.config.relative(self.config.templates_path)}."
                ) from exc
            except TemplateSyntaxError as exc:
                raise self._syntax_error(exc, exc.name or name, state.envs.text) from exc
            except RecursionError as exc:
                raise CatalogError(
                    "template expressions are nested too deeply to compile.",
                    path=self.config.relative(self.config.templates_path / name),
                    hint="Simplify the template.",
                ) from exc
            self._compile_referenced(name, state)
            for compiled in found:
                # A plain dict instead of Jinja's ChainMap over the environment's globals (which
                # are complete by now): every message's context copies them, key by key.
                compiled.globals = dict(compiled.globals)
            state.templates[name] = found
        return found

    def _syntax_error(self, exc: TemplateSyntaxError, name: str, env: Any) -> CatalogError:
        """A template's syntax error with its file and line, and for a block left open the
        line that opened it (as extract says it)."""
        from ..extract import open_block_line

        message = (exc.message or "").rstrip(".")
        innermost = re.search(r"The innermost block that needs to be closed is '(\w+)'", message)
        if innermost is not None:
            try:
                source = self.loader.get_source(env, name)[0]
            except (TemplateNotFound, OSError):
                source = ""
            opened = open_block_line(env, source, innermost.group(1), exc.lineno)
            if opened is not None:
                message += f" (the {{% {innermost.group(1)} %}} opened on line {opened})"
        path = Path(exc.filename) if exc.filename else self.config.templates_path / name
        return CatalogError(
            f"template syntax error: {message}",
            path=self.config.relative(path),
            line=exc.lineno,
            hint=_UNKNOWN_FILTER_HINT if message.startswith(_NO_FILTER_OR_TEST)
            else "Fix the template and rerun.",
        )

    def _compile_referenced(self, name: str, state: LocaleState) -> None:
        """Compile the layouts, macro files and includes ``name`` names (and theirs) now, so
        a syntax error in one is the template's error before a batch starts (every row of a
        batch failed with it, exit 1, over an earlier output)."""
        env = state.envs.text
        # (template, the template naming it, the line and verb of its tag)
        pending: list[tuple[str, str | None, int, str]] = [(name, None, 0, "")]
        seen = {name}
        while pending:
            current, referrer, line, verb = pending.pop()
            referenced = self._references.get(current)
            if referenced is None:
                try:
                    source = self.loader.get_source(env, current)[0]
                    tree = env.parse(source, current)
                except TemplateSyntaxError as exc:
                    raise self._syntax_error(exc, current, env) from exc
                except TemplateNotFound as exc:
                    refused = bool(exc.message and "outside the project" in exc.message)
                    if referrer is None or refused or ".." in current:
                        continue  # the template itself, or refused: rendering says why
                    where = self.config.relative(self.config.templates_path / referrer)
                    raise InputError(
                        f"{where}:{line}: template '{current}' not found (it {verb} it).",
                        hint="Fix the name in the tag, or add the template.",
                    ) from exc
                except OSError:
                    continue  # rendering says what is wrong with it
                referenced = _required_templates(tree)
                self._references[current] = referenced
                # (the tree is here: _runs_top_level need not parse the template again)
                self._top_level_code.setdefault(current, _has_top_level_code(tree.body))
            for named, other_line, other_verb in referenced:
                # {% include ["a", "b"] %}: the first that exists
                other = (
                    self._first_existing(env, named, current, other_line)
                    if isinstance(named, tuple)
                    else named
                )
                if other is None:
                    continue
                if other not in seen:
                    seen.add(other)
                    pending.append((other, current, other_line, other_verb))

    def _first_existing(
        self, env: Any, names: tuple[str, ...], referrer: str, line: int
    ) -> str | None:
        """The first of an include's list of names that exists; an error when none does
        (each row of a batch failed with it). None when one is refused (outside the project):
        rendering says why."""
        for candidate in names:
            try:
                self.loader.get_source(env, candidate)
            except TemplateNotFound as exc:
                if exc.message and "outside the project" in exc.message or ".." in candidate:
                    return None
                continue
            except OSError:
                return None
            return candidate
        where = self.config.relative(self.config.templates_path / referrer)
        shown = ", ".join(f"'{n}'" for n in names)
        raise InputError(
            f"{where}:{line}: none of the templates {shown} exists (it includes the first "
            "that exists).",
            hint="Fix the names in the tag, add one of the templates, or add 'ignore missing'.",
        )

    # -- rendering --------------------------------------------------------------------------

    def render(self, template: str, locale: str, data: Mapping[str, Any]) -> RenderedMessage:
        """Render every part of ``template`` (a loader name, see :func:`resolve_template`)."""
        state = self._states.get(locale) or self.locale_state(locale)
        if "country" in data:
            state = self._customer_state(state, locale, data["country"])
        if "currency" in data:
            state = self._currency_state(state, locale, data["currency"])
        if template.lower().endswith(ARTICLE_SUFFIXES):
            return self._render_article(template, state)
        text_tpl, html_tpl = state.templates.get(template) or self.templates(template, state)
        # blank_fields(data) and the variables (the other fields but "locale") in one pass;
        # each value's bidi controls closed within it, for every part (see .bidi)
        blanks: list[str] = []
        owners: dict[str, int] = {}  # a nested blank's path: id() of the object that lacks it
        cleaned: list[str] = []
        contained: list[str] = []
        variables: dict[str, Any] = {}
        for k, v in data.items():
            if isinstance(k, str):
                if isinstance(v, str):
                    if v.isprintable():  # most values: no control or invisible character
                        empty = not v.strip() or (_starts_invisible(v) and shows_nothing(v))
                    else:
                        if _OTHER_BREAK.search(v):
                            # CR LF, a lone CR ("\r.\r\n" of SMTP smuggling), VT, FF, NEL:
                            # a line feed, as text and HTML parts take one (a one-line part
                            # joins it with a space); they reached the body as they were, or
                            # were removed and glued the words on either side (QA pass 80)
                            v = _OTHER_BREAK.sub("\n", v)
                        if _CONTROL.search(v):  # a NUL, ESC or lone surrogate: never sent
                            v = _CONTROL.sub("", v)
                            cleaned.append(k)
                        empty = shows_nothing(v)
                        if not empty and BIDI_CONTROLS.search(v):
                            closed = contain_bidi(v)
                            if closed is not v:
                                v = closed
                                contained.append(k)
                else:
                    empty = v is None or _empty_container(v)
                    if not empty and type(v) in (list, dict):  # JSON: items[0].name
                        closed = contain_bidi_in(v)
                        if closed is not v:
                            v = closed
                            contained.append(k)
                        # user.email: null is as missing as email: null, items[1].name too
                        v = _without_blanks(v, k, blanks, owners)
                if empty:
                    blanks.append(k)
                elif k != "locale":
                    if k in _TEMPLATE_GLOBALS:
                        raise RenderError(
                            f"{template}: the customer field '{k}' would replace the template's "
                            f"own {k} ({_TEMPLATE_GLOBALS[k]}).",
                            hint=f"Rename the field in the customer data ('{k}' is reserved).",
                        )
                    variables[k] = v
        blank = frozenset(blanks) if blanks else _NO_FIELDS
        if "country" in variables and isinstance(variables["country"], str):
            variables["country"] = state.chain.country  # the code it was read as ("dk": DK)
        if "currency" in variables and isinstance(variables["currency"], str):
            variables["currency"] = state.currency  # the code it was read as ("eur": EUR)
        zone = variables.get("timezone")
        if zone:
            try:
                time_zone(str(zone))
            except FilterValueError as exc:
                raise RenderError(f"{template}: {exc}.", hint="Fix the customer data.") from exc
        trace = RenderTrace(deadline=time.monotonic() + self.config.render_timeout)
        token = TRACE.set(trace)
        try:
            if _TICKING.active and threading.get_ident() == _TICKING.thread:
                _TICKING.deadline = trace.deadline  # render_deadline() inside a chunk, inlined
                try:
                    parts = self._render_parts(template, text_tpl, html_tpl, variables)
                finally:
                    _TICKING.deadline = math.inf
            else:
                with render_deadline(self.config.render_timeout):
                    parts = self._render_parts(template, text_tpl, html_tpl, variables)
        except RenderTimeout as exc:  # between two parts
            raise self._limit_error(template, "message", "time") from exc
        except RenderError as exc:
            if isinstance(exc.__cause__, NotText):
                raise _not_text_error(exc, exc.__cause__, data) from exc
            raise empty_field_error(exc, blank) from exc
        finally:
            TRACE.reset(token)
        missing = _fallen_back(blank, owners, trace.fell_back) if blank and trace.fell_back else ()
        joined = one_line_parts(parts)
        sms = None
        if "sms" in parts:
            normalized = channels.normalize_sms(parts["sms"])
            info = channels.sms_info(normalized)
            sms = SmsReport(info.encoding, info.units, info.segments, normalized != parts["sms"])
            parts["sms"] = normalized
        failed_checks = tuple(dict.fromkeys(trace.failed_checks))
        warnings = [*state.warnings, *dict.fromkeys(trace.warnings), *failed_checks,
                    *part_warnings(parts, sms)]  # fmt: skip
        warnings += [f"{name} is empty: the template's fallback was used" for name in missing]
        warnings += [f"{name} had line breaks (from the data or the template): joined into one "
                     "line, as a header must be" for name in joined]  # fmt: skip
        warnings += [f"{name} had control characters (NUL, ESC...) or a lone surrogate: "
                     "removed" for name in cleaned]  # fmt: skip
        warnings += [f"{name} had bidi controls it did not close: closed within it, so they "
                     "do not reorder the text after it" for name in contained]  # fmt: skip
        return RenderedMessage(
            template=template,
            chain=state.chain,
            catalogs=state.catalog_paths,
            served_by=dict(trace.served),
            parts=parts,
            sms=sms,
            payment_methods=state.payment_methods,
            currency=state.currency,
            timezone=str(variables.get("timezone") or "UTC"),
            warnings=tuple(warnings),
            missing=missing,
            failed_checks=failed_checks,
        )

    def _render_article(self, name: str, state: LocaleState) -> RenderedMessage:
        from .articles import render_faq, render_markdown

        source = self._sources.get(name)
        path = self.config.templates_path / name
        if source is None:
            require_inside(path, self.config.root, shown=self.config.relative(path))
            try:
                source = self._sources[name] = path.read_text("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(f"cannot read {self.config.relative(path)}: {exc}") from exc
        trace = RenderTrace()
        token = TRACE.set(trace)
        try:
            faq = name.lower().endswith((".yaml", ".yml"))
            render = render_faq if faq else render_markdown
            rendered = render(source, state.translations.lookup, path=self.config.relative(path))
        finally:
            TRACE.reset(token)
        data = rendered.pop("data", None)
        failed_checks = tuple(dict.fromkeys(trace.failed_checks))
        return RenderedMessage(
            template=name,
            chain=state.chain,
            catalogs=state.catalog_paths,
            served_by=dict(trace.served),
            parts={k: str(v) for k, v in rendered.items()},
            sms=None,
            payment_methods=state.payment_methods,
            currency=state.currency,
            timezone="UTC",
            warnings=(*state.warnings, *failed_checks),
            kind="faq" if faq else "article",
            data=data,
            failed_checks=failed_checks,
        )

    def _render_parts(
        self, name: str, text_tpl: Template, html_tpl: Template, variables: dict[str, Any]
    ) -> dict[str, str]:
        # A template with code outside its blocks (see _runs_top_level) has it run first in
        # its contexts, and its part blocks are those of the layouts it extends too.
        layout = self._runs_top_level(name, text_tpl)
        text_context = html_context = None
        if layout:
            mark = _trace_mark()
            text_context = self._layout_context(name, text_tpl, variables)
            names = [p for p in MESSAGE_PARTS if p in text_context.blocks]
            if not names:  # the whole render below runs that code again: count it there
                _rewind(mark)
        else:
            names = self._part_names.get(text_tpl)  # type: ignore[assignment]
            if names is None:
                names = [p for p in MESSAGE_PARTS if p in text_tpl.blocks]
                self._part_names[text_tpl] = names
        parts: dict[str, str] = {}
        if not names:  # a template without part blocks is one text (or HTML) part
            whole = "html" if _is_html(name) else "text"
            parts[whole] = self._run(name, whole, text_tpl, variables, whole=True)
            if whole == "html":
                self._refuse_script_urls(name, whole, parts[whole])
            return parts
        for part in names:
            if part == "html":
                if layout and html_context is None:
                    # (its top-level code repeats the text parts': the same gettext calls)
                    mark = _trace_mark()
                    html_context = self._layout_context(name, html_tpl, variables)
                    _rewind(mark)
                parts[part] = self._run(name, part, html_tpl, variables, context=html_context)
                self._refuse_script_urls(name, part, parts[part])
            else:
                if text_context is None:
                    text_context = text_tpl.new_context(variables)
                parts[part] = self._run(name, part, text_tpl, variables, context=text_context)
        if names and set(names) <= HEADER_PARTS:
            # Blocks for the subject or preheader only (Zulip's layout has a preheader
            # block): what the template writes outside them is its body, as it would be
            # without them, instead of nothing.
            whole = "html" if _is_html(name) else "text"
            body = self._body_outside(name, whole, html_tpl if whole == "html" else text_tpl,
                                      variables, names)  # fmt: skip
            if body:
                parts[whole] = body
                if whole == "html":
                    self._refuse_script_urls(name, whole, body)
        return parts

    def _body_outside(
        self, name: str, part: str, template: Template, variables: dict[str, Any],
        blocks: list[str],
    ) -> str:
        """The whole template rendered with the part ``blocks`` left empty."""
        try:
            context = template.new_context(variables)
            for block in blocks:
                context.blocks[block] = [_no_output]
            return self._collect(name, part, template.root_render_func(context)).strip()
        except RenderLimitError:
            raise
        except _RENDER_FAILURES as exc:
            raise self._failure(name, part, template, exc) from exc

    def _layout_context(self, name: str, template: Template, variables: dict[str, Any]) -> Any:
        try:
            return self._context(name, template, variables)
        except RenderLimitError:
            raise
        except _RENDER_FAILURES as exc:
            raise self._failure(name, "top level", template, exc) from exc

    def _runs_top_level(self, name: str, template: Template) -> bool:
        """Whether the template has code outside its blocks that the blocks may use: it
        extends a layout (whose blocks and code come with it), or it imports, defines or
        sets something at the top (``{% from "macros.j2" import button %}``). Its parts are
        then rendered in a context where that code ran first, as a whole render would."""
        found = self._top_level_code.get(name)
        if found is None:
            env = template.environment
            try:
                source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
                body = env.parse(source, name).body
            except (TemplateError, OSError, RecursionError):
                body = []  # as before; the render reports what is wrong with it
            found = self._top_level_code[name] = _has_top_level_code(body)
        return found

    def _context(self, name: str, template: Template, variables: dict[str, Any]) -> Any:
        """A new context for the template's blocks; for a template with top-level code, that
        code has run in it (layouts included), every block skipped meanwhile."""
        context = template.new_context(variables)
        if self._runs_top_level(name, template):
            blocks = context.blocks
            context.blocks = _TopLevelOnly(blocks)
            try:
                self._collect(name, "top level", template.root_render_func(context))
            finally:
                context.blocks = blocks
        return context

    def _run(
        self,
        name: str,
        part: str,
        template: Template,
        variables: dict[str, Any],
        *,
        context: Any = None,
        whole: bool = False,
    ) -> str:
        try:  # (no context manager: this runs for every part of every message)
            if whole:
                chunks = template.generate(variables)
            else:
                ctx = context if context is not None else template.new_context(variables)
                chunks = ctx.blocks[part][0](ctx)  # (the layout's, where the template has none)
            return self._collect(name, part, chunks).strip()
        except RenderLimitError:
            raise
        except _RENDER_FAILURES as exc:
            raise self._failure(name, part, template, exc) from exc

    def _failure(self, name: str, part: str, template: Template, exc: Exception) -> Exception:
        """What went wrong while a part rendered, as a RenderError naming file, line, part."""
        if isinstance(exc, RenderTimeout):
            return self._limit_error(name, part, "time")
        return self._render_error(name, part, template, exc)

    def _collect(self, name: str, part: str, chunks: Iterator[str]) -> str:
        """The part's text, stopped at the configured output size and time (checked on every
        chunk, so a runaway loop stops even where no timer signal can be used)."""
        limit = self.config.render_max_output
        trace = TRACE.get()
        deadline = trace.deadline if trace is not None else math.inf
        out: list[str] = []
        append = out.append
        size = 0
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise self._limit_error(name, part, "output")
            if not len(out) & 63 and time.monotonic() > deadline:  # the clock every 64 chunks
                raise self._limit_error(name, part, "time")
            append(chunk)
        return "".join(out)

    def _limit_error(self, name: str, part: str, which: str) -> RenderLimitError:
        where = self.config.relative(self.config.templates_path / name)
        if which == "time":
            what = f"took longer than {self.config.render_timeout:g} s"
            key = "render_timeout"
        else:
            what = f"is longer than {self.config.render_max_output:,} characters"
            key = "render_max_output"
        return RenderLimitError(
            f"{where}: {part}: {what}; rendering stopped.",
            hint=f"Check the template's loops, or raise '{key}' in [tool.toolkit].",
        )

    def _refuse_script_urls(self, name: str, part: str, markup: str) -> None:
        """No ``javascript:``/``data:`` link may reach a customer, whatever its origin
        (template, translation or customer data such as ``shop_url``)."""
        found = script_urls_in_html(markup)
        if found:
            where = self.config.relative(self.config.templates_path / name)
            shown = found[0] if len(found[0]) <= 60 else found[0][:60] + "..."
            raise RenderError(
                f"{where}: {part}: refused link {shown!r}: script and data URLs never reach "
                "a customer.",
                hint="Fix the URL in the customer data (or the template); use http(s) links.",
            )

    def _render_error(
        self, name: str, part: str, template: Template, exc: Exception
    ) -> RenderError:
        filename, line = _template_line(exc, template)
        path = Path(filename) if filename else self.config.templates_path / name
        where = f"{self.config.relative(path)}" + (f":{line}" if line else "")
        if isinstance(exc, SecurityError):
            what = f"unsafe template code refused by the sandbox ({exc})"
            hint = "Templates may not reach Python internals; remove the expression."
        elif isinstance(exc, UndefinedError):
            what = f"{exc.message}"
            attribute = _NO_ATTRIBUTE.match(what)
            if attribute is not None and line:  # which value lacks it: the line says
                found = _dotted_path(path, line, attribute.group(1))
                if found:
                    owner = found.rpartition(".")[0]
                    what = f"{found} is undefined ({owner} has no field '{attribute.group(1)}')"
            hint = (
                "Add the field to the customer data (a nested one, user.email, as a field of a "
                "JSON object or a CSV column named user.email), or guard it with "
                "{% if field is defined %}."
            )
        elif isinstance(exc, FilterPatternError):
            what = str(exc)
            hint = "Fix the template."
        elif isinstance(exc, FilterValueError):
            what = str(exc)
            hint = "Fix the value in the customer data."
        elif isinstance(exc, TemplateNotFound):
            what = f"template '{exc.name}' not found"
            if exc.message and "outside the project" in exc.message:  # ProjectLoader refused it
                what = exc.message
            hint = "Fix the name in the extends, include or import tag."
        elif isinstance(exc, OverflowError) and "date value out of range" in str(exc):
            # "0001-01-01T00:30:00Z" in America/New_York is before year 1: the data's date
            what = "a date falls outside the years 1-9999 (in the customer's time zone)"
            hint = "Fix the date in the customer data."
        elif isinstance(exc, RecursionError):
            # a template that includes or extends itself, or a macro that calls itself
            what = "the template nests too deeply (does it include, extend or call itself?)"
            hint = "Fix the template."
        elif isinstance(exc, (OverflowError, MemoryError)):
            what = f"too large: {str(exc).rstrip('.')}" if str(exc) else "too large for memory"
            hint = ("Fix the template (docs/limits.md lists what one expression may build) or "
                    "the customer data.")
        elif isinstance(exc, (TemplateRuntimeError, TemplateSyntaxError)) and str(
            exc
        ).startswith(_NO_FILTER_OR_TEST):
            # a filter or test of the app's own (Zulip's |pluralize): Jinja reports it when
            # the line that uses it runs, or when a macro file using it is imported
            what = str(exc).rstrip(".")
            hint = _UNKNOWN_FILTER_HINT
        else:
            what = f"{type(exc).__name__}: {str(exc).rstrip('.')}"
            hint = "Fix the template or the customer data."
        return RenderError(f"{where}: {part}: {what}.", hint=hint)


_NO_FIELDS: frozenset[str] = frozenset()
_NO_FILTER_OR_TEST = ("No filter named ", "No test named ")
_UNKNOWN_FILTER_HINT = (
    "Add the Jinja2 extension that defines it to jinja_extensions in the project's "
    "configuration (docs/catalogs.md), or remove it from the template."
)
_UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined$")
_NO_ATTRIBUTE = re.compile(r"^'dict object' has no attribute '([^']+)'$")


#: What shows nothing on a screen: white space, and the invisible format characters and
#: fillers a name can be made of (zero-width space and joiners, soft hyphen, byte-order mark,
#: word joiner, bidi marks, Hangul fillers, braille blank). A value of only these is blank.
BLANK_CHARACTERS = (
    " \t\n\r\v\f\x1c\x1d\x1e\x1f\x85\xa0\xad\u034f\u061c\u115f\u1160\u1680\u180e"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u200c"
    "\u200d\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u202f\u205f\u2060"
    "\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e"
    "\u206f\u2800\u3000\u3164\ufeff\uffa0\u17b4\u17b5\ufe00\ufe0f"
    "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17"
    "\x18\x19\x1a\x1b\x7f"
)

#: Unicode categories that draw nothing by themselves: separators, control and format
#: characters (tag characters U+E0000-E007F, interlinear annotation U+FFF9-FFFB, musical
#: beams U+1D173-1D17A), unassigned and private-use code points, and non-spacing marks
#: (variation selectors U+FE00-FE0F and U+E0100-E01EF, combining accents with no letter).
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn"})

#: The :data:`BLANK_CHARACTERS` Python counts as printable (fillers that look like letters).
_PRINTABLE_FILLERS = frozenset(c for c in BLANK_CHARACTERS if c.isprintable())

_BLANK_SET = frozenset(BLANK_CHARACTERS)


def shows_nothing(value: str) -> bool:
    """True when ``value`` has no character a reader sees (empty, white space, fillers, format
    characters, marks without a letter).

    >>> shows_nothing("\u200b\ufe0f\U000e0041\U000e0100"), shows_nothing("e\u0301")
    (True, False)
    """
    if not value.strip(BLANK_CHARACTERS):
        return True
    return all(c in _BLANK_SET or category(c) in _INVISIBLE_CATEGORIES for c in value)


def _starts_invisible(value: str) -> bool:
    """Whether a printable ``value`` can show nothing: it starts with a filler or a mark (a
    quick test that lets nearly every name skip :func:`shows_nothing`)."""
    first = value[0]
    return first in _PRINTABLE_FILLERS or (first >= "\u0300" and category(first) == "Mn")


def _empty_container(value: Any) -> bool:
    """A JSON ``[]`` or ``{}``: no value, as ``null`` (otherwise a customer reads "Hi [],")."""
    return type(value) in (list, dict) and not value


def _without_blanks(value: Any, path: str, blanks: list[str], owners: dict[str, int]) -> Any:
    """``value`` (a JSON object or array in the customer data) without the blank fields of
    its objects, at any depth and in arrays too, each added to ``blanks`` by its path
    (``user.email``, ``items[1].name``) and to ``owners`` with the ``id()`` of the object the
    template finds without it: the template then finds them undefined, as a blank top-level
    field, and a customer never reads "Bienvenue None!" (nor "<None>" from a list)."""
    if type(value) is list:
        changed: list[Any] | None = None
        for index, item in enumerate(value):
            if type(item) in (dict, list):
                inner = _without_blanks(item, f"{path}[{index}]", blanks, owners)
                if inner is not item:
                    if changed is None:
                        changed = list(value)
                    changed[index] = inner
        return value if changed is None else changed
    if type(value) is not dict:
        return value
    kept: dict[Any, Any] | None = None
    lacking: list[str] = []
    for key, item in value.items():
        name = f"{path}.{key}"
        if item is None or (shows_nothing(item) if isinstance(item, str) else
                            _empty_container(item)):  # fmt: skip
            blanks.append(name)
            lacking.append(name)
            if kept is None:
                kept = {k: v for k, v in value.items()}
            del kept[key]
        elif type(item) in (dict, list):
            inner = _without_blanks(item, name, blanks, owners)
            if inner is not item:
                if kept is None:
                    kept = dict(value)
                kept[key] = inner
    for name in lacking:
        owners[name] = id(kept)
    return value if kept is None else kept


#: The e-mail parts that are no body: a template whose part blocks are only these has its
#: body outside them (a push or SMS template's blocks say all it has).
HEADER_PARTS = frozenset({"subject", "preheader"})


def _no_output(context: Any) -> Iterator[str]:
    """A block that writes nothing (a part block, in the body around it)."""
    return iter(())


def _fallen_back(
    blank: frozenset[str], owners: dict[str, int], used: list[tuple[int, str]]
) -> tuple[str, ...]:
    """The blank fields a fallback of the template took the place of while it rendered:
    ``used`` holds what ``|default`` and ``is defined`` were given, each undefined value as
    the ``id()`` of the object that lacked the name (0: the top level) and the name, so
    ``order.email|default(...)`` is not taken for a blank ``user.email``."""
    seen = set(used)
    return tuple(sorted(
        f for f in blank
        if (owners.get(f, 0), f.rpartition(".")[2] if f in owners else f) in seen
    ))  # fmt: skip


def blank_fields(data: Mapping[str, Any]) -> frozenset[str]:
    """Fields whose value is empty, only white space or invisible characters (a zero-width
    space), JSON null, ``[]`` or ``{}``: they count as missing (otherwise a customer reads
    "Hi ,").

    >>> data = {"first_name": " ", "city": "", "points": 0, "note": None, "x": "\u200b\xad",
    ...         "tags": [], "y": "\ufe0f\U000e0020"}
    >>> sorted(blank_fields(data))
    ['city', 'first_name', 'note', 'tags', 'x', 'y']
    """
    return frozenset(
        k
        for k, v in data.items()
        if isinstance(k, str)
        and (v is None or (shows_nothing(v) if isinstance(v, str) else _empty_container(v)))
    )


def _not_text_error(error: RenderError, cause: NotText, data: Mapping[str, Any]) -> RenderError:
    """``error`` naming the customer field that holds the value, when one does."""
    name = next((k for k, v in data.items() if v is cause.value), None)
    if name is None:
        return error
    return RenderError(
        f"{name} is a {cause.kind} in the customer data ({cause.preview}), not text: the "
        "message would show it as Python writes it.",
        hint=f"Give {name} a text or number value (in JSON: \"...\"), or print one item.",
    )


def _dotted_path(path: Path, line: int, attribute: str) -> str | None:
    """The one dotted name ending in ``.attribute`` on the template's ``line``
    (``user.profile.header``), or None when there is not exactly one."""
    try:
        with path.open(encoding="utf-8") as handle:
            text = next(itertools.islice(handle, line - 1, None), "")
    except (OSError, UnicodeDecodeError):
        return None
    found = set(re.findall(rf"\b([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.{re.escape(attribute)}\b",
                           text))  # fmt: skip
    return f"{found.pop()}.{attribute}" if len(found) == 1 else None


def empty_field_error(error: RenderError, blank: frozenset[str]) -> RenderError:
    """``error`` reworded when it is about a blank field: ``first_name is empty``, with how to
    declare a fallback."""
    cause = error.__cause__
    if not isinstance(cause, UndefinedError) or not blank:
        return error
    message = str(cause.message or "")
    match = _UNDEFINED_NAME.match(message)
    if match is not None and match.group(1) in blank:
        name = match.group(1)
    else:  # a nested one: "'dict object' has no attribute 'email'" for user.email
        attribute = _NO_ATTRIBUTE.match(message)
        nested = [b for b in blank if "." in b and attribute is not None
                  and b.rsplit(".", 1)[1] == attribute.group(1)]  # fmt: skip
        if len(nested) != 1:
            return error
        name = nested[0]
    return RenderError(
        f"{name} is empty.",
        hint=(
            f"Fill in {name} for this customer, or give the template a fallback of the "
            f"field's kind: {{{{ {name}|default(_(\"there\")) }}}} for a name, "
            f"{name}|default(0) for a count, {{% if {name}|default(false) %}} for a yes/no "
            "(docs/rendering.md)."
        ),
    )


def _is_html(name: str) -> bool:
    return name.lower().endswith((".html", ".htm", ".xml"))


def _template_line(exc: BaseException, template: Template) -> tuple[str | None, int | None]:
    """The file and line of the innermost template frame in the traceback: ``template``'s,
    or a layout's it extends or a macro file's it imports (``None`` for the file where
    nothing but ``template`` is known)."""
    filename, line = None, None
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        compiled = tb.tb_frame.f_globals.get("__jinja_template__")
        if code in internal_code:  # Jinja's stand-in for a missing filter, at the top
            pass
        elif isinstance(compiled, Template):  # the compiled template's own frame
            filename = code.co_filename
            try:
                line = compiled.get_corresponding_lineno(tb.tb_lineno)
            except Exception:  # pragma: no cover - defensive: debug info is best effort
                line = None
        elif code.co_name in _JINJA_FAKE_FRAMES or code.co_name.startswith("block '"):
            # Jinja rewrote the traceback already: the frame's line is the template's
            filename, line = code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    if filename == template.filename:
        filename = None
    return filename, line


#: The names jinja2.debug gives the frames of a rewritten traceback (their line numbers are
#: template lines; mapped again, every error named line 1).
_JINJA_FAKE_FRAMES = frozenset({"template", "top-level template code"})


def _trace_mark() -> tuple[RenderTrace, Counter[str], int] | None:
    """Where the message's trace stands, to :func:`_rewind` to after a run of a template's
    top-level code that another run repeats (counted twice, ``served_by`` and ``--strict``
    said 3 untranslated strings for 2)."""
    trace = TRACE.get()
    return None if trace is None else (trace, trace.served.copy(), len(trace.failed_checks))


def _rewind(mark: tuple[RenderTrace, Counter[str], int] | None) -> None:
    if mark is not None:
        trace, served, checks = mark
        trace.served = served
        del trace.failed_checks[checks:]


def _has_top_level_code(body: list[nodes.Node]) -> bool:
    """Whether a template's top level holds more than text and blocks (see
    :meth:`Renderer._runs_top_level`)."""
    return any(not isinstance(node, (nodes.Output, nodes.Block)) for node in body)


#: What a tag does with the template it names, for the error when that template is missing.
_VERBS = {nodes.Extends: "extends", nodes.Include: "includes", nodes.Import: "imports",
          nodes.FromImport: "imports from"}  # fmt: skip


#: A template another names (or the names of which one must exist), its tag's line and verb.
_Reference = tuple[str | tuple[str, ...], int, str]


def _required_templates(tree: nodes.Template) -> list[_Reference]:
    """The templates ``tree`` extends, imports or includes by a constant name and cannot do
    without, each with its tag's line and verb; ``{% include ["a", "b"] %}`` gives the names
    of which one must exist. ``{% include "x" ignore missing %}`` may name a template that
    does not exist, as may a name computed at run time."""
    names: list[_Reference] = []
    for node in tree.find_all(tuple(_VERBS)):
        if isinstance(node, nodes.Include) and node.ignore_missing:
            continue
        target = node.template  # type: ignore[attr-defined]  # (each of the four has one)
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            names.append((target.value, node.lineno, _VERBS[type(node)]))
        elif isinstance(target, (nodes.List, nodes.Tuple)) and all(
            isinstance(item, nodes.Const) and isinstance(item.value, str)
            for item in target.items
        ) and target.items:
            alternatives = tuple(item.value for item in target.items)  # type: ignore[attr-defined]
            names.append((alternatives, node.lineno, "includes"))
    return names


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a control character or a lone surrogate (:data:`_CONTROL`)."""
    return not text.isprintable() and _CONTROL.search(text) is not None


#: What a part's rendering may raise that is the template's or the data's fault.
_RENDER_FAILURES = (RenderTimeout, FilterValueError, TemplateError, TypeError, ValueError,
                    ArithmeticError, LookupError, AttributeError, RecursionError, MemoryError)

#: Control characters no message may carry (tab, line feed and carriage return are text),
#: and lone surrogates (JSON's "\ud800" in customer data: no character, no UTF-8 for it).
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}\ud800-\udfff]")
#: Line breaks other than a line feed, in customer data: each is read as one.
_OTHER_BREAK = re.compile("\r\n?|[\v\f\x1c\x1d\x1e\x85]")
#: Parts that are one line where they go: an e-mail header, the inbox preview, a push title.
ONE_LINE_PARTS = ("subject", "preheader", "push_title")
_LINE_BREAK = re.compile(r"\s*[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]\s*")


def one_line_parts(parts: dict[str, str]) -> list[str]:
    r"""Join the lines of the one-line parts with a space, in place; the names of those that
    had line breaks. A CR LF in customer data ("Anna\r\nBcc: x@example.com") reached the
    subject, where a sender puts it into the mail header.

    >>> parts = {"subject": "Hi Anna\r\nBcc: x@example.com", "text": "a\nb"}
    >>> one_line_parts(parts), parts["subject"], parts["text"]
    (['subject'], 'Hi Anna Bcc: x@example.com', 'a\nb')
    """
    joined = []
    for name in ONE_LINE_PARTS:
        text = parts.get(name)
        if text is not None and not text.isprintable() and _LINE_BREAK.search(text):
            parts[name] = _LINE_BREAK.sub(" ", text)
            joined.append(name)
    return joined


def part_warnings(parts: Mapping[str, str], sms: SmsReport | None) -> list[str]:
    """Channel limit warnings (docs/channels.md): subject, preheader, push, SMS segments."""
    warnings = []
    subject = parts.get("subject")
    if subject is not None:
        if len(subject) > channels.SUBJECT_MAX:
            warnings.append(
                f"subject is {len(subject)} characters, over the {channels.SUBJECT_MAX} maximum"
            )
        elif len(subject) > channels.SUBJECT_WARN:
            warnings.append(
                f"subject is {len(subject)} characters; mobile clients cut it after about "
                f"{channels.SUBJECT_WARN}"
            )
    preheader = parts.get("preheader")
    if preheader is not None and not (
        channels.PREHEADER_MIN <= len(preheader) <= channels.PREHEADER_MAX
    ):
        warnings.append(
            f"preheader is {len(preheader)} characters; aim for "
            f"{channels.PREHEADER_MIN}-{channels.PREHEADER_MAX}"
        )
    push_limits = (("push_title", channels.PUSH_TITLE_MAX), ("push_body", channels.PUSH_BODY_MAX))
    for part, limit in push_limits:
        value = parts.get(part)
        if value is not None and len(value) > limit:
            warnings.append(f"{part} is {len(value)} characters, over the {limit} that show")
    payload = channels.push_payload_bytes(parts)
    if payload is not None and payload > channels.PUSH_PAYLOAD_MAX_BYTES:
        warnings.append(
            f"push payload is {payload} bytes, over the "
            f"{channels.PUSH_PAYLOAD_MAX_BYTES}-byte APNs/FCM limit"
        )
    if sms is not None and sms.segments > 1:
        severity = "over the maximum" if sms.segments > channels.SMS_MAX_SEGMENTS else "sent as"
        warnings.append(
            f"sms is {sms.units} {sms.encoding} units: {severity} {sms.segments} segments"
        )
    return warnings


def _abroad(chain: LocaleChain, country: str, source_locale: str) -> LocaleChain:
    """The chain of a customer of ``country`` whose locale names no territory or another:
    CLDR's formats for the language there where it has them (``en`` in DK: ``en_DK``, dates
    as 30/10/2026), else the language's; the country's currency and payment methods."""
    from babel import Locale, UnknownLocaleError

    given = Locale.parse(chain.locale)
    # A region of the world (es_419, en_150, ar_001) names no country: as no territory
    # (es_419 in MX is es_MX; it kept Latin America's formats, QA pass 80).
    if given.territory is None or given.territory.isdigit():
        candidate = "_".join(p for p in (given.language, given.script, country) if p)
        try:
            parsed = Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            pass
        else:
            if given.script and parsed.script != given.script:  # zh_Hant in CN: not zh_Hans_CN
                return dataclasses.replace(chain, country=country)
            abroad = resolve_chain(candidate, source_locale)
            # As the data said it (en); a reader of the source language needs no catalog.
            # The catalogs of the customer's own chain keep their order, after the country's
            # own (zh_Hant in HK: zh_Hant_HK, then zh_Hant, zh_Hant_TW, zh).
            own = tuple(c for c in abroad.candidates if c not in chain.candidates)
            if given.script is None and parsed.script is not None:
                from ..locales import likely_script

                if parsed.script != likely_script(given.language):
                    # sr in ME (Latin there), zh in TW (Traditional): the country's script,
                    # and none of the customer's own chain, which is in the other one (one
                    # message mixed Latin and Cyrillic; QA pass 79)
                    return dataclasses.replace(abroad, requested=chain.requested,
                                               candidates=own if chain.candidates else ())
            return dataclasses.replace(
                abroad, requested=chain.requested,
                candidates=own + chain.candidates if chain.candidates else (),
            )  # fmt: skip
    return dataclasses.replace(chain, country=country)


def _payment_methods(
    chain: LocaleChain, translations: VettedTranslations, currency: str | None = None
) -> tuple[tuple[PaymentMethod, ...], list[str]]:
    """The country's payment methods with descriptions translated through the locale's chain;
    with the customer's ``currency``, those that take it (Dankort takes DKK only: a Danish
    customer paying in US dollars is not offered it)."""
    from ..payments import payment_methods, payment_methods_for_locale, territory_for_locale

    try:
        if chain.country and chain.country != territory_for_locale(chain.locale):
            methods = payment_methods(chain.country)  # a customer abroad: their country's
        else:
            methods = payment_methods_for_locale(chain.locale)
    except ToolkitError as exc:
        return (), [f"no payment methods for {chain.locale}: {exc}"]
    warnings = []
    if currency:
        taken = [m for m in methods if m.accepts(currency)]
        if not taken and methods:
            warnings.append(
                f"no payment method of {chain.country or chain.locale} takes {currency.upper()}"
            )
        methods = taken
    return _translated_methods(methods, translations), warnings


def _translated_methods(
    methods: list[PaymentMethod], translations: VettedTranslations
) -> tuple[PaymentMethod, ...]:
    """Generic names and descriptions in the locale (msgctxt ``payment method: <id>``); brand
    names stay as they are."""
    translated = []
    for method in methods:
        values = {f.name: getattr(method, f.name) for f in dataclasses.fields(PaymentMethod)}
        name_served: str | None = None
        name_failed: tuple[str, ...] = ()
        if method.name_kind == "generic":
            values["name"], name_served, name_failed = translations.lookup_in_context(
                method.context, method.name
            )
        values["description"], description_served, description_failed = (
            translations.lookup_in_context(method.context, method.description)
        )
        translated.append(
            TranslatedMethod(
                **values, name_served_by=name_served, description_served_by=description_served,
                name_failed_checks=name_failed, description_failed_checks=description_failed,
            )
        )
    return tuple(translated)


@dataclass(frozen=True)
class TranslatedMethod(PaymentMethod):
    """A payment method in the customer's language. When a template reads ``name`` or
    ``description``, the catalog that served the text is counted in ``served_by``, so
    ``--strict`` and the showcase see the untranslated payment texts a message really shows."""

    name_served_by: str | None = None  # None: a brand name, not a message
    description_served_by: str | None = None
    #: What the QA checks found in the translations (see :mod:`.served_checks`).
    name_failed_checks: tuple[str, ...] = ()
    description_failed_checks: tuple[str, ...] = ()


class _ServedText:
    """``name``/``description`` of :class:`TranslatedMethod`: a data descriptor that counts
    the serving catalog (and records what the QA checks found in the translation) when a
    template reads the text. Only these two reads run Python code; every other attribute (the
    sandbox's checks look up many) stays a plain lookup."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute
        self.served = attribute + "_served_by"
        self.failed = attribute + "_failed_checks"

    def __get__(self, instance: Any, owner: Any = None) -> Any:
        if instance is None:
            return self
        values = instance.__dict__
        trace = TRACE.get()
        if trace is not None:
            served = values.get(self.served)
            if served is not None:
                trace.served[served] += 1
                failed = values.get(self.failed)
                if failed:
                    trace.failed_checks += failed
        return values[self.attribute]

    def __set__(self, instance: Any, value: Any) -> None:  # the dataclass __init__ only
        instance.__dict__[self.attribute] = value


TranslatedMethod.name = _ServedText("name")  # type: ignore[assignment]
TranslatedMethod.description = _ServedText("description")  # type: ignore[assignment]


def require_templates_folder(config: ProjectConfig) -> None:
    """A ConfigError at the 'templates_dir' line when it names no folder (or a file):
    render, render-batch and showcase say so once, not "template not found" per row."""
    if not config.templates_path.is_dir():
        from ..fsutil import similar_folders

        raise config.missing_folder(
            "templates_dir", config.templates_path, "templates",
            similar_folders(config.templates_path),
        )  # fmt: skip


def resolve_template(config: ProjectConfig, spec: str, cwd: Path | None = None) -> str:
    """The loader name (``email/welcome.j2``) of a template path typed by a user.

    The path may be relative to the current folder or to the templates folder, and may leave out
    the ``.j2`` suffix. It must resolve inside the project's templates folder.
    """
    require_templates_folder(config)  # the setting's error, not "template not found" in it
    templates = config.templates_path.resolve()
    base = Path(spec)
    roots = [base] if base.is_absolute() else [(cwd or Path.cwd()) / base, templates / base]
    inside = [root for root in roots if is_within(root, templates)]
    if not inside:  # refused before looking at the file system: no probing outside
        raise InputError(
            f"'{spec}' is outside the templates folder {config.relative(templates)}.",
            hint="Render templates of this project only; give a path inside its templates folder.",
        )
    for root in inside:
        for suffix in ("", *JINJA_SUFFIXES, *ARTICLE_SUFFIXES):
            candidate = root.with_name(root.name + suffix) if suffix else root
            if candidate.is_file() and is_within(candidate, templates):
                return candidate.resolve().relative_to(templates).as_posix()
    folder = next((root for root in inside if root.is_dir()), None)
    if folder is not None:
        names = sorted(
            p.relative_to(templates).as_posix()
            for p in folder.resolve().rglob("*")
            if p.is_file() and p.name.endswith(JINJA_SUFFIXES + ARTICLE_SUFFIXES)
            and not p.name.startswith(".")
        )
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        raise InputError(
            f"'{spec}' is a folder of templates, not a template"
            + (f" (it has {shown})." if names else "."),
            hint="Give one template's path, such as "
            f"'{names[0] if names else 'email/welcome.j2'}'; render-batch and showcase "
            "render many.",
        )
    for root in inside:
        if root.exists() and not root.is_dir():  # a FIFO or a device: reading it would hang
            raise InputError(
                f"cannot read template '{spec}': not a regular file (a device or FIFO).",
                hint="Give the path of a template file.",
            )
        if root.is_symlink() and not root.exists():  # as extract says it (QA pass 76)
            raise InputError(
                f"{config.relative(root)}: a symbolic link to a file that does not exist or "
                f"loops ({os.readlink(root)}).",
                hint="Point the link at the template, or delete it.",
            )
    folder_name = config.relative(templates)
    near = _same_name_templates(templates, base)
    raise InputError(
        f"template '{spec}' not found (looked relative to the current folder and to "
        f"{folder_name}).",
        hint=f"Did you mean '{near[0]}' (in {folder_name})?"
        if near
        else f"Give a path inside {folder_name}{_an_example(templates)}; list them with "
        f"'ls {folder_name}'.",
    )


def _an_example(templates: Path) -> str:
    """``, such as 'loyalty/points_earned.j2'``: one of the project's own templates (the
    hint named 'email/welcome.j2', which a project may not have); error path only."""
    for path in templates.rglob("*"):
        if path.name.endswith(JINJA_SUFFIXES) and not path.name.startswith(".") and (
            path.is_file()
        ):
            return f", such as '{path.relative_to(templates).as_posix()}'"
    return ""


def _same_name_templates(templates: Path, spec: Path) -> list[str]:
    """Templates whose path ends like ``spec`` (its file name, and as many of its folders as
    match), longest match first: ``mediagoblin/auth/x.txt`` typed from a project whose
    templates folder holds ``templates/mediagoblin/auth/x.txt``. Error path only."""
    import glob

    wanted = spec.parts
    if not wanted or wanted[-1] in ("", ".", ".."):
        return []
    found = []
    for path in templates.rglob(glob.escape(wanted[-1])):
        if not path.is_file() or any(p.startswith(".") for p in path.relative_to(templates).parts):
            continue
        parts = path.relative_to(templates).parts
        same = 0
        while same < min(len(parts), len(wanted)) and parts[-1 - same] == wanted[-1 - same]:
            same += 1
        found.append((-same, "/".join(parts)))
    return [name for _, name in sorted(found)]


class _TopLevelOnly(dict[str, list[Any]]):
    """A context's ``blocks`` while only the template's top-level code runs: each block
    renders nothing, and the blocks a layout adds (``extends``) go into the real ``blocks``,
    so the parts rendered afterwards are the layout's where the template has none."""

    def __init__(self, real: dict[str, list[Any]]) -> None:
        super().__init__()
        self.real = real

    def __getitem__(self, name: str) -> list[Any]:
        return _NO_BLOCK

    def setdefault(self, name: str, default: Any = None) -> list[Any]:
        return self.real.setdefault(name, [])


_NO_BLOCK = [lambda context: iter(())]
