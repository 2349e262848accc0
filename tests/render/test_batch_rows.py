"""render-batch hardening (issue 18): every row on its own, unique output names, no temp files.

Each test feeds a row that used to stop the whole batch with a traceback (invalid UTF-8, a CSV
field over 131,072 characters, JSON nested 100k deep, a 5,000-digit number, non-finite
amounts) or that silently overwrote another customer's file (duplicate ids).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from toolkit.errors import InputError
from toolkit.render.batch import RowError, render_batch

EMAIL = "email/payment-reminder.j2"
HEADER = b"id,locale,first_name,amount,due_date,items,timezone\n"
GOOD = b"c1,da_DK,Mette,1234.5,2025-03-01,1,UTC\n"
GOOD_LAST = b"c9,nb,Ola,99,2025-03-02,2,UTC\n"


def run(config, customers: Path, out: Path | None):
    errors: list[RowError] = []
    result = render_batch(config, EMAIL, customers, out, on_error=errors.append)
    return result, {e.row: e.reason for e in errors}


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        (b"c2,da,Bad\xff\xfeName,1,2025-03-01,1,UTC\n", "not valid UTF-8"),
        (b"c2,da,x,1,2025-03-01,1," + b"y" * 140_000 + b"\n", "field larger than field limit"),
        (b"c2,da,x,NaN,2025-03-01,1,UTC\n", "is not a number"),
        (b"c2,da,x,1e400,2025-03-01,1,UTC\n", "out of range"),
        (b"c2,da,x,-Infinity,2025-03-01,1,UTC\n", "is not a number"),
        (b"c2,da,x," + b"9" * 5000 + b",2025-03-01,1,UTC\n", "is not a number"),
        (b"c2,da,x,1e999999999,2025-03-01,1,UTC\n", "out of range"),
        # Python's advice "open the file in universal-newline mode?" (QA pass 81)
        (b"c2,da,Bo\rb,1,2025-03-01,1,UTC\n", "a line break (CR) inside a value that is not"),
    ],
    ids=["utf8", "long-field", "nan", "1e400", "-inf", "5000-digits", "huge-exponent", "cr"],
)
def test_a_bad_csv_row_fails_alone(render_project, tmp_path, bad_row, reason):
    customers = tmp_path / "c.csv"
    customers.write_bytes(HEADER + GOOD + bad_row + GOOD_LAST)
    result, errors = run(render_project, customers, tmp_path / "out.jsonl")
    assert (result.rendered, result.failed) == (2, 1)
    assert list(errors) == [3]
    assert reason in errors[3]
    rows = [json.loads(x)["row"] for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert rows == [2, 4]


def test_overlong_csv_line_is_a_row_error(render_project, tmp_path, monkeypatch):
    monkeypatch.setattr("toolkit.render.customers.MAX_ROW_BYTES", 4096)
    customers = tmp_path / "c.csv"
    customers.write_bytes(HEADER + GOOD + b"c2,da," + b"z" * 10_000 + b"\n" + GOOD_LAST)
    result, errors = run(render_project, customers, tmp_path / "out.jsonl")
    assert (result.rendered, result.failed) == (2, 1)
    assert "longer than 4,096 bytes" in errors[3]


def jsonl_row(**fields) -> bytes:
    base = {"id": "c", "locale": "da", "first_name": "Mette", "amount": 10,
            "due_date": "2025-03-01", "items": 1}
    return json.dumps(base | fields).encode() + b"\n"


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        (b'{"id": "x", "locale": "da", "first_name": "\xff"}\n', "not valid UTF-8"),
        (b'{"id": "x", "locale": "da", "deep": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n",
         "nested deeper than"),
        (b'{"id": "x", "locale": "da", "amount": ' + b"9" * 5000 + b"}\n", "unusable value"),
        (b'{"id": "x", "locale": "da", "amount": NaN}\n', "unusable value"),
        (b'{"id": "x", "locale": "da", "amount": -Infinity}\n', "unusable value"),
        (jsonl_row(id="x", amount=1e300), "out of range"),
        (b'{"id": "x", "locale": "da", "first_name": "M", "amount": 1e400, '
         b'"due_date": "2025-03-01", "items": 1}\n', "not a finite number"),
        # A key twice: the first value was silently lost, as a CSV column twice was refused.
        (b'{"id": "x", "locale": "da", "first_name": "Mette", "first_name" : "Bo"}\n',
         "key 'first_name' appears twice in one object"),
        (b'{"id": "x", "locale": "da", "user": {"email": "a@b.c", "email": "d@e.f"}}\n',
         "key 'email' appears twice"),
    ],
    ids=["utf8", "deep", "5000-digits", "nan", "-inf", "1e300", "1e400", "dup", "dup-nested"],
)
def test_a_bad_jsonl_row_fails_alone(render_project, tmp_path, bad_line, reason):
    customers = tmp_path / "c.jsonl"
    customers.write_bytes(jsonl_row(id="a") + bad_line + jsonl_row(id="b"))
    result, errors = run(render_project, customers, tmp_path / "out.jsonl")
    assert (result.rendered, result.failed) == (2, 1)
    assert reason in errors[2]


def test_duplicate_output_names_are_row_errors(render_project, tmp_path):
    customers = tmp_path / "c.jsonl"
    customers.write_bytes(
        jsonl_row(id="same", first_name="First")
        + jsonl_row(id="same", first_name="Second")
        + jsonl_row(id="", first_name="NoId")  # row 3 -> row-3.json
        + jsonl_row(id="row-3", first_name="Clash")
        + jsonl_row(id="SAME", first_name="Case")
    )
    out = tmp_path / "out"
    result, errors = run(render_project, customers, out)
    assert (result.rendered, result.failed) == (2, 3)
    assert "already used by row 1" in errors[2]
    assert "already used by row 3" in errors[4]
    assert "already used by row 1" in errors[5]
    first = json.loads((out / "same.json").read_text())
    assert first["parts"]["subject"].startswith("First")
    assert sorted(p.name for p in out.iterdir()) == ["row-3.json", "same.json"]


@pytest.mark.parametrize("target", ["/dev/null", "file"])
def test_output_that_is_not_a_folder_or_jsonl_is_refused(render_project, tmp_path, target):
    customers = tmp_path / "c.jsonl"
    customers.write_bytes(jsonl_row(id="a"))
    out = Path(target) if target.startswith("/") else tmp_path / "existing.txt"
    if not target.startswith("/"):
        out.write_text("keep me")
    with pytest.raises(InputError, match="not a folder"):
        render_batch(render_project, EMAIL, customers, out)
    if not target.startswith("/"):
        assert out.read_text() == "keep me"


def test_folder_named_like_jsonl_is_refused(render_project, tmp_path):
    customers = tmp_path / "c.jsonl"
    customers.write_bytes(jsonl_row(id="a"))
    (tmp_path / "out.jsonl").mkdir()
    with pytest.raises(InputError, match="not a regular file"):
        render_batch(render_project, EMAIL, customers, tmp_path / "out.jsonl")


def test_sigterm_leaves_no_temp_files(render_dir, tmp_path):
    customers = tmp_path / "many.jsonl"
    customers.write_bytes(b"".join(jsonl_row(id=f"c{i}") for i in range(200_000)))
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "toolkit"), "--project", str(render_dir),
         "render-batch", EMAIL,
         "--customers", str(customers), "--out", str(out), "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=render_dir,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.jsonl.*.tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, proc.communicate()
    os.kill(proc.pid, signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 143, stderr  # 128 + SIGTERM
    assert b"Traceback" not in stderr
    assert list(tmp_path.glob("*.tmp")) == []
    assert not out.exists()


@pytest.mark.parametrize("workers", ["2", "6"])
def test_sigterm_stops_the_workers_without_hanging(render_dir, tmp_path, workers):
    """SIGTERM (or Ctrl-C) while workers render: the workers finish the chunks they hold and
    exit, the batch ends with 143 (128 + SIGTERM) at once, no temp file or worker process is
    left. (Killing the workers instead could leave half a result in the pool's pipe and hang
    the exit.)"""
    customers = tmp_path / "many.jsonl"
    customers.write_bytes(b"".join(jsonl_row(id=f"c{i}") for i in range(100_000)))
    for attempt in range(3):
        out = tmp_path / f"out{attempt}.jsonl"
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "toolkit"), "--project", str(render_dir),
             "render-batch", EMAIL, "--customers", str(customers), "--out", str(out),
             "--no-progress", "--workers", workers],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=render_dir,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(f".out{attempt}.jsonl.*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # the workers are busy by now
        assert proc.poll() is None, proc.communicate()
        os.kill(proc.pid, signal.SIGTERM)
        try:
            _, stderr = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"render-batch --workers {workers} hung after SIGTERM")
        assert proc.returncode == 143, stderr  # 128 + SIGTERM
        assert b"Traceback" not in stderr
        assert list(tmp_path.glob("*.tmp")) == [] and list(tmp_path.glob(".*.tmp")) == []
        assert list(tmp_path.glob(".*.parts")) == []  # the workers' output files
        assert not out.exists()


def test_after_sigkill_the_workers_go_too_and_a_rerun_clears_the_leftovers(render_dir,
                                                                            tmp_path):  # fmt: skip
    """``kill -9`` of a batch left its two workers rendering for over a minute, and a 120 MB
    temp file and the workers' folder that every rerun added to (QA pass 15). The workers now
    die with the batch, and the next batch to the same output removes what a dead run left."""
    customers = tmp_path / "many.jsonl"
    customers.write_bytes(b"".join(jsonl_row(id=f"c{i}") for i in range(100_000)))
    out = tmp_path / "out.jsonl"
    command = [str(Path(sys.executable).parent / "toolkit"), "--project", str(render_dir),
               "render-batch", EMAIL, "--customers", str(customers), "--out", str(out),
               "--no-progress", "--workers", "2"]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=render_dir)  # fmt: skip
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".out.jsonl.*.parts")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # the workers are busy by now
    children = [int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
                .read_text().split()]  # fmt: skip
    assert children, "no worker processes"
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in children if Path(f"/proc/{pid}").exists()
             and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]]  # fmt: skip
    assert not alive, "render workers outlived the batch"
    leftovers = sorted(p.name for p in tmp_path.glob(".out.jsonl.*"))
    assert leftovers, "expected what SIGKILL leaves (a temp file, the workers' folder)"
    small = tmp_path / "few.jsonl"
    small.write_bytes(jsonl_row(id="a"))
    command[command.index(str(customers))] = str(small)
    rerun = subprocess.run(command, capture_output=True, cwd=render_dir)
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(p.name for p in tmp_path.glob(".out.jsonl.*")) == []
    assert out.read_bytes().count(b"\n") == 1


def test_dotted_csv_columns_are_nested_fields(render_project, write_template, tmp_path):
    """Flask-Security's emails read user.email: a CSV is flat, so a customer could not give
    it (JSON only). A column named user.email is that field, as pandas' json_normalize
    names it."""
    name = write_template("email/welcome.j2",
                          "{% block subject %}{{ user.email }}{% endblock %}"
                          "{% block text %}{{ user.profile.name }} <{{ user.email }}>"
                          "{% endblock %}")  # fmt: skip
    customers = tmp_path / "c.csv"
    customers.write_text(
        "id,locale,user.email,user.profile.name,e-mail.x\n"
        "c1,da_DK,ana@example.com,Ana,kept\n"
        "c2,lt,jonas@example.com,,\n",
        "utf-8",
    )
    out = tmp_path / "out.jsonl"
    errors: list[RowError] = []
    result = render_batch(render_project, name, customers, out, on_error=errors.append)
    assert (result.rendered, result.failed) == (1, 1)
    line = json.loads(out.read_text("utf-8"))
    assert line["parts"] == {"subject": "ana@example.com", "text": "Ana <ana@example.com>"}
    # A blank nested cell is as missing as a blank column, with its dotted name.
    assert "user.profile.name is empty" in errors[0].reason
    # A dotted --id-column names the nested field (CSV user.email, or a JSON object's).
    folder = tmp_path / "out"
    render_batch(render_project, name, customers, folder, id_column="user.email")
    assert sorted(p.name for p in folder.iterdir()) == ["ana@example.com.json"]


def test_a_column_that_is_also_the_parent_of_a_dotted_one_is_refused(render_project, tmp_path):
    customers = tmp_path / "c.csv"
    customers.write_text("id,locale,user,user.email\nc1,da,x,ana@example.com\n", "utf-8")
    with pytest.raises(InputError, match=r"c.csv:1: columns 'user' and 'user.email' both"):
        render_batch(render_project, EMAIL, customers, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_an_id_column_the_csv_does_not_have_is_refused(render_project, tmp_path):
    """--id-column user_id with no such column named every file row-N, exit 0."""
    customers = tmp_path / "c.csv"
    customers.write_bytes(HEADER + GOOD)
    with pytest.raises(InputError, match=r"c.csv:1: no column 'user_id' for --id-column"):
        render_batch(render_project, EMAIL, customers, tmp_path / "out", id_column="user_id")
    assert not (tmp_path / "out").exists()


def test_dotted_columns_nest_no_deeper_than_json_data_may(render_project, tmp_path):
    customers = tmp_path / "c.csv"
    deep = ".".join(["a"] * 65)
    customers.write_text(f"id,locale,{deep}\nc1,da,x\n", "utf-8")
    with pytest.raises(InputError, match="nests 65 fields deep, more than the 64 levels"):
        render_batch(render_project, EMAIL, customers, tmp_path / "out.jsonl")


def test_an_object_is_no_customer_id(render_project, write_template, tmp_path):
    """An id.x column (no id column) gave the id "{'x': 'c1'}"."""
    name = write_template("email/plain.j2", "{% block text %}Hi{% endblock %}")
    customers = tmp_path / "c.csv"
    customers.write_text("id.x,locale\nc1,da\n", "utf-8")
    out = tmp_path / "out.jsonl"
    result = render_batch(render_project, name, customers, out)
    assert result.rendered == 1
    assert json.loads(out.read_text("utf-8"))["id"] is None


def test_keys_named_like_json_syntax_are_no_duplicates(render_project, tmp_path):
    """Quotes, colons and braces inside keys and values do not fool the key count."""
    customers = tmp_path / "c.jsonl"
    odd = {"a\":b": "x:y", "list": [{"k": 1}, {"k": 2}], "note": "{\"k\": 1}"}
    customers.write_bytes(jsonl_row(id="a", **odd) + jsonl_row(id="b"))
    result, errors = run(render_project, customers, tmp_path / "out.jsonl")
    assert (result.rendered, result.failed) == (2, 0), errors


def test_a_field_that_would_replace_a_template_global_fails_its_row(
    render_project, tmp_path
):
    """A CRM export's payment_methods column replaced the country's methods: the template's
    loop failed with "'str object' has no attribute 'id'" (QA pass 61)."""
    customers = tmp_path / "c.jsonl"
    customers.write_bytes(
        jsonl_row(id="a") + jsonl_row(id="b", payment_methods="card") + jsonl_row(id="c", _="x")
    )
    result, errors = run(render_project, customers, tmp_path / "out.jsonl")
    assert (result.rendered, result.failed) == (1, 2)
    assert "the customer field 'payment_methods' would replace the template's own" in errors[2]
    assert "'_' would replace the template's own _ (a gettext function)" in errors[3]


def test_a_header_with_spaces_after_the_commas_says_so(render_project, tmp_path):
    """'id, locale, first_name' said "no 'locale' column (columns: id,  locale, ...)"; a
    padded ' first_name' alone failed every row "'first_name' is undefined"."""
    customers = tmp_path / "c.csv"
    customers.write_text("id, locale, first_name\nc1, da, Mette\n", "utf-8")
    spaced = r"c.csv:1: column names have spaces around them \(' locale', ' first_name'\)"
    with pytest.raises(InputError, match=spaced + ".* no 'locale'"):
        render_batch(render_project, EMAIL, customers, tmp_path / "out.jsonl")
    customers.write_text("id,locale, first_name,a ,b ,c ,d \nc1,da,Mette,,,,\n", "utf-8")
    with pytest.raises(InputError, match=r"' first_name', 'a ', 'b ', 'c ', \.\.\. \(5 in all"):
        render_batch(render_project, EMAIL, customers, tmp_path / "out.jsonl")


def test_json_lines_rows_without_the_id_column_are_counted_and_noted(render_project, tmp_path):
    """JSON Lines has no header to refuse an --id-column by: a name no row has named every
    file row-<line> with nothing said (session 20's notes)."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    customers = tmp_path / "c.jsonl"
    customers.write_bytes(jsonl_row() + jsonl_row(id="c2", email="b@example.com"))
    result = render_batch(render_project, EMAIL, customers, tmp_path / "out", id_column="email")
    assert (result.rendered, result.unnamed) == (2, 1)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["b@example.com.json",
                                                                   "row-1.json"]  # fmt: skip
    cli = CliRunner().invoke(app, ["--project", str(render_project.root), "render-batch", EMAIL,
                                   "-c", str(customers), "-o", str(tmp_path / "out2"),
                                   "--id-column", "user_id", "--no-progress"])  # fmt: skip
    assert cli.exit_code == 0, cli.stderr
    assert ("note: 2 rows had no 'user_id' (--id-column): their files are named "
            "row-<line>.json") in " ".join(cli.stderr.split())
    into_file = render_batch(render_project, EMAIL, customers, tmp_path / "o.jsonl",
                             id_column="email")  # fmt: skip
    assert into_file.unnamed == 0  # one JSON Lines file names no files


@pytest.mark.parametrize("name", ["missing.csv", "missing.jsonl"])
def test_a_missing_customers_file_makes_no_output_folder(render_project, tmp_path, name):
    """The output folder was made before the customers file was opened: exit 2 left an empty
    folder behind."""
    with pytest.raises(InputError, match="cannot read customers file"):
        render_batch(render_project, EMAIL, tmp_path / name, tmp_path / "out")
    assert not (tmp_path / "out").exists()
