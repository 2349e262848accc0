"""DuckDB SQL text built from names and values: quoting and typed column expressions.

Inputs come as CSV (every column text) or Parquet (typed); these expressions read a column as
the type a computation needs, cheaply when the file already stores it so (a Parquet
``TIMESTAMP`` is used as it is) and with ``TRY_CAST`` otherwise, so that a value that does not
parse becomes NULL and can be reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def literal(value: Any) -> str:
    """A SQL literal: numbers and booleans as written, anything else as a quoted string.

    >>> literal("it's"), literal(2), literal(True)
    ("'it''s'", '2', 'true')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def ident(name: str) -> str:
    """A quoted identifier (inner double quotes doubled).

    >>> print(ident("points"))
    "points"
    """
    return '"' + name.replace('"', '""') + '"'


def as_text(name: str, columns: dict[str, str]) -> str:
    """The column as trimmed text, NULL when absent or empty."""
    if name not in columns:
        return "NULL::VARCHAR"
    return f"NULLIF(trim(CAST({ident(name)} AS VARCHAR)), '')"


#: The plain form of a date and time in text (``2026-07-01 10:00:00``, as DuckDB, pandas and
#: most exports write it), as a ``LIKE`` shape and a ``strptime`` format.
PLAIN_SHAPE, PLAIN_FORMAT = "____-__-__ __:__:__", "%Y-%m-%d %H:%M:%S"


def as_timestamp(name: str, columns: dict[str, str]) -> str:
    """The column as a ``TIMESTAMP`` (UTC); text with an offset or a zone is converted to UTC.

    Text in the plain form (:data:`PLAIN_FORMAT`) of years 1000-2999 is parsed by ``strptime``,
    which takes nothing else (no offset, zone or era) and gives the value the ``TIMESTAMPTZ``
    cast gives in the UTC session at a fraction of the cost (no ICU time zone look-up; checked
    equal for every day of those years). Anything else (surrounding spaces, ``T``, fractions,
    offsets, zone names, dates alone) goes through ``TIMESTAMPTZ``.
    """
    kind = columns.get(name, "")
    if kind == "TIMESTAMP":
        return ident(name)
    if kind in ("DATE", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"):
        return f"CAST({ident(name)} AS TIMESTAMP)"
    zoned = f"CAST(TRY_CAST({as_text(name, columns)} AS TIMESTAMPTZ) AS TIMESTAMP)"
    if kind != "VARCHAR":
        return zoned
    column = ident(name)
    # The shape fixes every separator and the length, '1' <= text < '3' the first digit of the
    # year; strptime then checks the digits (and fails on 24:00:00, which TIMESTAMPTZ takes).
    return (f"CASE WHEN {column} LIKE {literal(PLAIN_SHAPE)} AND {column} >= '1' AND "
            f"{column} < '3' THEN coalesce(try_strptime({column}, {literal(PLAIN_FORMAT)}), "
            f"{zoned}) ELSE {zoned} END")


def as_date(name: str, columns: dict[str, str]) -> str:
    kind = columns.get(name, "")
    if kind == "DATE":
        return ident(name)
    if kind.startswith("TIMESTAMP"):
        return f"CAST({ident(name)} AS DATE)"
    return f"CAST(TRY_CAST({as_text(name, columns)} AS TIMESTAMPTZ) AS DATE)"


def as_number(name: str, columns: dict[str, str], sql_type: str) -> str:
    kind = columns.get(name, "")
    if kind == sql_type:
        return ident(name)
    if kind and kind != "VARCHAR":
        return f"TRY_CAST({ident(name)} AS {sql_type})"
    return f"TRY_CAST({as_text(name, columns)} AS {sql_type})"


def as_whole(name: str, columns: dict[str, str]) -> str:
    """A whole number (points): '12.5' or 'many' do not parse."""
    kind = columns.get(name, "")
    if kind in ("BIGINT", "INTEGER", "SMALLINT", "HUGEINT"):
        return f"CAST({ident(name)} AS BIGINT)"
    text = as_text(name, columns)
    return f"CASE WHEN regexp_full_match({text}, '-?[0-9]+') THEN TRY_CAST({text} AS BIGINT) END"


def as_key(name: str, columns: dict[str, str]) -> str:
    """Customer ids: kept as integers when the file stores integers, else trimmed text."""
    if columns.get(name, "") in ("BIGINT", "INTEGER", "HUGEINT", "UBIGINT"):
        return ident(name)
    return as_text(name, columns)


def first_reason(checks: Sequence[tuple[str, str]]) -> str:
    """A CASE giving the first failed check's reason (NULL when the row is good)."""
    whens = " ".join(f"WHEN {condition} THEN {reason}" for condition, reason in checks)
    return f"CASE {whens} ELSE NULL END"
