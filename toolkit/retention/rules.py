"""Lifecycle rules: which message a customer gets, read from a TOML file.

::

    cap_days = 7                      # no message if the customer got one in the last 7 days
    [settings]
    point_value = 0.1                 # money value of one point (customer's currency)
    offer_days = 30                   # offer_expiry = as-of date + 30 days
    tiers = ["Silver", "Gold", "Platinum"]
    [tier_thresholds]                 # calendar-year spend that reaches each tier
    DKK = { Silver = 2000, Gold = 5000, Platinum = 10000 }

    [[rules]]
    name = "win-back-offer"
    template = "winback/personal_offer.j2"
    priority = 60                     # higher wins; ties: first in the file
    when = { days_since_last_order = { min = 90 } }
    [rules.data]                      # template variables
    discount = 0.2                    # a literal
    expiry_date = "{offer_expiry}"    # a feature (type kept)
    shop_url = "https://nordlys.example/shop?c={customer_id}"  # text with features
    minimum_spend = { DKK = 300, EUR = 40 }                    # money in the customer's currency

Conditions are ``feature = { min = A, max = B }`` (inclusive, either may be left out) or
``feature = value`` (equal). A customer matches a rule when every condition holds; a missing
value (no order yet, no NPS answer) never matches.
"""

from __future__ import annotations

import difflib
import math
import re
import string
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError

#: Features a rule can test, computed per customer as of the audience date (docs/retention.md).
NUMERIC_FEATURES = (
    "orders_total", "days_since_signup", "days_since_first_order", "days_since_last_order",
    "points", "days_to_points_expiry", "nps_score", "days_since_nps", "spend_this_year",
    "tier_gap", "first_order_amount", "last_order_amount",
)
#: Further values a rule's data can use.
VALUE_FEATURES = (
    "first_order_id", "first_order_date", "last_order_id", "last_order_date", "currency",
    "nps_answered_on", "qualified_tier", "next_tier", "spend_to_next_tier", "tier_deadline",
    "points_value", "first_order_points", "offer_expiry", "as_of",
)
DEFAULT_RULES = "retention_rules.toml"
#: TOML's whole numbers are 64-bit (TOML 1.0: a larger one "must" be an error; tomllib reads it).
WHOLE_RANGE = (-(2**63), 2**63 - 1)
#: cap_days and offer_days: up to 100 years (a date further out is beyond what dates hold).
MAX_DAYS = 36_500
#: Amounts are read as DECIMAL(18,6) (data.AMOUNT_TYPE): below 10**12.
MAX_AMOUNT = 10**12


@dataclass(frozen=True)
class Condition:
    feature: str
    minimum: Any = None
    maximum: Any = None
    equals: Any = None


@dataclass(frozen=True)
class Rule:
    """One lifecycle rule."""

    name: str
    template: str
    priority: int
    conditions: tuple[Condition, ...]
    data: dict[str, Any] = field(default_factory=dict)
    position: int = 0  # order in the file (ties in priority)


@dataclass(frozen=True)
class RuleSet:
    """Rules by priority (highest first) and their settings."""

    rules: tuple[Rule, ...]
    cap_days: int = 7
    point_value: float = 0.0
    points_per_unit: float = 1.0
    offer_days: int = 30
    tiers: tuple[str, ...] = ()
    tier_thresholds: dict[str, dict[str, float]] = field(default_factory=dict)
    source: str = DEFAULT_RULES


def default_rules_text() -> str:
    """The rules the toolkit ships (``toolkit/data/retention_rules.toml``)."""
    return resources.files("toolkit").joinpath("data", DEFAULT_RULES).read_text("utf-8")


#: A rules file is a few kilobytes; anything past this is no rules file.
MAX_RULES_BYTES = 1 << 20


def load_rules(path: Path | None = None, customer_columns: tuple[str, ...] = ()) -> RuleSet:
    """The rules in ``path`` (default: the shipped rules), validated."""
    if path is None:
        return parse_rules(default_rules_text(), DEFAULT_RULES, customer_columns)
    from ..fsutil import read_regular_file

    try:
        data = read_regular_file(path, MAX_RULES_BYTES)  # /dev/zero ran out of memory
        if len(data) > MAX_RULES_BYTES:
            raise ConfigError(
                f"rules file {path} is larger than {MAX_RULES_BYTES:,} bytes.",
                hint="A rules file holds a few dozen rules; check the path.",
            )
        text = data.decode("utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read rules file {path}: {exc.strerror or exc}.",
            hint="Give the path of a TOML rules file (see docs/retention.md).",
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"cannot read rules file {path}: {exc}.",
                          hint="Save it as UTF-8.") from exc  # fmt: skip
    return parse_rules(text, str(path), customer_columns)


def parse_rules(text: str, source: str, customer_columns: tuple[str, ...] = ()) -> RuleSet:
    """Parse and validate rules; errors name the file, the rule and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from ..config import toml_error

        raise toml_error(source, text, exc) from exc
    except RecursionError:  # (arrays nested thousands deep: QA pass 83)
        raise ConfigError(f"{source}: nested too deeply to read.",
                          hint="No rule's value nests; remove the nested value.") from None
    try:
        return _parse_rules(data, text, source, customer_columns)
    except ConfigError as exc:
        raise _at_line(exc, text, source) from None


def _at_line(exc: ConfigError, text: str, source: str) -> ConfigError:
    """An unknown feature's error at the line that names it (``rules.toml:12: rule 3 ...``)."""
    from ..config import line_of_key

    found = re.search(r"unknown feature '([A-Za-z_][A-Za-z0-9_]*)'", exc.message)
    if not exc.message.startswith(f"{source}: ") or found is None:
        return exc
    number = line_of_key(text, found.group(1))
    if number is None:
        return exc
    return ConfigError(f"{source}:{number}: {exc.message[len(source) + 2 :]}", hint=exc.hint)


def _parse_rules(
    data: dict[str, Any], text: str, source: str, customer_columns: tuple[str, ...]
) -> RuleSet:
    _check_numbers(data, text, source)
    unknown = set(data) - {"cap_days", "settings", "tier_thresholds", "rules"}
    if unknown:
        raise ConfigError(f"{source}: unknown key {', '.join(sorted(unknown))}.",
                          hint="Keys: cap_days, settings, tier_thresholds, [[rules]].")
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise ConfigError(f"{source}: settings must be a table ([settings]).")
    cap_days = _days(data.get("cap_days", 7), "cap_days", source)
    offer_days = _days(settings.get("offer_days", 30), "settings.offer_days", source)
    point_value = _amount(settings.get("point_value", 0.0), "settings.point_value", source)
    points_per_unit = _amount(settings.get("points_per_unit", 1.0), "settings.points_per_unit",
                              source)
    tiers = tuple(settings.get("tiers", ()))
    thresholds = data.get("tier_thresholds", {})
    for currency, table in thresholds.items():
        if not isinstance(table, dict) or any(t not in tiers for t in table):
            raise ConfigError(
                f"{source}: tier_thresholds.{currency} must map tiers of settings.tiers "
                f"({', '.join(tiers) or 'none set'}) to amounts."
            )
        for tier, value in table.items():
            if _amount(value, f"tier_thresholds.{currency}.{tier}", source) >= MAX_AMOUNT:
                raise ConfigError(
                    f"{source}: tier_thresholds.{currency}.{tier} must be below {MAX_AMOUNT:,} "
                    f"(the largest amount an order holds), not {value!r}.")
    known = (*NUMERIC_FEATURES, *VALUE_FEATURES, *customer_columns)
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ConfigError(f"{source}: no [[rules]].", hint="See docs/retention.md.")
    rules = [
        _rule(raw, index, source, known, bool(customer_columns))
        for index, raw in enumerate(raw_rules, 1)
    ]
    names = [r.name for r in rules]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ConfigError(f"{source}: rule names must be unique ({', '.join(sorted(duplicates))}).")
    rules.sort(key=lambda r: (-r.priority, r.position))
    return RuleSet(
        rules=tuple(rules),
        cap_days=cap_days,
        point_value=point_value,
        points_per_unit=points_per_unit,
        offer_days=offer_days,
        tiers=tiers,
        tier_thresholds={c: {t: float(v) for t, v in tb.items()} for c, tb in thresholds.items()},
        source=source,
    )


def _rule(raw: Any, index: int, source: str, known: tuple[str, ...], strict: bool) -> Rule:
    where = f"{source}: rule {index}"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: must be a table.")
    name = raw.get("name")
    if isinstance(name, str) and name:
        where = f"{where} ('{name}')"
    for key in ("name", "template"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise ConfigError(f"{where}: '{key}' must be a non-empty string.")
    extra = set(raw) - {"name", "template", "priority", "when", "data"}
    if extra:
        raise ConfigError(f"{where}: unknown key {', '.join(sorted(extra))}.",
                          hint="Keys: name, template, priority, when, data.")
    priority = raw.get("priority", 0)
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise ConfigError(f"{where}: 'priority' must be a whole number.")

    def check_feature(feature: str, what: str) -> None:
        if strict and feature not in known:
            close = difflib.get_close_matches(feature, known, n=1)
            hint = f"Did you mean '{close[0]}'?" if close else "See docs/retention.md."
            raise ConfigError(f"{where}: unknown feature '{feature}' in {what}.", hint=hint)

    conditions = []
    when = raw.get("when", {})
    if not isinstance(when, dict) or not when:
        raise ConfigError(f"{where}: 'when' must hold at least one condition.")
    for feature, test in when.items():
        check_feature(feature, "when")
        if isinstance(test, dict):
            bad = set(test) - {"min", "max"}
            if bad or not test:
                raise ConfigError(f"{where}: when.{feature} takes 'min' and/or 'max'.")
            for bound in test.values():
                if isinstance(bound, bool) or not isinstance(bound, (int, float)):
                    raise ConfigError(f"{where}: when.{feature} bounds must be numbers.")
            if "min" in test and "max" in test and test["min"] > test["max"]:
                # no customer can match it: a typo, not a rule (QA pass 58)
                raise ConfigError(
                    f"{where}: when.{feature} has min {test['min']} above max {test['max']}: "
                    "no customer can match it.",
                    hint="Swap the bounds, or leave one out for no bound.",
                )
            conditions.append(Condition(feature, test.get("min"), test.get("max")))
        elif isinstance(test, (str, int, float)):
            conditions.append(Condition(feature, equals=test))
        else:
            raise ConfigError(f"{where}: when.{feature} must be a value (text, number, true or "
                              "false) or a table of 'min' and/or 'max'.")
    values = raw.get("data", {})
    if not isinstance(values, dict):
        raise ConfigError(f"{where}: 'data' must be a table of template variables.")
    for variable, value in values.items():
        if isinstance(value, str):
            try:
                fields = [f for _, f, _, _ in string.Formatter().parse(value) if f is not None]
            except ValueError as exc:
                raise ConfigError(f"{where}: data.{variable}: {exc}.") from exc
            for feature in fields:
                check_feature(feature, f"data.{variable}")
        elif isinstance(value, dict):
            if not all(isinstance(v, (int, float)) for v in value.values()):
                raise ConfigError(f"{where}: data.{variable}: amounts per currency must be "
                                  "numbers.")
        elif not isinstance(value, (int, float, bool)):
            raise ConfigError(f"{where}: data.{variable} must be text, a number or a table of "
                              "amounts per currency.")
    return Rule(raw["name"], raw["template"], priority, tuple(conditions), dict(values), index)


def _days(value: Any, key: str, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
        raise ConfigError(f"{source}: {key} must be a whole number of days, 0 to {MAX_DAYS:,}, "
                          f"not {value!r}.")
    return value


def _amount(value: Any, key: str, source: str) -> float:
    """A money or points setting: a number, 0 or more (finite: see :func:`_check_numbers`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"{source}: {key} must be a number, 0 or more, not {value!r}.")
    return float(value)


def _check_numbers(data: Any, text: str, source: str) -> None:
    """Refuse the numbers no rule can use, wherever they are: TOML's ``nan``, ``inf`` and
    ``-inf`` (a float beyond +-1.8e308, such as ``1e400``, is read as ``inf``), and whole
    numbers beyond 64 bits (TOML 1.0 makes them an error; Python's reader takes them). They
    would reach DuckDB's SQL as words it does not know, or overflow its types."""

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, (*path, index))
        elif isinstance(value, float) and not math.isfinite(value):
            raise _bad_number(data, text, source, path, value,
                              "is not a finite number (TOML reads nan, inf, and numbers beyond "
                              "+-1.8e308 such as 1e400, as such)",
                              "Write an ordinary number such as 90 or 0.25; leave 'min' or "
                              "'max' out for no bound.")
        elif (isinstance(value, int) and not isinstance(value, bool)
              and not WHOLE_RANGE[0] <= value <= WHOLE_RANGE[1]):
            raise _bad_number(data, text, source, path, value,
                              "is beyond the 64-bit whole numbers TOML allows",
                              "Use a number between -9223372036854775808 and "
                              "9223372036854775807.")

    walk(data, ())


def _bad_number(
    data: Any, text: str, source: str, path: tuple[str | int, ...], value: Any, what: str,
    hint: str,
) -> ConfigError:
    """The error for a number at ``path``: ``file:line: rule 2 ('x'): when.points.min ...``
    (the line is that of the first ``key = <the number>`` in the text, when there is one)."""
    keys = [str(p) for p in path]
    where = ".".join(keys)
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rule = data["rules"][path[1]]
        name = rule.get("name") if isinstance(rule, dict) else None
        where = f"rule {path[1] + 1}" + (f" ('{name}')" if isinstance(name, str) and name
                                         else "") + ": " + ".".join(keys[2:])
    line = _line_of(text, keys[-1] if keys else "", value)
    at = f"{source}:{line}" if line else source
    shown = repr(value) if isinstance(value, float) else str(value)
    return ConfigError(f"{at}: {where} is {shown}: it {what}.", hint=hint)


_NUMBER = re.compile(r"[+-]?(?:nan|inf|[0-9][0-9_]*(?:\.[0-9_]+)?(?:[eE][+-]?[0-9_]+)?)")


def _line_of(text: str, key: str, value: Any) -> int | None:
    """The line of the first ``key = number`` in ``text`` whose number reads as ``value``."""
    quoted = rf"""["']?{re.escape(key)}["']?"""
    pattern = re.compile(rf"(?:^|[\s{{,.]){quoted}\s*=\s*({_NUMBER.pattern})")
    for number, line in enumerate(text.splitlines(), 1):
        for found in pattern.finditer(line):
            try:
                read = tomllib.loads(f"v = {found.group(1)}")["v"]
            except tomllib.TOMLDecodeError:
                continue
            if read == value or (isinstance(read, float) and isinstance(value, float)
                                 and math.isnan(read) and math.isnan(value)):
                return number
    return None


def missing_templates(rules: RuleSet, templates_path: Path) -> list[str]:
    """Templates the rules name that do not exist under ``templates_path``."""
    return [r.template for r in rules.rules if not (templates_path / r.template).is_file()]
