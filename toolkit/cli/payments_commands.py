"""payments: the payment methods offered in a locale's country (needs no project)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .application import FormatOption, app


@app.command()
def payments(
    locale: Annotated[
        str,
        typer.Option(
            "--locale", "-l", help="Customer locale: 'nb_NO', 'da-DK', or 'da' (likely country)."
        ),
    ],
    format: FormatOption = "text",
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
    from ..payments import payment_data, payment_offer
    from .output import output_format, print_payment_offer

    chosen = output_format(format)
    data = payment_data(overrides)
    offer = payment_offer(locale, recurring_only=recurring, data=data)
    print_payment_offer(offer, data, chosen, recurring=recurring)
