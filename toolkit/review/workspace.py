"""The review workspace as a library: queues, entries, live checks and safe saves.

:class:`ReviewWorkspace` is what ``toolkit review`` serves; the web layer (:mod:`.app`) only
maps requests to its methods. A catalog is read once per revision (a hash of its bytes) and
checked with the same registry as ``toolkit check``; a save edits the entry's lines in place
under a lock, refuses a stale ``revision`` (409) and error findings (422), and updates the
cached state entry by entry, so the next queue costs no new parse.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.messages.catalog import Message

from ..catalogs import entries, parse_catalog
from ..checks import CatalogCheck, CheckContext, Entry, EntryCheck, Finding, available_checks
from ..checks.runner import relaxed_forms
from ..config import ProjectConfig
from ..errors import CatalogError
from ..fsutil import atomic_open
from ..locales import plural_forms
from .lock import catalog_lock
from .model import (
    REVIEWED_PREFIX,
    STATES,
    WORKFLOW_CHECKS,
    CatalogState,
    ReviewError,
    entry_id,
    parse_mt,
    revision_of,
)
from .po_edit import EntryBlock, edit_entry, read_header, scan_entries, translator_comments


def message_strings(message: Message) -> list[str]:
    """The msgstr forms of a Babel message as a list."""
    if isinstance(message.string, (list, tuple)):
        return [str(s or "") for s in message.string]
    return [str(message.string or "")]


def message_ids(message: Message) -> tuple[str, str | None]:
    """``(msgid, msgid_plural)``."""
    if isinstance(message.id, (list, tuple)):
        return str(message.id[0]), str(message.id[1])
    return str(message.id), None


class ReviewWorkspace:
    """Review one content project's catalogs; safe to call from several threads."""

    def __init__(self, config: ProjectConfig, *, reviewer: str | None = None) -> None:
        self.config = config
        self.reviewer = reviewer
        self._states: dict[str, CatalogState] = {}
        self._guard = threading.Lock()
        self._checks = available_checks()
        # Entry findings by entry content, per locale and glossary state, across reloads.
        self._memo: dict[tuple[Any, ...], dict[Entry, list[Finding]]] = {}
        self._terms: dict[tuple[Any, ...], dict[tuple[str, str | None], list[dict]]] = {}

    # -- reading ---------------------------------------------------------------------------

    @property
    def locales(self) -> list[str]:
        return list(self.config.locales)

    def require_locale(self, locale: str) -> str:
        if locale not in self.config.locales:
            known = ", ".join(self.config.locales) or "none"
            raise ReviewError(f"unknown locale '{locale}' (configured: {known}).", status=404)
        return locale

    def state(self, locale: str) -> CatalogState:
        """The catalog of ``locale`` as it is on disk now (re-read only when it changed)."""
        self.require_locale(locale)
        path = self.config.po_path(locale)
        try:
            info = path.stat()
        except FileNotFoundError as exc:
            raise CatalogError(
                "file not found.", path=path, hint="Run 'toolkit update' to create it."
            ) from exc
        stamp = (info.st_mtime_ns, info.st_size)
        with self._guard:
            cached = self._states.get(locale)
        if cached is not None and cached.stat == stamp:
            return cached
        data = path.read_bytes()
        if cached is not None and cached.revision == revision_of(data):
            cached.stat = stamp
            return cached
        with _collector_paused():
            state = self._load(locale, path, data, stamp)
        with self._guard:
            self._states[locale] = state
        return state

    def _load(self, locale: str, path: Path, data: bytes, stamp: tuple[int, int]) -> CatalogState:
        """Parse and check a catalog; entries unchanged since an earlier load keep their
        findings (entry checks look at one entry only), so a reload after another program
        changed a few entries costs a parse and the catalog-wide checks."""
        catalog = parse_catalog(data, path=path, locale=locale)
        lines = data.splitlines(keepends=True)
        by_line = {block.msgid_line: block for block in scan_entries(lines)}
        nplurals, expr = plural_forms(locale)
        header_line, header_fields = read_header(lines)
        order: list[str] = []
        blocks = {}
        messages = {}
        checked = {}
        for message in entries(catalog):
            block = by_line.get(message.lineno or 0)
            if block is None:  # pragma: no cover - Babel and the scanner agree on valid files
                continue
            key = entry_id(message.context, message_ids(message)[0])
            order.append(key)
            blocks[key] = block
            messages[key] = message
            checked[key] = Entry.from_message(message, _form_count(lines, block))
        context = CheckContext(
            locale=locale,
            path=path,
            catalog=catalog,
            nplurals=nplurals,
            relaxed_forms=relaxed_forms(expr, nplurals),
            header_line=header_line,
            header=header_fields,
            config=self.config,
            entries=tuple(checked[k] for k in order),
            source_locale=self.config.source_locale,
        )
        signature = (locale, self._glossary_signature(locale))
        memo = self._memo.setdefault(signature, {})
        findings: dict[str, list[Finding]] = {}
        errors_at: set[int] = set()
        for key in order:
            entry = checked[key]
            content = dataclasses.replace(entry, line=None, locations=())
            found = memo.get(content)
            if found is None:
                found = memo[content] = self._entry_findings(context, entry, demote_fuzzy=True)
            if found:
                findings[key] = [dataclasses.replace(f, line=entry.line) for f in found]
                if any(f.severity == "error" for f in found):
                    errors_at.add(entry.line or 0)
        header = self._catalog_findings(context, checked, order, findings, errors_at)
        return CatalogState(
            locale=locale,
            path=path,
            revision=revision_of(data),
            stat=stamp,
            lines=lines,
            order=order,
            blocks=blocks,
            messages=messages,
            findings=findings,
            header_findings=header,
            context=context,
            nplurals=nplurals,
            plural_expr=expr,
        )

    def _catalog_findings(
        self,
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
        for check in self._checks:
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

    def _glossary_signature(self, locale: str) -> tuple[tuple[str, int, int], ...]:
        """Which glossary files hold for ``locale`` and their state (memoised findings are
        only reused while the glossary is unchanged)."""
        from ..glossary import glossary_paths

        found = []
        for path in glossary_paths(self.config, locale):
            try:
                info = path.stat()
            except OSError:
                continue
            found.append((str(path), info.st_mtime_ns, info.st_size))
        return tuple(found)

    def _entry_findings(
        self, context: CheckContext, entry: Entry, *, demote_fuzzy: bool
    ) -> list[Finding]:
        """The entry checks of the registry on one entry, as ``toolkit check`` runs them
        (suppression flags; errors of fuzzy entries as warnings with ``demote_fuzzy``); the
        workflow checks are left out: the workspace shows those as states."""
        found = []
        off = entry.suppressed() | WORKFLOW_CHECKS
        for check in self._checks:
            if not isinstance(check, EntryCheck) or check.id in off:
                continue
            if not (entry.has_translation or check.untranslated):
                continue
            for text in check.check(entry, context):
                severity = check.severity
                if demote_fuzzy and severity == "error" and entry.fuzzy:
                    severity = "warning"
                    text += " (fuzzy entry: compile leaves it out until it is reviewed)"
                found.append(
                    Finding(
                        check=check.id,
                        severity=severity,
                        locale=context.locale,
                        path=context.path,
                        line=entry.line,
                        msgid=entry.msgid,
                        msgctxt=entry.msgctxt,
                        message=text,
                    )
                )
        return found

    def message(self, state: CatalogState, key: str) -> Message:
        message = state.messages.get(key)
        if message is None:
            raise ReviewError(f"no entry '{key}' in the {state.locale} catalog.", status=404)
        return message

    # -- the queue -------------------------------------------------------------------------

    def entry_states(self, state: CatalogState, key: str) -> list[str]:
        """Why an entry needs review: ``fuzzy``, ``untranslated``, ``mt``, ``findings``."""
        message = state.messages[key]
        strings = message_strings(message)
        found = []
        if message.fuzzy:
            found.append("fuzzy")
        if not all(strings):
            found.append("untranslated")
        if message.fuzzy and parse_mt(message.user_comments) is not None:
            found.append("mt")
        if state.findings.get(key):
            found.append("findings")
        return found

    def summary(self, state: CatalogState, key: str) -> dict[str, Any]:
        """The API shape of one entry (cached per revision of the entry)."""
        cache = state.cache.setdefault("summary", {})
        cached = cache.get(key)
        if cached is not None:
            return dict(cached, revision=state.revision)
        message = state.messages[key]
        msgid, plural = message_ids(message)
        mt = parse_mt(message.user_comments)
        result = {
            "id": key,
            "msgctxt": message.context,
            "msgid": msgid,
            "msgid_plural": plural,
            "msgstr": message_strings(message),
            "flags": sorted(message.flags),
            "states": self.entry_states(state, key),
            "findings": [finding_dict(f) for f in state.findings.get(key, [])],
            "glossary": self.glossary_terms(state, msgid, plural),
            "mt": mt.as_dict() if mt else None,
            "reviewed": next(
                (c[len(REVIEWED_PREFIX) :].strip() for c in message.user_comments
                 if c.startswith(REVIEWED_PREFIX)),
                None,
            ),
            "line": state.blocks[key].msgid_line,
        }
        cache[key] = result
        return dict(result, revision=state.revision)

    def glossary_terms(self, state: CatalogState, msgid: str, plural: str | None) -> list[dict]:
        """Glossary terms that apply to the source, with the form they require."""
        from ..checks.glossary import glossary_of

        memo = state.cache.get("terms")
        if memo is None:
            memo = state.cache["terms"] = self._terms.setdefault(
                (state.locale, self._glossary_signature(state.locale)), {}
            )
        if (msgid, plural) in memo:
            return memo[(msgid, plural)]
        glossary = glossary_of(state.context)
        if not len(glossary):
            memo[(msgid, plural)] = []
            return []
        seen: dict[str, dict[str, Any]] = {}
        for text in (msgid, plural or ""):
            for match in glossary.match(text):
                term = match.term
                seen.setdefault(
                    term.shown,
                    {
                        "source": term.source,
                        "found": match.text,
                        "rule": term.rule,
                        "target": term.target,
                        "forms": list(term.target_forms),
                        "note": term.note,
                        "shown": term.shown,
                        "origin": term.origin,
                    },
                )
        memo[(msgid, plural)] = list(seen.values())
        return memo[(msgid, plural)]

    def queue(self, locale: str, state_filter: str = "review", query: str = "") -> dict[str, Any]:
        """Entries of a locale matching ``state_filter`` (see :data:`STATES`) and ``query``."""
        if state_filter not in STATES:
            raise ReviewError(
                f"unknown state '{state_filter}': use one of {', '.join(STATES)}.", status=400
            )
        state = self.state(locale)
        counts = dict.fromkeys(STATES, 0)
        chosen = []
        needle = query.casefold().strip()
        for key in state.order:
            summary = self.summary(state, key)
            states = summary["states"]
            for name in states:
                counts[name] += 1
            counts["all"] += 1
            if states:
                counts["review"] += 1
            wanted = (
                state_filter == "all"
                or (state_filter == "review" and states)
                or state_filter in states
            )
            if wanted and needle:
                haystack = " ".join([summary["msgid"], *summary["msgstr"]]).casefold()
                wanted = needle in haystack
            if wanted:
                chosen.append(summary)
        return {
            "locale": locale,
            "state": state_filter,
            "revision": state.revision,
            "counts": counts,
            "entries": chosen,
            "catalog_findings": [finding_dict(f) for f in state.header_findings],
        }

    def coverage(self) -> list[dict[str, Any]]:
        """Per locale: entries, translated (reviewed), fuzzy, untranslated, percent."""
        rows: list[dict[str, Any]] = []
        for locale in self.locales:
            try:
                state = self.state(locale)
            except CatalogError as exc:
                rows.append({"locale": locale, "error": str(exc)})
                continue
            total = len(state.order)
            fuzzy = untranslated = findings = 0
            for key in state.order:
                states = self.summary(state, key)["states"]
                fuzzy += "fuzzy" in states and "untranslated" not in states
                untranslated += "untranslated" in states
                findings += "findings" in states
            translated = total - fuzzy - untranslated
            rows.append(
                {
                    "locale": locale,
                    "total": total,
                    "translated": translated,
                    "fuzzy": fuzzy,
                    "untranslated": untranslated,
                    "findings": findings,
                    "percent": round(100.0 * translated / total, 1) if total else 100.0,
                    "revision": state.revision,
                }
            )
        return rows

    # -- checks of unsaved text -------------------------------------------------------------

    def check_text(
        self, state: CatalogState, key: str, strings: Sequence[str], *, fuzzy: bool
    ) -> list[Finding]:
        """Findings of the entry checks for ``strings`` (not saved), errors kept as errors."""
        message = self.message(state, key)
        base = Entry.from_message(message)
        flags = set(base.flags) - {"fuzzy"} | ({"fuzzy"} if fuzzy else set())
        entry = dataclasses.replace(
            base, strings=tuple(strings), form_count=len(strings), flags=frozenset(flags)
        )
        # A fresh cache for per-entry memos; catalog-wide ones (the glossary) are reused.
        shared = {k: v for k, v in state.context.cache.items() if ":" not in k}
        context = dataclasses.replace(state.context, cache=shared)
        found = self._entry_findings(context, entry, demote_fuzzy=False)
        for name, value in context.cache.items():
            if ":" not in name:
                state.context.cache.setdefault(name, value)
        return found

    def validate_strings(self, state: CatalogState, key: str, strings: Any) -> list[str]:
        """``strings`` as a list of the right number of forms, or a 400 ReviewError."""
        message = self.message(state, key)
        if not isinstance(strings, list) or not all(isinstance(s, str) for s in strings):
            raise ReviewError("'msgstr' must be a list of strings.", status=400)
        plural = message_ids(message)[1] is not None
        wanted = state.nplurals if plural else 1
        if len(strings) != wanted:
            what = f"{wanted} plural forms" if plural else "1 form"
            raise ReviewError(
                f"'msgstr' has {len(strings)} forms; this entry needs {what} in {state.locale}.",
                status=400,
            )
        if any("\x00" in s for s in strings):
            raise ReviewError("'msgstr' may not contain NUL characters.", status=400)
        return strings

    # -- saving ----------------------------------------------------------------------------

    def save(
        self,
        locale: str,
        key: str,
        *,
        revision: str,
        msgstr: Any = None,
        approve: bool = False,
        reject: bool = False,
        force: bool = False,
    ) -> dict[str, Any]:
        """Save an entry: new msgstr, approve (clear fuzzy, record the reviewer) or reject the
        suggestion (clear msgstr, fuzzy and MT provenance).

        Raises ReviewError 409 when the catalog is no longer at ``revision``, 422 with the
        findings when an error-level check fails (unless ``force``), 400 on bad input.
        """
        if not isinstance(revision, str) or not revision:
            raise ReviewError("'revision' (from the entries API) is required.", status=400)
        state = self.state(locale)
        with catalog_lock(state.path):
            state = self.state(locale)
            message = self.message(state, key)
            if msgstr is not None and not reject:
                self.validate_strings(state, key, msgstr)
            if state.revision != revision:
                raise ReviewError(
                    f"the {locale} catalog changed on disk since revision {revision} "
                    f"(now {state.revision}); reload the entry and apply your change again.",
                    status=409,
                    payload={"revision": state.revision, "entry": self.summary(state, key)},
                )
            msgid, plural = message_ids(message)
            if reject:
                strings = [""] * (state.nplurals if plural is not None else 1)
            elif msgstr is None:
                strings = message_strings(message)
            else:
                strings = self.validate_strings(state, key, msgstr)
            fuzzy = message.fuzzy and not approve and not reject
            if approve and not all(strings):
                raise ReviewError("cannot approve an entry with an empty form.", status=422)
            msgfmt = self._msgfmt_findings(state, key, strings)  # runs while we check
            found = self.check_text(state, key, strings, fuzzy=False)
            found += msgfmt()
            errors = [f for f in found if f.severity == "error"]
            if errors and not force and not reject:
                raise ReviewError(
                    f"{len(errors)} error finding(s): {errors[0].message} "
                    "Fix the text or send \"force\": true.",
                    status=422,
                    payload={"findings": [finding_dict(f) for f in found]},
                )
            flags = [f for f in _flag_order(state, key) if f != "fuzzy"]
            if fuzzy:
                flags.insert(0, "fuzzy")
            comments = [
                c for c in translator_comments(state.lines, state.blocks[key])
                if not (approve and c.startswith(REVIEWED_PREFIX))
                and not (reject and c.startswith(("mt:", "glossary:")))
            ]
            if approve:
                who = self.reviewer or _login_name()
                comments.append(f"{REVIEWED_PREFIX} {who}, {datetime.now(UTC):%Y-%m-%d}")
            self._write(state, key, strings, flags, comments, drop_previous=not fuzzy)
            message.string = tuple(strings) if plural is not None else strings[0]
            message.flags = set(flags)
            message.user_comments = comments
            if not fuzzy:
                message.previous_id = []
            # As 'toolkit check' reports them: errors of a fuzzy entry count as warnings.
            line = state.blocks[key].msgid_line
            state.findings[key] = [
                dataclasses.replace(f, line=line, severity="warning" if fuzzy else f.severity)
                for f in found
            ]
            found = state.findings[key]
            if not state.findings[key]:
                del state.findings[key]
            state.cache.get("summary", {}).pop(key, None)
            state.cache.pop("translations", None)
            return self.summary(state, key) | {
                "saved": True,
                "findings": [finding_dict(f) for f in found],
            }

    def _write(
        self,
        state: CatalogState,
        key: str,
        strings: list[str],
        flags: list[str],
        comments: list[str],
        *,
        drop_previous: bool,
    ) -> None:
        """Replace the entry's lines, write the file atomically, shift later entries."""
        block = state.blocks[key]
        plural = message_ids(state.messages[key])[1] is not None
        new = edit_entry(
            state.lines,
            block,
            strings=strings,
            plural=plural,
            flags=flags,
            translator_comments=comments,
            drop_previous=drop_previous,
        )
        lines = state.lines[: block.start] + new + state.lines[block.end :]
        data = b"".join(lines)
        with atomic_open(state.path, "wb") as handle:
            handle.write(data)
        info = state.path.stat()
        delta = len(new) - (block.end - block.start)
        state.lines = lines
        state.revision = revision_of(data)
        state.stat = (info.st_mtime_ns, info.st_size)
        keyword_offset = _keyword_offset(new)
        state.blocks[key] = dataclasses.replace(
            block,
            msgid_line=block.start + keyword_offset + 1,
            msgstr_start=block.start + _msgstr_offset(new),
            end=block.start + len(new),
        )
        state.messages[key].lineno = state.blocks[key].msgid_line
        if not delta:
            return
        summaries = state.cache.get("summary", {})
        for other in state.order[state.order.index(key) + 1 :]:
            shifted = state.blocks[other] = state.blocks[other].shifted(delta)
            state.messages[other].lineno = shifted.msgid_line
            if other in state.findings:
                state.findings[other] = [
                    dataclasses.replace(f, line=shifted.msgid_line) for f in state.findings[other]
                ]
            summary = summaries.get(other)
            if summary is not None:
                summary["line"] = shifted.msgid_line

    def _msgfmt_findings(
        self, state: CatalogState, key: str, strings: list[str]
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
                flags=[f for f in _flag_order(state, key) if f != "fuzzy"],
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


def _login_name() -> str:
    """Who approves when ``--reviewer`` was not given: the login name."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        return "reviewer"


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a catalog is parsed: tens of thousands of
    small objects, none cyclic garbage, made it rescan the heap (40 % of a 5,000-entry load)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _form_count(lines: list[bytes], block: EntryBlock) -> int | None:
    """How many ``msgstr[n]`` lines the entry has in the file (None: a singular entry)."""
    count = sum(1 for line in lines[block.msgstr_start : block.end] if line.startswith(b"msgstr["))
    return count or None


def _flag_order(state: CatalogState, key: str) -> list[str]:
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
