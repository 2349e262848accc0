"""payments: the payment methods offered in a locale's country (needs no project)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import TableFormatOption, app, require_choice

_RECURRING_LABELS = {
    "yes": "yes",
    "no": "no",
    "via_sepa_dd": "via SEPA DD",
    "psp_dependent": "depends on PSP",
    "unknown": "unknown",
}


@app.command()
def payments(
    locale: Annotated[
        str,
        typer.Option(
            "--locale", "-l", help="Customer locale: 'nb_NO', 'da-DK', or 'da' (likely country)."
        ),
    ],
    format: TableFormatOption = "table",
    recurring: Annotated[
        bool,
        typer.Option(
            "--recurring", help="Only methods that can be charged again (renewals, top-ups)."
        ),
    ] = False,
    overrides: Annotated[
        Path | None,
        typer.Option(
            "--overrides",
            help="JSON file that adds or replaces methods and markets (see docs/payments.md).",
        ),
    ] = None,
) -> None:
    """Payment methods offered in the locale's country, most used locally first."""
    from .. import report
    from ..payments import payment_data, payment_offer

    require_choice(format, ("table", "json"))
    data = payment_data(overrides)
    offer = payment_offer(locale, recurring_only=recurring, data=data)
    if format == "json":
        payload = offer.as_dict()
        payload["recurring_only"] = recurring
        for entry in payload["methods"]:
            entry["recurring_detail"] = data.methods[entry["id"]].recurring_detail
        typer.echo(report.to_json(payload))
        return
    where = offer.territory or "no territory"
    market = data.markets.get(offer.territory or "")
    currency = market.currency if market else None
    rows = [
        [
            m.name,
            m.kind,
            _RECURRING_LABELS[data.methods[m.id].recurring_detail],
            _currencies(m.currencies, currency),
            m.description,
        ]
        for m in offer.methods
    ]
    report.print_table(
        f"Payment methods for {offer.locale} ({where}), as of {offer.as_of}",
        ("method", "kind", "recurring", "currencies", "description"),
        rows,
    )
    if offer.fallback:
        typer.echo(f"No payment data for {where}: showing international card schemes and PayPal.")


def _currencies(codes: tuple[str, ...], local: str | None) -> str:
    """Short currency cell: long lists name the market's currency and count the rest."""
    if not codes:
        return "any"
    if len(codes) <= 3 or local not in codes:
        return ", ".join(codes)
    return f"{local} (+{len(codes) - 1} more)"
