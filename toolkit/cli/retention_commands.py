"""metrics, audience: retention figures and lifecycle audiences (DuckDB, imported lazily)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .application import app, require_choice, state, wrote
from .guard import echo, local_path

if TYPE_CHECKING:
    from ..config import ProjectConfig

MAX_BAD_ROWS_SHOWN = 20

CustomersOption = Annotated[
    Path,
    typer.Option("--customers", "-c", help="Customers: .csv or .parquet (docs/retention.md)."),
]
OrdersOption = Annotated[Path, typer.Option("--orders", help="Orders: .csv or .parquet.")]
ResponsesOption = Annotated[
    Path | None,
    typer.Option("--responses", help="NPS survey answers (customer_id, answered_at, score 0-10)."),
]


def _report_bad_rows(report: Any) -> None:
    """Bad input rows on stderr (the first few with file:line) and how many were skipped."""
    for bad in report.examples[:MAX_BAD_ROWS_SHOWN]:
        echo(f"warning: {bad}; row skipped", err=True)
    if report.total_skipped:
        per_file = ", ".join(
            f"{name} {report.skipped[name]:,}" for name in ("customers", "orders", "responses")
            if report.skipped.get(name)
        )
        echo(f"skipped {report.total_skipped:,} bad rows ({per_file})", err=True)


def _project_config(ctx: typer.Context) -> ProjectConfig | None:
    """The content project's configuration; None where there is no project around (the
    retention commands work on data files alone), unless --project named one. A configuration
    file that is found but invalid is an error, as for every other command: its
    ``gross_margin`` would otherwise be dropped without a word."""
    global_state = state(ctx)
    if global_state.project is None:
        from ..config import find_config_file

        if find_config_file(Path.cwd()) is None:
            return None
    return global_state.config()


def _margin(ctx: typer.Context, margin: float | None) -> float:
    if margin is not None:
        return margin
    config = _project_config(ctx)
    return float(config.gross_margin) if config is not None else 1.0  # the documented default


def _refuse_project_file(ctx: typer.Context, out: Path) -> None:
    """``--out`` never replaces the content project's own files (see
    ProjectConfig.refuse_as_output); outside a project there are none."""
    config = _project_config(ctx)
    if config is not None:
        config.refuse_as_output(out)


@app.command()
def metrics(
    ctx: typer.Context,
    customers: CustomersOption,
    orders: OrdersOption,
    period: Annotated[
        str,
        typer.Option("--period", help="2026-Q3, 2026-09, 2026-W37 or START..END (days included)."),
    ],
    responses: ResponsesOption = None,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="market, locale, tier or none (repeatable; default: market)."),
    ] = None,
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="Output: 'table', 'json', 'csv' or 'html' "
                     "(default: from the --out file's suffix, else 'table')."),
    ] = None,
    out_value: Annotated[
        str | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
    ] = None,
    trend: Annotated[
        int, typer.Option("--trend", min=0, help="Also compute the N previous periods.")
    ] = 0,
    margin: Annotated[
        float | None,
        typer.Option("--margin", help="Gross margin for CLV (default: gross_margin in the "
                     "project config, else 1.0)."),
    ] = None,
) -> None:
    """Retention per period and market/locale/tier: CRR, churn, repeat rate, frequency, AOV,
    CLV and NPS (bad input rows are reported and skipped)."""
    from ..retention.metrics import compute_metrics
    from ..retention.periods import parse_period

    out = None if out_value is None else local_path(out_value, "--out")
    if out is not None:
        _refuse_project_file(ctx, out)
        from ..fsutil import refuse_output_over_input, refuse_read_only, through_links

        refuse_output_over_input(out, "--out", customers=customers, orders=orders,
                                 responses=responses)  # fmt: skip
        refuse_read_only(through_links(out))  # a folder, device or FIFO: before the work
    if format is None:  # --out report.html is the HTML report, as the suffix says
        suffix = out.suffix.lower().lstrip(".") if out is not None else ""
        format = {"htm": "html", "html": "html", "json": "json", "csv": "csv"}.get(suffix, "table")
    require_choice(format, ("table", "json", "csv", "html"))
    # The HTML report shows every dimension unless told otherwise; the others, markets.
    default = ("none", "market", "locale", "tier") if format == "html" else ("market",)
    dimensions = tuple(by or default)
    result = compute_metrics(
        customers,
        orders,
        parse_period(period),
        responses=responses,
        dimensions=dimensions,
        trend=trend,
        margin=_margin(ctx, margin),
    )
    _report_bad_rows(result.report)
    if format == "table" and out is None:
        _print_tables(result)
        return
    text = _render(result, format)
    if out is None:
        typer.echo(text, nl=False)
        return
    from ..fsutil import write_text_atomic

    write_text_atomic(out, text, follow_links=True)
    rows = len(result.current.rows)
    wrote(out, f"{format}, {result.current.period.label}, {rows} rows, "
               f"{len(result.periods)} period{'s' if len(result.periods) != 1 else ''}")


def _render(result: Any, format: str) -> str:
    from .. import report

    if format == "json":
        return report.to_json(result.as_dict()) + "\n"
    if format == "html":
        from ..retention.html import render_report

        return render_report(result)
    if format == "csv":
        return _csv(result)
    buffer = io.StringIO()
    from rich.console import Console

    _print_tables(result, Console(file=buffer, width=160))
    return buffer.getvalue()


CSV_COLUMNS = ("period", "start", "end", "dimension", "key", "customers", "orders",
               "repeat_customers", "base", "retained", "crr", "churn", "repeat_rate",
               "frequency", "respondents", "nps", "currency", "revenue", "aov", "clv")


def _csv(result: Any) -> str:
    """One line per period, dimension key and currency (figures without currency repeated)."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for period in result.periods:
        for row in period.rows:
            data = row.as_dict()
            common = [period.period.label, period.period.start.isoformat(),
                      period.period.last.isoformat()]
            common += ["" if data[c] is None else data[c] for c in CSV_COLUMNS[3:16]]
            currencies = list(data["revenue"]) or [""]
            for currency in currencies:
                writer.writerow([*common, currency, data["revenue"].get(currency, ""),
                                 data["aov"].get(currency, ""),
                                 "" if data["clv"].get(currency) is None
                                 else data["clv"][currency]])
    return buffer.getvalue()


def _print_tables(result: Any, console: Any = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from ..retention.metrics import money_text
    from .guard import visible

    if console is None:
        console = Console()
        if not console.is_terminal:  # piped or captured: do not squeeze money into 80 columns
            console = Console(width=160)
    current = result.current

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{value * 100:.1f} %"

    for dimension in result.dimensions:
        title = (f"{current.period.label} ({current.period.start} to {current.period.last}) "
                 f"vs {current.previous.label}, by {dimension}")
        table = Table(title=title)
        for index, name in enumerate(("key", "customers", "orders", "CRR", "churn",
                                      "repeat rate", "frequency", "AOV", "CLV", "NPS")):
            table.add_column(name, justify="left" if index == 0 else "right")
        for r in (r for r in current.rows if r.dimension == dimension):
            table.add_row(
                # a key is customer data (a tier, a market): escapes for control and bidi
                # characters, and no Rich markup read into it
                Text(visible(str(r.key))), f"{r.customers:,}", f"{r.orders:,}", pct(r.crr),
                pct(r.churn),
                pct(r.repeat_rate), "n/a" if r.frequency is None else f"{r.frequency:.2f}",
                money_text(dict(r.aov), r.dimension, r.key), money_text(r.clv, r.dimension, r.key),
                "n/a" if r.nps is None else f"{r.nps:.1f}",
            )
        console.print(table)


@app.command()
def audience(
    ctx: typer.Context,
    customers: CustomersOption,
    orders: OrdersOption,
    as_of: Annotated[
        str, typer.Option("--as-of", help="The day the messages go out (YYYY-MM-DD).")
    ],
    out_value: Annotated[str, typer.Option("--out", "-o", help="Sends file to write (.jsonl; "
                                           "with --cluster a folder of part files).")],
    responses: ResponsesOption = None,
    rules: Annotated[
        Path | None,
        typer.Option("--rules", help="Lifecycle rules (TOML; default: the shipped rules)."),
    ] = None,
    sent: Annotated[
        Path | None,
        typer.Option("--sent", help="Earlier sends file (or folder of part files): customers "
                     "messaged in the last cap_days get nothing."),
    ] = None,
    cap_days: Annotated[
        int | None,
        typer.Option("--cap-days", min=0, help="Frequency cap in days (default: the rules')."),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option("--cluster", help="Run on Dask: local:N or tcp://HOST:PORT; customers are "
                     "split into hash buckets, --out is then a folder of sends part files "
                     "(inputs must be at the same path on every worker; docs/scale.md)."),
    ] = None,
    partitions: Annotated[
        int | None,
        typer.Option("--partitions", min=1, help="With --cluster: customer buckets "
                     "(default: one per worker)."),
    ] = None,
) -> None:
    """Pick at most one lifecycle message per customer (rules by priority, frequency cap) and
    write a sends file for 'render-batch --sends'."""
    import datetime as dt

    from ..errors import ConfigError, InputError
    from ..retention.audience import build_audience

    try:
        day = dt.date.fromisoformat(as_of)
    except ValueError:
        raise InputError(f"--as-of '{as_of}' is not a date.", hint="Use YYYY-MM-DD.") from None
    out = local_path(out_value, "--out")  # DuckDB writes it: no fsspec URL, cluster or not
    _refuse_project_file(ctx, out)
    from ..fsutil import refuse_output_over_input, refuse_read_only, through_links

    refuse_output_over_input(out, "--out", customers=customers, orders=orders,
                             responses=responses, rules=rules, sent=sent)  # fmt: skip
    if cluster is None or not out.is_dir():
        # a device or FIFO: refused before the work (a folder is the cluster's output, whose
        # part files a rerun replaces: refusing it made every rerun fail; QA pass 80)
        refuse_read_only(through_links(out))
    if cluster is not None:
        from .cluster_run import audience_on_cluster

        result = audience_on_cluster(cluster, customers, orders, out, day, responses=responses,
                                     rules_path=rules, sent=sent, cap_days=cap_days,
                                     partitions=partitions)
    else:
        result = build_audience(customers, orders, out, day, responses=responses,
                                rules_path=rules, sent=sent, cap_days=cap_days)
    _report_bad_rows(result.report)
    global_state = state(ctx)
    try:
        from ..retention.rules import load_rules, missing_templates

        config = global_state.config()
        for name in missing_templates(load_rules(rules), config.templates_path):
            echo(f"warning: template '{name}' is not in "
                       f"{config.relative(config.templates_path)}", err=True)
    except ConfigError:
        pass  # no content project here: nothing to check the templates against
    for rule, count in result.by_rule.items():
        echo(f"{rule}: {count:,}")
    wrote(out, f"{result.written:,} messages for {result.customers:,} customers as of {day}; "
               f"{result.capped:,} held back by the frequency cap")
