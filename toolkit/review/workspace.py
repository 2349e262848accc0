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
import io
import re
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from babel.messages.catalog import Message

from ..catalogs import entries, parse_catalog
from ..catalogs.entry import format_flags, forms_of
from ..catalogs.plurals import judged_plural_forms
from ..checks import CheckContext, Entry, Finding, available_checks
from ..checks.runner import relaxed_forms
from ..config import ProjectConfig
from ..errors import CatalogError, ToolkitError
from .checking import (
    catalog_findings,
    entry_findings,
    finding_dict,
    message_ids,
)
from .model import (
    REVIEWED_PREFIX,
    STATES,
    CatalogState,
    ReviewError,
    entry_id,
    parse_mt,
    revision_of,
)
from .po_edit import EntryBlock, read_header, scan_entries

_SURROGATE = re.compile("[\ud800-\udfff]")


#: The longest translation form a save or preview takes: the larger of this and
#: :data:`MSGSTR_SOURCE_RATIO` times the source. Wrapping a 100,000-character word the way
#: Babel does (its hyphen pattern backtracks) took two minutes, the server answering nothing.
MAX_MSGSTR_CHARS = 10_000
MSGSTR_SOURCE_RATIO = 4


class ReviewWorkspace:
    """Review one content project's catalogs; safe to call from several threads."""

    def __init__(self, config: ProjectConfig, *, reviewer: str | None = None) -> None:
        self.config = config
        self.reviewer = reviewer
        from ..render.environment import SharedTemplateCode

        # Compiled templates shared by every preview (text, HTML): see detail.PreviewRenderer.
        self.preview_code = (SharedTemplateCode(), SharedTemplateCode())
        self._states: dict[str, CatalogState] = {}
        self._guard = threading.Lock()
        self._checks = available_checks()
        # Entry findings by entry content, per locale and glossary state, across reloads.
        self._memo: dict[tuple[Any, ...], dict[Entry, list[Finding]]] = {}
        self._terms: dict[tuple[Any, ...], dict[tuple[str, str | None], list[dict]]] = {}
        # The POT's references by (msgid, msgctxt), under its (size, mtime): see locations().
        self._pot_locations: tuple[Any, dict[tuple[str, str | None], list]] = (None, {})

    # -- reading ---------------------------------------------------------------------------

    @property
    def locales(self) -> list[str]:
        """The configured locales, then those with a catalog on disk that are not configured
        (``toolkit update --locale de`` made one: status, translate and xliff cover it too)."""
        from ..project_locales import locales_on_disk

        configured = list(self.config.locales)
        return configured + [x for x in locales_on_disk(self.config) if x not in configured]

    def refuse_unread_layout(self, locale: str | None = None) -> None:
        """No catalog to review where the toolkit reads them, but catalogs of another domain
        (Sphinx's ``sphinx.po``) or flat ones (``locales/da.po``): an error naming the setting,
        not a workspace of "file not found" warnings (see
        :func:`toolkit.project_locales.refuse_flat_catalogs`)."""
        from ..project_locales import refuse_unread_layout

        refuse_unread_layout(self.config, [locale] if locale is not None else self.locales)

    def require_locale(self, locale: str) -> str:
        if locale not in self.config.locales and locale not in self.locales:
            known = ", ".join(self.locales) or "none"
            raise ReviewError(
                f"unknown locale '{locale}' (configured or on disk: {known}).", status=404
            )
        return locale

    def state(self, locale: str) -> CatalogState:
        """The catalog of ``locale`` as it is on disk now (re-read only when it changed)."""
        self.require_locale(locale)
        path = self.config.po_path(locale)
        try:
            info = path.stat()
        except FileNotFoundError as exc:
            from ..fsutil import missing_catalog_error

            raise missing_catalog_error(path) from exc
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
        # Lines as Babel numbers them, at LF only: a lone CR (an old Mac editor's line end in
        # a comment, which msgfmt accepts) split here too paired each message with the lines
        # of the entry before it, and a save wrote into the wrong entry (QA pass 84).
        lines = io.BytesIO(data).readlines()
        by_line = {block.msgid_line: block for block in scan_entries(lines)}
        header_line, header_fields = read_header(lines)
        nplurals, expr = judged_plural_forms(header_fields.get("plural-forms"), locale)
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
            checked[key] = Entry.from_message(
                message, _form_count(lines, block), _written_formats(lines, block)
            )
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
                found = entry_findings(self._checks, context, entry, demote_fuzzy=True)
                memo[content] = found
            if found:
                findings[key] = [dataclasses.replace(f, line=entry.line) for f in found]
                if any(f.severity == "error" for f in found):
                    errors_at.add(entry.line or 0)
        header = catalog_findings(self._checks, context, checked, order, findings, errors_at)
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

    def message(self, state: CatalogState, key: str) -> Message:
        message = state.messages.get(key)
        if message is None:
            raise ReviewError(f"no entry '{key}' in the {state.locale} catalog.", status=404)
        return message

    def locations(self, message: Message) -> list[tuple[str, int | None]]:
        """The entry's ``#:`` references, or the template's (POT's) where the catalog is kept
        without them (pybabel's ``--no-location``, Weblate's catalogs; update keeps them so):
        the preview finds the messages an entry comes from either way."""
        if message.locations:
            return list(message.locations)
        try:  # (a POT that is a dangling link, a loop or outside the project: none, QA pass 83)
            path = self.config.pot_path
            stat = path.stat()
            stamp = (stat.st_size, stat.st_mtime_ns)
        except (ToolkitError, OSError):
            return []
        with self._guard:
            if self._pot_locations[0] != stamp:
                try:
                    from ..catalogs import read_catalog

                    template = read_catalog(path)
                except (CatalogError, OSError):
                    return []  # (check and update report a broken template)
                found = {(m.id if isinstance(m.id, str) else m.id[0], m.context): m.locations
                         for m in entries(template)}  # fmt: skip
                self._pot_locations = (stamp, found)
            key = (message.id if isinstance(message.id, str) else message.id[0], message.context)
            return list(self._pot_locations[1].get(key, []))

    # -- the queue -------------------------------------------------------------------------

    def entry_states(self, state: CatalogState, key: str) -> list[str]:
        """Why an entry needs review: ``fuzzy``, ``untranslated``, ``mt``, ``findings``."""
        message = state.messages[key]
        strings = list(forms_of(message))
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
            "msgstr": list(forms_of(message)),
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
            # The entry's own lines: a save checks it when other entries changed meanwhile.
            "entry_version": entry_version(state, key),
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
        block = state.blocks.get(key)
        written = _written_formats(state.lines, block) if block is not None else None
        base = Entry.from_message(message, written_formats=written)
        flags = set(base.flags) - {"fuzzy"} | ({"fuzzy"} if fuzzy else set())
        entry = dataclasses.replace(
            base, strings=tuple(strings), form_count=len(strings), flags=frozenset(flags)
        )
        # A fresh cache for per-entry memos; catalog-wide ones (the glossary) are reused.
        shared = {k: v for k, v in state.context.cache.items() if ":" not in k}
        context = dataclasses.replace(state.context, cache=shared)
        found = entry_findings(self._checks, context, entry, demote_fuzzy=False)
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
        source = max((len(s) for s in message_ids(message) if s), default=0)
        longest = max(MAX_MSGSTR_CHARS, MSGSTR_SOURCE_RATIO * source)
        for form, text in enumerate(strings):
            if len(text) > longest:
                raise ReviewError(
                    f"'msgstr' form {form} has {len(text):,} characters; a translation of this "
                    f"entry may have {longest:,} ({MSGSTR_SOURCE_RATIO} times its source, at "
                    f"least {MAX_MSGSTR_CHARS:,}).",
                    status=400,
                )
        for form, text in enumerate(strings):
            found = _SURROGATE.search(text)
            if found:  # JSON's "\ud800" alone: no UTF-8 exists for it
                raise ReviewError(
                    f"'msgstr' form {form} has a lone surrogate (U+{ord(found.group()):04X}) at "
                    f"character {found.start() + 1}: not a character; retype the text there.",
                    status=400,
                )
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
        entry_version: str | None = None,
    ) -> dict[str, Any]:
        """Save an entry: new msgstr, approve (clear fuzzy, record the reviewer) or reject the
        suggestion (clear msgstr, fuzzy and MT provenance). See :func:`.saving.save_entry`."""
        from .saving import save_entry

        return save_entry(
            self, locale, key, revision=revision, msgstr=msgstr, approve=approve,
            reject=reject, force=force, entry_version=entry_version,
        )


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


def _written_formats(lines: list[bytes], block: EntryBlock) -> frozenset[str]:
    """The format flags the entry's ``#,`` lines write (Babel's ``Message`` guesses its own)."""
    return format_flags(
        flag.strip()
        for line in lines[block.start : block.msgid_line - 1]
        if line.startswith(b"#,")
        for flag in line[2:].decode("utf-8", "replace").split(",")
    )


def _form_count(lines: list[bytes], block: EntryBlock) -> int | None:
    """How many ``msgstr[n]`` lines the entry has in the file (None: a singular entry)."""
    count = sum(1 for line in lines[block.msgstr_start : block.end] if line.startswith(b"msgstr["))
    return count or None


def entry_version(state: CatalogState, key: str) -> str:
    """A fingerprint of the entry's lines in the file as last read or written."""
    import hashlib

    block = state.blocks[key]
    return hashlib.sha256(b"".join(state.lines[block.start : block.end])).hexdigest()[:16]
