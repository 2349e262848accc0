"""render-batch --workers with workers reading their own byte ranges of the customers file.

Every case runs the same file with one process (which reads the file from start to end) and
with workers, cut into ranges of a row or a few (``chunk_rows``), and compares the output
bytes and the reported errors (line numbers included). The cuts land next to quoted values
with line breaks, CRLF line ends, a BOM, bad rows and stray quotes that mislead the scan.
"""

from __future__ import annotations

import doctest
import io
import json
import multiprocessing
from pathlib import Path

import pytest

import toolkit.render.batch as batch
import toolkit.render.ranges as ranges
from toolkit.errors import InputError
from toolkit.render.batch import RowError, render_batch
from toolkit.render.customers import CustomerRows, customer_file
from toolkit.render.ranges import ByteRange, split_ranges

EMAIL = "email/payment-reminder.j2"
HEADER = "id,locale,first_name,amount,due_date,items,timezone"
LOCALES = ["da_DK", "nb-NO", "lt", "de_AT", "en_US", "da"]


def good(i: int, name: str | None = None) -> str:
    return f"c{i},{LOCALES[i % 6]},{name or f'N{i}'},{i}.5,2025-03-0{1 + i % 9},{i % 30},UTC"


@pytest.fixture(autouse=True)
def forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork the pool even when pytest runs threads (what the command does)."""
    monkeypatch.setattr(batch, "pool_context", lambda: multiprocessing.get_context("fork"))


def both(config, customers: Path, tmp_path: Path, *, suffix: str = ".jsonl", rows: int = 1,
         workers: int = 2):  # fmt: skip
    """Output bytes and errors of one process and of ``workers`` reading ranges of ~``rows``
    rows; asserts they are the same and returns them."""
    found = []
    for count in (1, workers):
        errors: list[RowError] = []
        out = tmp_path / f"out-{count}{suffix}"
        result = render_batch(config, EMAIL, customers, out, workers=count, chunk_rows=rows,
                              on_error=errors.append)  # fmt: skip
        data = (
            out.read_bytes()
            if out.is_file()
            else {p.name: p.read_bytes() for p in sorted(out.iterdir())}
        )
        found.append((data, errors, result.rendered, result.failed))
    assert found[0] == found[1]
    assert not list(tmp_path.glob(".out*")), "a temp file or the workers' folder was left"
    return found[0]


def test_the_range_scan_example_holds():
    result = doctest.testmod(ranges)
    assert result.failed == 0 and result.attempted > 0


def test_quoted_line_breaks_across_every_cut(render_project, tmp_path):
    lines = [HEADER]
    for i in range(40):
        if i % 3 == 0:  # a quoted value with line breaks, and a quoted quote
            lines.append(good(i, name=f'"Anne\nMarie ""{i}""\n"'))
        else:
            lines.append(good(i))
    customers = tmp_path / "c.csv"
    customers.write_text("\n".join(lines) + "\n", "utf-8")
    data, errors, rendered, failed = both(render_project, customers, tmp_path)
    assert (rendered, failed) == (40, 0)
    records = [json.loads(line) for line in data.splitlines()]
    assert [r["row"] for r in records][:4] == [2, 5, 6, 7]  # a row's number is its first line
    assert "Anne\nMarie" in records[0]["parts"]["text"]


def test_bom_crlf_and_no_final_line_end(render_project, tmp_path):
    rows = [good(i, name='"Ole\r\nBole"' if i == 5 else None) for i in range(20)]
    customers = tmp_path / "c.csv"
    customers.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([HEADER, *rows]).encode("utf-8"))
    data, errors, rendered, failed = both(render_project, customers, tmp_path, rows=3)
    assert (rendered, failed) == (20, 0)
    assert json.loads(data.splitlines()[-1])["row"] == 22


def test_bad_rows_next_to_cuts_keep_their_lines(render_project, tmp_path):
    bad = {
        3: "c3,xx_YY,Bad,1,2025-03-01,1,UTC",  # unknown locale
        4: "c4,da,x,1,2025-03-01,1,UTC,extra",  # more values than columns
        7: "c7,da,x,1,2025-03-01,1," + "y" * 140_000,  # a field over the csv limit
        8: "c8,lt,x,notanumber,2025-03-01,1,UTC",
        11: "",  # a blank line
        12: 'c12,da,"never closed,1,2025-03-01,1,UTC',  # runs on to the next quote
    }
    lines = [HEADER] + [bad.get(i, good(i)) for i in range(20)]
    lines[16] = good(15, name='x"y')  # a stray quote: where the scan gets back in step
    customers = tmp_path / "c.csv"
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    customers.write_bytes(payload.replace(b"c9,", b"c9\xff,"))  # not UTF-8
    data, errors, rendered, failed = both(render_project, customers, tmp_path)
    reasons = {e.row: e.reason for e in errors}
    assert "xx_YY" in reasons[5]
    assert reasons[6] == "more values than columns"
    assert "field larger than field limit" in reasons[9]
    assert "notanumber" in reasons[10]
    assert "not valid UTF-8" in reasons[11]
    # Line 14 up to the stray quote on 17 read as one value: the row fails, naming them.
    assert "lines 14-17 were read as one value" in reasons[14]
    assert len(reasons) == 6
    assert "c12" not in {json.loads(line)["id"] for line in data.splitlines()}
    assert (rendered, failed) == (len(data.splitlines()), 6)


def test_a_stray_quote_that_misleads_the_scan_is_rendered_again(render_project, tmp_path,
                                                                monkeypatch):  # fmt: skip
    """A quote inside an unquoted value is a plain character to the csv module, so the
    quotes before a line end stop telling whether it ends a row: the scan cuts inside the
    quoted value that follows, the worker before reads that row to its end, and the range
    after is rendered again from the row's true start."""
    lines = [HEADER, good(0, name='Ann"a')]  # a stray quote: the count is odd from here
    lines += [good(1, name='"two\nlines"')]  # the scan cuts after "two": an even count
    lines += [good(i) for i in range(2, 12)]
    customers = tmp_path / "c.csv"
    customers.write_text("\n".join(lines) + "\n", "utf-8")
    planned: list[ByteRange] = []
    submitted: list[ByteRange] = []

    def recorded(*args, **options):
        for part in split_ranges(*args, **options):
            planned.append(part)
            yield part

    class Recording(batch.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            submitted.extend(a for a in args if isinstance(a, ByteRange))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(batch, "split_ranges", recorded)
    monkeypatch.setattr(batch, "ProcessPoolExecutor", Recording)
    data, errors, rendered, failed = both(render_project, customers, tmp_path)
    assert (rendered, failed) == (12, 0)
    assert [json.loads(x)["row"] for x in data.splitlines()][:3] == [2, 3, 5]
    again = [part for part in submitted if part not in planned]
    assert again and again[0].line == 4  # the range after the cut, from line 5 on


def test_the_end_of_a_range_is_where_the_next_row_starts(tmp_path):
    customers = tmp_path / "c.csv"
    lines = [HEADER, good(0), good(1, name='"a\nb"'), good(2)]
    customers.write_text("\n".join(lines) + "\n", "utf-8")
    source = customer_file(customers)
    second = source.start + len(good(0)) + 1
    inside = second + lines[2].index("\n") + 1  # after the quoted value's line break
    with CustomerRows(source, source.start, source.line, inside - 1) as rows:
        assert [n for n, _ in rows] == [2, 3]  # the row started before the stop: read whole
        assert rows.end_line == 4 and rows.end > inside
    with CustomerRows(source, source.start, source.line, second) as rows:
        assert [n for n, _ in rows] == [2]
        assert (rows.end, rows.end_line) == (second, 2)


@pytest.mark.parametrize("rows", [0, 1, 3], ids=["empty", "one-row", "three-rows"])
def test_fewer_rows_than_workers(render_project, tmp_path, rows):
    customers = tmp_path / "c.csv"
    customers.write_text("\n".join([HEADER] + [good(i) for i in range(rows)]) + "\n", "utf-8")
    data, errors, rendered, failed = both(render_project, customers, tmp_path, workers=4)
    assert (rendered, failed, len(data.splitlines())) == (rows, 0, rows)


def test_an_empty_csv_file_is_refused_as_the_docs_say(render_project, tmp_path):
    """A CSV without its header row is exit 2 (docs/rendering.md); a 0-byte one gave "wrote 0
    messages", exit 0 (QA pass 16). Spreadsheet trailing commas (empty names) are no clash."""
    customers = tmp_path / "c.csv"
    customers.write_bytes(b"")
    with pytest.raises(InputError) as info:
        render_batch(render_project, EMAIL, customers, tmp_path / "o.jsonl")
    assert "the customers file is empty (no header row)" in str(info.value)
    customers.write_text(HEADER + ",,\n" + good(1) + ",,\n", "utf-8")
    assert both(render_project, customers, tmp_path)[2:] == (1, 0)


def test_jsonl_ranges_with_bom_blank_and_bad_lines(render_project, tmp_path):
    lines = []
    for i in range(30):
        record = dict(zip(HEADER.split(","), good(i).split(","), strict=True))
        lines.append(json.dumps(record, ensure_ascii=False))
    lines[4] = ""
    lines[9] = "{not json"
    lines[13] = "[1, 2]"
    customers = tmp_path / "c.jsonl"
    customers.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    data, errors, rendered, failed = both(render_project, customers, tmp_path, rows=2)
    assert [e.row for e in errors] == [10, 14]
    assert (rendered, failed) == (27, 2)


def test_per_customer_files_from_ranges(render_project, tmp_path):
    lines = [HEADER] + [good(i, name='"a\nb"' if i % 4 == 0 else None) for i in range(25)]
    lines[7] = lines[3]  # a duplicate id: an error on the second one
    customers = tmp_path / "c.csv"
    customers.write_text("\n".join(lines) + "\n", "utf-8")
    files, errors, rendered, failed = both(render_project, customers, tmp_path, suffix="")
    assert (rendered, failed) == (24, 1) and len(files) == 24
    assert "already used" in errors[0].reason


def test_standard_output_from_ranges(render_project, tmp_path):
    lines = [HEADER] + [good(i, name='"a\nb"' if i % 5 == 0 else None) for i in range(30)]
    customers = tmp_path / "c.csv"
    customers.write_text("\n".join(lines) + "\n", "utf-8")
    outputs = []
    for workers in (1, 2):
        sink = io.StringIO()
        render_batch(render_project, EMAIL, customers, None, workers=workers, chunk_rows=2,
                     stdout=sink)  # fmt: skip
        outputs.append(sink.getvalue())
    assert outputs[0] == outputs[1] and len(outputs[0].splitlines()) == 30


@pytest.mark.parametrize("kernel_copy", [True, False], ids=["copy_file_range", "read-write"])
def test_spooled_parts_are_copied_in_order_and_deleted(tmp_path, monkeypatch, kernel_copy):
    from toolkit.render import spool

    if not kernel_copy:  # macOS, or a kernel that does not copy across these file systems
        def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise OSError(18, "Invalid cross-device link")

        monkeypatch.setattr(spool, "_copy_file_range", refuse)
    out = tmp_path / "out.jsonl"
    folder = spool.make_spool(out)
    parts = [spool.spool(folder, f"{i}\n".encode() * 100_000) for i in range(3)]
    with out.open("w", encoding="utf-8") as sink:
        sink.write("head\n")
        for part in parts:
            sink.flush()
            spool.copy_part(part, sink.fileno())
        sink.write("tail\n")
    expected = "head\n" + "".join(f"{i}\n" * 100_000 for i in range(3)) + "tail\n"
    assert out.read_text("utf-8") == expected
    assert Path(folder).is_dir() and not list(Path(folder).iterdir())


def test_a_column_named_twice_is_refused(render_project, tmp_path):
    """The second 'first_name' column silently won: c1 was greeted by another column's name
    (QA pass 15). Refused at the header, with both columns named."""
    customers = tmp_path / "c.csv"
    customers.write_text(HEADER + ",first_name\n" + good(1) + ",Mallory\n", "utf-8")
    with pytest.raises(InputError) as info:
        render_batch(render_project, EMAIL, customers, tmp_path / "o.jsonl")
    assert str(info.value).startswith(
        f"{customers}:1: column 'first_name' appears twice (columns 3 and 8).")
    assert not (tmp_path / "o.jsonl").exists()


def test_trailing_cells_left_out_are_blank_cells(render_project, tmp_path):
    """A row that ends early reads as one whose last cells are empty: the row fails with
    "items is empty", as a blank cell does, not with "'items' is undefined" (QA pass 15)."""
    customers = tmp_path / "c.csv"
    short = ",".join(good(2).split(",")[:5])  # no items, no timezone
    customers.write_text("\n".join([HEADER, good(1), short, good(3)]) + "\n", "utf-8")
    data, errors, rendered, failed = both(render_project, customers, tmp_path)
    assert (rendered, failed) == (2, 1)
    assert errors[0].row == 3 and "items is empty" in errors[0].reason, errors


def test_an_id_that_cannot_be_written_fails_its_row(render_project, tmp_path):
    """A lone surrogate in the id column stopped render-batch with UnicodeEncodeError while it
    wrote the JSON Lines file (QA pass 18): that row fails, the others are written."""
    customers = tmp_path / "c.jsonl"
    rows = [dict(zip(HEADER.split(","), good(i).split(","), strict=True)) for i in range(3)]
    rows[1]["id"] = "c\ud800"
    customers.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    data, errors, rendered, failed = both(render_project, customers, tmp_path)
    assert (rendered, failed) == (2, 1)
    assert "has a control character or a lone surrogate" in errors[0].reason


def test_a_quote_never_closed_fails_its_row_and_names_the_lines_it_took(render_project,
                                                                         tmp_path):  # fmt: skip
    """One stray quote in row 3 of 1,000: the csv module read the rest of the file as one
    value, the batch said "2 messages, 1 failed" and 997 customers were in neither the output
    nor the errors (QA pass 57). Now the row fails with what happened and where."""
    lines = [HEADER] + [good(i, name='"Anna' if i == 3 else None) for i in range(1000)]
    customers = tmp_path / "c.csv"
    customers.write_text("\n".join(lines) + "\n", "utf-8")
    data, errors, rendered, failed = both(render_project, customers, tmp_path, rows=100)
    assert (rendered, failed) == (3, 1)
    [error] = errors
    assert error.row == 5
    assert "opened in this row is never closed: lines 5-1001" in error.reason


def test_an_address_with_line_breaks_and_commas_is_one_value(render_project, tmp_path):
    """A quoted note "Deliver to:\\nHovedgaden 5, 2. sal, th., 8000 Aarhus C" was taken for rows
    a stray quote had swallowed, and its row failed (QA pass 57, review)."""
    note = '"Deliver to:\nHovedgaden 5, 2. sal, th., 8000 Aarhus C, DK\nThanks"'
    lines = [HEADER + ",note"] + [good(i) + (f",{note}" if i == 1 else ",plain") for i in range(6)]
    customers = tmp_path / "c.csv"
    customers.write_text("\n".join(lines) + "\n", "utf-8")
    data, errors, rendered, failed = both(render_project, customers, tmp_path)
    assert (rendered, failed) == (6, 0), [e.reason for e in errors]
