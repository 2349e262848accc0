"""Babel-backed Jinja2 filters: money, numbers, dates and lists as the customer's locale writes.

Every filter is a thin call into Babel with the customer's full locale (``da_DK``), so its output
is exactly what Babel returns. Values may come from JSON or CSV, so numbers are also accepted as
strings (``"1234.5"``) and dates as ISO 8601 strings (``"2025-03-01"``,
``"2025-03-01T09:30:00Z"``). Date and time filters use the customer's time zone, read from the
``timezone`` field of the customer data (default UTC).

``{{ amount|currency }}`` uses the currency of the customer's territory; ``list`` replaces
Jinja's built-in ``list`` filter with a locale-aware "A, B og C".
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, cast
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, dates, lists, numbers
from jinja2 import Undefined, pass_context
from jinja2.runtime import Context

Number = int | float | Decimal
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class FilterValueError(ValueError):
    """A value a formatting filter cannot format (the message names the filter and value)."""


class NotText(FilterValueError):
    """A template prints a customer value that is no text: ``true``, a list or an object of
    the JSON data would reach the customer as Python writes it ("Hej ['a', 'b'],")."""

    def __init__(self, value: object) -> None:
        self.value = value
        self.kind = (
            "true/false value" if isinstance(value, bool)
            else "JSON object" if isinstance(value, dict) else "list"
        )  # fmt: skip
        super().__init__(f"the value printed here is a {self.kind} ({self.preview}), not text")

    @property
    def preview(self) -> str:
        """The value as the JSON data writes it, shortened."""
        import json

        try:
            text = json.dumps(self.value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(self.value)
        return text if len(text) <= 40 else text[:37] + "..."


#: What a printed ``{{ value }}`` may not be (exact types: a str or number subclass is text).
_NOT_TEXT = frozenset({bool, list, dict, tuple, set, frozenset})


class ScriptValue(FilterValueError):
    """A printed value that is a script URL (see :func:`toolkit.render.links.is_script_value`)."""

    def __init__(self, value: str) -> None:
        shown = value if len(value) <= 60 else value[:57] + "..."
        super().__init__(
            f"refused link {shown!r}: script and data URLs never reach a customer, in a link "
            "or as text"
        )


def printable(value: object) -> object:
    """The environments' ``finalize``: every ``{{ ... }}`` output passes through it. A value
    that is no text (a JSON true/false, list or object) or a script URL (a customer's
    ``short_url`` of ``javascript:...``, nested data included) fails the message."""
    kind = type(value)
    if kind in _NOT_TEXT:
        raise NotText(value)
    if kind is str:
        text = cast(str, value)
        if ":" in text and not text.startswith("https://"):
            from .links import is_script_value

            if is_script_value(text):
                raise ScriptValue(text)
    return value


_NAMED = re.compile(r"%\((\w+)\)")
_NAMES_OF: dict[str, tuple[str, ...]] = {}


def printable_values(text: str, variables: dict[str, object]) -> None:
    """:func:`printable` for the values a gettext call formats into ``text`` (only those its
    ``%(name)s`` placeholders use: a flag passed along and never printed is fine)."""
    names = _NAMES_OF.get(text)
    if names is None:
        names = tuple(dict.fromkeys(_NAMED.findall(text)))
        if len(_NAMES_OF) < 65536:
            _NAMES_OF[text] = names
    for name in names:
        value = variables.get(name)
        kind = type(value)
        if (kind is str and ":" in value) or kind in _NOT_TEXT:  # type: ignore[operator]
            printable(value)  # (most values: a name or a number, nothing to look at)


class FilterPatternError(FilterValueError):
    """A filter argument the template gives that cannot work (a date pattern for a time)."""


def defined(value: Any) -> Any:
    """``value``, or the undefined-variable error when a template passed a missing field."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return value


def to_number(value: Any, filter_name: str = "number") -> Number:
    """A number from a number or a plain numeric string (``"1234.5"``; no locale separators).

    >>> to_number("1234.50"), to_number(3)
    (Decimal('1234.50'), 3)
    """
    defined(value)
    if isinstance(value, bool):
        raise FilterValueError(f"{filter_name}: {value!r} is not a number")
    if isinstance(value, (int, float, Decimal)):
        return _in_range(value, filter_name)
    if isinstance(value, str) and len(value) <= MAX_NUMBER_CHARS and _NUMBER.match(value.strip()):
        try:
            return _in_range(Decimal(value.strip()), filter_name)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
            pass
    shown = value if not isinstance(value, str) or len(value) <= 40 else value[:40] + "..."
    raise FilterValueError(
        f"{filter_name}: {shown!r} is not a number (write it as 1234.5, without separators)"
    )


def _shown_decimals(format: str | None, default: int) -> int:
    """The decimals a number pattern shows at most (``"#,##0.00"``: 2)."""
    if format is None:
        return default
    try:
        return int(numbers.parse_pattern(format).frac_prec[1])
    except Exception:  # noqa: BLE001 - Babel's own call then says what is wrong with it
        return default


def unsigned_zero(value: Number, digits: int) -> Number:
    """0 for a value that shows as zero with ``digits`` decimals: Babel keeps the sign of
    -0.0, ``Decimal("-0")`` and -0.001, and a customer read "-0,00 kr."; the sign of a zero
    also made the cache of formatted amounts (where 0 == -0.0) answer for the other.

    >>> unsigned_zero(-0.0, 2), unsigned_zero(Decimal("-0.005"), 2), unsigned_zero(-0.006, 2)
    (0, 0, -0.006)
    """
    if value > 0 or (value < 0 and value <= -1):
        return value
    exact = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return 0 if round(exact, digits) == 0 else value


#: Largest magnitude a formatting filter shows (a quadrillion): beyond it a value is a data
#: error, not an amount, and Babel would spell out hundreds of digits.
MAX_MAGNITUDE = Decimal(10) ** 15
#: Longest numeric string accepted ("1e999999999" must not become a billion-digit string).
MAX_NUMBER_CHARS = 64


def _in_range(value: Number, filter_name: str) -> Number:
    """``value`` when finite and within :data:`MAX_MAGNITUDE`; NaN, infinities and absurd
    magnitudes are refused so "NaN,00 kr." or "∞ kr." never reach a customer.

    >>> _in_range(12.5, "currency")
    12.5
    >>> _in_range(float("nan"), "currency")
    Traceback (most recent call last):
    ...
    toolkit.render.filters.FilterValueError: currency: nan is not a finite number
    """
    if isinstance(value, int):
        if abs(value) > MAX_MAGNITUDE:
            raise FilterValueError(f"{filter_name}: number out of range (over 10^15)")
        return value
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite:
        raise FilterValueError(f"{filter_name}: {value!r} is not a finite number")
    too_big = (
        value.adjusted() > 15 or abs(value) > MAX_MAGNITUDE
        if isinstance(value, Decimal)
        else abs(value) > MAX_MAGNITUDE
    )
    if too_big:
        raise FilterValueError(f"{filter_name}: {value!r} is out of range (over 10^15)")
    return value


@functools.lru_cache(maxsize=512)
def time_zone(name: str) -> dt.tzinfo:
    """The ``zoneinfo`` time zone called ``name`` (``Europe/Copenhagen``)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise FilterValueError(
            f"unknown time zone {name!r} (use an IANA name such as 'Europe/Copenhagen')"
        ) from exc


def to_datetime(value: Any, tz: dt.tzinfo, filter_name: str) -> dt.datetime:
    """An aware datetime in ``tz``; naive values and strings are read as UTC, dates as midnight
    in ``tz``."""
    defined(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                value = dt.date.fromisoformat(text)
            else:
                value = dt.datetime.fromisoformat(text)
        except ValueError as exc:
            raise FilterValueError(
                f"{filter_name}: {value!r} is not an ISO 8601 date or date-time"
            ) from exc
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(tz)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=tz)
    raise FilterValueError(f"{filter_name}: {value!r} is not a date or date-time")


def to_date(value: Any, tz: dt.tzinfo, filter_name: str = "date") -> dt.date:
    """A calendar date; date-times are converted to ``tz`` first."""
    defined(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:
            raise FilterValueError(f"{filter_name}: {value!r} is not an ISO 8601 date") from exc
    return to_datetime(value, tz, filter_name).date()


def to_timedelta(value: Any) -> dt.timedelta:
    """A duration from a timedelta or a number of seconds."""
    if isinstance(value, dt.timedelta):
        return value
    return dt.timedelta(seconds=float(to_number(value, "timedelta")))


@functools.lru_cache(maxsize=256)
def _no_currency(locale_id: str, territory: str | None) -> str:
    """Why a locale gives no currency, with an example of the data that would give one: a
    country where the language is spoken (``es_419``: MX, MXN; ``en_150``: GB, GBP)."""
    explicit = "_" in locale_id and territory is not None and locale_id.endswith(territory)
    if territory and territory.isdigit():  # es_419: a region (Latin America); eo: the world
        which = "names" if explicit else "is spoken in"
        where = f"{locale_id} {which} a region ({territory}), not a country with a currency"
    elif territory:
        where = f"country {territory} has no currency of its own"
    else:
        where = f"locale {locale_id} has no territory"
    language = locale_id.split("_")[0].split("@")[0]
    example = _SPOKEN_IN.get(language) or _likely_territory(language)
    if not example or example.isdigit() or not territory_currency(example):
        example = "DE"
    return (
        f"currency: {where}; give the customer's 'country' or 'currency' in the data "
        f"(country: {example}, currency: {territory_currency(example)}), or name the currency "
        "in the template (amount|currency('EUR'))"
    )


#: Examples for languages whose likely territory is not the country most customers of a
#: region locale live in (es_419: Mexico, not Spain; en_150: the United Kingdom).
_SPOKEN_IN = {"es": "MX", "en": "GB", "ar": "SA", "pt": "BR", "fr": "FR"}


def _likely_territory(language: str) -> str | None:
    from ..errors import LocaleError
    from ..locales import territory_for_locale

    try:
        return territory_for_locale(language)
    except LocaleError:
        return None


def territory_currency(territory: str | None) -> str | None:
    """The currency a territory uses today (``DK`` -> ``DKK``, ``LT`` -> ``EUR``)."""
    if not territory:
        return None
    found = numbers.get_territory_currencies(territory, dt.date.today(), tender=True)
    return found[0] if found else None


def _customer_tz(context: Context) -> dt.tzinfo:
    name = context.get("timezone")
    return time_zone(str(name)) if name else dt.UTC


class CurrencyPlan:
    """Babel's ``format_currency`` for one locale, currency and pattern, with what does not
    depend on the amount looked up once: the pattern with the currency's digits set in it,
    the symbol. Babel looks all of it up on every call, and also the currency's plural name
    (for a ``¤¤¤`` the usual patterns do not have): ~40 % of a call. The text is the same:
    the pattern's own ``apply`` formats the number; only the ``¤`` marks are put in after
    its quote handling instead of before, so plans are made only where neither the marks'
    texts nor the pattern's affixes hold a quote (see :func:`currency_plan`)."""

    __slots__ = ("code", "locale", "pattern", "symbol")

    def __init__(
        self, pattern: numbers.NumberPattern, locale: Locale, code: str, symbol: str
    ) -> None:
        self.pattern, self.locale, self.code, self.symbol = pattern, locale, code, symbol

    def format(self, amount: Number) -> str:
        text = self.pattern.apply(amount, self.locale)
        return text.replace("¤¤", self.code).replace("¤", self.symbol) if "¤" in text else text


@functools.lru_cache(maxsize=1024)
def currency_plan(
    locale: Locale, code: str, format: str | None, format_type: str
) -> CurrencyPlan | None:
    """A :class:`CurrencyPlan`, or None where only ``format_currency`` itself is sure to
    write the same: long names, scientific and significant-digit patterns, quotes, ``¤¤¤``,
    anything Babel refuses (its own call then raises its own error), or a plan whose text
    differs from Babel's on probe amounts (another Babel version)."""
    import copy

    try:
        if format_type == "name":
            return None
        base = numbers.parse_pattern(format) if format else locale.currency_formats[format_type]
        affixes = "".join(base.prefix + base.suffix)
        symbol = numbers.get_currency_symbol(code, locale)
        if (
            base.exp_prec
            or "@" in base.pattern
            or not base.number_pattern
            or "¤¤¤" in affixes
            or "'" in affixes + symbol + code
        ):
            return None
        pattern = copy.copy(base)
        pattern.frac_prec = (numbers.get_currency_precision(code),) * 2
        plan = CurrencyPlan(pattern, locale, code.upper(), symbol)
        for probe in (Decimal("-1234567.8915"), Decimal("0.005"), 3, 1e9):
            wanted = numbers.format_currency(
                probe, code, format, locale=locale, format_type=format_type  # type: ignore[arg-type]
            )
            if plan.format(probe) != wanted:
                return None
    except Exception:  # noqa: BLE001 - Babel decides (and words the error) on its own path
        return None
    return plan


#: Entries of each locale's cache of formatted amounts and of formatted dates.
CURRENCY_CACHE = 2048
DATE_CACHE = 1024


@functools.lru_cache(maxsize=256)
def locale_filters(
    locale_id: str, territory: str | None, currency_code: str | None = None
) -> dict[str, Callable[..., Any]]:
    """The filters for one locale, built once and shared by every message in that locale;
    ``|currency`` without a code uses ``currency_code``, else the territory's currency."""
    locale = Locale.parse(locale_id)
    default_currency = currency_code or territory_currency(territory)

    # Formatting results are cached per locale: a batch formats the same amounts, dates and
    # method lists over and over (often several times in one message), and Babel resolves its
    # patterns and symbols anew on every call. The caches are small on purpose: amounts are
    # mostly one per customer, so a large cache only fills with values never asked again
    # (8,192 amounts per locale were ~3 MB each, the growth of render-batch's peak memory
    # from 10,000 to 100,000 customers); the repeats within a message and the common values
    # (prices, due dates) stay in the last few hundred.
    @functools.lru_cache(maxsize=CURRENCY_CACHE)
    def _currency(value: Any, code: str, format: str | None, format_type: str) -> str:
        amount = to_number(value, "currency")
        if format is None:
            amount = unsigned_zero(amount, numbers.get_currency_precision(code))
        plan = currency_plan(locale, code, format, format_type)
        if plan is None:
            return numbers.format_currency(
                amount, code, format, locale=locale,
                format_type=format_type,  # type: ignore[arg-type]
            )  # fmt: skip
        return plan.format(amount)

    @functools.lru_cache(maxsize=DATE_CACHE)
    def _date(value: dt.date | str, format: str) -> str:
        day = to_date(value, dt.UTC)  # only dates and 10-character ISO dates come here
        return dates.format_date(day, format, locale=locale)

    @functools.lru_cache(maxsize=1024)
    def _list(values: tuple[str, ...], style: str) -> str:
        return lists.format_list(list(values), style, locale=locale)  # type: ignore[arg-type]

    def currency(
        value: Any,
        code: str | None = None,
        format: str | None = None,
        format_type: str = "standard",
    ) -> str:
        """``{{ 1234.5|currency }}`` -> ``1.234,50 kr.`` (da_DK); ``currency("EUR")``."""
        code = code or default_currency
        if not code:
            raise FilterValueError(_no_currency(locale_id, territory))
        if isinstance(defined(value), (str, int, float, Decimal)) and not isinstance(value, bool):
            return _currency(value, str(code).upper(), format, format_type)
        return _currency(to_number(value, "currency"), str(code).upper(), format, format_type)

    def number(value: Any, format: str | None = None) -> str:
        """``{{ 1234.5|number }}`` -> ``1.234,5`` (da_DK)."""
        amount = to_number(value, "number")
        amount = unsigned_zero(amount, _shown_decimals(format, 3))  # default: up to 3
        return numbers.format_decimal(amount, format, locale=locale)

    def percent(value: Any, format: str | None = None) -> str:
        """``{{ 0.25|percent }}`` -> ``25 %`` (da_DK)."""
        share = to_number(value, "percent")
        if format is None:  # whole percents
            share = unsigned_zero(share, 2)
        return numbers.format_percent(share, format, locale=locale)

    @pass_context
    def date(context: Context, value: Any, format: str = "medium") -> str:
        """``{{ d|date }}`` (medium), ``{{ d|date("long") }}`` or a CLDR pattern."""
        if isinstance(value, str) and len(value) == 10 or (
            isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        ):
            return _date(value, format)  # a calendar date: no time zone involved
        return _date(to_date(value, _customer_tz(context)), format)

    @pass_context
    def datetime(context: Context, value: Any, format: str = "medium") -> str:
        """Date and time in the customer's time zone."""
        tz = _customer_tz(context)
        return dates.format_datetime(
            to_datetime(value, tz, "datetime"), format, tzinfo=tz, locale=locale
        )

    @pass_context
    def time(context: Context, value: Any, format: str = "short") -> str:
        """Time of day in the customer's time zone (``short``: ``09.30`` in da)."""
        tz = _customer_tz(context)
        try:
            return dates.format_time(
                to_datetime(value, tz, "time"), format, tzinfo=tz, locale=locale
            )
        except AttributeError:  # Babel formats a time of day: a date field has nothing to show
            raise FilterPatternError(
                f"time: pattern {format!r} asks for a date (weekday, day, month...), which a "
                "time of day does not have; use |datetime(pattern)"
            ) from None

    def timedelta(
        value: Any,
        granularity: str = "second",
        threshold: float = 0.85,
        add_direction: bool = False,
        format: str = "long",
    ) -> str:
        """``{{ 7200|timedelta }}`` -> ``2 timer`` (da)."""
        return dates.format_timedelta(
            to_timedelta(value), granularity,  # type: ignore[arg-type]
            threshold=threshold, add_direction=add_direction,
            format=format, locale=locale,  # type: ignore[arg-type]
        )

    def list_(values: Any, style: str = "standard") -> str:
        """``{{ ["A", "B", "C"]|list }}`` -> ``A, B og C`` (da)."""
        if isinstance(defined(values), str):
            return values
        if not isinstance(values, Iterable):
            raise FilterValueError(f"list: {values!r} is not a list")
        return _list(tuple(str(v) for v in values), style)

    def plural(value: Any) -> str:
        """The CLDR plural category of a number: ``one``, ``few``, ``many``, ``other``..."""
        return str(locale.plural_form(to_number(value, "plural")))

    currency.cache_info = _currency.cache_info  # type: ignore[attr-defined]  # bounded: tests
    date.cache_info = _date.cache_info  # type: ignore[attr-defined]
    return {
        "currency": currency,
        "number": number,
        "percent": percent,
        "date": date,
        "datetime": datetime,
        "time": time,
        "timedelta": timedelta,
        "list": list_,
        "plural": plural,
    }
