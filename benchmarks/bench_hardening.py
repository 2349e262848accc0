"""Benchmarks for issue 18 (hardening): TBX import time and peak memory of ``check``.

- ``tbx``: ``toolkit glossary import`` of a generated TBX file with N concepts (en + da, some
  forbidden terms), for N in ``--terms`` (default 2000 8000 32000); prints seconds and the
  growth exponent between sizes (log time ratio / log size ratio: 1 = linear, 2 = quadratic).
- ``check``: peak resident memory (``ru_maxrss`` of a child process) of ``toolkit check`` on
  (a) a PO with one 10 MB msgstr and (b) a PO with 1,000,000 entries, next to the peak of a
  child that only imports the toolkit and reads the same file as bytes (the plain baseline).

Each measurement runs in a fresh subprocess, so peaks do not mix.
Run: ``.venv/bin/python benchmarks/bench_hardening.py tbx|check [--terms 2000 8000]``.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

TOOLKIT = str(Path(sys.executable).parent / "toolkit")


def _project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "toolkit.toml").write_text('[tool.toolkit]\nsource_locale = "en"\nlocales = ["da"]\n')
    (root / "templates").mkdir(exist_ok=True)
    return root


def _tbx(path: Path, terms: int) -> None:
    entries = []
    for n in range(terms):
        status = "deprecatedTerm-admn-sts" if n % 10 == 9 else "preferredTerm-admn-sts"
        entries.append(
            f'<termEntry id="c{n}"><langSet xml:lang="en"><tig><term>term {n} word</term></tig>'
            f'</langSet><langSet xml:lang="da"><tig><term>udtryk {n} ord</term>'
            f'<termNote type="administrativeStatus">{status}</termNote></tig></langSet>'
            "</termEntry>"
        )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<martif type="TBX" xml:lang="en"><text><body>'
        + "\n".join(entries) + "</body></text></martif>\n", "utf-8"
    )


def bench_tbx(sizes: list[int]) -> None:
    previous = None
    print("terms  seconds  growth exponent")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = _project(Path(tmp) / "p")
            tbx = Path(tmp) / "terms.tbx"
            _tbx(tbx, size)
            started = time.perf_counter()
            done = subprocess.run(
                [TOOLKIT, "--project", str(root), "glossary", "import", str(tbx),
                 "--locale", "da"], capture_output=True, text=True,
            )
            seconds = time.perf_counter() - started
            if done.returncode:
                print(done.stdout, done.stderr)
                raise SystemExit(1)
        growth = "" if previous is None else (
            f"{math.log(seconds / previous[1]) / math.log(size / previous[0]):.2f}"
        )
        print(f"{size:>6} {seconds:>8.2f}  {growth}")
        previous = (size, seconds)


_PEAK = textwrap.dedent(
    """
    import resource, subprocess, sys
    done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(done.returncode, peak, (done.stderr or done.stdout).strip().splitlines()[-1:])
    """
)


def _peak(args: list[str]) -> tuple[int, int, str]:
    out = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True, text=True)
    code, peak, last = out.stdout.split(" ", 2)
    return int(code), int(peak), last.strip()


def _po(path: Path, entries: int, msgstr_chars: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        out.write('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Language: da\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')
        if msgstr_chars:
            out.write('msgid "Big"\nmsgstr "' + "x" * msgstr_chars + '"\n\n')
        for n in range(entries):
            out.write(f'msgid "Message {n}"\nmsgstr "Besked {n}"\n\n')


def bench_check(only_big_string: bool = False) -> None:
    cases = [("one 10 MB msgstr", 0, 10 * 1024 * 1024), ("1,000,000 entries", 1_000_000, 0)]
    cases = cases[:1] if only_big_string else cases
    print("case                 file MB  baseline MB  check MB  exit  last line")
    for label, entries, chars in cases:
        with tempfile.TemporaryDirectory() as tmp:
            root = _project(Path(tmp) / "p")
            po = root / "locales" / "da" / "LC_MESSAGES" / "messages.po"
            _po(po, entries, chars)
            size = po.stat().st_size / 1e6
            _, base, _ = _peak([sys.executable, "-c",
                                f"import toolkit.checks; open({str(po)!r}, 'rb').read()"])
            started = time.perf_counter()
            code, peak, last = _peak([TOOLKIT, "--project", str(root), "check", "--locale", "da"])
            seconds = time.perf_counter() - started
        print(f"{label:<20} {size:>7.1f} {base / 1024:>12.0f} {peak / 1024:>9.0f}  {code:>4}  "
              f"{seconds:.1f} s {last[:60]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["tbx", "check"])
    parser.add_argument("--terms", type=int, nargs="+", default=[2000, 8000, 32000])
    parser.add_argument("--big-string-only", action="store_true", help="check: skip 1M entries")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    if args.what == "tbx":
        bench_tbx(args.terms)
    else:
        bench_check(args.big_string_only)


if __name__ == "__main__":
    main()
