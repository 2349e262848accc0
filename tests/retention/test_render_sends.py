"""audience -> render-batch --sends with the library's own templates and catalogs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from babel.numbers import format_currency
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.config import load_config
from toolkit.render.sends import render_sends

from .test_audience import _sends, inputs  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """The repository's content project (templates, glossaries, locales), copied."""
    target = tmp_path / "library"
    target.mkdir()
    for name in ("templates", "locales", "glossaries"):
        shutil.copytree(ROOT / name, target / name)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_every_default_rule_renders_in_the_customers_locale(
    inputs, library, tmp_path  # noqa: F811
):
    _, sends = _sends(inputs)
    out = tmp_path / "messages.jsonl"
    errors = []
    result = render_sends(load_config(library), inputs["out"], out, from_po=True,
                          on_error=errors.append)
    assert errors == [] and (result.rendered, result.failed) == (13, 0)
    lines = {line["id"]: line for line in map(json.loads, out.read_text("utf-8").splitlines())}
    assert {cid: line["rule"] for cid, line in lines.items()} == {
        cid: send["rule"] for cid, send in sends.items()}
    assert lines["onboard"]["template"] == "onboarding/first_purchase.j2"
    assert lines["onboard"]["locale"] == "da_DK"
    assert "First onboard" in lines["onboard"]["parts"]["subject"]
    # Babel formats the money and dates of the data for the customer's locale.
    points = lines["points"]["parts"]["text"]
    assert format_currency(50, "DKK", locale="da_DK") in points
    assert "10. oktober 2026" in points
    offer_lt = lines["offer_lt"]["parts"]["text"]  # minimum spend 40 EUR for lt_LT
    assert format_currency(40, "EUR", locale="lt_LT") in offer_lt
    assert "sms" in lines["reminder"]["channels"] and lines["reminder"]["locale"] == "nb_NO"


def test_bad_lines_are_reported_and_the_rest_rendered(library, tmp_path):
    sends = tmp_path / "sends.jsonl"
    good = {"customer_id": "c1", "template": "referral/invite_friend.j2", "locale": "da_DK",
            "rule": "referral-invite", "data": {
                "first_name": "Anna", "friend_discount": 100, "reward_points": 500,
                "referral_url": "https://x.example/r", "unsubscribe_url": "https://x.example/u"}}
    sends.write_text("\n".join([
        json.dumps(good),
        json.dumps({**good, "customer_id": "c2", "template": "../../etc/passwd"}),
        json.dumps({**good, "customer_id": "c3", "data": {"first_name": "Bo"}}),
        json.dumps({**good, "customer_id": "c4", "locale": ""}),
        "{oops",
    ]) + "\n", "utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["--project", str(library), "render-batch", "--sends",
                                      str(sends), "--out", str(out), "--from-po",
                                      "--no-progress"])
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in out.iterdir()) == ["c1.json"]
    assert "sends.jsonl:2: row 2 (id c2): '../../etc/passwd' is outside the templates" in (
        result.stderr)
    assert "sends.jsonl:3: row 3 (id c3):" in result.stderr and "undefined" in result.stderr
    assert "sends.jsonl:4: row 4 (id c4): no locale" in result.stderr
    assert "sends.jsonl:5: row 5: not valid JSON" in result.stderr
    assert "1 messages, 4 failed rows" in result.stdout


def test_folder_output_never_overwrites_a_customer(library, tmp_path):
    """Two lines for one customer (two rules on two days, say): the second is a row error,
    as in render-batch, not a silent overwrite of the first file."""
    good = {"customer_id": "c1", "template": "referral/invite_friend.j2", "locale": "da_DK",
            "rule": "referral-invite", "data": {
                "first_name": "Anna", "friend_discount": 100, "reward_points": 500,
                "referral_url": "https://x.example/r", "unsubscribe_url": "https://x.example/u"}}
    sends = tmp_path / "sends.jsonl"
    sends.write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n", "utf-8")
    errors: list = []
    result = render_sends(load_config(library), sends, tmp_path / "out", from_po=True,
                          on_error=errors.append)
    assert (result.rendered, result.failed) == (1, 1)
    assert [(e.row, "already used by row 1" in e.reason) for e in errors] == [(2, True)]


def test_strict_fails_lines_not_fit_to_send(library, tmp_path):
    """--strict applies to sends as to render-batch: a German line (no catalog) is served in
    the source language and fails with the reason; the Danish one is sent."""
    good = {"customer_id": "c1", "template": "referral/invite_friend.j2", "locale": "da_DK",
            "rule": "referral-invite", "data": {
                "first_name": "Anna", "friend_discount": 100, "reward_points": 500,
                "referral_url": "https://x.example/r", "unsubscribe_url": "https://x.example/u"}}
    sends = tmp_path / "sends.jsonl"
    sends.write_text(json.dumps(good) + "\n" + json.dumps(
        {**good, "customer_id": "c2", "locale": "de_DE"}) + "\n", "utf-8")
    errors: list = []
    config = load_config(library)
    loose = render_sends(config, sends, tmp_path / "loose.jsonl", from_po=True)
    strict = render_sends(config, sends, tmp_path / "strict.jsonl", from_po=True,
                          on_error=errors.append, strict=True)
    assert (loose.rendered, loose.failed) == (2, 0)
    assert (strict.rendered, strict.failed) == (1, 1)
    assert errors[0].id == "c2" and errors[0].reason.startswith("strict: ")


def test_sends_and_template_are_exclusive(library, tmp_path):
    result = CliRunner().invoke(app, ["--project", str(library), "render-batch",
                                      "winback/we_miss_you.j2", "--sends", "x.jsonl", "--out",
                                      str(tmp_path / "o.jsonl")])
    assert result.exit_code == 2 and "--sends" in result.output and "alone" in result.output


def test_money_is_in_the_currency_the_audience_computed_it_in(
    inputs, library, tmp_path  # noqa: F811
):
    """A Danish customer whose latest order was in euros got a minimum spend in euros from
    audience, and render-batch --sends printed it as kroner (QA 33: 1,219 of 1,560 lines)."""
    orders = inputs["orders"].read_text("utf-8")
    assert ",offer,2026-07-02,100,DKK" in orders
    inputs["orders"].write_text(orders.replace(",offer,2026-07-02,100,DKK",
                                               ",offer,2026-07-02,100,EUR"), "utf-8")
    _, sends = _sends(inputs)
    data = sends["offer"]["data"]
    assert data["currency"] == "EUR" and sends["offer"]["locale"] == "da_DK"
    out = tmp_path / "messages.jsonl"
    render_sends(load_config(library), inputs["out"], out, from_po=True)
    lines = {line["id"]: line for line in map(json.loads, out.read_text("utf-8").splitlines())}
    offer = lines["offer"]
    assert offer["currency"] == "EUR" and offer["country"] == "DK"
    euros = format_currency(data["minimum_spend"], "EUR", locale="da_DK")
    assert euros in offer["parts"]["text"] and "kr." not in offer["parts"]["text"]
    # The customer in kroner next to them is unchanged.
    assert lines["reminder"]["currency"] == "NOK"


def test_jsonl_output_renders_a_customer_once(library, tmp_path):
    """As the folder output: a second line for one customer is a failed line naming the
    first, not a second message for the customer in the JSONL output (QA)."""
    good = {"customer_id": "c1", "template": "referral/invite_friend.j2", "locale": "da_DK",
            "rule": "referral-invite", "data": {
                "first_name": "Anna", "friend_discount": 100, "reward_points": 500,
                "referral_url": "https://x.example/r", "unsubscribe_url": "https://x.example/u"}}
    other = {**good, "customer_id": "c2"}
    sends = tmp_path / "sends.jsonl"
    sends.write_text("\n".join(json.dumps(x) for x in (good, other, good)) + "\n", "utf-8")
    errors: list = []
    out = tmp_path / "out.jsonl"
    result = render_sends(load_config(library), sends, out, from_po=True, on_error=errors.append)
    assert (result.rendered, result.failed) == (2, 1)
    assert [(e.row, e.id, e.reason) for e in errors] == [
        (3, "c1", "duplicate customer id 'c1', first at line 1")]
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == [
        "c1", "c2"]


def test_a_failed_sends_line_names_its_customer(library, tmp_path):
    """'no locale' and the duplicate line were 'row 3: no locale' with "id": null in the
    errors file, though the line names its customer (QA pass 70); a line whose first send
    failed does not make the customer's next one a duplicate."""
    good = {"customer_id": "c1", "template": "referral/invite_friend.j2", "locale": "da_DK",
            "rule": "referral-invite", "data": {
                "first_name": "Anna", "friend_discount": 100, "reward_points": 500,
                "referral_url": "https://x.example/r", "unsubscribe_url": "https://x.example/u"}}
    lines = [{**good, "customer_id": "c203", "locale": ""}, {**good, "customer_id": "c203"},
             {**good, "customer_id": "c9", "template": None},
             # a first line that fails to render does not count either (QA pass 71)
             {**good, "customer_id": "c5", "data": {"first_name": "Bo"}},
             {**good, "customer_id": "c5"}]
    sends = tmp_path / "sends.jsonl"
    sends.write_text("\n".join(json.dumps(x) for x in lines) + "\n", "utf-8")
    errors: list = []
    result = render_sends(load_config(library), sends, tmp_path / "out.jsonl", from_po=True,
                          on_error=errors.append)  # fmt: skip
    assert (result.rendered, result.failed) == (2, 3)
    assert [(e.row, e.id, e.reason) for e in errors][:2] == [
        (1, "c203", "no locale"), (3, "c9", "no template")]
    assert errors[2].row == 4 and errors[2].id == "c5"


def test_a_missing_sends_file_makes_no_output_folder(library, tmp_path):
    """The output folder was made before the sends file was opened (exit 2, an empty folder
    left behind)."""
    from toolkit.errors import InputError

    with pytest.raises(InputError, match="cannot read sends file"):
        render_sends(load_config(library), tmp_path / "missing.jsonl", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_odd_customer_ids_keep_the_error_line_one_line(library, tmp_path):
    """An id with a line break split its error line in two, a 5,000-character one printed
    whole, and JSON true or an object became the ids 'True' and "{'k': 1}" (QA pass 71)."""
    good = {"customer_id": "c1", "template": "referral/invite_friend.j2", "locale": "",
            "rule": "referral-invite", "data": {"first_name": "Anna"}}
    located = {**good, "locale": "da_DK"}
    lines = [{**good, "customer_id": "a\nb"}, {**good, "customer_id": "x" * 5000},
             {**located, "customer_id": True}, {**located, "customer_id": {"k": 1}}]
    sends = tmp_path / "sends.jsonl"
    sends.write_text("\n".join(json.dumps(x) for x in lines) + "\n", "utf-8")
    result = CliRunner().invoke(app, ["--project", str(library), "render-batch", "--sends",
                                      str(sends), "--out", str(tmp_path / "o.jsonl"),
                                      "--no-progress"])  # fmt: skip
    assert result.exit_code == 1
    shown = [line for line in result.stderr.splitlines() if line.startswith(str(sends))]
    assert len(shown) == 4 and all(len(line) < 400 for line in shown), shown
    assert "row 1 (id 'a\\nb'): no locale" in shown[0]
    assert "(id 'xxxxxxxx" in shown[1] and "…)" in shown[1]
    assert shown[2].endswith("customer_id is true: write the id as text or a number")
    assert 'customer_id is {"k": 1}' in shown[3]
