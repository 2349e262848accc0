"""render, render-batch: localized messages for one customer or many."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from .application import app, state
from .guard import echo, is_terminal, local_path

FromPoOption = Annotated[
    bool,
    typer.Option("--from-po", help="Read translations from the PO files (preview, no compile)."),
]
FuzzyOption = Annotated[
    bool, typer.Option("--use-fuzzy", help="Include fuzzy (unreviewed) translations.")
]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Exit 1 unless fully localized: no string in the source language, no blank field "
        "replaced by a fallback, no part over its channel budget (render-batch: such rows are "
        "not written).",
    ),
]
MAX_ERRORS_SHOWN = 20


@app.command()
def render(
    ctx: typer.Context,
    template: Annotated[
        str, typer.Argument(help="Template path, relative to the current or the templates folder.")
    ],
    locale: Annotated[
        str | None,
        typer.Option("--locale", "-l", help="Customer locale (da_DK, nb-NO; default: data's)."),
    ] = None,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            "-d",
            help="Customer data as a JSON object ('-' reads stdin; default: the template's "
            "<name>.sample.json).",
        ),
    ] = None,
    format: Annotated[
        str,
        typer.Option("--format", "-f", help="Output format: 'text' (default), 'html' or 'json'."),
    ] = "text",
    from_po: FromPoOption = False,
    use_fuzzy: FuzzyOption = False,
    strict: StrictOption = False,
) -> None:
    """Render one message (every part) for one customer in their locale."""
    from ..render import Renderer, resolve_template
    from .output import Format, output_format, print_rendered

    shape = output_format(format, Format.HTML)
    config = state(ctx).config()
    name = resolve_template(config, template)
    values = _load_data(data, config.templates_path / name, config.root)
    chosen = locale or values.get("locale")
    if not isinstance(chosen, str) or not chosen:
        raise typer.BadParameter(
            "give the customer's locale (or a 'locale' field in the data)", param_hint="--locale"
        )
    message = Renderer(config, from_po=from_po, use_fuzzy=use_fuzzy).render(name, chosen, values)
    print_rendered(message, shape)
    if strict:
        _exit_if_not_strict(message)


def _exit_if_not_strict(message: Any) -> None:
    """``--strict``: say why the message is not fit to send (stderr) and exit 1."""
    from ..render.strict import strict_problems
    from .output import print_strict_problems

    problems = strict_problems(message)
    print_strict_problems(problems)
    if problems:
        raise typer.Exit(1)


def _bounded_text(handle: Any, spec: str) -> str:
    """One customer's data: at most a customer row's size (``MAX_ROW_BYTES``), UTF-8 with
    any BOM skipped, as in CSV files. ``--data /dev/zero`` ran out of memory; a pipe
    (``--data <(command)``, ``-``) is still read."""
    from ..errors import InputError
    from ..render.customers import MAX_ROW_BYTES

    data = handle.read(MAX_ROW_BYTES + 1)
    if len(data) > MAX_ROW_BYTES:
        raise InputError(
            f"customer data {spec} is larger than {MAX_ROW_BYTES:,} bytes.",
            hint="Give one customer's data as a JSON object (render-batch takes many).",
        )
    try:
        return str(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(
            f"cannot read customer data {spec}: {exc}.", hint="Save it as UTF-8 JSON."
        ) from exc


def _load_data(spec: str | None, template_path: Path, root: Path) -> dict[str, Any]:
    from ..errors import InputError
    from ..fsutil import require_inside

    if spec is None:
        sample = template_path.with_suffix(".sample.json")
        if sample.is_symlink() and not sample.exists():  # a loop, or a link to nothing
            raise InputError(
                f"{sample}: a symbolic link to a file that does not exist or loops "
                f"({os.readlink(sample)}).",
                hint="Point the link at the sample data, delete it, or give --data.",
            )
        if not sample.is_file():
            return {}
        # a template's sample data is the project's, as showcase reads it (QA pass 79: a
        # link to /etc/hostname was read)
        require_inside(sample, root)
        spec, text = str(sample), sample.read_text("utf-8-sig")
    elif spec == "-":
        spec, text = "<stdin>", _bounded_text(sys.stdin.buffer, "<stdin>")
    else:
        try:
            with Path(spec).open("rb") as handle:
                text = _bounded_text(handle, spec)
        except FileNotFoundError as exc:
            raise InputError(
                f"customer data {spec}: file not found.",
                hint="Give the path of a JSON file with one customer's fields, or - to read "
                "it from standard input; without --data the template's .sample.json is used.",
            ) from exc
        except OSError as exc:
            from .guard import os_error_message

            raise InputError(f"cannot read customer data {spec}: {os_error_message(exc)}") from exc
    from ..render.customers import load_customer_json

    try:
        values = load_customer_json(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{spec}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}.",
            hint="Customer data must be one JSON object.",
        ) from exc
    except ValueError as exc:  # too deep, NaN/Infinity, huge integers
        raise InputError(f"{spec}: unusable customer data: {exc}.") from exc
    if not isinstance(values, dict):
        raise InputError(
            f"{spec}: customer data must be a JSON object, not {type(values).__name__}."
        )
    return values


_URL_IN_HINT = (
    "Give a local file; URLs (s3://, gs://...) are read on a Dask cluster: add --cluster "
    "local:N or tcp://HOST:PORT (docs/scale.md)."
)
_URL_OUT_HINT = (
    "Give a local file or folder; URLs (s3://, gs://...) are written on a Dask cluster: add "
    "--cluster local:N or tcp://HOST:PORT (docs/scale.md)."
)


@app.command("render-batch")
def render_batch(
    ctx: typer.Context,
    out: Annotated[
        str,
        typer.Option(
            "--out",
            "-o",
            help="Output: a .jsonl file, a folder (one <id>.json per customer) or '-' for stdout.",
        ),
    ],
    template: Annotated[
        str | None, typer.Argument(help="Template path, as for 'render' (not with --sends).")
    ] = None,
    customers: Annotated[
        str | None,
        typer.Option(
            "--customers",
            "-c",
            help="Customers: .csv, .jsonl or .parquet with a 'locale' column (with --cluster: "
            "also an fsspec URL or a glob).",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option("--workers", "-w", min=1, help="Worker processes (at most 4 per CPU)."),
    ] = 1,
    errors: Annotated[
        str | None,
        typer.Option("--errors", help="Also write failed rows to this JSONL file."),
    ] = None,
    id_column: Annotated[
        str, typer.Option("--id-column", help="Column that names per-customer files.")
    ] = "id",
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show progress on stderr.")
    ] = True,
    from_po: FromPoOption = False,
    use_fuzzy: FuzzyOption = False,
    strict: StrictOption = False,
    sends: Annotated[
        str | None,
        typer.Option("--sends", help="A sends file from 'toolkit audience': each line rendered "
                     "with its own template and locale (instead of TEMPLATE --customers; with "
                     "--cluster also an fsspec URL, a glob or a folder of part-*.jsonl files)."),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            "--cluster",
            help="Render on Dask: local:N (N worker processes here) or a scheduler address "
            "(tcp://HOST:PORT); --out is then a folder of part files (*.parquet: Parquet). "
            "Needs the 'dask' extra; see docs/scale.md.",
        ),
    ] = None,
    worker_project: Annotated[
        str | None,
        typer.Option(
            "--worker-project",
            help="With --cluster: read the project from this folder on the workers (shared "
            "storage) instead of shipping its templates and catalogs with the job.",
        ),
    ] = None,
    partition_size: Annotated[
        str, typer.Option("--partition-size", help="With --cluster: bytes per CSV/JSONL partition.")
    ] = "16MB",
) -> None:
    """Render one message per customer, each in the customer's own locale (streamed).

    With --sends FILE (from 'toolkit audience'), each line is rendered with its own template.

    Exit code 0 when every row rendered, 1 when some rows failed (they are listed on stderr and
    in --errors), 2 for unusable arguments or a broken template.
    """
    from ..fsutil import atomic_open
    from ..render import resolve_template
    from ..render.batch import RowError
    from ..render.batch import render_batch as run_batch
    from .output import print_batch_result, print_row_error

    config = state(ctx).config()
    if cluster is None and out != "-":
        out = str(local_path(out, "--out", hint=_URL_OUT_HINT))
    if cluster is None:  # (s3://x/y.csv was read as the local path s3:/x/y.csv)
        if customers is not None:
            customers = str(local_path(customers, "--customers", hint=_URL_IN_HINT, reads=True))
        if sends is not None:
            sends = str(local_path(sends, "--sends", hint=_URL_IN_HINT, reads=True))
    error_file = None if errors is None else local_path(errors, "--errors")
    if error_file is not None:
        config.refuse_as_output(error_file)
    from ..fsutil import refuse_output_over_input

    refuse_output_over_input(error_file, "--errors", customers=customers, sends=sends, out=out)
    if "://" not in out and out != "-":
        refuse_output_over_input(Path(out), "--out", customers=customers, sends=sends)
        config.refuse_as_output(Path(out))
    plain = sends is None and template is not None and customers is not None
    if not plain and (sends is None or template is not None or customers is not None):
        raise typer.BadParameter(
            "give TEMPLATE --customers FILE, or --sends FILE alone", param_hint="--sends"
        )
    if not from_po:  # once for the batch (each message's warnings have it too)
        from ..render.locale_chain import stale_catalogs, stale_warning

        for po, mo, why in stale_catalogs(config):
            echo(f"warning: {stale_warning(config, po, mo, 'the messages', why)}", err=True)
    if cluster is not None:
        from .cluster_run import render_batch_on_cluster

        if sends is None:
            assert customers is not None and template is not None
            template = resolve_template(config, template)
        render_batch_on_cluster(
            config, template or "", customers or "", out, cluster=cluster,
            worker_project=worker_project, partition_size=partition_size, errors=error_file,
            id_column=id_column, progress=progress, from_po=from_po, use_fuzzy=use_fuzzy,
            strict=strict, sends=sends,
        )
        return
    if sends is not None:  # same output, errors and progress; each line names its template
        from ..render.sends import sends_batch

        run_batch, name, customers = sends_batch, "", sends  # type: ignore[assignment]
    else:
        name = resolve_template(config, template or "")
    assert customers is not None
    source = Path(customers)
    target = None if out == "-" else Path(out)
    shown = 0

    with contextlib.ExitStack() as stack:
        error_sink: IO[str] | None = None
        if error_file is not None:
            error_sink = stack.enter_context(
                atomic_open(error_file, "w", encoding="utf-8", follow_links=True)
            )

        def on_error(error: RowError) -> None:
            nonlocal shown
            if error_sink is not None:
                error_sink.write(json.dumps(error.as_dict(), ensure_ascii=False) + "\n")
            if shown < MAX_ERRORS_SHOWN:
                print_row_error(source, error)
            shown += 1

        on_progress = None
        if progress and is_terminal(sys.stderr):  # Rich ends even a hidden display with a
            # line break, which put a blank line before an error in a log
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            bar = stack.enter_context(
                Progress(
                    SpinnerColumn(),
                    TextColumn("{task.description}"),
                    TimeElapsedColumn(),
                    console=Console(stderr=True),
                    transient=True,
                    # Refreshed after each chunk instead of by rich's refresh thread: with no
                    # other thread running, --workers forks its pool (fast start-up).
                    auto_refresh=False,
                )
            )
            task = bar.add_task("rendering", total=None)

            def on_progress(rendered: int, failed: int) -> None:
                bar.update(task, description=f"{rendered} rendered, {failed} failed")
                bar.refresh()

        from ..render.batch import max_workers

        if workers > max_workers() and not sends:
            echo(
                f"note: --workers {workers} is more than 4 per CPU; using {max_workers()}.",
                err=True,
            )
        result = run_batch(
            config,
            name,
            source,
            target,
            workers=workers,
            from_po=from_po,
            use_fuzzy=use_fuzzy,
            id_column=id_column,
            on_error=on_error,
            on_progress=on_progress,
            stdout=sys.stdout,
            strict=strict,
        )
    print_batch_result(
        result, target=target, errors=error_file, unshown=max(0, shown - MAX_ERRORS_SHOWN)
    )
    if result.unnamed:  # a JSON Lines --id-column no row has is only seen here
        rows = "1 row" if result.unnamed == 1 else f"{result.unnamed} rows"
        files = "its file is" if result.unnamed == 1 else "their files are"
        echo(
            f"note: {rows} had no '{id_column}' (--id-column): {files} named row-<line>.json",
            err=True,
        )
    if result.failed:
        raise typer.Exit(1)
