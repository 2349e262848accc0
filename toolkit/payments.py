"""Regional payment methods: the ways to pay a customer's country uses, in local order.

The data lives in ``toolkit/data/payments.json`` (fields, sources and as-of dates are described
in ``docs/payments.md``). It is loaded once and validated on load: a broken file is a bug and
fails with the JSON path of the bad value. A project can add or replace methods and markets with
a small overrides file of the same shape (:func:`payment_data`).

Only active methods are ever offered; discontinued ones (giropay, SOFORT, Payconiq) stay in the
data with their dates so that nobody adds them back by mistake.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from .errors import ConfigError, InputError
from .locales import territory_for_locale as territory_for_locale  # public here too
from .payment_texts import MESSAGE_CONTEXT, PaymentMessage, method_messages

#: The kinds a method can have (the issue's vocabulary).
KINDS = ("card", "wallet", "bank_transfer", "bnpl", "direct_debit", "cash_voucher")

#: The reference note's kinds and the kind each maps to.
REFERENCE_KINDS = {
    "card": "card",
    "wallet": "wallet",
    "redirect": "bank_transfer",
    "a2a_rt": "bank_transfer",
    "bank_transfer": "bank_transfer",
    "direct_debit": "direct_debit",
    "bnpl": "bnpl",
    "voucher": "cash_voucher",
}

#: Recurring support as the data states it, and the ``PaymentMethod.recurring`` value.
RECURRING: dict[str, bool | None] = {
    "yes": True,
    "no": False,
    "via_sepa_dd": None,
    "psp_dependent": None,
    "unknown": None,
}

#: The ``recurring`` values a subscription (renewal, failed-payment retry) may use: the method
#: can be charged again, possibly through the payment provider or a SEPA mandate. ``no`` and
#: ``unknown`` are left out everywhere (docs/library.md, failed_payment.j2).
SUBSCRIPTION_RECURRING = ("yes", "psp_dependent", "via_sepa_dd")

#: ``brand``: the name is a brand and is never translated (and protected during MT);
#: ``generic``: the name describes the method ("Online banking") and is a translatable message.
NAME_KINDS = ("brand", "generic")

STATUSES = ("active", "discontinued")
ANY_CURRENCY = "any"

_PACKAGE_FILE = "toolkit/data/payments.json"
_METHOD_KEYS = {
    "name": str,
    "kind": str,
    "reference_kind": str,
    "recurring": str,
    "currencies": (str, list),
    "description": str,
    "status": str,
    "note": str,
    "source": str,
    "as_of": str,
}
_METHOD_OPTIONAL = {
    "brand_of": str,
    "discontinued_on": str,
    "replaced_by": list,
    "name_kind": str,
}
_MARKET_KEYS = {"currency": str, "methods": list, "note": str}
_MARKET_OPTIONAL = {"retired": list, "upcoming": list, "order_source": str}
_TOP_KEYS = {
    "schema": int,
    "as_of": str,
    "reference": str,
    "fallback": dict,
    "methods": dict,
    "markets": dict,
}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TERRITORY = re.compile(r"^(?:[A-Z]{2}|[0-9]{3})$")


#: ISO 4217 codes that are no money an order is paid in: precious metals, fund units, the
#: testing and "no currency" codes (XOF, XAF, XCD, XPF are currencies and stay).
NOT_MONEY = frozenset({"XAU", "XAG", "XPD", "XPT", "XDR", "XBA", "XBB", "XBC", "XBD", "XSU",
                        "XUA", "XTS", "XXX"})  # fmt: skip


@dataclass(frozen=True)
class PaymentMethod:
    """A way to pay, as offered to a customer.

    ``recurring`` is True when the method can be charged again without the customer present,
    False when it cannot, None when that depends on the payment provider or is unknown.
    ``currencies`` is empty for methods that take any currency (international card schemes).
    """

    id: str
    name: str
    kind: str
    recurring: bool | None
    currencies: tuple[str, ...]
    description: str
    note: str
    source: str
    as_of: str
    #: The data's own value: yes, no, via_sepa_dd, psp_dependent or unknown.
    recurring_detail: str = "unknown"
    #: ``brand`` (never translated) or ``generic`` (a translatable name).
    name_kind: str = "brand"

    def __str__(self) -> str:
        """The name, as a customer reads it: ``{{ payment_methods|first }}`` printed the
        record with its internal notes and sources."""
        return self.name

    @property
    def for_subscriptions(self) -> bool:
        """Whether a subscription may be moved to this method (``recurring`` yes, PSP-dependent
        or via a SEPA mandate); ``no`` and ``unknown`` are never offered for renewals."""
        return self.recurring_detail in SUBSCRIPTION_RECURRING

    @property
    def context(self) -> str:
        """The msgctxt of this method's translatable messages."""
        return MESSAGE_CONTEXT.format(id=self.id)

    @property
    def any_currency(self) -> bool:
        """True for methods not tied to particular currencies."""
        return not self.currencies

    def accepts(self, currency: str) -> bool:
        """Whether the method can be used to pay in ``currency``."""
        return self.any_currency or currency.upper() in self.currencies

    def as_dict(self) -> dict[str, Any]:
        """The fields as plain JSON-ready values."""
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "recurring": self.recurring,
            "currencies": list(self.currencies),
            "description": self.description,
            "note": self.note,
            "source": self.source,
            "as_of": self.as_of,
        }


@dataclass(frozen=True)
class MethodRecord:
    """A method's full entry in the data, active or not."""

    method: PaymentMethod
    status: str
    recurring_detail: str
    reference_kind: str
    brand_of: str | None = None
    discontinued_on: str | None = None
    replaced_by: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class Market:
    """One territory: its currency and its method ids ordered by local preference."""

    territory: str
    currency: str
    methods: tuple[str, ...]
    retired: tuple[str, ...]
    upcoming: tuple[str, ...]
    note: str
    order_source: str | None = None  # the cited usage share the order follows, when one exists


@dataclass(frozen=True, eq=False)
class PaymentData:
    """The validated payment data (package data plus any overrides)."""

    as_of: str
    methods: dict[str, MethodRecord]
    markets: dict[str, Market]
    fallback: tuple[str, ...]
    fallback_note: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class PaymentOffer:
    """The methods offered for a locale, with how the territory was found."""

    locale: str
    territory: str | None
    methods: list[PaymentMethod]
    fallback: bool
    as_of: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "locale": self.locale,
            "territory": self.territory,
            "fallback": self.fallback,
            "as_of": self.as_of,
            "methods": [m.as_dict() for m in self.methods],
        }


# --- public API ------------------------------------------------------------------------------


def payment_methods(
    territory: str, *, recurring_only: bool = False, data: PaymentData | None = None
) -> list[PaymentMethod]:
    """Active methods of a territory (ISO 3166 code), most used locally first.

    A known territory without data gets the fallback: international card schemes and PayPal.
    ``recurring_only`` keeps the methods whose ``recurring`` is True.

    >>> [m.id for m in payment_methods("no")][:2]
    ['vipps', 'card_visa']
    """
    return _offer(_territory(territory), recurring_only, data or payment_data())[0]


def payment_methods_for_locale(
    locale: str, *, recurring_only: bool = False, data: PaymentData | None = None
) -> list[PaymentMethod]:
    """Active methods of a locale's territory (``nb_NO`` -> NO, ``da`` -> DK).

    >>> payment_methods_for_locale("da")[0].name
    'Dankort'
    """
    return payment_offer(locale, recurring_only=recurring_only, data=data).methods


def payment_offer(
    locale: str, *, recurring_only: bool = False, data: PaymentData | None = None
) -> PaymentOffer:
    """The methods for a locale with the territory used and whether the fallback applied."""
    if data is None:
        # Rendering asks once per message: answer repeated locales from a cache (copies, as
        # callers may change the list).
        name, territory, methods, fallback = _cached_offer(locale, recurring_only)
        return PaymentOffer(name, territory, list(methods), fallback, payment_data().as_of)
    return _build_offer(locale, recurring_only, data)


def _build_offer(locale: str, recurring_only: bool, data: PaymentData) -> PaymentOffer:
    from .locales import locale_id

    territory = territory_for_locale(locale)
    methods, fallback = _offer(territory, recurring_only, data)
    return PaymentOffer(locale_id(locale), territory, methods, fallback, data.as_of)


@functools.lru_cache(maxsize=1024)
def _cached_offer(
    locale: str, recurring_only: bool
) -> tuple[str, str | None, tuple[PaymentMethod, ...], bool]:
    offer = _build_offer(locale, recurring_only, payment_data())
    return offer.locale, offer.territory, tuple(offer.methods), offer.fallback


def all_description_messages(data: PaymentData | None = None) -> list[str]:
    """Every English description of an active method, once each (for the POT)."""
    data = data or payment_data()
    return list(dict.fromkeys(r.method.description for r in data.methods.values() if r.active))


def served_methods(
    territories: Iterable[str], data: PaymentData | None = None
) -> list[PaymentMethod]:
    """The active methods offered in any of ``territories`` (ISO codes), in market order.

    A territory without market data is offered the fallback methods, so they count as served.
    """
    data = data or payment_data()
    ids: dict[str, None] = {}
    for territory in territories:
        market = data.markets.get(territory.upper())
        ids.update(dict.fromkeys(market.methods if market else data.fallback))
    return [data.methods[i].method for i in ids if data.methods[i].active]


def payment_messages(
    territories: Iterable[str], data: PaymentData | None = None
) -> list[PaymentMessage]:
    """The names (generic ones only) and descriptions of the methods served in
    ``territories``, each with the method's msgctxt, for the POT.

    >>> [(m.context, m.text) for m in payment_messages(["LT"])][0]
    ('payment method: banklink_lt', 'Online banking')
    """
    messages = []
    for method in served_methods(territories, data):
        messages += method_messages(
            method.id, method.name, method.kind, method.name_kind, method.description
        )
    return messages


def brand_names(data: PaymentData | None = None) -> list[str]:
    """Every active method's name that is a brand (never translated), longest first."""
    data = data or payment_data()
    names = {
        r.method.name for r in data.methods.values() if r.active and r.method.name_kind == "brand"
    }
    return sorted(names, key=lambda n: (-len(n), n))


def translate_method(method: PaymentMethod, pgettext: Callable[[str, str], str]) -> PaymentMethod:
    """``method`` with its generic name and its description translated by ``pgettext``."""
    name = pgettext(method.context, method.name) if method.name_kind == "generic" else method.name
    description = pgettext(method.context, method.description)
    return dataclasses.replace(method, name=name, description=description)


def method_record(method_id: str, data: PaymentData | None = None) -> MethodRecord:
    """The full entry of a method, active or discontinued."""
    data = data or payment_data()
    try:
        return data.methods[method_id]
    except KeyError:
        raise InputError(
            f"Unknown payment method '{method_id}'.",
            hint=f"Known methods: {', '.join(sorted(data.methods))}.",
        ) from None


def payment_data(overrides: Path | str | None = None) -> PaymentData:
    """The toolkit's payment data, merged with a project's overrides file when given.

    The overrides file has the package file's shape with only ``methods``, ``markets`` and
    ``fallback``; each entry given replaces the package entry of that id whole.
    """
    if overrides is None:
        return _package_data()
    path = Path(overrides).resolve()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise ConfigError(
            f"{overrides}: cannot read the payment overrides file: {exc.strerror}.",
            hint="Check the path, or leave the overrides out to use the built-in data.",
        ) from exc
    return _merged_data(str(path), stamp)


# --- loading and validation --------------------------------------------------------------


@functools.cache
def _package_data() -> PaymentData:
    text = resources.files("toolkit").joinpath("data/payments.json").read_text(encoding="utf-8")
    raw = _parse_json(text, _PACKAGE_FILE)
    return _build(raw, _PACKAGE_FILE, package=True)


@functools.cache
def _merged_data(path: str, stamp: int) -> PaymentData:
    del stamp  # part of the cache key only: an edited file is read again
    _package_data()  # errors in the package data are reported as such, not as the project's
    text = resources.files("toolkit").joinpath("data/payments.json").read_text(encoding="utf-8")
    raw = _parse_json(text, _PACKAGE_FILE)
    from .fsutil import read_regular_file

    try:
        # a device (/dev/zero) was read until the machine ran out of memory, a FIFO hung
        data = read_regular_file(Path(path), OVERRIDES_MAX_BYTES)
        if len(data) > OVERRIDES_MAX_BYTES:
            raise ConfigError(
                f"{path}: the payment overrides file is larger than "
                f"{OVERRIDES_MAX_BYTES // 1_048_576} MiB.",
                hint="Give only the methods and markets it changes.",
            )
        extra_text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise ConfigError(
            f"{path}: cannot read the payment overrides file: {why}.",
            hint="Give a UTF-8 JSON file.",
        ) from exc
    try:
        extra = _parse_json(extra_text, path)
    except RecursionError:
        raise ConfigError(
            f"{path}: the payment overrides file is nested too deeply to read.",
            hint="Give the methods and markets as docs/payments.md shows them.",
        ) from None
    check = _Checker(path, package=False)
    allowed = {"schema", "methods", "markets", "fallback"}
    check.keys(extra, "", {k: _TOP_KEYS[k] for k in allowed}, required=set())
    for section in ("methods", "markets"):
        for key, value in extra.get(section, {}).items():
            raw[section][key] = value
    if "fallback" in extra:
        raw["fallback"] = extra["fallback"]
    return _build(raw, path, package=False, files=(_PACKAGE_FILE, path))


#: The largest payment overrides file read (the package's own data is ~60 KB).
OVERRIDES_MAX_BYTES = 1_048_576


def _parse_json(text: str, where: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{where}:{exc.lineno}: invalid JSON: {exc.msg}.",
            hint="Fix the syntax at that line.",
        ) from exc
    if not isinstance(value, dict):
        _Checker(where, package=where == _PACKAGE_FILE).fail("", "must be a JSON object")
    return value


class _Checker:
    """Raises clear errors naming the file and the JSON path of a bad value."""

    def __init__(self, file: str, *, package: bool) -> None:
        self.file = file
        self.package = package

    def fail(self, where: str, problem: str) -> NoReturn:
        hint = (
            "The toolkit's own payment data is broken: this is a bug, please report it."
            if self.package
            else "Fix the entry; docs/payments.md lists the fields and their values."
        )
        place = f" {where}:" if where else ""
        raise ConfigError(f"{self.file}:{place} {problem}.", hint=hint)

    def keys(
        self,
        obj: Any,
        where: str,
        spec: dict[str, Any],
        *,
        required: set[str],
        optional: dict[str, Any] | None = None,
    ) -> None:
        if not isinstance(obj, dict):
            self.fail(where, "must be a JSON object")
        known = {**spec, **(optional or {})}
        for key, value in obj.items():
            if key not in known:
                close = difflib.get_close_matches(key, list(known), n=1)
                guess = f" (did you mean '{close[0]}'?)" if close else ""
                self.fail(_join(where, key), f"unknown field{guess}")
            if not isinstance(value, known[key]) or isinstance(value, bool):
                self.fail(_join(where, key), f"has the wrong type ({type(value).__name__})")
        missing = sorted(required - set(obj))
        if missing:
            self.fail(where, f"missing field(s) {', '.join(missing)}")

    def choice(self, value: str, where: str, allowed: Any) -> None:
        if value not in allowed:
            self.fail(where, f"'{value}' is not one of {', '.join(allowed)}")

    def iso_date(self, value: str, where: str) -> None:
        try:
            date.fromisoformat(value)
        except ValueError:
            self.fail(where, f"'{value}' is not a date (YYYY-MM-DD)")

    def ids(self, value: list[Any], where: str, methods: dict[str, Any]) -> tuple[str, ...]:
        for index, item in enumerate(value):
            if not isinstance(item, str) or item not in methods:
                self.fail(f"{where}[{index}]", f"unknown method id {item!r}")
        if len(set(value)) != len(value):
            self.fail(where, "lists a method twice")
        return tuple(value)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _build(
    raw: dict[str, Any], file: str, *, package: bool, files: tuple[str, ...] | None = None
) -> PaymentData:
    check = _Checker(file, package=package)
    check.keys(raw, "", _TOP_KEYS, required=set(_TOP_KEYS))
    if raw["schema"] != 1:
        check.fail("schema", f"version {raw['schema']} is not supported (expected 1)")
    check.iso_date(raw["as_of"], "as_of")
    methods = {
        method_id: _method(method_id, entry, check) for method_id, entry in raw["methods"].items()
    }
    for method_id, record in methods.items():
        check.ids(list(record.replaced_by), f"methods.{method_id}.replaced_by", methods)
    markets = {
        territory: _market(territory, entry, check, methods)
        for territory, entry in raw["markets"].items()
    }
    check.keys(
        raw["fallback"], "fallback", {"methods": list, "note": str}, required={"methods", "note"}
    )
    fallback = check.ids(raw["fallback"]["methods"], "fallback.methods", methods)
    _all_active(fallback, "fallback.methods", check, methods)
    return PaymentData(
        as_of=raw["as_of"],
        methods=methods,
        markets=markets,
        fallback=fallback,
        fallback_note=raw["fallback"]["note"],
        files=files or (file,),
    )


def _method(method_id: str, entry: Any, check: _Checker) -> MethodRecord:
    where = f"methods.{method_id}"
    if not _ID.match(method_id):
        check.fail(where, "a method id is lower-case letters, digits and '_'")
    check.keys(entry, where, _METHOD_KEYS, required=set(_METHOD_KEYS), optional=_METHOD_OPTIONAL)
    check.choice(entry["kind"], f"{where}.kind", KINDS)
    check.choice(entry["reference_kind"], f"{where}.reference_kind", REFERENCE_KINDS)
    if REFERENCE_KINDS[entry["reference_kind"]] != entry["kind"]:
        check.fail(
            f"{where}.kind",
            f"reference kind '{entry['reference_kind']}' maps to "
            f"'{REFERENCE_KINDS[entry['reference_kind']]}', not '{entry['kind']}'",
        )
    check.choice(entry["recurring"], f"{where}.recurring", RECURRING)
    check.choice(entry["status"], f"{where}.status", STATUSES)
    check.choice(entry.get("name_kind", "brand"), f"{where}.name_kind", NAME_KINDS)
    check.iso_date(entry["as_of"], f"{where}.as_of")
    currencies = _currencies(entry["currencies"], f"{where}.currencies", check)
    description = entry["description"]
    if not description or not description.endswith(".") or any(c in description for c in "%{}<>\n"):
        check.fail(
            f"{where}.description",
            "must be one plain sentence ending in '.', without %, braces, markup or newlines",
        )
    for key in ("name", "note", "source"):
        if not entry[key].strip():
            check.fail(f"{where}.{key}", "must not be empty")
    discontinued_on = entry.get("discontinued_on")
    if entry["status"] == "discontinued" and not discontinued_on:
        check.fail(f"{where}.discontinued_on", "a discontinued method needs its end date")
    if discontinued_on:
        check.iso_date(discontinued_on, f"{where}.discontinued_on")
    method = PaymentMethod(
        id=method_id,
        name=entry["name"],
        kind=entry["kind"],
        recurring=RECURRING[entry["recurring"]],
        currencies=currencies,
        description=description,
        note=entry["note"],
        source=entry["source"],
        as_of=entry["as_of"],
        recurring_detail=entry["recurring"],
        name_kind=entry.get("name_kind", "brand"),
    )
    return MethodRecord(
        method=method,
        status=entry["status"],
        recurring_detail=entry["recurring"],
        reference_kind=entry["reference_kind"],
        brand_of=entry.get("brand_of"),
        discontinued_on=discontinued_on,
        replaced_by=tuple(entry.get("replaced_by", ())),
    )


def _currencies(value: str | list[Any], where: str, check: _Checker) -> tuple[str, ...]:
    from babel.numbers import list_currencies

    if value == ANY_CURRENCY:
        return ()
    if isinstance(value, str) or not value:
        check.fail(where, f"must be '{ANY_CURRENCY}' or a non-empty list of ISO 4217 codes")
    known = list_currencies()
    for index, code in enumerate(value):
        if not isinstance(code, str) or code not in known:
            check.fail(f"{where}[{index}]", f"{code!r} is not an ISO 4217 currency code")
    return tuple(value)


def _market(
    territory: str, entry: Any, check: _Checker, methods: dict[str, MethodRecord]
) -> Market:
    where = f"markets.{territory}"
    if not _TERRITORY.match(territory):
        check.fail(where, "a market key is an upper-case ISO 3166 code such as 'DK'")
    check.keys(entry, where, _MARKET_KEYS, required=set(_MARKET_KEYS), optional=_MARKET_OPTIONAL)
    currency = entry["currency"]
    _currencies([currency], f"{where}.currency", check)
    offered = check.ids(entry["methods"], f"{where}.methods", methods)
    if not offered:
        check.fail(f"{where}.methods", "must list at least one method")
    _all_active(offered, f"{where}.methods", check, methods)
    for index, method_id in enumerate(offered):
        if not methods[method_id].method.accepts(currency):
            check.fail(
                f"{where}.methods[{index}]",
                f"'{method_id}' does not take the market currency {currency}",
            )
    retired = check.ids(entry.get("retired", []), f"{where}.retired", methods)
    for index, method_id in enumerate(retired):
        if methods[method_id].active:
            check.fail(f"{where}.retired[{index}]", f"'{method_id}' is not discontinued")
    upcoming = check.ids(entry.get("upcoming", []), f"{where}.upcoming", methods)
    return Market(
        territory, currency, offered, retired, upcoming, entry["note"], entry.get("order_source")
    )


def _all_active(
    ids: tuple[str, ...], where: str, check: _Checker, methods: dict[str, MethodRecord]
) -> None:
    for index, method_id in enumerate(ids):
        record = methods[method_id]
        if not record.active:
            check.fail(
                f"{where}[{index}]",
                f"'{method_id}' is {record.status} since {record.discontinued_on} "
                "and is never offered; list it under 'retired'",
            )


# --- offering ------------------------------------------------------------------------------


def country_code(value: str) -> str:
    """``value`` as the code of one country (``dk`` -> ``DK``): two letters CLDR knows as a
    territory, not its "unknown region" ``ZZ`` nor a group of countries (``EU``, ``EZ``,
    ``UN``, ``QO``); InputError otherwise. A customer's ``country`` in render and in the
    retention data is checked with it."""
    code = value.strip().upper()
    if len(code) != 2 or code in _NOT_COUNTRIES:
        raise InputError(f"Unknown country '{value}'.", hint="Use an ISO 3166 country code.")
    return _territory(code)


#: Two-letter CLDR codes that are no one country: unknown, the EU, the eurozone, the UN,
#: outlying Oceania.
_NOT_COUNTRIES = frozenset({"ZZ", "EU", "EZ", "UN", "QO"})


def _territory(value: str) -> str:
    from babel import Locale

    code = value.strip().upper()
    if not _TERRITORY.match(code) or code not in Locale("en").territories:
        raise InputError(
            f"Unknown territory '{value}'.",
            hint="Use an ISO 3166 country code such as 'DK', 'NO' or 'LT'.",
        )
    return code


def _offer(
    territory: str | None, recurring_only: bool, data: PaymentData
) -> tuple[list[PaymentMethod], bool]:
    market = data.markets.get(territory) if territory else None
    ids = market.methods if market else data.fallback
    methods = [data.methods[i].method for i in ids if data.methods[i].active]
    if recurring_only:
        methods = [m for m in methods if m.recurring is True]
    return methods, market is None
