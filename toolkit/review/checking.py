"""Running the check registry the way ``toolkit check`` does, on the workspace's parsed
catalog, one entry at a time, and GNU msgfmt on one entry as it would be saved."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..catalogs.entry import source_ids
from ..checks import CatalogCheck, Check, CheckContext, Entry, EntryCheck, Finding
from ..checks.runner import entry_finding
from .model import WORKFLOW_CHECKS, CatalogState
from .po_edit import edit_entry


def message_ids(message: Any) -> tuple[str, str | None]:
    """``(msgid, msgid_plural)`` of a Babel message (``msgid_plural`` None when singular)."""
    ids = source_ids(message)
    return ids[0], ids[1] if len(ids) > 1 else None


def entry_findings(
    checks: Sequence[Check], context: CheckContext, entry: Entry, *, demote_fuzzy: bool
) -> list[Finding]:
    """The entry checks of the registry on one entry, as ``toolkit check`` runs them
    (suppression flags; errors of fuzzy entries as warnings with ``demote_fuzzy``); the
    workflow checks are left out: the workspace shows those as states."""
    found = []
    off = entry.suppressed() | WORKFLOW_CHECKS
    for check in checks:
        if not isinstance(check, EntryCheck) or check.id in off:
            continue
        if not (entry.has_translation or check.untranslated):
            continue
        found += [
            entry_finding(check, check.severity, entry, text, context, not demote_fuzzy)
            for text in check.check(entry, context)
        ]
    return found


def catalog_findings(
    checks: Sequence[Check],
    context: CheckContext,
    checked: dict[str, Entry],
    order: list[str],
    findings: dict[str, list[Finding]],
    errors_at: set[int],
) -> list[Finding]:
    """Run the catalog-wide checks (msgfmt, Plural-Forms) as ``toolkit check`` does; add
    entry findings to ``findings`` and return those about the header or file."""
    by_line = {checked[k].line: k for k in order}
    header: list[Finding] = []
    for check in checks:
        if not isinstance(check, CatalogCheck):
            continue
        context.cache[check.id] = check.begin(context.path)
        for problem in check.check(context):
            target = problem.entry
            if target is None and problem.line in by_line:
                target = checked[by_line[problem.line]]
            if target is not None and check.id in target.suppressed():
                continue
            severity = problem.severity or check.severity
            if target is None:
                header.append(
                    Finding(check.id, severity, context.locale, context.path,
                            problem.line or context.header_line, "", None, problem.message)
                )
                continue
            if severity == "error" and check.defers_to_entry_errors and (
                (target.line or 0) in errors_at
            ):
                continue  # msgfmt repeating what an entry check says, less precisely
            message = problem.message
            if severity == "error" and target.fuzzy:
                severity = "warning"
                message += " (fuzzy entry: compile leaves it out until it is reviewed)"
            findings.setdefault(by_line[target.line], []).append(
                Finding(check.id, severity, context.locale, context.path, target.line,
                        target.msgid, target.msgctxt, message)
            )
    return header


def msgfmt_entry(
    state: CatalogState, key: str, strings: Sequence[str]
) -> Callable[[], list[Finding]]:
    """Start GNU msgfmt on the entry as it would be saved (the header plus the entry, on
    stdin); the function returned waits for its verdict on the entry."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        return list
    block = state.blocks[key]
    plural = message_ids(state.messages[key])[1] is not None
    first = state.blocks[state.order[0]].start if state.order else len(state.lines)
    header = b"".join(state.lines[:first]).rstrip(b"\r\n") + b"\n\n"
    body = b"".join(
        edit_entry(
            state.lines,
            block,
            strings=strings,
            plural=plural,
            flags=[f for f in flag_order(state, key) if f != "fuzzy"],
            translator_comments=[],
            drop_previous=True,
        )
    )
    entry_starts = header.count(b"\n") + 1
    process = subprocess.Popen(
        [msgfmt, "--check-format", "-o", os.devnull, "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "LC_ALL": "C", "LANGUAGE": ""},
    )

    def verdict() -> list[Finding]:
        from ..checks.msgfmt import parse_output

        _, errors = process.communicate(header + body, timeout=30)
        if process.returncode == 0:
            return []
        return [
            Finding(
                check="msgfmt",
                severity="warning" if item.warning else "error",
                locale=state.locale,
                path=state.path,
                line=block.msgid_line,
                msgid=message_ids(state.messages[key])[0],
                msgctxt=state.messages[key].context,
                message=f"msgfmt: {item.message}",
            )
            for item in parse_output(errors.decode("utf-8", "replace"), Path("<stdin>"))
            if item.line >= entry_starts
        ]

    return verdict


def flag_order(state: CatalogState, key: str) -> list[str]:
    """The entry's flags in the order the file has them."""
    block = state.blocks[key]
    found: list[str] = []
    for line in state.lines[block.start : block.msgstr_start]:
        if line.startswith(b"#,"):
            found += [f.strip() for f in line.decode("utf-8")[2:].split(",") if f.strip()]
    extra = sorted(set(state.messages[key].flags) - set(found))
    return found + extra


def _keyword_offset(lines: list[bytes]) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(b"msgid "))


def _msgstr_offset(lines: list[bytes]) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(b"msgstr"))


def finding_dict(finding: Finding) -> dict[str, Any]:
    """The API shape of a finding."""
    return {
        "check": finding.check,
        "severity": finding.severity,
        "line": finding.line,
        "message": finding.message,
    }
