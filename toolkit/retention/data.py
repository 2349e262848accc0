"""Customers, orders and NPS responses in DuckDB, with bad rows reported and skipped.

Inputs are CSV (every value read as text, then parsed) or Parquet (types kept); nothing is
copied that a computation does not need. A row that cannot be used (unknown customer,
unparseable date, amount, currency or score, a duplicate customer id) is left out and reported
as ``file:line: reason`` (CSV: the line in the file, header = line 1; Parquet: ``file: row N``).
The connection holds the views:

- ``customers(customer_id, locale, country, tier, signup_date DATE, points BIGINT,
  points_expire_on DATE, first_name, email, phone, ...extra columns as read)``: the columns
  asked for, good rows only;
- ``orders(order_id, customer_id, ordered_at TIMESTAMP, amount DECIMAL, currency)``: the good
  orders in the window (amounts read to 6 decimals, :data:`AMOUNT_TYPE`, or as a Parquet file
  stores them; an amount with more decimals than its currency has, :func:`currency_digits`,
  is a bad row); computations over many orders call :func:`summarize_orders`
  instead, which reads the file once and counts the bad rows;
- ``responses(customer_id, answered_at TIMESTAMP, score INTEGER)``.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import InputError, LocaleError
from ..lazy import import_holding_interrupts
from .sql import (
    as_date,
    as_key,
    as_number,
    as_text,
    as_timestamp,
    as_whole,
    first_reason,
    ident,
    literal,
)

#: Documented columns: (name, required).
CUSTOMER_COLUMNS = (
    ("customer_id", True), ("locale", True), ("country", True), ("signup_date", False),
    ("tier", False), ("points", False), ("points_expire_on", False), ("email", False),
    ("phone", False), ("first_name", False),
)
ORDER_COLUMNS = (
    ("order_id", False), ("customer_id", True), ("ordered_at", True), ("amount", True),
    ("currency", True),
)
RESPONSE_COLUMNS = (("customer_id", True), ("answered_at", True), ("score", True))
#: The columns of the orders and responses files a computation reads: no other is loaded
#: (a 330-character note column on 5 million orders took 2.5 GB where the rest took 0.5).
_ORDER_NAMES = frozenset(name for name, _ in ORDER_COLUMNS)
_RESPONSE_NAMES = frozenset(name for name, _ in RESPONSE_COLUMNS)
EXAMPLES_PER_FILE = 20
#: Amounts are read as exact decimals with room for every currency's digits (CLDR: 0 to 4)
#: and more, so that an amount with more decimals than its currency has is seen, not rounded
#: away: up to 999,999,999,999.999999.
AMOUNT_TYPE, AMOUNT_SCALE = "DECIMAL(18,6)", 6
KeyFilter = Callable[[dict[str, str]], str]  # file columns -> SQL condition
_KINDS = ("customers", "orders", "responses")


@dataclass(frozen=True)
class BadRow:
    """A row left out, with where it is and why."""

    path: str
    line: int
    reason: str
    parquet: bool = False
    kind: str = ""  # customers, orders or responses

    def __str__(self) -> str:
        where = f"{self.path}: row {self.line}" if self.parquet else f"{self.path}:{self.line}"
        return f"{where}: {self.reason}"


@dataclass
class LoadReport:
    """How many rows of each input were used and left out (with the first few bad ones)."""

    used: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    examples: list[BadRow] = field(default_factory=list)
    sources: dict[str, tuple[str, bool]] = field(default_factory=dict, repr=False)

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    def summary(self) -> str:
        """``customers 120 rows, orders 3,400 rows (2 skipped)``."""
        parts = []
        for name, used in sorted(self.used.items(), key=lambda item: _KINDS.index(item[0])):
            skipped = self.skipped.get(name, 0)
            parts.append(f"{name} {used:,} rows" + (f" ({skipped:,} skipped)" if skipped else ""))
        return ", ".join(parts)


@dataclass
class RetentionData:
    """An open DuckDB connection holding the clean tables, and the load report."""

    connection: Any  # duckdb.DuckDBPyConnection (duckdb is imported lazily)
    report: LoadReport
    has_responses: bool
    customer_columns: tuple[str, ...]
    #: The orders' dates are stored typed (Parquet ``TIMESTAMP``/``DATE``): reading the orders
    #: of a period again costs a scan of its row groups only, no parsing of every line.
    orders_typed: bool = False

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> RetentionData:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(threads: int | None = None) -> Any:
    """A fresh in-memory DuckDB connection (UTC session time zone)."""
    try:
        (duckdb,) = import_holding_interrupts("duckdb")
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise InputError(
            "retention analytics need DuckDB.",
            hint="Install it: pip install '.[retention]' (from the toolkit's folder).",
        ) from exc
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")  # stdout carries JSON and tables
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def load_data(
    customers: Path,
    orders: Path,
    responses: Path | None = None,
    *,
    orders_window: tuple[dt.date, dt.date] | None = None,
    customer_fields: tuple[str, ...] | None = None,
    connection: Any = None,
    bucket: tuple[int, int] | None = None,
    order_ids: bool = True,
) -> RetentionData:
    """Read and check the inputs.

    ``order_ids=False``: the computation does not read ``order_id`` (a CSV file's column is
    then not loaded; the ``orders`` view's ``order_id`` is the line).

    ``orders_window`` ([start, end) dates): only the orders in it (and any whose date cannot
    be read) are read and checked. ``customer_fields``: the customer columns a computation
    uses (besides ``customer_id``); only those are read and checked (default: every column).
    ``bucket`` ``(k, n)``: only the customers in hash bucket k of n, with their orders and
    answers (:func:`bucket_filter`; ``toolkit audience --cluster`` runs one bucket per task).
    """
    con = connection if connection is not None else connect()
    report = LoadReport()
    try:
        customer_columns = _load_customers(
            con, customers, report, customer_fields,
            None if bucket is None else bucket_filter(con, bucket, of_customers=True),
        )
        others = None if bucket is None else bucket_filter(con, bucket, of_customers=False)
        orders_typed = _load_orders(con, orders, report, orders_window, others, order_ids)
        if responses is not None:
            _load_responses(con, responses, report, orders_window, others)
        else:
            con.execute(
                "CREATE TEMP VIEW responses AS SELECT NULL::VARCHAR AS customer_id, "
                "NULL::TIMESTAMP AS answered_at, NULL::INTEGER AS score WHERE false"
            )
    except BaseException:
        if connection is None:
            con.close()
        raise
    return RetentionData(con, report, responses is not None, customer_columns, orders_typed)


def _physical_lines_of(path: str, records: set[int]) -> dict[int, int]:
    """:func:`physical_lines`, or nothing when the file cannot be read again (the lines as
    DuckDB numbers them are shown then)."""
    try:
        return physical_lines(Path(path), records)
    except OSError:
        return {}


def physical_lines(path: Path, records: set[int]) -> dict[int, int]:
    """The line on which each record starts, for records numbered as DuckDB reads a CSV file
    (the header is 1, the first row 2, ...; blank lines are no record, a quoted value may span
    lines): every line after a blank one was named one line early (QA pass 80). Only when the
    file has a blank line or a quote does the numbering differ: else each record is its own
    line number, and the file is scanned for those two only."""
    wanted = set(records)
    if not wanted:
        return {}
    with path.open("rb") as handle:
        if not _renumbered(handle):
            return {record: record for record in wanted}
        handle.seek(0)
        found: dict[int, int] = {}
        record, quoted, last = 0, False, max(wanted)
        for number, raw in enumerate(handle, 1):
            if not quoted:
                if not raw.strip(b"\r\n"):
                    continue  # a blank line is no record
                record += 1
                if record in wanted:
                    found[record] = number
                    if record >= last:
                        break
            quoted ^= raw.count(b'"') % 2 == 1
    return found


def _renumbered(handle: Any) -> bool:
    """Whether a file has a quote or a blank line (read in 1 MB blocks)."""
    previous = b"\n"
    while block := handle.read(1 << 20):
        joined = previous + block
        if b'"' in block or b"\n\n" in joined or b"\n\r\n" in joined:
            return True
        previous = block[-2:]
    return False


# -- reading ------------------------------------------------------------------------------


def _source(
    con: Any, path: Path, table: str, kind: str, key_filter: KeyFilter | None = None,
    timestamps: Sequence[str] = (), wanted: Sequence[tuple[str, bool]] = (),
    keep: Callable[[str], bool] | None = None, report: LoadReport | None = None,
) -> tuple[str, dict[str, str], bool]:
    """Create view ``table`` over the file with a ``_line`` column; return (shown path,
    {column: DuckDB type}, is_parquet). ``key_filter(columns)``: a SQL condition on the file's
    columns keeping only some rows (lines stay those of the whole file).

    ``timestamps``: text columns of a CSV file that are parsed once, while the file is loaded,
    into a ``TIMESTAMP`` column :func:`parsed_name` (read it with :func:`_timestamp`). A
    filter on a parsed expression is evaluated per reference in it (a period's ``IS NULL OR
    (>= AND <)`` parsed every date three times more); a stored column is read.

    ``wanted``: the documented columns (name, required), checked against the file's header.
    ``keep(name)``: whether a CSV column is loaded at all (the columns a computation does not
    read cost memory and time to store as text; the returned columns are those loaded).
    ``report``: where the CSV rows with more fields than the header are counted and listed
    (they are left out of the view)."""
    import duckdb

    suffix = path.suffix.lower()
    if path.is_dir():
        raise InputError(
            f"{kind} file {path} is a folder.",
            hint="Give the path of a .csv or .parquet file.",
        )
    if not path.is_file():
        if path.exists():  # /dev/zero, a FIFO: never read (it could block or never end)
            raise InputError(
                f"{kind} file {path} is not a regular file (a device or FIFO).",
                hint="Give the path of a .csv or .parquet file.",
            )
        raise InputError(f"{kind} file {path} does not exist.")
    if path.stat().st_size == 0:
        raise InputError(
            f"{path}: the {kind} file is empty (no header, no rows).",
            hint="Export it again with its header line; see docs/retention.md for the columns.",
        )
    shown = str(path)
    try:
        if suffix in (".parquet", ".pq"):
            where = _where(con, f"read_parquet({literal(str(path))})", key_filter)
            con.execute(
                f"CREATE TEMP VIEW {table} AS SELECT * EXCLUDE (file_row_number), "
                f"file_row_number + 1 AS _line "
                f"FROM read_parquet({literal(str(path))}, file_row_number = true){where}"
            )
            # Without row numbers, for passes that do not report lines (about 20 % faster).
            con.execute(
                f"CREATE TEMP VIEW {table}_plain AS SELECT * FROM "
                f"read_parquet({literal(str(path))}){where}"
            )
            parquet = True
        elif suffix == ".csv":
            _csv_source(con, path, table, kind, key_filter, timestamps, wanted, keep, report)
            parquet = False
        else:
            raise InputError(
                f"{kind} file {path}: use a .csv or .parquet file.",
                hint="Export the table as CSV with a header line, or as Parquet.",
            )
        described = con.execute(f"DESCRIBE {table}").fetchall()
    except duckdb.Error as exc:
        raise unreadable_data(exc, f"{kind} file", path) from exc
    return shown, {row[0]: row[1] for row in described if row[0] != "_line"}, parquet


def _csv_source(
    con: Any, path: Path, table: str, kind: str, key_filter: KeyFilter | None,
    timestamps: Sequence[str], wanted: Sequence[tuple[str, bool]],
    keep: Callable[[str], bool] | None, report: LoadReport | None,
) -> None:
    """The views of :func:`_source` over a CSV file, read as text."""
    import duckdb

    options = "header = true, all_varchar = true, strict_mode = false, null_padding = true"
    try:
        _csv_views(con, path, table, kind, key_filter, timestamps, wanted, keep, report,
                   f"read_csv({literal(str(path))}, {options})")  # fmt: skip
    except duckdb.Error as exc:
        if "quoted new lines" not in str(exc):
            raise
        # DuckDB's parallel reader cannot pad short rows of a file with a line break inside a
        # quoted value (a customer's note): such a file is read by one thread.
        con.execute(f"DROP TABLE IF EXISTS {table}_text")
        _csv_views(con, path, table, kind, key_filter, timestamps, wanted, keep, report,
                   f"read_csv({literal(str(path))}, {options}, parallel = false)")  # fmt: skip


def _csv_views(
    con: Any, path: Path, table: str, kind: str, key_filter: KeyFilter | None,
    timestamps: Sequence[str], wanted: Sequence[tuple[str, bool]],
    keep: Callable[[str], bool] | None, report: LoadReport | None, reader: str,
) -> None:
    shown = str(path)
    names = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()]
    # Fields beyond the header get DuckDB's names column<i>: a value there is a row with more
    # fields than the header (a decimal comma in a comma-separated file, "1234,50", read as
    # 1234 with its 50 dropped); such a row is left out and reported, never read short.
    header = len(names)
    while header and names[header - 1] == f"column{header - 1}":
        header -= 1
    surplus = names[header:]
    names = names[:header]
    _require(shown, kind, dict.fromkeys(names, "VARCHAR"), wanted)
    loaded = ", ".join(ident(name) for name in names if keep is None or keep(name))
    parsed = "".join(
        f", {as_timestamp(name, {name: 'VARCHAR'})} AS {ident(parsed_name(name))}"
        for name in timestamps if name in names and parsed_name(name) not in names
        and (keep is None or keep(name))
    )
    flag = " OR ".join(f"{ident(name)} IS NOT NULL" for name in surplus) or "false"
    fields = (f"CASE WHEN {flag} THEN {len(names)} + {len(surplus)} - "
              f"({' + '.join(f'({ident(n)} IS NULL)::INT' for n in surplus)}) END"
              if surplus else "NULL::INT")
    # A table keeps the file's row order, so rowid + 2 is the line (header = line 1).
    con.execute(f"CREATE TEMP TABLE {table}_text AS SELECT {loaded}{parsed}, {fields} AS "
                f"_fields FROM {reader}")
    where = _where(con, f"{table}_text", key_filter)
    con.execute(
        f"CREATE TEMP VIEW {table}_all AS SELECT * FROM (SELECT *, rowid + 2 AS _line "
        f"FROM {table}_text){where}"
    )
    con.execute(f"CREATE TEMP VIEW {table} AS SELECT * EXCLUDE (_fields) FROM {table}_all "
                "WHERE _fields IS NULL")
    con.execute(f"CREATE TEMP VIEW {table}_plain AS SELECT * FROM {table}")
    if not surplus or report is None:
        return
    (count,) = con.execute(
        f"SELECT count(*) FROM {table}_all WHERE _fields IS NOT NULL").fetchone()
    if not count:
        return
    report.skipped[kind] = report.skipped.get(kind, 0) + int(count)
    con.execute(
        f"CREATE TEMP VIEW {table}_surplus AS SELECT _line, _fields || ' fields, the header "
        f"has {len(names)} (a comma inside a value that is not quoted, such as a decimal comma "
        f"in 1234,50?)' AS _reason FROM {table}_all"
    )
    _collect_bad(con, f"{table}_surplus", kind, shown, False, report)


def unreadable_data(exc: Exception, what: str, path: Path | str) -> InputError:
    """One line for a file DuckDB cannot read: where (``file:line`` when DuckDB says) and its
    first sentence, without DuckDB's own advice (``encoding=...``, ``ignore_errors=true``:
    options of its SQL, not of the toolkit) and its echo of the query and the row."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    first = re.sub(r"^[A-Z][A-Za-z ]* Error: ", "", lines[0] if lines else str(exc))
    where, reason = f"{path}", first
    csv_line = re.match(r"CSV Error on Line: (\d+)", first)
    if csv_line:
        where = f"{path}:{csv_line.group(1)}"
        said = [x for x in lines[1:] if not x.startswith(("Original Line", "Possible Solution"))]
        reason = said[0] if said else first
    else:
        json_line = re.search(r" in line (\d+)", first)
        if json_line:
            where = f"{path}:{json_line.group(1)}"
        reason = re.sub(r' in file "[^"]*"', "", first)
    reason = reason.strip().rstrip(". ")
    if len(reason) > 200:
        reason = reason[:199] + "…"
    text = " (CSV with a header line)" if str(path).lower().endswith(".csv") else ""
    return InputError(
        f"{where}: cannot read {what}: {reason}.",
        hint=f"Save it as UTF-8{text}, or fix the line named.",
    )


def parsed_name(name: str) -> str:
    """The column holding text column ``name`` of a CSV file parsed as a timestamp."""
    return f"_parsed_{name}"


def _timestamp(name: str, columns: dict[str, str]) -> str:
    """Column ``name`` as a ``TIMESTAMP``: the column parsed while loading when there is one
    (CSV, see :func:`_source`; the file's own columns are text there, never ``TIMESTAMP``),
    else :func:`.sql.as_timestamp`."""
    if columns.get(parsed_name(name)) == "TIMESTAMP" and columns.get(name) == "VARCHAR":
        return ident(parsed_name(name))
    return as_timestamp(name, columns)


def _where(con: Any, relation: str, key_filter: KeyFilter | None) -> str:
    """`` WHERE <key_filter(columns of relation)>``, or nothing without a filter."""
    if key_filter is None:
        return ""
    described = con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()
    return f" WHERE {key_filter({row[0]: row[1] for row in described})}"


def bucket_filter(
    con: Any, bucket: tuple[int, int], *, of_customers: bool
) -> KeyFilter:
    """Rows whose customer falls in hash bucket ``k`` of ``n`` (``bucket = (k, n)``).

    The hash is of the customer id as the computation compares it (trimmed text, or the
    customers file's integer), so a customer's row, orders and answers share one bucket; rows
    without a usable id go to the bucket of ``''``, so every row is in exactly one bucket.
    """
    index, count = bucket

    def condition(columns: dict[str, str]) -> str:
        if "customer_id" not in columns:
            return "true"  # the missing column is reported by _require
        key = (as_key("customer_id", columns) if of_customers
               else _customer_key(con, "customer_id", columns))
        return f"hash(coalesce(CAST({key} AS VARCHAR), '')) % {int(count)} = {int(index)}"

    return condition


def _require(path: str, kind: str, columns: dict[str, str], wanted: Sequence[tuple[str, bool]]):
    missing = [name for name, required in wanted if required and name not in columns]
    if missing:
        raise InputError(
            f"{path}:1: {kind} file has no column {', '.join(repr(m) for m in missing)} "
            f"(columns: {', '.join(columns)}).",
            hint="See docs/retention.md for the columns each input needs.",
        )


def _collect_bad(
    con: Any, view: str, name: str, shown: str, parquet: bool, report: LoadReport
) -> None:
    rows = con.execute(
        f"SELECT _line, _reason FROM {view} WHERE _reason IS NOT NULL ORDER BY _line "
        f"LIMIT {EXAMPLES_PER_FILE}"
    ).fetchall()
    lines = {} if parquet else _physical_lines_of(shown, {int(line) for line, _ in rows})
    report.examples.extend(
        BadRow(shown, lines.get(int(line), int(line)), reason, parquet, name)
        for line, reason in rows
    )
    kinds = ("customers", "orders", "responses")
    report.examples.sort(key=lambda b: (kinds.index(b.kind) if b.kind in kinds else 9, b.line))


def _load_customers(
    con: Any, path: Path, report: LoadReport, fields: tuple[str, ...] | None,
    key_filter: KeyFilter | None = None,
) -> tuple[str, ...]:
    used = None if fields is None else {"customer_id", "locale", "country", *fields}
    shown, columns, parquet = _source(
        con, path, "customers_file", "customers", key_filter, wanted=CUSTOMER_COLUMNS,
        keep=None if used is None else used.__contains__, report=report,
    )
    _require(shown, "customers", columns, CUSTOMER_COLUMNS)
    bad_locales, undetermined, respelled = _bad_locales(con, columns)
    bad_countries = _bad_countries(con, columns)
    known = {name for name, _ in CUSTOMER_COLUMNS}
    extras = [c for c in columns if c not in known and not c.startswith("_")]
    if fields is not None:
        extras = [c for c in extras if c in fields]
    typed = {
        "customer_id": as_key("customer_id", columns),
        "locale": _few_values(con, "locale", columns),
        "country": _few_values(con, "country", columns, upper=True),
        "tier": _few_values(con, "tier", columns),
        "signup_date": as_date("signup_date", columns),
        "points": as_whole("points", columns),
        "points_expire_on": as_date("points_expire_on", columns),
        "first_name": as_text("first_name", columns),
        "email": as_text("email", columns),
        "phone": as_text("phone", columns),
    }
    if respelled:  # one spelling of each locale: da-DK and DA_dk are da_DK
        whens = " ".join(f"WHEN {literal(a)} THEN {literal(b)}" for a, b in respelled.items())
        typed["locale"] = f"CASE {typed['locale']} {whens} ELSE {typed['locale']} END"
    if undetermined:  # 'und' (CLDR's undetermined language) is no locale: as a blank one
        typed["locale"] = (f"CASE WHEN {typed['locale']} IN "
                           f"({', '.join(literal(x) for x in undetermined)}) THEN NULL "
                           f"ELSE {typed['locale']} END")
    if fields is not None:
        typed = {k: v for k, v in typed.items() if k in ("customer_id", "locale", "country")
                 or k in fields}
    parsed = tuple(n for n in ("signup_date", "points", "points_expire_on") if n in typed)
    locale_check = (
        f"locale IN ({', '.join(literal(x) for x in bad_locales)})" if bad_locales else "false"
    )
    # A column used as stored (typed, or text whose distinct values are all clean) that the
    # Parquet statistics show without NULLs cannot fail its NULL check.
    present = {name for name in _null_free(con, path, parquet)
               if typed.get(name) == ident(name)}
    checks = [
        ("false" if "customer_id" in present else "customer_id IS NULL", "'no customer_id'"),
        (locale_check, "'unknown locale ' || _q(locale)"),
        ("false" if "country" in present else "country IS NULL", "'no country'"),
        (f"country IN ({', '.join(literal(x) for x in bad_countries)})" if bad_countries
         else "false", "'unknown country ' || _q(_raw_country) || ' (ISO 3166 code such as DK)'"),
        *(
            (f"{name} IS NULL AND _raw_{name} IS NOT NULL",
             f"'unparseable {name} ' || _q(_raw_{name})")
            for name in parsed
        ),
        ("_seen > 1", "'customer_id ' || _q(CAST(customer_id AS VARCHAR)) || "
         "' already on an earlier row'"),
    ]
    select = ", ".join(f"{expr} AS {name}" for name, expr in typed.items())
    extra_select = "".join(f", {ident(c)}" for c in extras)
    raw_select = "".join(
        f", {as_text(name, columns) if columns.get(name) == 'VARCHAR' else ident(name)} "
        f"AS _raw_{name}" if name in columns else f", NULL AS _raw_{name}"
        for name in parsed
    )
    # The country as written (it is compared upper-cased): a report names what the file has.
    raw_select += f", {as_text('country', columns)} AS _raw_country" if "country" in columns else (
        ", NULL AS _raw_country"
    )
    _define_quote_macro(con)
    keep = ", ".join([*typed, *(ident(c) for c in extras)])
    # The usual case, no duplicate ids: one pass counts the rows, the bad ones and the distinct
    # ids, and the views read the file without line numbers (and no join for the duplicates).
    con.execute(
        "CREATE TEMP VIEW customers_unique AS SELECT *, "
        f"{first_reason(checks[:-1])} AS _reason FROM (SELECT "
        f"{select}{extra_select}{raw_select} FROM customers_file_plain)"
    )
    # Integer ids are counted with a perfect hash table when dense (Parquet: the row count is
    # a metadata read).
    with dense_keys(con, con.execute("SELECT count(*) FROM customers_file_plain").fetchone()[0]):
        good, bad, ids, distinct = con.execute(
            "SELECT count(*) FILTER (_reason IS NULL), count(*) FILTER (_reason IS NOT NULL), "
            "count(customer_id), count(DISTINCT customer_id) FROM customers_unique"
        ).fetchone()
    source = "customers_unique"
    if ids != distinct:
        # Duplicates: the ids seen more than once, with their first line; later rows are bad.
        con.execute(
            "CREATE TEMP TABLE _duplicates AS SELECT "
            f"{typed['customer_id']} AS _dup_id, min(_line) AS _first FROM customers_file "
            f"GROUP BY ALL HAVING count(*) > 1"
        )
        con.execute(
            "CREATE TEMP VIEW customers_checked AS SELECT * EXCLUDE (_dup_id, _first), "
            f"{first_reason(checks)} AS _reason FROM (SELECT *, CASE WHEN _line > _first "
            f"THEN 2 ELSE 1 END AS _seen FROM (SELECT {select}{extra_select}{raw_select}, "
            "_line FROM customers_file) c LEFT JOIN _duplicates d ON c.customer_id = d._dup_id)"
        )
        source = "customers_checked"
        good, bad = con.execute(
            "SELECT count(*) FILTER (_reason IS NULL), count(*) FILTER (_reason IS NOT NULL) "
            "FROM customers_checked"
        ).fetchone()
    con.execute(
        f"CREATE TEMP VIEW customers AS SELECT {keep} FROM {source} "
        "WHERE _reason IS NULL"
    )
    report.used["customers"] = int(good)
    report.skipped["customers"] = report.skipped.get("customers", 0) + int(bad)
    if bad:
        if source == "customers_unique":  # line numbers, for the report
            con.execute(
                "CREATE TEMP VIEW customers_checked AS SELECT *, "
                f"{first_reason(checks[:-1])} AS _reason FROM (SELECT "
                f"{select}{extra_select}{raw_select}, _line FROM customers_file)"
            )
        _collect_bad(con, "customers_checked", "customers", shown, parquet, report)
    return tuple([*typed, *extras])


def _define_quote_macro(con: Any) -> None:
    """``_q(x)``: a value quoted for a message, ``''`` when missing."""
    con.execute(
        "CREATE OR REPLACE TEMP MACRO _q(x) AS '''' || coalesce(CAST(x AS VARCHAR), '') || ''''"
    )


def _few_values(con: Any, name: str, columns: dict[str, str], upper: bool = False) -> str:
    """A low-cardinality text column (locale, country, tier): used as stored when every
    distinct value is already clean, else trimmed (and upper-cased) row by row."""
    cleaned = f"upper({as_text(name, columns)})" if upper else as_text(name, columns)
    if columns.get(name) != "VARCHAR":
        return cleaned
    values = con.execute(f"SELECT DISTINCT {ident(name)} FROM customers_file_plain").fetchall()
    for (value,) in values:
        if value is not None and (value != value.strip() or not value
                                  or (upper and value != value.upper())):
            return cleaned
    return ident(name)


def _bad_locales(
    con: Any, columns: dict[str, str]
) -> tuple[list[str], list[str], dict[str, str]]:
    """The distinct locales (trimmed) that are unknown, those that are CLDR's undetermined
    language (``und``, ``und_DK``: read as no locale, as a blank one, not as Babel's en_US),
    and the others written otherwise than the toolkit writes them, with that spelling
    (``da-DK``, ``DA_dk``: ``da_DK``; ``--by locale`` gave each spelling a row of its own)."""
    from ..locales import folder_spelling, is_undetermined, parse_locale

    found = con.execute(
        f"SELECT DISTINCT {as_text('locale', columns)} FROM customers_file_plain"
    ).fetchall()
    bad, undetermined, respelled = [], [], {}
    for (name,) in found:
        if name is None:
            continue
        if is_undetermined(name):
            undetermined.append(name)
            continue
        try:
            parse_locale(name)
        except LocaleError:
            bad.append(name)
            continue
        spelled = folder_spelling(name)
        if spelled != name:
            respelled[name] = spelled
    return bad, undetermined, respelled


def _bad_countries(con: Any, columns: dict[str, str]) -> list[str]:
    """The distinct countries (as the check compares them: trimmed, upper case) that are no
    country code (``DNK``, ``Denmark``, ``ZZ``, ``EU``; :func:`toolkit.payments.country_code`,
    as render checks a customer's country): a market of its own in metrics, and the wrong
    payment methods in a message."""
    from ..payments import country_code

    found = con.execute(
        f"SELECT DISTINCT upper({as_text('country', columns)}) FROM customers_file_plain"
    ).fetchall()
    bad = []
    for (name,) in found:
        try:
            if name:
                country_code(name)
        except InputError:
            bad.append(name)
    return bad


def _customer_key(con: Any, name: str, columns: dict[str, str]) -> str:
    """Column ``name`` of another file as a value comparable with ``customers.customer_id``."""
    key_type = con.execute(
        "SELECT column_type FROM (DESCRIBE customers) WHERE column_name = 'customer_id'"
    ).fetchone()[0]
    own = as_key(name, columns)
    own_type = columns.get(name, "") if own == ident(name) else "VARCHAR"
    if own_type == key_type:
        return own
    return f"TRY_CAST({as_text(name, columns)} AS {key_type})"


_KNOWN = (
    "LEFT JOIN (SELECT customer_id AS _cid, true AS _known FROM customers) k "
    "ON f.customer_id = k._cid"
)


def _currency_values(con: Any, scanned: str) -> list[str | None]:
    """The distinct currencies of the orders in scope (a handful, checked once each)."""
    return [row[0] for row in con.execute(
        f"SELECT DISTINCT currency FROM ({scanned})").fetchall()]


def _currency(values: list[str | None], columns: dict[str, str]) -> str:
    """The currency column, normalised (``' dkk'`` -> ``DKK``) only when some value needs it."""
    clean = all(v is None or (isinstance(v, str) and v == v.strip().upper() and v) for v in values)
    return ident("currency") if clean and columns["currency"] == "VARCHAR" else (
        f"upper({as_text('currency', columns)})"
    )


def _currency_check(values: list[str | None]) -> str:
    """A condition true for rows whose currency is no ISO 4217 code CLDR knows (``XYZ``,
    ``kr``; checked once per distinct value, not per row)."""
    from babel.numbers import list_currencies

    from ..payments import NOT_MONEY

    known = list_currencies() - NOT_MONEY
    bad = []
    for value in values:
        text = "" if value is None else str(value).strip().upper()
        if text not in known:
            bad.append(text)
    if not bad:
        return "false"
    listed = ", ".join(literal(b) for b in bad if b)
    return "currency IS NULL" + (f" OR currency IN ({listed})" if listed else "")


@cache
def currency_digits(currency: str) -> int:
    """The decimals of an amount in ``currency`` (CLDR, through Babel; 2 for a code it does
    not know).

    >>> currency_digits("EUR"), currency_digits("JPY"), currency_digits("KWD")
    (2, 0, 3)
    """
    from babel.numbers import get_currency_precision

    try:
        return int(get_currency_precision(currency))
    except (KeyError, ValueError, TypeError):  # pragma: no cover - Babel falls back itself
        return 2


def _amount(columns: dict[str, str]) -> tuple[str, int]:
    """The amount column as an exact decimal, and its scale: as stored when the file stores a
    decimal that fits :data:`AMOUNT_TYPE` (a Parquet ``DECIMAL(18,2)``: no cast, and its
    statistics stay usable), else read as :data:`AMOUNT_TYPE`."""
    stored = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", columns.get("amount", ""))
    if stored:
        width, scale = int(stored.group(1)), int(stored.group(2))
        if scale <= AMOUNT_SCALE and width - scale <= 18 - AMOUNT_SCALE:
            return ident("amount"), scale
    return as_number("amount", columns, AMOUNT_TYPE), AMOUNT_SCALE


def _digits_checks(
    currencies: list[str | None], scale: int, text: bool = False
) -> list[tuple[str, str]]:
    """Checks for amounts with more decimals than their currency has (``100.5`` yen, ``2.4735``
    dinars): one per number of digits among the currencies present, none for currencies with
    as many digits as the amounts' scale (nothing to check). ``text``: the amounts are read
    from text, where ``2.000`` kroner is 2.000 as written (Danish for two thousand, read as 2
    with the zeros passing the numeric test): exactly three decimals for a currency of fewer
    are reported too (more, ``12.5000`` from a database's NUMERIC(12,4), are no thousands)."""
    by_digits: dict[int, list[str]] = {}
    for value in currencies:
        code = "" if value is None else str(value).strip().upper()
        if code and currency_digits(code) < scale:
            by_digits.setdefault(currency_digits(code), []).append(code)
    checks = [
        (f"currency IN ({', '.join(literal(c) for c in sorted(set(codes)))}) "
         f"AND amount <> round(amount, {digits})",
         f"'amount ' || _q(_raw_amount) || ' has more decimals than ' || currency || "
         f"' has ({digits})'")
        for digits, codes in sorted(by_digits.items())
    ]
    grouped = sorted({c for digits, codes in by_digits.items() if digits < 3 for c in codes})
    if text and grouped:
        checks.append((
            f"currency IN ({', '.join(literal(c) for c in grouped)}) AND regexp_full_match("
            "trim(CAST(_raw_amount AS VARCHAR)), '-?[0-9]{1,3}\\.[0-9]{3}')",
            "'amount ' || _q(_raw_amount) || ' has 3 decimals, more than ' || currency || "
            "' has: a thousands separator? Write amounts without them (2000, 1250.50)'"))
    return checks


def _in_window(
    select: str, typed: bool, window: tuple[dt.date, dt.date] | None, source: str = "orders_file",
    dates_present: bool = False,
) -> str:
    """``select`` over the orders file, restricted to ``window`` plus rows without a date.

    ``dates_present``: the file's statistics say no row lacks a date, so the rows without one
    need no second scan (and the key columns keep their statistics: see
    :func:`dense_keys`)."""
    if window is None:
        return f"{select} FROM {source}"
    lo, hi = (f"TIMESTAMP '{day.isoformat()}'" for day in window)
    if typed:
        # A typed column: both filters reach the Parquet reader, which skips row groups
        # outside the periods (and those without NULL dates) by their statistics.
        in_window = f"{select} FROM {source} WHERE ordered_at >= {lo} AND ordered_at < {hi}"
        if dates_present:
            return in_window
        return f"{in_window} UNION ALL {select} FROM {source} WHERE ordered_at IS NULL"
    return (
        f"SELECT * FROM ({select} FROM {source}) WHERE ordered_at IS NULL "
        f"OR (ordered_at >= {lo} AND ordered_at < {hi})"
    )


def _null_free(con: Any, path: Path, parquet: bool) -> set[str]:
    """The columns of a Parquet file whose every row group's statistics count no NULL (a
    check for NULLs in them cannot fail, and costs nothing to skip); none for CSV or for a
    file written without statistics."""
    if not parquet:
        return set()
    rows = con.execute(
        "SELECT path_in_schema, count(*) = count(stats_null_count) AND "
        f"coalesce(sum(stats_null_count), 0) = 0 FROM parquet_metadata({literal(str(path))}) "
        "GROUP BY ALL"
    ).fetchall()
    return {name for name, free in rows if free}


def _load_orders(
    con: Any, path: Path, report: LoadReport, window: tuple[dt.date, dt.date] | None,
    key_filter: KeyFilter | None = None, order_ids: bool = True,
) -> bool:
    """Define the orders views; return whether the dates are stored typed (see
    :attr:`RetentionData.orders_typed`)."""
    shown, columns, parquet = _source(
        con, path, "orders_file", "orders", key_filter, timestamps=("ordered_at",),
        wanted=ORDER_COLUMNS, keep=_ORDER_NAMES.__contains__ if order_ids
        else (_ORDER_NAMES - {"order_id"}).__contains__, report=report,
    )
    _require(shown, "orders", columns, ORDER_COLUMNS)
    at = _timestamp("ordered_at", columns)
    amount, scale = _amount(columns)
    typed = at == ident("ordered_at")
    # Typed columns that the statistics show without NULLs cannot fail their check.
    present = _null_free(con, path, parquet)
    dates_present = typed and "ordered_at" in present
    amounts_present = amount == ident("amount") and "amount" in present
    # The distinct currencies decide the checks. Typed dates: those of the periods (the reader
    # skips the other row groups); text dates: those of the whole file, not to parse every
    # date one more time (a value outside the periods only makes the list longer: the checks
    # and the normalisation give the same result for every row in them).
    currencies = _currency_values(con, _in_window(
        f"SELECT currency, {at} AS ordered_at", typed, window, dates_present=dates_present
    ) if typed else "SELECT currency FROM orders_file")
    checks = [
        ("_known IS NULL", "'unknown customer ' || _q(_raw_customer)"),
        ("false" if dates_present else "ordered_at IS NULL",
         "'unparseable ordered_at ' || _q(_raw_at)"),
        ("false" if amounts_present else "amount IS NULL",
         # a plain number that does not fit is too large, not unreadable
         "CASE WHEN regexp_full_match(trim(CAST(_raw_amount AS VARCHAR)), '[0-9]{13,}"
         "(\\.[0-9]*)?') THEN 'amount ' || _q(_raw_amount) || ' is too large (amounts must be "
         "below 1,000,000,000,000)' ELSE 'unparseable amount ' || _q(_raw_amount) END"),
        (_currency_check(currencies),
         "'currency must be an ISO 4217 code such as DKK, not ' || _q(_raw_currency)"),
        ("amount < 0", "'negative amount ' || _q(_raw_amount) || ' (a refund is no order)'"),
        *_digits_checks(currencies, scale, text=columns.get("amount") == "VARCHAR"),
    ]
    has_id = "order_id" in columns
    # Raw values are kept as read and only turned into text for the message of a bad row.
    fields_ = (
        f"{ident('order_id') if has_id else '_line'} AS order_id, "
        f"{_customer_key(con, 'customer_id', columns)} AS customer_id, "
        f"{at} AS ordered_at, {amount} AS amount, "
        f"{_currency(currencies, columns)} AS currency, "
        f"{ident('ordered_at')} AS _raw_at, {ident('amount')} AS _raw_amount, "
        f"{ident('customer_id')} AS _raw_customer, {ident('currency')} AS _raw_currency"
    )
    # Nothing is read yet: the computation reads the file once, through summarize_orders;
    # only the look-up of bad rows needs their line numbers.
    for view, source, line in (
        ("orders_scanned", "orders_file_plain" if has_id else "orders_file", ""),
        ("orders_scanned_lines", "orders_file", ", _line"),
    ):
        scanned = _in_window(f"SELECT {fields_}{line}", typed, window, source, dates_present)
        con.execute(
            f"CREATE TEMP VIEW {view} AS SELECT *, {first_reason(checks[1:])} AS _reason "
            f"FROM ({scanned}) f"
        )
    con.execute(
        "CREATE TEMP VIEW orders AS SELECT order_id, customer_id, ordered_at, amount, currency "
        "FROM orders_scanned WHERE _reason IS NULL AND customer_id IN "
        "(SELECT customer_id FROM customers)"
    )
    report.sources["orders"] = (shown, parquet)
    return parquet and typed


@contextmanager
def dense_keys(con: Any, customers: int) -> Iterator[None]:
    """Within the block, DuckDB groups by an integer customer id with a perfect hash table (an
    array indexed by the id: no hashing or probing, ~40 % less CPU for a million customers)
    when the ids span at most about twice the number of ``customers``.

    DuckDB picks that table when the key's range, known from the Parquet statistics, fits in
    ``perfect_ht_threshold`` bits (default 12: 4,096 ids). The array is sized by the range
    (per thread, times the aggregate states), so the threshold follows the customer count (at
    most 2**22 slots), sparse ids (a range far wider than the count) keep the usual hash table,
    and the connection's own setting is restored after the block: for the audience's wide
    per-customer states (first and last orders) the array would cost more memory than it saves
    time.
    """
    bits = max(12, min(22, (2 * max(customers, 1)).bit_length()))
    before = int(con.execute("SELECT current_setting('perfect_ht_threshold')").fetchone()[0])
    con.execute(f"SET perfect_ht_threshold = {max(bits, before)}")
    try:
        yield
    finally:
        con.execute(f"SET perfect_ht_threshold = {before}")


def summarize_orders(
    data: RetentionData, group_by: Sequence[str], aggregates: Sequence[str],
    customer_columns: Sequence[str] = (), *, bad_rows_as_group: bool = True,
) -> None:
    """Read the orders once into the table ``order_summary``: one row per ``group_by`` group
    of good orders of known customers with ``aggregates`` (SQL ``expr AS name`` over
    ``customer_id, ordered_at, amount, currency, order_id``), ``orders`` (their count) and
    ``customer_columns`` (columns of the customer's row, e.g. ``country``); fill the load
    report.

    The summary is joined to the customers once, in the same statement: that join both finds
    the orders of unknown customers (counted here) and brings the customer columns, so a
    computation needs no further join. The first bad rows are listed, by a second look at the
    file, only when there are any.

    Bad rows (unparseable values) are kept apart by a group key by default. With
    ``bad_rows_as_group=False`` only good rows are grouped and the bad ones are counted by a
    query of their own: grouping by ``customer_id`` alone then keeps an integer key, which
    DuckDB aggregates with a perfect hash table (see :func:`dense_keys`).
    """
    con, report = data.connection, data.report
    keys = ", ".join(group_by)
    attached = "".join(f", c.{ident(name)}" for name in customer_columns)
    if bad_rows_as_group:
        grouped = (f"SELECT {keys}, (_reason IS NULL) AS _ok, {', '.join(aggregates)}, "
                   f"count(*) AS orders FROM orders_scanned GROUP BY {keys}, _ok")
        good_groups = "_ok"
    else:
        grouped = (f"SELECT {keys}, {', '.join(aggregates)}, count(*) AS orders "
                   f"FROM orders_scanned WHERE _reason IS NULL GROUP BY {keys}")
        good_groups = "true"
    con.execute(
        f"CREATE TEMP TABLE _order_groups AS SELECT g.*{attached}, "
        f"(c._cid IS NOT NULL) AS _known FROM ({grouped}) g "
        f"LEFT JOIN (SELECT customer_id AS _cid{attached.replace('c.', '')} FROM customers) c "
        "ON g.customer_id = c._cid"
    )
    hidden = "_ok, _known" if bad_rows_as_group else "_known"
    con.execute(f"CREATE TEMP VIEW order_summary AS SELECT * EXCLUDE ({hidden}) "
                f"FROM _order_groups WHERE {good_groups} AND _known")
    if bad_rows_as_group:
        counted = ("coalesce(sum(orders) FILTER (WHERE NOT _ok), 0), coalesce(sum(orders) "
                   "FILTER (WHERE _ok), 0), coalesce(sum(orders) FILTER (WHERE _ok AND NOT "
                   "_known), 0)")
    else:
        # Its own count: when no check can fail (typed columns the statistics show complete),
        # the condition is false before anything is read and the count costs nothing.
        counted = ("(SELECT count(*) FROM orders_scanned WHERE _reason IS NOT NULL), "
                   "coalesce(sum(orders), 0), coalesce(sum(orders) FILTER (WHERE NOT _known), 0)")
    unparseable, good, unknown = con.execute(
        f"SELECT {counted} FROM _order_groups").fetchone()
    report.used["orders"] = int(good - unknown)
    report.skipped["orders"] = report.skipped.get("orders", 0) + int(unparseable + unknown)
    if unparseable or unknown:
        shown, parquet = report.sources["orders"]
        con.execute(
            "CREATE TEMP VIEW orders_checked AS SELECT _line, CASE WHEN _reason IS NULL AND "
            "_known IS NULL THEN 'unknown customer ' || _q(_raw_customer) ELSE _reason END "
            f"AS _reason FROM orders_scanned_lines f {_KNOWN}"
        )
        _collect_bad(con, "orders_checked", "orders", shown, parquet, report)


def _load_responses(
    con: Any, path: Path, report: LoadReport, window: tuple[dt.date, dt.date] | None,
    key_filter: KeyFilter | None = None,
) -> None:
    shown, columns, parquet = _source(con, path, "responses_file", "responses", key_filter,
                                      timestamps=("answered_at",), wanted=RESPONSE_COLUMNS,
                                      keep=_RESPONSE_NAMES.__contains__, report=report)
    _require(shown, "responses", columns, RESPONSE_COLUMNS)
    checks = [
        ("_known IS NULL", "'unknown customer ' || _q(_raw_customer)"),
        ("answered_at IS NULL", "'unparseable answered_at ' || _q(_raw_at)"),
        ("score IS NULL OR score < 0 OR score > 10",
         "'score must be a whole number 0-10, not ' || _q(_raw_score)"),
    ]
    score = as_number("score", columns, "INTEGER")
    if columns.get("score") == "VARCHAR":
        # '7.5' must not round to 8: only whole numbers are scores.
        score = (
            f"CASE WHEN regexp_full_match({as_text('score', columns)}, '[0-9]+') THEN {score} END"
        )
    fields_ = (
        f"{_customer_key(con, 'customer_id', columns)} AS customer_id, "
        f"{_timestamp('answered_at', columns)} AS answered_at, {score} AS score, _line, "
        f"{ident('answered_at')} AS _raw_at, {ident('score')} AS _raw_score, "
        f"{ident('customer_id')} AS _raw_customer"
    )
    scope = ""
    if window is not None:  # answers outside the computation are neither read nor checked
        lo, hi = (f"TIMESTAMP '{day.isoformat()}'" for day in window)
        scope = f" WHERE answered_at IS NULL OR (answered_at >= {lo} AND answered_at < {hi})"
    con.execute(
        "CREATE TEMP TABLE responses_checked AS SELECT customer_id, answered_at, score, _line, "
        f"{first_reason(checks)} AS _reason FROM (SELECT * FROM (SELECT {fields_} FROM "
        f"responses_file){scope}) f {_KNOWN}"
    )
    con.execute(
        "CREATE TEMP VIEW responses AS SELECT customer_id, answered_at, score "
        "FROM responses_checked WHERE _reason IS NULL"
    )
    counts = con.execute(
        "SELECT count(*) FILTER (_reason IS NULL), count(*) FILTER (_reason IS NOT NULL) "
        "FROM responses_checked"
    ).fetchone()
    report.used["responses"] = int(counts[0])
    report.skipped["responses"] = report.skipped.get("responses", 0) + int(counts[1])
    if counts[1]:
        _collect_bad(con, "responses_checked", "responses", shown, parquet, report)
