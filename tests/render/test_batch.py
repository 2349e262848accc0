"""render-batch: streaming, per-row locales, bad rows reported without stopping, workers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.errors import InputError
from toolkit.render.batch import RowError, read_customers, render_batch

EMAIL = "email/payment-reminder.j2"
CSV = """id,locale,first_name,amount,due_date,items,timezone
c1,da_DK,Mette,1234.5,2025-03-01,1,Europe/Copenhagen
c2,nb-NO,Ola,99,2025-03-02,2,Europe/Oslo
c3,xx_YY,Bad,1,2025-03-01,1,UTC
c4,lt_LT,Ona,notanumber,2025-03-01,1,UTC
c5,de_AT,Hans,10,2025-03-01,5,Mars/Base
c6,lt,Jonas,5,2025-03-01,12,Europe/Vilnius
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def run(config, customers, out, **options):
    errors: list[RowError] = []
    result = render_batch(config, EMAIL, customers, out, on_error=errors.append, **options)
    return result, errors


def test_csv_batch_reports_bad_rows_and_goes_on(render_project, tmp_path):
    out = tmp_path / "out.jsonl"
    result, errors = run(render_project, write(tmp_path / "c.csv", CSV), out)
    assert (result.rendered, result.failed) == (3, 3)
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(r["row"], r["id"], r["locale"]) for r in lines] == [
        (2, "c1", "da_DK"), (3, "c2", "nb_NO"), (7, "c6", "lt")]
    assert lines[0]["parts"]["subject"] == "Mette, din faktura er klar"
    assert "Du har købt 1 vare." in lines[0]["parts"]["text"]  # CSV "1" still selects a form
    assert "Nupirkote 12 prekių." in lines[2]["parts"]["text"]
    assert lines[0]["payment_methods"][0] == "dankort"
    reasons = {e.row: e.reason for e in errors}
    assert set(reasons) == {4, 5, 6}
    assert "Unknown locale 'xx_YY'" in reasons[4]
    assert "currency: 'notanumber' is not a number" in reasons[5]
    assert "unknown time zone 'Mars/Base'" in reasons[6]


def test_jsonl_keeps_types_and_reports_broken_lines(render_project, tmp_path):
    customers = write(tmp_path / "c.jsonl", "\n".join([
        json.dumps({"id": 1, "locale": "lt", "first_name": "Ona", "amount": 5,
                    "due_date": "2025-03-01", "items": 21}),
        json.dumps({"id": 2, "locale": "da"}),
        "not json",
        "[1, 2]",
        "",
        json.dumps({"id": 3, "first_name": "x"}),
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    result, errors = run(render_project, customers, out)
    assert (result.rendered, result.failed) == (1, 4)
    line = json.loads(out.read_text("utf-8"))
    assert "Nupirkote 21 prekę." in line["parts"]["text"]
    reasons = {e.row: e.reason for e in errors}
    assert "'first_name' is undefined" in reasons[2]
    assert "not valid JSON" in reasons[3]
    assert reasons[4] == "not a JSON object"
    assert reasons[6].startswith("no locale: the row's 'locale' column is empty")


def test_output_folder_one_file_per_customer(render_project, tmp_path):
    csv = CSV + "../evil,da,Eve,1,2025-03-01,1,UTC\n,da,NoId,1,2025-03-01,1,UTC\n"
    out = tmp_path / "messages"
    result, errors = run(render_project, write(tmp_path / "c.csv", csv), out)
    assert sorted(p.name for p in out.iterdir()) == ["c1.json", "c2.json", "c6.json", "row-9.json"]
    assert json.loads((out / "c1.json").read_text("utf-8"))["locale"] == "da_DK"
    assert any("cannot be used as a file name" in e.reason for e in errors)
    assert not (tmp_path / "evil.json").exists()
    assert result.rendered == 4


def test_workers_give_the_same_ordered_output(render_project, tmp_path):
    rows = [CSV.splitlines()[0]]
    body = CSV.splitlines()[1:]
    for i in range(300):
        line = body[i % len(body)].split(",", 1)[1]
        rows.append(f"r{i},{line}")
    customers = write(tmp_path / "many.csv", "\n".join(rows) + "\n")
    one, errors_one = run(render_project, customers, tmp_path / "one.jsonl", chunk_rows=16)
    two, errors_two = run(render_project, customers, tmp_path / "two.jsonl", workers=2,
                          chunk_rows=16)
    assert (one.rendered, one.failed) == (two.rendered, two.failed) == (150, 150)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert [e.row for e in errors_one] == [e.row for e in errors_two]


def test_csv_without_locale_column_is_refused(render_project, tmp_path):
    with pytest.raises(InputError, match="no 'locale' column"):
        read_customers(write(tmp_path / "c.csv", "id,name\n1,x\n"))
    with pytest.raises(InputError, match=".csv or .jsonl"):
        read_customers(write(tmp_path / "c.txt", "x"))


def test_broken_template_stops_the_batch_before_any_row(render_project, write_template, tmp_path):
    write_template("email/broken.j2", "{% block text %}{% if %}{% endblock %}")
    from toolkit.errors import CatalogError

    with pytest.raises(CatalogError, match="broken.j2:1"):
        render_batch(render_project, "email/broken.j2", write(tmp_path / "c.csv", CSV),
                     tmp_path / "o.jsonl")
    assert not (tmp_path / "o.jsonl").exists()


def test_rows_are_read_lazily(tmp_path):
    path = write(tmp_path / "c.jsonl", '{"locale": "da"}\n' * 5)
    rows = read_customers(path)
    assert next(rows) == (1, {"locale": "da"})
