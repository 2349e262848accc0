"""Reading, writing and merging gettext catalogs (PO/POT) with Babel's catalog model."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, write_po

from .config import ProjectConfig
from .errors import CatalogError
from .fsutil import decode_utf8, write_bytes_atomic
from .locales import plural_forms_header

#: Translator-comment prefix that marks a machine translation (`# mt: argos en->da ...`).
MT_PROVENANCE_PREFIX = "mt:"
PO_WIDTH = 76
#: Header fields the writing tool fills in by itself (dates, its own version): "noise" that
#: never makes a catalog out of date, so a clone with another Babel patch version passes
#: ``--check`` and reruns leave files untouched.
_NOISE_HEADER = re.compile(
    rb'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): [^"]*\\n"\n', re.MULTILINE
)
_LEADING_COMMENTS = re.compile(rb"\A(?:#[^\n]*\n)+")
_YEAR = re.compile(rb"\b(?:19|20)\d\d\b")


def read_catalog(path: Path, locale: str | None = None) -> Catalog:
    """Parse a PO or POT file; a malformed file raises CatalogError with its line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise CatalogError("file not found.", path=path, hint=_missing_hint(path)) from exc
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}.", path=path) from exc
    return parse_catalog(data, path=path, locale=locale)


def parse_catalog(data: bytes, *, path: Path, locale: str | None = None) -> Catalog:
    """Parse PO bytes strictly (Babel with ``abort_invalid``)."""
    check_po_syntax(decode_utf8(data, path), path=path)
    try:
        catalog = read_po(io.BytesIO(data), locale=locale, abort_invalid=True, charset="utf-8")
    except PoFileError as exc:
        lineno = getattr(exc, "lineno", None)
        raise CatalogError(
            "malformed PO: " + re.sub(r" on \d+$", "", str(exc.args[0] if exc.args else exc)),
            path=path,
            line=lineno + 1 if isinstance(lineno, int) else None,
            hint="Fix the entry (or restore the file from version control) and rerun.",
        ) from exc
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:
        raise CatalogError(
            f"malformed PO: {exc}", path=path, hint="Check that the file is a gettext catalog."
        ) from exc
    if b"#| msgid" in data:
        _restore_previous_ids(catalog, data)
    return catalog


_PO_STRING = r'"(?:[^"\\]|\\[\\"abfnrtv?\']|\\[0-7]{1,3}|\\x[0-9A-Fa-f]+)*"'
_PO_LINE = re.compile(
    rf"^(?:(?P<keyword>msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+)?(?P<string>{_PO_STRING})\s*$"
)


def check_po_syntax(text: str, *, path: Path) -> None:
    """Reject what GNU msgfmt rejects and Babel's lenient reader lets through.

    Unterminated or badly escaped strings, unknown keywords and duplicate entries, each with
    its line number.
    """
    seen: dict[tuple[str | None, str], int] = {}
    context: str | None = None
    current: str | None = None  # the keyword whose strings are being read
    msgid_parts: list[str] = []
    msgid_line = 0

    def finish_msgid() -> None:
        key = (context, "".join(msgid_parts))
        if key in seen:
            raise CatalogError(
                f"duplicate message definition (first defined on line {seen[key]}).",
                path=path,
                line=msgid_line,
                hint="Merge the two entries into one.",
            )
        seen[key] = msgid_line

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        obsolete = line.startswith("#~")
        if line.startswith("#") and not obsolete:
            continue
        if obsolete:
            line = line[2:].strip()
            if not line or line.startswith("|"):
                continue
        match = _PO_LINE.match(line)
        if match is None:
            problem = "unterminated or badly escaped string" if '"' in line else "unknown keyword"
            raise CatalogError(
                f"malformed PO: {problem}: {line[:60]}",
                path=path,
                line=number,
                hint="Fix the line (see 'msgfmt --check') and rerun.",
            )
        if obsolete:
            continue
        keyword = match.group("keyword")
        if keyword is None:
            if current is None:
                raise CatalogError(
                    "malformed PO: string without a keyword.", path=path, line=number
                )
            if current == "msgid":
                msgid_parts.append(match.group("string"))
            continue
        if current == "msgid" and keyword != "msgid":
            finish_msgid()
        if keyword == "msgctxt":
            context = match.group("string")
        elif keyword == "msgid":
            msgid_parts, msgid_line = [match.group("string")], number
        elif keyword.startswith("msgstr") and current not in ("msgid", "msgid_plural", "msgstr"):
            raise CatalogError("malformed PO: msgstr without msgid.", path=path, line=number)
        if keyword.startswith("msgstr"):
            context = None
        current = "msgstr" if keyword.startswith("msgstr") else keyword


def _restore_previous_ids(catalog: Catalog, data: bytes) -> None:
    """Babel's reader drops ``#| msgid`` lines; polib keeps them, so reviewers keep the diff."""
    import polib

    for entry in polib.pofile(data.decode("utf-8")):
        if entry.previous_msgid:
            message = catalog.get(entry.msgid, entry.msgctxt)
            if message is not None:
                previous = [entry.previous_msgid]
                if entry.previous_msgid_plural:
                    previous.append(entry.previous_msgid_plural)
                message.previous_id = previous


def _missing_hint(path: Path) -> str:
    if path.suffix == ".pot":
        return "Run 'toolkit extract' first."
    return "Run 'toolkit update' to create it."


def serialize_catalog(catalog: Catalog) -> bytes:
    """The catalog as PO bytes, with the toolkit's fixed layout."""
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=PO_WIDTH,
        ignore_obsolete=False,
        include_previous=True,
        sort_output=False,
    )
    return buffer.getvalue()


def write_catalog(path: Path, catalog: Catalog, *, dry_run: bool = False) -> bool:
    """Write a catalog atomically; return False when only its date headers would change.

    Keeping the file untouched when nothing but the timestamp moved makes extract and update
    deterministic: running them twice on unchanged input changes no byte. With ``dry_run``
    nothing is written and the result says whether the file would change.
    """
    data = serialize_catalog(catalog)
    if path.exists():
        if same_content(path.read_bytes(), data):
            return False
    if dry_run:
        return True
    return write_bytes_atomic(path, data)


def same_content(old: bytes, new: bytes) -> bool:
    """Whether two PO/POT files differ only in tool noise: dates, ``Generated-By`` and the
    years Babel writes into a template's leading copyright comment.

    >>> a = b'# (C) 2025\\nmsgid ""\\nmsgstr ""\\n"Generated-By: Babel 2.18.0\\\\n"\\n'
    >>> same_content(a, a.replace(b"2025", b"2026").replace(b"2.18.0", b"2.19.0"))
    True
    """
    return _without_noise(old) == _without_noise(new)


def _without_noise(data: bytes) -> bytes:
    data = _NOISE_HEADER.sub(b"", data)
    return _LEADING_COMMENTS.sub(lambda m: _YEAR.sub(b"YEAR", m.group(0)), data, count=1)


def build_date() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def set_plural_forms(catalog: Catalog, locale: str) -> None:
    """Make the catalog's Plural-Forms header the CLDR one for ``locale``."""
    headers = [(k, v) for k, v in catalog.mime_headers if k.lower() != "plural-forms"]
    headers.append(("Plural-Forms", plural_forms_header(locale)))
    catalog.mime_headers = headers


def is_translated(message: Message) -> bool:
    """True when every form of the message has a non-empty translation."""
    if isinstance(message.string, (list, tuple)):
        return bool(message.string) and all(message.string)
    return bool(message.string)


def is_machine_translated(message: Message) -> bool:
    """True when the entry carries the toolkit's machine-translation provenance comment."""
    return any(c.startswith(MT_PROVENANCE_PREFIX) for c in message.user_comments)


def entries(catalog: Catalog) -> Iterable[Message]:
    """The catalog's messages without the header entry."""
    return (m for m in catalog if m.id)


@dataclass(frozen=True)
class UpdateResult:
    """What ``update_catalogs`` did to one locale's catalog."""

    locale: str
    path: Path
    created: bool
    written: bool
    total: int
    new: int
    fuzzy_matched: int
    obsolete: int


def update_catalogs(
    config: ProjectConfig, locales: list[str] | None = None, *, dry_run: bool = False
) -> list[UpdateResult]:
    """Create or merge ``locales/L/LC_MESSAGES/<domain>.po`` from the POT for each locale.

    Existing translations are kept; changed source strings are fuzzy-matched to their old
    translation; removed ones stay as obsolete entries; Plural-Forms follows CLDR.
    Every catalog is parsed before any is written, so one malformed PO changes nothing.
    """
    template = read_catalog(config.pot_path)
    targets = config.select_locales(locales)
    if not targets:
        raise CatalogError(
            "no target locales configured.",
            path=config.config_file,
            hint="Add them to 'locales' in [tool.toolkit] or pass --locale.",
        )
    existing = {
        locale: read_catalog(config.po_path(locale), locale=locale)
        for locale in targets
        if config.po_path(locale).exists()
    }
    results = []
    for locale in targets:
        path = config.po_path(locale)
        catalog = existing.get(locale)
        created = catalog is None
        if catalog is None:
            catalog = new_catalog(template, locale)
        before = {m.id if isinstance(m.id, str) else m.id[0] for m in entries(catalog)}
        merge_template(catalog, template, locale)
        after = list(entries(catalog))
        written = write_catalog(path, catalog, dry_run=dry_run)
        results.append(
            UpdateResult(
                locale=locale,
                path=path,
                created=created,
                written=written,
                total=len(after),
                new=sum(
                    1
                    for m in after
                    if (m.id if isinstance(m.id, str) else m.id[0]) not in before
                    and not m.previous_id
                ),
                fuzzy_matched=sum(1 for m in after if m.previous_id and m.fuzzy),
                obsolete=len(catalog.obsolete),
            )
        )
    return results


def new_catalog(template: Catalog, locale: str) -> Catalog:
    """An empty catalog for ``locale`` with the template's project headers."""
    catalog = Catalog(
        locale=locale,
        domain=template.domain,
        project=template.project,
        version=template.version,
        copyright_holder=template.copyright_holder,
        msgid_bugs_address=template.msgid_bugs_address,
        creation_date=template.creation_date,
        revision_date=build_date(),
        fuzzy=False,
    )
    catalog.header_comment = template.header_comment
    return catalog


def merge_template(catalog: Catalog, template: Catalog, locale: str) -> None:
    """Bring ``catalog`` in line with ``template`` (Babel's update plus our guarantees)."""
    set_plural_forms(catalog, locale)
    # A string that comes back keeps the translation it had before it was removed.
    for key in list(catalog.obsolete):
        message = catalog.obsolete[key]
        if (
            template.get(message.id, message.context) is not None
            and catalog.get(message.id, message.context) is None
        ):
            del catalog.obsolete[key]
            catalog[message.id] = message
    previous = {
        (m.id if isinstance(m.id, str) else m.id[0], m.context): m.previous_id
        for m in entries(catalog)
        if m.previous_id
    }
    catalog.update(template, no_fuzzy_matching=False, update_creation_date=True)
    for message in entries(catalog):
        entry_key = (message.id if isinstance(message.id, str) else message.id[0], message.context)
        if not message.fuzzy:
            message.previous_id = []
        elif not message.previous_id and entry_key in previous:
            message.previous_id = previous[entry_key]
        _sync_format_flags(message, template.get(message.id, message.context))


def _sync_format_flags(message: Message, source: Message | None) -> None:
    """Format flags follow the template: a flag the source string no longer has is dropped."""
    if source is None:
        return
    for flag in ("python-format", "python-brace-format", "no-python-format"):
        if flag in message.flags and flag not in source.flags:
            message.flags.discard(flag)
