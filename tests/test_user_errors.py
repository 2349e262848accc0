"""Issue 18: every error a user can cause is one line on stderr with exit 2 (1 for findings or
failed rows), never a traceback. Each case is an input from the adversarial pass."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.compile import compile_catalogs
from toolkit.config import load_config

DATA = Path(__file__).parent / "data" / "render" / "project"
EMAIL = "email/payment-reminder.j2"
RETENTION = Path(__file__).parent / "data" / "retention"
ROW = {"id": "a", "locale": "da", "first_name": "M", "amount": 1, "due_date": "2025-03-01",
       "items": 1}

Case = Callable[[Path, pytest.MonkeyPatch], list[str]]


def _customers(root: Path, text: str, name: str = "c.jsonl") -> str:
    path = root.parent / name
    path.write_text(text)
    return str(path)


def _batch(root: Path, out: str, text: str | None = None) -> list[str]:
    rows = text if text is not None else json.dumps(ROW) + "\n"
    return ["render-batch", EMAIL, "--customers", _customers(root, rows), "--out", out,
            "--no-progress"]


def _disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)


def _mo(root: Path, data: bytes) -> None:
    (root / "locales" / "da" / "LC_MESSAGES" / "messages.mo").write_bytes(data)


def _mo_fifo(root: Path) -> None:
    mo = root / "locales" / "da" / "LC_MESSAGES" / "messages.mo"
    mo.unlink(missing_ok=True)
    os.mkfifo(mo)


def _argos(root: Path, meta: bytes) -> str:
    path = root.parent / "bad.argosmodel"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("p/metadata.json", meta)
        archive.writestr("p/model/model.bin", b"x")
        archive.writestr("p/sentencepiece.model", b"x")
    return str(path)


def _latin1(root: Path) -> str:
    (root / "d.json").write_bytes('{"first_name": "Søren"}'.encode("latin-1"))
    return str(root / "d.json")


def _append(path: Path, data: bytes) -> None:
    with path.open("ab") as handle:
        handle.write(data)


def _replace(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))


def _po_header(root: Path, plural_forms: str) -> None:
    po = root / "locales" / "lt" / "LC_MESSAGES" / "messages.po"
    text = po.read_text("utf-8")
    start = text.index('"Plural-Forms:')
    end = text.index("\n", start)
    po.write_text(text[:start] + f'"Plural-Forms: {plural_forms}\\n"' + text[end:], "utf-8")


def _unreadable_folder(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("kb"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def _read_only_update(root: Path) -> list[str]:
    (root / "templates" / "email" / "new.j2").write_text("{{ _('Brand new') }}")
    result = CliRunner().invoke(app, ["--project", str(root), "extract"])
    assert result.exit_code == 0, result.output
    (root / "locales" / "da" / "LC_MESSAGES" / "messages.po").chmod(0o444)
    return ["update"]


def _deep_template(root: Path) -> None:
    (root / "templates" / "email" / "deep.j2").write_text(
        "{% block text %}{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}{% endblock %}")


def _deep_toml(path: Path) -> str:
    """A TOML file whose value nests 5,000 arrays deep: tomllib's recursion ran out and the
    error named no file (QA pass 83)."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\ndeep = " + "[" * 5000 + "]" * 5000 + "\n")
    return str(path)


def _po_link_out(root: Path) -> None:
    po = root / "locales" / "da" / "LC_MESSAGES" / "messages.po"
    outside = root.parent / "elsewhere.po"
    outside.write_bytes(po.read_bytes())
    po.unlink()
    po.symlink_to(outside)


def _locale_dir_link_out(root: Path) -> None:
    folder = root / "locales" / "nb"
    shutil.move(folder, root.parent / "nb-outside")
    folder.symlink_to(root.parent / "nb-outside")


CASES: dict[str, tuple[Case, int, str]] = {
    # Read whole: the rules file /dev/zero ran out of memory (MemoryError, exit 1); a device
    # given as customers was "does not exist".
    "audience-rules-dev-zero": (lambda r, m: [
        "audience", "--customers", str(RETENTION / "customers.csv"), "--orders",
        str(RETENTION / "orders.csv"), "--as-of", "2026-09-30", "--rules", "/dev/zero",
        "--out", str(r / "s.jsonl")], 2, "not a regular file (a device or FIFO)"),
    "metrics-customers-dev-zero": (lambda r, m: [
        "metrics", "--customers", "/dev/zero", "--orders", str(RETENTION / "orders.csv"),
        "--period", "2026-Q3"], 2, "customers file /dev/zero is not a regular file"),
    # One customer's data read whole: /dev/zero ran out of memory (MemoryError, exit 1).
    "render-data-dev-zero": (lambda r, m: ["render", EMAIL, "--locale", "da", "--data",
                                           "/dev/zero"], 2, "is larger than 1,048,576 bytes"),
    "render-data-not-utf8": (lambda r, m: ["render", EMAIL, "--locale", "da", "--data",
                                           _latin1(r)], 2,
                             "Save it as UTF-8 JSON"),
    "po-symlink-out-check": (lambda r, m: _po_link_out(r) or ["check", "--locale", "da"], 2,
                             "resolves outside the project"),
    "po-symlink-out-update": (lambda r, m: _po_link_out(r) or ["update", "--locale", "da"], 2,
                              "resolves outside the project"),
    "locale-dir-symlink-out-render": (lambda r, m: _locale_dir_link_out(r) or [
        "render", EMAIL, "--locale", "nb", "--data", _customers(r, json.dumps(ROW), "d.json")],
        2, "resolves outside the project"),
    "deep-template-render": (lambda r, m: _deep_template(r) or [
        "render", "email/deep.j2", "--locale", "da"], 2, "nested too deeply"),
    "deep-template-extract": (lambda r, m: _deep_template(r) or ["extract"], 2,
                              "nested too deeply"),
    "deep-config": (lambda r, m: _deep_toml(r / "toolkit.toml") and ["status"], 2,
                    "toolkit.toml: nested too deeply to read"),
    "deep-rules": (lambda r, m: [
        "audience", "--customers", str(RETENTION / "customers.csv"), "--orders",
        str(RETENTION / "orders.csv"), "--as-of", "2026-09-30", "--rules",
        _deep_toml(r / "rules.toml"), "--out", str(r / "s.jsonl")], 2,
        "rules.toml: nested too deeply to read"),
    "deep-data": (lambda r, m: ["render", EMAIL, "--locale", "da", "--data", _customers(
        r, '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "d.json")], 2, "nested deeper"),
    "nan-data": (lambda r, m: ["render", EMAIL, "--locale", "da", "--data", _customers(
        r, json.dumps(ROW)[:-1] + ', "amount": NaN}', "d.json")], 2, "NaN"),
    # A line feed in a locale value split the one-line error in two (a value could forge a
    # second line); 5,000-digit integers said "use sys.set_int_max_str_digits()".
    "locale-line-feed-update": (lambda r, m: ["update", "--locale", "da\nX"], 2,
                                "'da\\nX' is not a locale name"),
    "locale-line-feed-render": (lambda r, m: ["render", EMAIL, "--locale", "da\n/etc", "--data",
                                              _customers(r, json.dumps(ROW), "d.json")],
                                2, "'da\\n/etc' is not a locale name"),
    "locale-line-feed-row": (lambda r, m: _batch(r, str(r / "o.jsonl"), json.dumps(
        {**ROW, "locale": "da\nX"}) + "\n"), 1, "'da\\nX' is not a locale name"),
    "huge-integer-data": (lambda r, m: ["render", EMAIL, "--locale", "da", "--data", _customers(
        r, json.dumps(ROW)[:-1] + ', "amount": 1' + "0" * 5000 + "}", "d.json")], 2,
        "a number has 5,001 digits (at most 4,300)"),
    "huge-integer-row": (lambda r, m: _batch(r, str(r / "o.jsonl"), json.dumps(ROW)[:-1]
                                             + ', "amount": 1' + "0" * 5000 + "}\n"), 1,
                         "a number has 5,001 digits (at most 4,300)"),
    "batch-errors-dev-null": (lambda r, m: [*_batch(r, str(r / "o.jsonl")), "--errors",
                                            "/dev/null"], 2, "not a regular file"),
    "nplurals-100-million": (
        lambda r, m: _po_header(r, "nplurals=100000000; plural=(n != 1);") or ["check"],
        2, "no language has more than 6 plural forms"),
    "read-only-po-update": (lambda r, m: _read_only_update(r), 2, "read-only"),
    "unreadable-templates-folder": (
        lambda r, m: _unreadable_folder(r, m) or ["extract"], 2, "cannot read this folder"),
    "batch-out-dev-null": (lambda r, m: _batch(r, "/dev/null"), 2, "not a folder"),
    # A device that never ends or a pipe nobody writes to: refused before it is read (the
    # check for an unchanged file read /dev/zero until memory ran out, and blocked on a FIFO).
    "metrics-trend-before-year-1": (lambda r, m: [
        "metrics", "--customers", str(RETENTION / "customers.csv"), "--orders",
        str(RETENTION / "orders.csv"), "--period", "2026-Q3", "--trend", "100000"],
        2, "no period before 1-Q1"),
    # An empty file was "no column ... (columns: column0)", a folder "does not exist".
    "metrics-empty-customers": (lambda r, m: (r / "c.csv").write_bytes(b"") or [
        "metrics", "--customers", str(r / "c.csv"), "--orders", str(RETENTION / "orders.csv"),
        "--period", "2026-Q3"], 2, "the customers file is empty (no header, no rows)"),
    "metrics-customers-folder": (lambda r, m: [
        "metrics", "--customers", str(r / "templates"), "--orders",
        str(RETENTION / "orders.csv"), "--period", "2026-Q3"], 2, "is a folder"),
    "xliff-export-over-its-catalog": (lambda r, m: [
        "xliff", "export", "--locale", "da", "--state", "all", "--out",
        str(r / "locales" / "da" / "LC_MESSAGES" / "messages.po")], 2, "project's own files"),
    "memory-export-over-the-config": (lambda r, m: [
        "memory", "export", "--out", str(r / "toolkit.toml")], 2, "project's own files"),
    # A device would be read until memory runs out, a FIFO block forever (QA pass 13).
    "update-pot-dev-zero": (lambda r, m: ["update", "--pot", "/dev/zero"], 2,
                            "not a regular file"),
    "update-pot-fifo": (lambda r, m: os.mkfifo(r / "all.pot") or [
        "update", "-i", str(r / "all.pot")], 2, "not a regular file"),
    "update-pot-missing": (lambda r, m: ["update", "--pot", str(r / "nope.pot")], 2,
                           "Check the path given to --pot"),
    # Binary data named .po was told to convert its charset; a NUL byte of a broken line
    # reached the terminal raw; an unclosed {% if %} was reported at the file's end only.
    "binary-po": (lambda r, m: (r / "locales" / "da" / "LC_MESSAGES" / "messages.po")
                  .write_bytes(b"\x00\x01\xff binary" * 50) and ["check"], 2,
                  "binary data, not a text file"),  # fmt: skip
    # UTF-16 without a byte-order mark (Windows tools) was "binary data" (QA pass 19).
    "utf16le-po-without-bom": (lambda r, m: (r / "locales" / "da" / "LC_MESSAGES" / "messages.po")
                               .write_bytes('msgid ""\nmsgstr ""\n'.encode("utf-16-le"))
                               and ["check"], 2,
                               "UTF-16LE text without a byte-order mark; the toolkit reads "
                               "UTF-8. Convert it: 'iconv -f UTF-16LE -t UTF-8"),  # fmt: skip
    "utf16be-pot-without-bom": (lambda r, m: (r / "b.pot").write_bytes(
        'msgid ""\nmsgstr ""\n\nmsgid "a"\nmsgstr ""\n'.encode("utf-16-be"))
        and ["update", "--pot", str(r / "b.pot")], 2, "UTF-16BE text without a byte-order"),
    # ASCII bytes under charset=Windows-1252 were read, then written UTF-8 under that header
    # by translate, xliff import and review saves: msgfmt garbled every "æ" (QA pass 26).
    "legacy-charset-header-over-utf8-bytes": (
        lambda r, m: _replace(r / "locales" / "da" / "LC_MESSAGES" / "messages.po",
                              b"charset=utf-8", b"charset=Windows-1252") or ["status"], 2,
        "declares charset=Windows-1252 in its header; the toolkit reads and writes UTF-8"),
    # A link to nothing was skipped without a word (QA pass 25); named as the link, not its
    # target.
    "dangling-symlink-template": (
        lambda r, m: (r / "templates" / "email" / "gone.j2").symlink_to("nowhere.j2")
        or ["extract"], 2,
        "templates/email/gone.j2: a symbolic link to a file that does not exist or loops "
        "(nowhere.j2)"),
    "control-bytes-shown-escaped": (
        lambda r, m: _append(r / "locales" / "da" / "LC_MESSAGES" / "messages.po",
                             b"\n\x01\x02 garbage\n") or ["check"], 2,
        "unknown keyword: \\x01\\x02 garbage"),  # fmt: skip
    "unclosed-if-names-its-line": (
        lambda r, m: (r / "templates" / "email" / "open.j2").write_text(
            '{{ _("a") }}\n{% if x %}\nHello\n\nmore\n', "utf-8") and ["extract"], 2,
        "(the {% if %} opened on line 2)"),
    # msgconv's hint (the one for another encoding) would have overwritten the MO file.
    "update-pot-mo": (lambda r, m: ["update", "--pot", str(
        r / "locales" / "da" / "LC_MESSAGES" / "messages.mo")], 2, "msgunfmt"),
    # Merged from a template without messages, every entry would turn obsolete.
    "update-pot-empty": (lambda r, m: (r / "empty.pot").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n') and [
        "update", "--pot", str(r / "empty.pot")], 2, "has no messages"),
    # Reports and batch outputs keep off the project's own files too (QA pass 14).
    "metrics-out-over-a-catalog": (lambda r, m: [
        "metrics", "--customers", str(RETENTION / "customers.csv"), "--orders",
        str(RETENTION / "orders.csv"), "--period", "2026-Q3", "-f", "json", "--out",
        str(r / "locales" / "da" / "LC_MESSAGES" / "messages.po")], 2, "project's own files"),
    "batch-errors-over-the-config": (lambda r, m: [
        *_batch(r, str(r.parent / "out.jsonl")), "--errors", str(r / "toolkit.toml")], 2,
        "project's own files"),
    "batch-out-over-a-template": (lambda r, m: _batch(r, str(r / "templates" / EMAIL)), 2,
                                  "project's own files"),
    # A new output inside the templates folder became one of its files: extract read it and
    # every cluster run shipped it to the workers (QA pass 80); a CSV in glossaries/ too.
    "batch-out-inside-the-templates": (lambda r, m: _batch(r, str(r / "templates" / "out")), 2,
                                       "inside the project's templates or glossaries folder"),
    "metrics-out-csv-in-glossaries": (lambda r, m: [
        "metrics", "--customers", str(RETENTION / "customers.csv"), "--orders",
        str(RETENTION / "orders.csv"), "--period", "2026-Q3", "--out",
        str(r / "glossaries" / "report.csv")], 2, "inside the project's templates or glossaries"),
    # Without --cluster a URL named a folder 's3:' in the current one (QA pass 15).
    "batch-out-url-without-cluster": (lambda r, m: _batch(r, "s3://bucket/out.jsonl"), 2,
                                      "add --cluster"),
    # ... and a customers URL was read as the path 's3:/x/y.csv', "No such file" (QA 74).
    "batch-customers-url-without-cluster": (lambda r, m: [
        "render-batch", EMAIL, "--customers", "s3://x/y.csv", "--out", str(r.parent / "o.jsonl")],
        2, "--customers s3://x/y.csv: a URL, where this command reads a local file"),
    "audience-out-url": (lambda r, m: [
        "audience", "--customers", str(RETENTION / "customers.csv"), "--orders",
        str(RETENTION / "orders.csv"), "--as-of", "2026-06-30", "--out", "gs://b/sends.jsonl"],
        2, "a URL, where this command writes a local file"),
    "export-out-dev-zero": (lambda r, m: ["xliff", "export", "--locale", "da", "--state",
                                          "all", "--out", "/dev/zero"], 2, "not a regular file"),
    "export-out-fifo": (lambda r, m: os.mkfifo(r / "pipe.xlf") or [
        "xliff", "export", "--locale", "da", "--state", "all", "--out", str(r / "pipe.xlf")],
        2, "not a regular file"),
    "batch-out-existing-file": (
        lambda r, m: (r / "notes.txt").write_text("x") and _batch(r, str(r / "notes.txt")),
        2, "not a folder"),
    "batch-out-under-a-file": (
        lambda r, m: _batch(r, str(r / "toolkit.toml" / "out")), 2, "cannot create"),
    "batch-disk-full": (
        lambda r, m: _disk_full(m) or _batch(r, str(r / "out.jsonl")), 2, "No space left"),
    "batch-bad-rows": (
        lambda r, m: _batch(r, str(r / "o.jsonl"), json.dumps(ROW) + "\n"
                            + '{"id": "b", "locale": "da", "amount": NaN}\n'
                            + '{"id": "c", "locale": "da", "x": ' + "[" * 100_000 + "]" * 100_000
                            + "}\n"),
        1, "failed rows"),
    # The file being written is named (the error from fsync has no file name of its own).
    "extract-disk-full": (lambda r, m: _disk_full(m) or ["extract"], 2,
                          "messages.pot: No space left"),
    "export-under-a-file": (lambda r, m: ["xliff", "export", "--locale", "da", "--state", "all",
                                          "--out", str(r / "toolkit.toml" / "da.xlf")], 2,
                            "A file is in the way where a folder is needed"),
    "compile-disk-full": (lambda r, m: _mo(r, b"") or _disk_full(m) or ["compile", "--force"], 2,
                          "No space left"),
    "showcase-out-is-a-file": (
        lambda r, m: ["showcase", "--out", str(r / "toolkit.toml")], 2, "toolkit.toml"),
    "empty-mo": (lambda r, m: _mo(r, b"") or ["render", EMAIL, "--locale", "da", "--data",
                                               _customers(r, json.dumps(ROW), "d.json")],
                 2, "empty file"),
    "corrupt-mo": (lambda r, m: _mo(r, b"\xde\x12\x04\x95" + b"\0" * 5) or [
        "render", EMAIL, "--locale", "da", "--data", _customers(r, json.dumps(ROW), "d.json")],
        2, "cannot load the compiled catalog"),
    # A FIFO (or folder) where the MO goes: customers got the source text, exit 0 (QA 81)
    "mo-is-a-fifo": (lambda r, m: _mo_fifo(r) or ["render", EMAIL, "--locale", "da", "--data",
                         _customers(r, json.dumps(ROW), "d.json")],
                     2, "messages.mo: not a regular file"),
    "model-other-type": (
        lambda r, m: m.setenv("TOOLKIT_MODELS_DIR", str(r.parent / "models")) or [
            "models", "install", _argos(r, b'{"from_code": "en", "to_code": "da", "type": "x"}')],
        2, "not a translation model"),
    "models-dir-uncreatable": (
        lambda r, m: m.setenv("TOOLKIT_MODELS_DIR", str(r / "toolkit.toml" / "m")) or [
            "models", "install", _argos(r, b'{"from_code": "en", "to_code": "da"}')],
        2, "cannot create the models folder"),
    # QA pass 59: a folder where a file is expected is named as a folder, with what to give.
    "models-install-a-folder": (lambda r, m: ["models", "install", str(r / "templates")], 2,
                                "templates is a folder, not an Argos package"),
    "memory-is-a-folder": (
        lambda r, m: ["memory", "import", str(r / "x.tmx"), "--memory", str(r / "templates")]
        if (r / "x.tmx").write_text('<tmx version="1.4"><header srclang="en"/><body><tu><tuv '
                                    'xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="da"><seg>b'
                                    "</seg></tuv></tu></body></tmx>") else [],
        2, "is a folder. Give the path of a file for the memory"),
    "render-a-folder": (lambda r, m: ["render", "email", "--locale", "da"], 2,
                        "'email' is a folder of templates, not a template (it has email/"),
    "render-data-missing": (lambda r, m: ["render", EMAIL, "--locale", "da", "--data",
                                          "missing.json"], 2,
                            "customer data missing.json: file not found. Give the path"),
    "batch-cr-only-csv": (lambda r, m: _batch(r, str(r / "o.jsonl")) and [
        "render-batch", EMAIL, "--customers", _customers(r, "id,locale\r1,da\r", "c.csv"),
        "--out", str(r / "o.jsonl")], 2, "carriage return alone (old Mac line endings)"),
    # A date before year 1 in the customer's time zone was "too large ... Fix the template".
    "render-date-before-year-1": (lambda r, m: ["render", EMAIL, "--locale", "da", "--data",
        _customers(r, json.dumps(ROW | {"due_date": "0001-01-01T00:30:00Z",
                                        "timezone": "America/New_York"}), "d.json")],
        2, "a date falls outside the years 1-9999 (in the customer's time zone). Fix the date"),
    "batch-customers-fifo": (lambda r, m: os.mkfifo(r / "c.csv") or [
        "render-batch", EMAIL, "--customers", str(r / "c.csv"), "--out", str(r / "o.jsonl")],
        2, "customers must be a file, not a pipe (FIFO)"),
    "batch-blank-first-line": (lambda r, m: [
        "render-batch", EMAIL, "--customers", _customers(r, "\nid,locale\n1,da\n", "c.csv"),
        "--out", str(r / "o.jsonl")], 2, "c.csv:1: the first line is empty"),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(DATA, root)
    compile_catalogs(load_config(root))
    return root


@pytest.mark.parametrize("case", list(CASES))
def test_user_error_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch, case: str):
    build, code, expected = CASES[case]
    monkeypatch.chdir(project)
    args = build(project, monkeypatch)
    result = CliRunner().invoke(app, ["--project", str(project), *args])
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit), repr(result.exception)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    if code == 2:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert len(errors) == 1
    assert expected in result.stderr + result.stdout
    assert "Traceback" not in result.stderr
    assert not list(project.rglob("*.tmp"))
    assert Path("/dev/null").is_char_device()


def test_a_config_file_given_as_the_project_names_its_folder(project: Path):
    """``--project path/toolkit.toml`` is a natural slip: it was "does not exist", which sent
    the user looking for a missing file (QA pass 56)."""
    result = CliRunner().invoke(app, ["--project", str(project / "toolkit.toml"), "status"])
    assert result.exit_code == 2, result.output
    assert "is a file, not a project folder" in result.stderr
    assert f"--project '{project}'" in result.stderr
    assert "does not exist" not in result.stderr
    missing = CliRunner().invoke(app, ["--project", str(project / "nowhere"), "status"])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_message_and_hint_read_as_two_sentences():
    """'what.' then 'what to do': a message that ends with an excerpt still gets its stop."""
    from toolkit.errors import ToolkitError

    assert str(ToolkitError("unknown keyword: ms", hint="Fix the line.")) == (
        "unknown keyword: ms. Fix the line."
    )
    assert str(ToolkitError("file not found.", hint="Run it.")) == "file not found. Run it."
    assert str(ToolkitError("no hint")) == "no hint"
    # A list of problems, a line each, then the hint on a line of its own (it began with a
    # stray '. ' when the last problem ended without a stop: QA pass 12).
    listed = ToolkitError("2 files cannot be read:\n  a.html:1: x\n  b.html:2: 'if'\n",
                          hint="Fix them.")  # fmt: skip
    assert str(listed) == "2 files cannot be read:\n  a.html:1: x\n  b.html:2: 'if'\nFix them."


def test_a_closed_output_pipe_is_named_as_such():
    import errno

    from toolkit.cli.application import os_error_message

    message = os_error_message(BrokenPipeError(errno.EPIPE, "Broken pipe"))
    assert "output was closed" in message and "a file" not in message


def test_temp_files_are_created_exclusively_next_to_the_target(tmp_path):
    import os
    import stat

    from toolkit.fsutil import atomic_open, new_temp_file

    target = tmp_path / "messages.mo"
    fd, tmp = new_temp_file(target)
    os.close(fd)
    assert tmp.parent == tmp_path and tmp.name.startswith(".messages.mo.") and tmp.suffix == ".tmp"
    assert stat.S_IMODE(tmp.stat().st_mode) == 0o600
    other = new_temp_file(target)
    os.close(other[0])
    assert other[1] != tmp  # a new name each time, never an existing file
    with atomic_open(target) as handle:
        handle.write(b"mo")
    assert target.read_bytes() == b"mo" and stat.S_IMODE(target.stat().st_mode) == 0o644


def test_an_unchanged_file_is_only_read_when_it_is_a_regular_file_of_the_same_size(tmp_path):
    """What decides that a write can be skipped never reads a device, a FIFO or a file of
    another size."""
    from toolkit.fsutil import holds

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    assert not holds(pipe, b"")  # would block forever if it were opened
    assert not holds(Path("/dev/zero"), b"\0" * 4)  # would never end if it were read
    target = tmp_path / "a.mo"
    target.write_bytes(b"abc")
    assert holds(target, b"abc") and not holds(target, b"abd") and not holds(target, b"ab")
    assert not holds(tmp_path / "missing", b"")


def test_an_error_on_the_temp_file_names_the_file_being_written():
    import errno

    from toolkit.cli.application import os_error_message

    message = os_error_message(
        PermissionError(errno.EACCES, "Permission denied", "/proc/.x.xlf.0c6cfa87185b.tmp")
    )
    assert message.startswith("cannot use /proc/x.xlf: Permission denied.")


def test_an_output_path_that_is_a_link_is_written_through(tmp_path):
    """--out through a symbolic link writes the file it points to, as a shell's '>' does; the
    rename replaced the link itself (as root, '--out /dev/stdout' replaced /dev/stdout: QA
    pass 13). A link to a pipe, terminal or device is refused as not a regular file."""
    from toolkit.errors import InputError
    from toolkit.fsutil import write_bytes_atomic

    target = tmp_path / "real.xlf"
    target.write_bytes(b"old")
    link = tmp_path / "link.xlf"
    link.symlink_to(target)
    assert write_bytes_atomic(link, b"new", follow_links=True)
    assert link.is_symlink() and target.read_bytes() == b"new"
    dangling = tmp_path / "later.xlf"
    dangling.symlink_to(tmp_path / "made.xlf")
    write_bytes_atomic(dangling, b"made", follow_links=True)
    assert dangling.is_symlink() and (tmp_path / "made.xlf").read_bytes() == b"made"
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    to_pipe = tmp_path / "to-pipe.xlf"
    to_pipe.symlink_to(pipe)
    with pytest.raises(InputError, match="not a regular file"):
        write_bytes_atomic(to_pipe, b"x", follow_links=True)
    assert to_pipe.is_symlink()
    # The project's own files are never written through: a catalog linked to a file outside
    # the project is replaced by a file of its own.
    outside = tmp_path / "elsewhere.po"
    outside.write_bytes(b"theirs")
    catalog = tmp_path / "messages.po"
    catalog.symlink_to(outside)
    write_bytes_atomic(catalog, b"ours")
    assert not catalog.is_symlink() and outside.read_bytes() == b"theirs"


def test_render_batch_errors_in_a_log_have_no_blank_line_before_them(project: Path):
    """The progress display (on by default) ended with a line break even where stderr is a
    log or pipe, so an error came out as two lines, the first blank (QA pass 13)."""
    import subprocess
    import sys

    (project / "blocker").write_text("x")
    customers = _customers(project, json.dumps(ROW) + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "--project", str(project), "render-batch", EMAIL,
         "--customers", customers, "--out", str(project / "blocker" / "out.jsonl")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.stderr


def test_a_file_url_out_is_its_local_path(project: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch):
    """``--out file:///abs/x`` writes /abs/x, as fsspec reads it; it made a folder named
    ``file:`` in the current one (QA pass 15)."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "reports" / "m.json"
    target.parent.mkdir()
    result = CliRunner().invoke(app, [
        "--project", str(project), "metrics", "--customers", str(RETENTION / "customers.csv"),
        "--orders", str(RETENTION / "orders.csv"), "--period", "2026-Q3", "-f", "json",
        "--out", f"file://{target}"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert json.loads(target.read_text("utf-8"))
    assert not (tmp_path / "file:").exists()
    batch = CliRunner().invoke(app, ["--project", str(project),
                                     *_batch(project, f"file://{tmp_path}/o.jsonl")])
    assert batch.exit_code == 0, batch.stderr
    assert (tmp_path / "o.jsonl").read_text("utf-8").count("\n") == 1


def test_an_unreadable_file_says_what_to_do():
    """'cannot read: Permission denied.' alone (QA pass 15): the error says how to fix it."""
    from toolkit.fsutil import read_error

    denied = read_error(Path("a.po"), PermissionError(errno.EACCES, "Permission denied"))
    assert str(denied).startswith("a.po: cannot read: Permission denied.")
    assert "read access" in (denied.hint or "")
    assert "folder" in (read_error(Path("d"), IsADirectoryError(errno.EISDIR, "x")).hint or "")


def test_a_write_removes_the_temp_files_a_killed_writer_left(tmp_path):
    """A SIGKILL during a write left '.messages.po.<hex>.tmp' for good (QA pass 15): temp
    names carry the writer's pid, and the next write of the file removes those of processes
    that are gone (not another live writer's, not other files')."""
    import subprocess

    from toolkit.fsutil import write_bytes_atomic

    target = tmp_path / "messages.po"
    target.write_bytes(b"old")
    gone = subprocess.Popen(["true"])  # a pid that was, and is no more
    gone.wait()
    stale = tmp_path / f".messages.po.{gone.pid}-0a1b2c3d.tmp"
    live = tmp_path / f".messages.po.{os.getpid()}-0a1b2c3e.tmp"
    other = tmp_path / f".other.po.{gone.pid}-0a1b2c3f.tmp"
    for path in (stale, live, other):
        path.write_bytes(b"partial")
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert not stale.exists() and live.exists() and other.exists()
    # render-batch into a folder removes the leftovers of any file in it (a rerun need not
    # write the same customer ids again; QA pass 16).
    from toolkit.fsutil import remove_stale_temps_in

    assert remove_stale_temps_in(tmp_path) == [other.name]
    assert live.exists() and not other.exists()


@pytest.mark.parametrize(
    "command",
    [
        ["update"],
        ["check"],
        ["check", "--no-cache"],
        ["compile"],
        ["status"],
        ["xliff", "import", "--locale", "da", "FIFO"],
        ["memory", "import", "FIFO"],
        ["models", "install", "FIFO"],
    ],
)
def test_a_fifo_in_place_of_a_file_is_refused_without_blocking(
    project: Path, tmp_path: Path, command: list[str]
):
    """A FIFO nobody writes to, where a catalog or an input file belongs, blocked the open for
    ever (update, check, and the cache keys read before either); it is refused, exit 2."""
    import subprocess
    import sys

    if "FIFO" in command:
        fifo = tmp_path / "input.fifo"
        command = [str(fifo) if part == "FIFO" else part for part in command]
    else:
        fifo = project / "locales" / "da" / "LC_MESSAGES" / "messages.po"
        fifo.unlink()
    os.mkfifo(fifo)
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "--project", str(project), *command],
        capture_output=True, text=True, timeout=60, check=False,
        env=dict(os.environ, TOOLKIT_MODELS_DIR=str(tmp_path / "models")),
    )  # fmt: skip
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "not a regular file (a device or FIFO)" in result.stderr
    assert "Traceback" not in result.stderr


def _copy(root: Path, name: str) -> str:
    target = root.parent / name
    shutil.copy(RETENTION / name, target)
    return str(target)


@pytest.mark.parametrize(
    ("args", "given"),
    [
        (lambda r: ["render-batch", EMAIL, "--customers", _customers(r, json.dumps(ROW) + "\n"),
                    "--out", str(r.parent / "c.jsonl")], "--customers"),
        (lambda r: ["render-batch", EMAIL, "--customers", _customers(r, json.dumps(ROW) + "\n"),
                    "--out", str(r.parent / "o.jsonl"), "--errors", "../c.jsonl"],
         "--customers"),
        (lambda r: ["audience", "--customers", _copy(r, "customers.csv"), "--orders",
                    _copy(r, "orders.csv"), "--as-of", "2026-09-30", "--out",
                    str(r.parent / "orders.csv")], "--orders"),
        (lambda r: ["metrics", "--customers", _copy(r, "customers.csv"), "--orders",
                    _copy(r, "orders.csv"), "--period", "2026-Q3", "--format", "csv", "--out",
                    str(r.parent / "customers.csv")], "--customers"),
    ],
    ids=["render-batch-out", "render-batch-errors", "audience-out", "metrics-out"],
)
def test_an_output_that_is_an_input_file_is_refused_and_the_data_kept(
    project: Path, monkeypatch: pytest.MonkeyPatch, args, given: str
):
    """render-batch --out c.jsonl --customers c.jsonl replaced the customers with messages."""
    monkeypatch.chdir(project)
    command = args(project)
    inputs = {p: p.read_bytes() for p in project.parent.iterdir() if p.is_file()}
    result = CliRunner().invoke(app, ["--project", str(project), *command])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert f"is also the {given} file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert {p: p.read_bytes() for p in inputs} == inputs


def test_audience_refuses_a_device_or_fifo_as_out_and_writes_through_a_link(project: Path):
    """audience --out /dev/full (as root) replaced the device with a JSON file: its DuckDB
    output is renamed over the target, which no other --out allowed (QA pass 57, review)."""
    fifo = project.parent / "sends.fifo"
    os.mkfifo(fifo)
    base = ["audience", "--customers", str(RETENTION / "customers.csv"), "--orders",
            str(RETENTION / "orders.csv"), "--as-of", "2026-09-30", "--out"]  # fmt: skip
    result = CliRunner().invoke(app, ["--project", str(project), *base, str(fifo)])
    assert result.exit_code == 2 and "is not a regular file; it was not changed" in result.stderr
    assert fifo.is_fifo()
    target = project.parent / "target.jsonl"
    target.write_text("", "utf-8")
    link = project.parent / "link.jsonl"
    link.symlink_to(target)
    result = CliRunner().invoke(app, ["--project", str(project), *base, str(link)])
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and target.read_text("utf-8").count("\n") >= 1


def test_a_reader_that_stops_reading_ends_the_command_quietly_with_141(tmp_path):
    """``toolkit init | head``: no error message after head's lines, exit 128 + SIGPIPE, as
    git or grep; what the command wrote to files is complete."""
    import subprocess

    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "toolkit", "init", str(tmp_path / "new")],
            stdout=writer, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    finally:
        os.close(writer)
    assert done.returncode == 141
    assert done.stderr == ""
    assert "source_locale" in (tmp_path / "new" / "toolkit.toml").read_text("utf-8")


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_a_long_report_into_a_reader_that_stops_ends_with_141(tmp_path, unbuffered):
    """'toolkit check | head' exited 0 under PYTHONUNBUFFERED=1 (or python -u): the report,
    500 KB in one write, was cut at the pipe's 64 KB and the rest silently dropped (QA pass
    74). Written in full or not at all, the closed pipe ends it with 141 either way."""
    import subprocess

    root = tmp_path / "shop"
    assert CliRunner().invoke(app, ["init", str(root), "--locale", "da"]).exit_code == 0
    po = root / "locales" / "da" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
                  + "".join(f'\nmsgid "String number {i} for a long report"\nmsgstr ""\n'
                            for i in range(3000)), "utf-8")  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": unbuffered, "TOOLKIT_CACHE_DIR": str(tmp_path)}
    with subprocess.Popen(
        [sys.executable, "-m", "toolkit", "--project", str(root), "check", "--no-cache"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    ) as process:  # fmt: skip
        assert process.stdout is not None and process.stderr is not None
        assert len(process.stdout.read(100)) == 100
        process.stdout.close()
        error = process.stderr.read()
        assert process.wait() == 141, error
    assert error == b""


def test_a_command_started_with_stdout_closed_is_no_traceback(tmp_path):
    """'toolkit check >&-': sys.stdout is None, and the report's write raised
    AttributeError, a traceback (QA pass 75); the findings still decide the exit code."""
    import subprocess

    root = tmp_path / "shop"
    assert CliRunner().invoke(app, ["init", str(root), "--locale", "da"]).exit_code == 0
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "--project", str(root), "check"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TOOLKIT_CACHE_DIR": str(tmp_path)},
        preexec_fn=lambda: os.close(1),
    )  # fmt: skip
    assert "Traceback" not in done.stderr and done.returncode in (0, 1), done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="Linux's /dev/full")
@pytest.mark.parametrize("args", [["status"], ["payments", "--locale", "da", "--format", "json"],
                                  ["check", "--no-cache"]])  # fmt: skip
def test_output_to_a_full_disk_is_one_error_line_and_2(tmp_path, args):
    """'toolkit status > /dev/full': the error line, then Python's "Exception ignored ...
    OSError" at exit, exit 120 (QA pass 75)."""
    import subprocess

    root = tmp_path / "shop"
    assert CliRunner().invoke(app, ["init", str(root), "--locale", "da"]).exit_code == 0
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "toolkit", "--project", str(root), *args],
            stdout=full, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "", "TOOLKIT_CACHE_DIR": str(tmp_path)},
        )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.count("Error:") == 1 and "No space left" in done.stderr


def test_an_output_encoding_that_cannot_write_the_text_is_one_error_line(tmp_path):
    """PYTHONIOENCODING=latin-1 and Lithuanian payment names: a UnicodeEncodeError
    traceback and exit 1, the code of QA findings (QA pass 75)."""
    import subprocess

    root = tmp_path / "shop"
    assert CliRunner().invoke(app, ["init", str(root), "--locale", "lt"]).exit_code == 0
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "--project", str(root), "payments", "--locale", "lt",
         "--format", "json"],
        capture_output=True, text=True, env={**os.environ, "PYTHONIOENCODING": "latin-1"},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "the output's encoding (latin-1) cannot write" in done.stderr
    assert "PYTHONIOENCODING=utf-8" in done.stderr


def test_a_broken_pipe_into_another_program_is_still_an_error():
    import errno

    from toolkit.cli.guard import reader_is_gone

    assert not reader_is_gone(BrokenPipeError(errno.EPIPE, "Broken pipe"))
    assert not reader_is_gone(OSError(errno.ENOSPC, "No space left on device"))


def test_a_symbolic_link_that_loops_is_one_line_and_exit_2(tmp_path):
    """A catalog or template link that loops ended every catalog command and render in
    Python 3.11's 'RuntimeError: Symlink loop' traceback, exit 1 (QA pass 76); update
    replaced the link with a new catalog. Each says what the link is, nothing written."""
    root = tmp_path / "p"
    shutil.copytree(DATA, root)
    runner = CliRunner()
    po = root / "locales" / "da" / "LC_MESSAGES" / "messages.po"
    po.unlink()
    po.symlink_to("messages.po")
    for command in (["check"], ["status"], ["compile"], ["update"], ["xliff", "export",
                    "--locale", "da", "--out", str(tmp_path / "x.xlf")]):  # fmt: skip
        result = runner.invoke(app, ["--project", str(root), *command])
        assert result.exit_code == 2, (command, result.output)
        assert ("locales/da/LC_MESSAGES/messages.po: a symbolic link to a file that does not "
                "exist or loops (messages.po)") in result.stderr.replace("\n", " "), command
        assert "Traceback" not in result.output
    assert po.is_symlink() and not (tmp_path / "x.xlf").exists()
    po.unlink()
    loop = root / "templates" / "email" / "loop.j2"
    loop.symlink_to("loop.j2")
    data = tmp_path / "d.json"
    data.write_text(json.dumps(ROW), "utf-8")
    for command in (["render", "email/loop.j2", "--data", str(data)],
                    ["render-batch", "email/loop.j2", "--customers", _customers(root, "{}"),
                     "--out", str(tmp_path / "o.jsonl")]):  # fmt: skip
        result = runner.invoke(app, ["--project", str(root), *command])
        assert result.exit_code == 2, (command, result.output)
        assert "email/loop.j2: a symbolic link to a file that does not exist or loops" in (
            result.stderr.replace("\n", " ")), command
    # A template's sample data that loops, or links out of the project (it was read: QA 79)
    loop.unlink()
    sample = root / "templates" / EMAIL.replace(".j2", ".sample.json")
    sample.unlink(missing_ok=True)
    looping = "a symbolic link to a file that does not exist or loops"
    for target, said in ((sample.name, looping), ("/etc/hostname", "resolves outside the project")):
        sample.symlink_to(target)
        result = runner.invoke(app, ["--project", str(root), "render", EMAIL, "--locale", "da"])
        assert result.exit_code == 2 and said in result.stderr.replace("\n", " "), result.output
        sample.unlink()
    # A glossary that loops is named, not left out (its terms were not enforced)
    glossary = root / "glossaries" / "da.csv"
    glossary.parent.mkdir(exist_ok=True)
    glossary.unlink(missing_ok=True)
    glossary.symlink_to("da.csv")
    result = runner.invoke(app, ["--project", str(root), "glossary", "list", "--locale", "da"])
    assert result.exit_code == 2 and "glossaries/da.csv: a symbolic link" in result.stderr
    # ... and so is one that is a folder or a FIFO (36 terms became 15, check passed; QA 81)
    glossary.unlink()
    for make in (glossary.mkdir, lambda: os.mkfifo(glossary)):
        make()
        result = runner.invoke(app, ["--project", str(root), "glossary", "list", "--locale", "da"])
        assert result.exit_code == 2, result.output
        assert "glossaries/da.csv: not a regular file" in result.stderr
        glossary.rmdir() if glossary.is_dir() else glossary.unlink()
