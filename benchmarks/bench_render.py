"""render-batch throughput against a plain Jinja2 loop rendering the same template.

Two plain loops, what a team would write without the toolkit: a non-sandboxed
``jinja2.Environment`` per locale with the same compiled catalogs installed (new-style gettext),
each block rendered and the parts written as JSON lines. ``plain_jinja_csv`` reads the same CSV
and registers the filters the template uses (``currency``, ``date``, ``list`` formatted by Babel
in the customer's locale): the same messages from the same input. ``plain_jinja`` reads the
customer values already formatted as strings before the timing starts (its filters are identity
functions): a lower bound that leaves Babel out. render-batch does
the real work on top: CSV parsing with per-row locale resolution, the sandbox, Babel formatting
in the customer's locale and time zone, translation vetting, SMS/limit checks, payment methods
and metadata.

    .venv/bin/python benchmarks/bench_render.py [--rows 100000] [--workers 1 2]

Not part of the test suite. Results go to docs/benchmarks.md (## render) by hand.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gettext
import json
import os
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel import dates, lists, numbers  # noqa: E402
from jinja2 import Environment, FileSystemLoader  # noqa: E402

from toolkit.compile import compile_catalogs  # noqa: E402
from toolkit.config import load_config  # noqa: E402
from toolkit.payments import payment_methods_for_locale  # noqa: E402
from toolkit.render.batch import render_batch  # noqa: E402
from toolkit.render.filters import territory_currency  # noqa: E402
from toolkit.render.locale_chain import resolve_chain  # noqa: E402

TEMPLATE = "email/payment-reminder.j2"
LOCALES = ["da_DK", "nb_NO", "lt_LT", "de_AT", "da", "en_US"]
ZONES = {"da_DK": "Europe/Copenhagen", "nb_NO": "Europe/Oslo", "lt_LT": "Europe/Vilnius",
         "de_AT": "Europe/Vienna", "da": "Europe/Copenhagen", "en_US": "America/New_York"}
FIELDS = ["id", "locale", "first_name", "amount", "due_date", "items", "timezone"]
NAMES = ["Mette", "Ola", "Ona", "Hans", "Jonas", "Åse", "Emily"]


def make_project(work: Path) -> Path:
    project = work / "project"
    shutil.copytree(ROOT / "tests" / "data" / "render" / "project", project)
    compile_catalogs(load_config(project))
    return project


def make_customers(path: Path, rows: int) -> None:
    rng = random.Random(7)
    start = dt.date(2025, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for i in range(rows):
            locale = LOCALES[i % len(LOCALES)]
            writer.writerow([
                f"c{i}", locale, rng.choice(NAMES), f"{rng.randint(100, 500000) / 100:.2f}",
                (start + dt.timedelta(days=rng.randint(0, 180))).isoformat(),
                rng.randint(1, 30), ZONES[locale],
            ])


def preformat(src: Path, dst: Path) -> None:
    """The plain loop's input: the same customers with every value already formatted."""
    with src.open(encoding="utf-8", newline="") as inp, dst.open("w", encoding="utf-8") as out:
        for row in csv.DictReader(inp):
            locale = resolve_chain(row["locale"]).locale
            currency = territory_currency(resolve_chain(row["locale"]).country)
            row["amount"] = numbers.format_currency(float(row["amount"]), currency, locale=locale)
            row["due_date"] = dates.format_date(dt.date.fromisoformat(row["due_date"]), "long",
                                                locale=locale)
            row["items"] = int(row["items"])
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


def plain_environment(config, name: str) -> tuple[Environment, object]:
    """What both plain loops start from for a locale: a non-sandboxed Jinja2 environment with
    the compiled catalogs installed (new-style gettext), and its locale chain."""
    chain = resolve_chain(name, config.source_locale)
    translations = gettext.translation(
        config.domain, str(config.locales_path), languages=list(chain.candidates),
        fallback=True,
    )
    env = Environment(loader=FileSystemLoader(str(config.templates_path)),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True,
                      lstrip_blocks=True, autoescape=False)
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    return env, chain


def write_parts(sink, template, row: dict) -> None:
    """Each block of the template rendered for ``row``, as one JSON line."""
    context = template.new_context(row)
    parts = {name: "".join(block(context)).strip() for name, block in template.blocks.items()}
    sink.write(json.dumps({"id": row["id"], "parts": parts}, ensure_ascii=False) + "\n")


def plain_jinja(project: Path, customers: Path, out: Path) -> int:
    """The baseline: a Jinja2 loop with pre-formatted values and the same catalogs."""
    config = load_config(project)
    templates: dict[str, object] = {}

    def template_for(name: str):
        if name not in templates:
            env, chain = plain_environment(config, name)
            methods = payment_methods_for_locale(chain.locale)
            names = lists.format_list([m.name for m in methods], locale=chain.locale)
            identity = lambda value, *args: value  # noqa: E731
            env.filters.update(currency=identity, date=identity, list=lambda value: names)
            env.globals["payment_methods"] = methods
            templates[name] = env.get_template(TEMPLATE)
        return templates[name]

    count = 0
    with customers.open(encoding="utf-8") as inp, out.open("w", encoding="utf-8") as sink:
        for line in inp:
            row = json.loads(line)
            write_parts(sink, template_for(row["locale"]), row)
            count += 1
    return count


def plain_jinja_csv(project: Path, customers: Path, out: Path) -> int:
    """The plain alternative on the same input as render-batch: a Jinja2 loop over the same
    CSV, with the filters a team would register for the template (money, dates and lists
    formatted by Babel in the customer's locale) and the same catalogs. One environment per
    locale; no sandbox, no escaping, no checks."""
    config = load_config(project)
    templates: dict[str, object] = {}

    def template_for(name: str):
        if name not in templates:
            env, chain = plain_environment(config, name)
            locale, currency = chain.locale, territory_currency(chain.country)
            env.filters.update(
                currency=lambda value: numbers.format_currency(Decimal(value), currency,
                                                               locale=locale),
                date=lambda value, style="medium": dates.format_date(
                    dt.date.fromisoformat(value), style, locale=locale),
                list=lambda value: lists.format_list(list(value), locale=locale),
            )
            env.globals["payment_methods"] = payment_methods_for_locale(locale)
            templates[name] = env.get_template(TEMPLATE)
        return templates[name]

    count = 0
    with customers.open(encoding="utf-8", newline="") as inp, \
            out.open("w", encoding="utf-8") as sink:
        for row in csv.DictReader(inp):
            row["items"] = int(row["items"])
            write_parts(sink, template_for(row["locale"]), row)
            count += 1
    return count


def timed(label: str, func, rows: int) -> float:
    started = time.perf_counter()
    func()
    seconds = time.perf_counter() - started
    rate = rows / seconds
    print(f"{label:<32} {seconds:8.2f} s {rate:10.0f} messages/s", flush=True)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        project = make_project(work)
        customers = work / "customers.csv"
        make_customers(customers, args.rows)
        formatted = work / "formatted.jsonl"
        preformat(customers, formatted)
        config = load_config(project)
        print(f"{args.rows} customers, {len(LOCALES)} locales, template {TEMPLATE}, "
              f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
        plain = timed("plain Jinja2 (pre-formatted)",
                      lambda: plain_jinja(project, formatted, work / "plain.jsonl"), args.rows)
        plain_csv = timed("plain Jinja2 + Babel filters",
                          lambda: plain_jinja_csv(project, customers, work / "plain-csv.jsonl"),
                          args.rows)
        for workers in args.workers:
            out = work / f"batch-{workers}.jsonl"
            results: list = []

            def run(workers: int = workers, out: Path = out, results: list = results) -> None:
                results.append(render_batch(config, TEMPLATE, customers, out, workers=workers))

            rate = timed(f"render-batch --workers {workers}", run, args.rows)
            assert results[0].failed == 0, results[0]
            print(f"{'':<32} ratio to plain Jinja2 + Babel filters: {rate / plain_csv:.2f}x, "
                  f"to pre-formatted plain Jinja2: {rate / plain:.2f}x")


if __name__ == "__main__":
    main()
