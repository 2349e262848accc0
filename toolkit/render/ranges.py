"""Byte ranges of a customers file, for ``render-batch`` workers that read their own rows.

The main process cuts the file after a line end every ``size`` bytes or so (a scan of the
raw bytes: ``bytes.find`` and ``bytes.count``, no decoding or CSV parsing), and each worker
parses and renders the rows that *start* in its range (:class:`.customers.CustomerRows`),
reading the last one to its end wherever that is. In CSV a line end inside a quoted value is
no row boundary: a cut is made only where the double quotes before it are even in number,
which is where a well-formed CSV file has a row boundary.

A file the ``csv`` module reads otherwise (a stray quote inside an unquoted value is a
character there, not the start of a quoted value) can still be cut inside a row. That is
found without trusting the cut: the worker of the range before reads on to the true start of
the next row and reports it (``end``); when that is not where the next range starts, the main
process throws the next range's result away and has that range rendered again from the true
start (:func:`toolkit.render.batch.render_batch`). The output is what one process reading the
whole file writes, in every case.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

#: Bytes read at a time by the scan.
BLOCK_BYTES = 1 << 20


@dataclass(frozen=True)
class ByteRange:
    """Rows of a customers file starting at ``start`` up to the last one starting before
    ``stop``; ``line`` lines of the file come before ``start``."""

    start: int
    stop: int
    line: int


def split_ranges(
    path: Path, start: int, line: int, size: int, *, csv: bool, workers: int = 1
) -> Iterator[ByteRange]:
    """Ranges of about ``size`` bytes (at least one line each) from ``start`` (a row start,
    ``line`` lines into the file) to the end of the file, cut after line ends (with ``csv``,
    only after line ends preceded by an even number of double quotes since ``start``).

    With several ``workers``, the last ranges get smaller (down to a sixteenth of ``size``:
    a quarter of what is left per worker), so the workers finish close together instead of
    one rendering a whole last range while the others wait.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp(), "c.csv")
    >>> _ = path.write_bytes(b'id,locale\\n1,da\\n2,"a\\nb"\\n3,nb\\n')
    >>> [(r.start, r.stop, r.line) for r in split_ranges(path, 10, 1, 1, csv=True)]
    [(10, 15, 1), (15, 23, 2), (23, 28, 4)]
    >>> [(r.start, r.stop, r.line) for r in split_ranges(path, 10, 1, 1, csv=False)]
    [(10, 15, 1), (15, 20, 2), (20, 23, 3), (23, 28, 4)]
    """
    size = max(size, 1)
    smallest = max(size // 16, 1)
    begin, begin_line = start, line  # the range being measured
    offset = start  # file offset of ``block``
    odd = False  # an odd number of quotes since ``begin``'s row start: inside a quoted value
    with path.open("rb") as handle:
        length = os.fstat(handle.fileno()).st_size

        def next_target() -> int:  # cut at the first suitable line end at or after this
            left = (length - begin) // (4 * workers) if workers > 1 else size
            return begin + max(min(size, left), smallest)

        target = next_target()
        handle.seek(start)
        while block := handle.read(BLOCK_BYTES):
            done = 0  # quotes and line ends in block[:done] are counted
            while (end := block.find(b"\n", max(target - offset, done))) >= 0:
                end += 1
                if csv:
                    odd ^= bool(block.count(b'"', done, end) & 1)
                line += block.count(b"\n", done, end)
                done = end
                if not odd:
                    yield ByteRange(begin, offset + end, begin_line)
                    begin, begin_line = offset + end, line
                    target = next_target()
            if csv:
                odd ^= bool(block.count(b'"', done) & 1)
            line += block.count(b"\n", done)
            offset += len(block)
    if begin < offset:
        yield ByteRange(begin, offset, begin_line)
