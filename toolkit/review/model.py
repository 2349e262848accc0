"""What the review workspace knows about one catalog: its bytes, entries and findings."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalogs import MT_PROVENANCE_PREFIX, is_memory_match
from ..errors import InputError
from .po_edit import EntryBlock

if TYPE_CHECKING:
    from babel.messages.catalog import Message

    from ..checks import CheckContext, Finding

#: Translator comment recording who approved an entry (``# reviewed: Ana, 2026-11-30``).
REVIEWED_PREFIX = "reviewed:"
#: Checks that restate an entry's state (fuzzy, untranslated, unreviewed MT): the workspace
#: shows those as states, and "findings" means the other checks.
WORKFLOW_CHECKS = frozenset({"untranslated", "fuzzy", "mt-unreviewed"})
#: Queue filters: what ``state=`` accepts.
STATES = ("review", "fuzzy", "untranslated", "mt", "findings", "all")
_MT = re.compile(r"^mt:\s*(?P<engine>\S+)\s*(?P<detail>.*?)\s*(?:score=(?P<score>-?[\d.]+))?\s*$")


class ReviewError(InputError):
    """A request the workspace refuses; ``status`` is the HTTP status the API answers with."""

    def __init__(self, message: str, *, status: int = 400, payload: dict[str, Any] | None = None):
        super().__init__(message)
        self.status = status
        self.payload = payload or {}


def revision_of(data: bytes) -> str:
    """The revision of a catalog: a hash of its bytes.

    >>> revision_of(b"")
    'e3b0c44298fc1c14'
    """
    return hashlib.sha256(data).hexdigest()[:16]


def entry_id(msgctxt: str | None, msgid: str) -> str:
    """A stable id for an entry (its context and msgid hashed), used in URLs.

    >>> len(entry_id(None, "Hello")), entry_id(None, "Hi") == entry_id("ctx", "Hi")
    (12, False)
    >>> entry_id(None, "Open") == entry_id("", "Open")
    False
    """
    # msgctxt "" is a context of its own, beside the same msgid without one (QA pass 73):
    # marked apart, every other entry keeps the id it had.
    marker = "\x05" if msgctxt == "" else ""
    key = f"{marker}{msgctxt or ''}\x04{msgid}".encode()
    return hashlib.blake2b(key, digest_size=6).hexdigest()


@dataclass(frozen=True)
class MtInfo:
    """Machine-translation provenance of an entry (``# mt: argos en->da 1.0 score=-0.42``)."""

    engine: str
    detail: str
    score: float | None
    comment: str
    notes: tuple[str, ...] = ()  # ``# mt: glossary: ...`` problems MT left for a human

    @property
    def kind(self) -> str:
        """``tm`` for a human translation translate took from the memory, else ``mt``."""
        return "tm" if is_memory_match(self.comment) else "mt"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "engine": self.engine,
            "detail": self.detail,
            "score": self.score,
            "comment": self.comment,
            "notes": list(self.notes),
        }


def parse_mt(comments: tuple[str, ...] | list[str]) -> MtInfo | None:
    """The provenance in an entry's translator comments, or None for a human translation.

    >>> parse_mt(["mt: argos en->da 1.0 score=-0.42"])
    MtInfo(engine='argos', detail='en->da 1.0', score=-0.42, comment='mt: argos en->da 1.0 score=-0.42', notes=())
    """  # noqa: E501
    main: MtInfo | None = None
    notes = []
    for comment in comments:
        if not comment.startswith(MT_PROVENANCE_PREFIX):
            continue
        body = comment[len(MT_PROVENANCE_PREFIX) :].strip()
        if body.startswith("glossary:"):
            notes.append(body[len("glossary:") :].strip())
            continue
        match = _MT.match(comment)
        if match and main is None:
            score = match.group("score")
            main = MtInfo(
                engine=match.group("engine"),
                detail=match.group("detail"),
                score=float(score) if score else None,
                comment=comment,
            )
    if main is None:
        return None
    return MtInfo(main.engine, main.detail, main.score, main.comment, tuple(notes))


@dataclass
class CatalogState:
    """One locale's catalog as last read (or written) by the workspace.

    ``lines`` are the file's bytes split into lines; ``blocks`` say where each entry is, so a
    save rewrites only that entry. ``findings`` are those of ``toolkit check`` (same registry),
    kept up to date entry by entry as the workspace saves.
    """

    locale: str
    path: Path
    revision: str
    stat: tuple[int, int]
    lines: list[bytes]
    order: list[str]  # entry ids in file order
    blocks: dict[str, EntryBlock]
    messages: dict[str, Message]
    findings: dict[str, list[Finding]]
    header_findings: list[Finding]
    context: CheckContext
    nplurals: int
    plural_expr: str
    cache: dict[str, Any] = field(default_factory=dict)  # per-revision derived data

    @property
    def data(self) -> bytes:
        return b"".join(self.lines)
