"""Saving one entry: the revision check, the checks, the in-place edit and atomic write,
and the workspace state brought up to date entry by entry."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..catalogs.entry import forms_of
from ..catalogs.pofile import links_to_same_kind
from ..errors import InputError
from ..fsutil import atomic_open, refuse_read_only
from .checking import finding_dict, flag_order, message_ids, msgfmt_entry
from .lock import catalog_lock
from .model import REVIEWED_PREFIX, CatalogState, ReviewError, revision_of
from .po_edit import edit_entry, translator_comments

if TYPE_CHECKING:
    from .workspace import ReviewWorkspace


def save_entry(
    workspace: ReviewWorkspace,
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
    suggestion (clear msgstr, fuzzy and MT provenance).

    Raises ReviewError 409 when the catalog is no longer at ``revision`` and the entry itself
    changed too (``entry_version``, from the entries API, says which lines the reviewer saw:
    a save of another entry meanwhile is no conflict), 422 with the findings when an
    error-level check fails (unless ``force``), 400 on bad input.
    """
    if not isinstance(revision, str) or not revision:
        raise ReviewError("'revision' (from the entries API) is required.", status=400)
    state = workspace.state(locale)
    with catalog_lock(state.path):
        state = workspace.state(locale)
        message = workspace.message(state, key)
        if msgstr is not None and not reject:
            workspace.validate_strings(state, key, msgstr)
        from .workspace import entry_version as version_of

        if state.revision != revision and (
            entry_version is None or entry_version != version_of(state, key)
        ):
            raise ReviewError(
                f"the {locale} catalog changed on disk since revision {revision} "
                f"(now {state.revision}); reload the entry and apply your change again.",
                status=409,
                payload={"revision": state.revision, "entry": workspace.summary(state, key)},
            )
        msgid, plural = message_ids(message)
        if reject:
            strings = [""] * (state.nplurals if plural is not None else 1)
        elif msgstr is None:
            strings = list(forms_of(message))
        else:
            strings = workspace.validate_strings(state, key, msgstr)
        fuzzy = message.fuzzy and not approve and not reject
        if approve and not all(strings):
            raise ReviewError("cannot approve an entry with an empty form.", status=422)
        msgfmt = msgfmt_entry(state, key, strings)  # runs while we check
        found = workspace.check_text(state, key, strings, fuzzy=False)
        found += msgfmt()
        errors = [f for f in found if f.severity == "error"]
        if errors and not force and not reject:
            raise ReviewError(
                f"{len(errors)} error finding(s): {errors[0].message} "
                "Fix the text or send \"force\": true.",
                status=422,
                payload={"findings": [finding_dict(f) for f in found]},
            )
        rejected_by_msgfmt = [f for f in errors if f.check == "msgfmt"]
        if rejected_by_msgfmt and not reject:
            # Forced, but GNU msgfmt rejects this text in a finished entry: written so, the
            # whole catalog would fail 'msgfmt --check' and every compile. msgfmt accepts it
            # in a fuzzy entry, which compile leaves out: the text is kept as a draft.
            if approve:
                raise ReviewError(
                    "GNU msgfmt rejects this text, so it cannot be approved even with force "
                    f"({rejected_by_msgfmt[0].message}).",
                    status=422,
                    payload={"findings": [finding_dict(f) for f in found]},
                )
            fuzzy = True
        flags = [f for f in flag_order(state, key) if f != "fuzzy"]
        if fuzzy:
            flags.insert(0, "fuzzy")
        # A text the reviewer changed is a person's: its `# mt:` provenance goes, as in
        # 'xliff import' (QA pass 68: a saved edit was still shown and exported as MT).
        edited = not reject and tuple(strings) != tuple(forms_of(message))
        comments = [
            c for c in translator_comments(state.lines, state.blocks[key])
            if not (approve and c.startswith(REVIEWED_PREFIX))
            and not (reject and c.startswith(("mt:", "glossary:", REVIEWED_PREFIX)))
            and not (edited and c.startswith("mt:"))
        ]
        if approve:
            who = workspace.reviewer or login_name()
            comments.append(f"{REVIEWED_PREFIX} {who}, {datetime.now(UTC):%Y-%m-%d}")
        write_entry(state, key, strings, flags, comments, drop_previous=not fuzzy)
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
        return workspace.summary(state, key) | {
            "saved": True,
            "findings": [finding_dict(f) for f in found],
        }


def write_entry(
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
    try:
        refuse_read_only(state.path)
    except InputError as exc:
        # The file's state refuses the save, not the server: 409, not a 500 (QA pass 80).
        raise ReviewError(f"{exc.message} Nothing was saved.", status=409) from exc
    with atomic_open(state.path, "wb", follow_links=links_to_same_kind(state.path)) as handle:
        handle.write(data)
        # A program that does not take the lock ('toolkit update', an editor) may have written
        # since the revision check: refuse rather than replace its work (the temp file goes).
        now = state.path.stat()
        if (now.st_mtime_ns, now.st_size) != state.stat:
            raise ReviewError(
                f"the {state.locale} catalog changed on disk while saving; reload the entry "
                "and apply your change again.",
                status=409,
            )
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


def login_name() -> str:
    """Who approves when ``--reviewer`` was not given: the login name."""
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        return "reviewer"


def _keyword_offset(lines: list[bytes]) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(b"msgid "))


def _msgstr_offset(lines: list[bytes]) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(b"msgstr"))
