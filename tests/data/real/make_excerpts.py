"""Rebuild the catalog excerpts in this folder from full upstream catalogs (not run by tests).

    python tests/data/real/make_excerpts.py SOURCE.po OUT.po [--findings CHECK.json]

Keeps the header, every plural entry, every entry a ``toolkit check --format json`` report
names (so the excerpt holds each finding of the full catalog), every 25th other entry and a
few obsolete ones, copying each entry's lines byte for byte.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path


def blocks(text: str) -> list[tuple[int, str]]:
    """``(first line, text)`` of each blank-line separated PO entry."""
    found, start, current = [], 1, []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            found.append((start, "".join(current)))
            current = []
    if current:
        found.append((start, "".join(current)))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--findings", type=Path)
    parser.add_argument("--every", type=int, default=25)
    parser.add_argument("--max-plural", type=int, default=30)
    args = parser.parse_args()
    text = args.source.read_text("utf-8")
    lines: set[int] = set()
    if args.findings:
        report = json.loads(args.findings.read_text("utf-8"))
        lines = {
            f["line"]
            for f in report["findings"]
            if f["check"] not in ("untranslated", "fuzzy") and f["line"]
        }
    kept, plural, obsolete = [], 0, 0
    for index, (start, block) in enumerate(blocks(text)):
        end = start + block.count("\n")
        msgid_lines = [
            start + i for i, ln in enumerate(block.splitlines()) if ln.startswith("msgid ")
        ]
        is_header = index == 0
        named = any(n in lines for n in msgid_lines) or any(start <= n <= end for n in lines)
        is_plural = "msgid_plural" in block and not block.lstrip().startswith("#~")
        is_obsolete = block.lstrip().startswith("#~") or "\n#~" in block
        keep = is_header or named or index % args.every == 0
        if is_plural and plural < args.max_plural:
            keep, plural = True, plural + 1
        if is_obsolete and obsolete < 3:
            keep, obsolete = True, obsolete + 1
        if keep:
            kept.append(block)
    out = "\n".join(kept)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(re.sub(r"\n*\Z", "\n", out), "utf-8")


if __name__ == "__main__":
    main()
