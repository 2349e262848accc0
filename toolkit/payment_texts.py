"""The translatable texts of payment methods, as ``toolkit extract`` puts them in the POT.

:func:`toolkit.payments.payment_messages` builds them from the validated payment data. Extract
needs only the shipped data's names and descriptions, so :func:`package_payment_messages`
reads them straight from its JSON: importing, building and validating the whole data costs
~20 ms, a seventh of an ``extract`` of a small project. A test keeps the two equal for every
market, and the data's own tests validate the shipped file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: The msgctxt of a method's texts.
MESSAGE_CONTEXT = "payment method: {id}"


@dataclass(frozen=True)
class PaymentMessage:
    """One translatable text of a payment method, as it goes into the POT."""

    context: str  # "payment method: <id>"
    text: str
    comment: str


def method_messages(
    method_id: str, name: str, kind: str, name_kind: str, description: str
) -> list[PaymentMessage]:
    """A method's texts: its name when generic (brands are never translated), its
    description, each with a note for translators."""
    context = MESSAGE_CONTEXT.format(id=method_id)
    messages = []
    if name_kind == "generic":
        messages.append(
            PaymentMessage(
                context,
                name,
                f"Name of a payment method ({kind.replace('_', ' ')}), shown in "
                "lists and joined into sentences (\"we accept X, Visa and Y\"): write it "
                "as it reads mid-sentence. Keep brand names such as SEPA unchanged.",
            )
        )
    keep = "" if name_kind == "generic" else f" Keep the brand name {name}."
    messages.append(
        PaymentMessage(
            context,
            description,
            f"Description of the payment method {name}, one sentence addressed "
            f"to the customer.{keep}",
        )
    )
    return messages


def package_payment_messages(territories: Iterable[str]) -> list[PaymentMessage]:
    """:func:`toolkit.payments.payment_messages` of the shipped data, read from its JSON."""
    import json
    from pathlib import Path

    data = json.loads((Path(__file__).parent / "data" / "payments.json").read_bytes())
    methods, markets = data["methods"], data["markets"]
    ids: dict[str, None] = {}
    for territory in territories:
        market = markets.get(territory.upper())
        ids.update(dict.fromkeys(market["methods"] if market else data["fallback"]["methods"]))
    messages = []
    for method_id in ids:
        entry = methods[method_id]
        if entry.get("status") == "active":
            messages += method_messages(
                method_id,
                entry["name"],
                entry["kind"],
                entry.get("name_kind", "brand"),
                entry["description"],
            )
    return messages
