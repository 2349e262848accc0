"""One entry in full: highlighted source, previous-source diff, plural examples, channel
budget, and the messages it appears in rendered with the reviewer's unsaved text."""

from __future__ import annotations

import dataclasses
import difflib
import gettext
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import channels
from ..catalogs.entry import forms_of
from ..checks.base import Entry
from ..checks.length import fixed_text, length_limit, parts_of
from ..errors import ToolkitError
from ..placeholders import find_placeholders
from ..render.locale_chain import Catalog as ChainCatalog
from ..render.message import Renderer
from ..templating import JINJA_SUFFIXES
from .checking import finding_dict, message_ids
from .model import CatalogState
from .workspace import ReviewWorkspace

if TYPE_CHECKING:
    from babel.messages.catalog import Message

#: Private-use characters around the entry's text in ``marked`` preview parts.
MARK_START, MARK_END = "\ue000", "\ue001"
#: How many example numbers are shown per plural form.
EXAMPLES_PER_FORM = 3
_ARTICLE_SUFFIXES = (".md", ".markdown", ".yaml", ".yml")
_WORDS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def segments(text: str) -> list[dict[str, str]]:
    """``text`` cut into plain runs and placeholders/tags, for highlighting.

    >>> segments("Hi {name}!")
    [{'text': 'Hi ', 'kind': ''}, {'text': '{name}', 'kind': 'brace'}, {'text': '!', 'kind': ''}]
    """
    out, last = [], 0
    for placeholder in find_placeholders(text):
        if placeholder.start > last:
            out.append({"text": text[last : placeholder.start], "kind": ""})
        out.append({"text": placeholder.text, "kind": placeholder.kind})
        last = placeholder.end
    if last < len(text):
        out.append({"text": text[last:], "kind": ""})
    return out


def word_diff(old: str, new: str) -> list[dict[str, str]]:
    """Word-level diff from ``old`` to ``new`` as ``equal``/``delete``/``insert`` runs.

    >>> word_diff("Get 10 points", "Get 20 points")
    [{'op': 'equal', 'text': 'Get '}, {'op': 'delete', 'text': '10'}, {'op': 'insert', 'text': '20'}, {'op': 'equal', 'text': ' points'}]
    """  # noqa: E501
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append({"op": "equal", "text": "".join(a[i1:i2])})
            continue
        if i2 > i1:
            out.append({"op": "delete", "text": "".join(a[i1:i2])})
        if j2 > j1:
            out.append({"op": "insert", "text": "".join(b[j1:j2])})
    return out


def plural_examples(expr: str, nplurals: int) -> list[list[int | float]]:
    """Example numbers for each plural form (``lt``: 1 21 31 / 2 3 4 / 0 10 11); a form no
    whole number picks gets the fractions that pick it (Transifex's fourth Polish form:
    1.5), as rendering a fractional count does; a form nothing picks, none.

    >>> plural_examples("(n != 1)", 2)
    [[1], [0, 2, 3]]
    >>> plural_examples("(n==1 ? 0 : n%1==0 ? 1 : 2)", 3)
    [[1], [0, 2, 3], [0.5, 1.5, 2.5]]
    """
    import warnings

    rule = gettext.c2py(expr)
    found: list[list[int | float]] = [[] for _ in range(nplurals)]
    for n in range(0, 1001):
        form = rule(n)
        if 0 <= form < nplurals and len(found[form]) < EXAMPLES_PER_FORM:
            found[form].append(n)
    if all(found):
        return found
    with warnings.catch_warnings():  # Python's gettext warns of a fraction, then evaluates
        warnings.simplefilter("ignore", DeprecationWarning)
        for fraction in (0.5, 1.5, 2.5, 5.5, 11.5, 21.5, 101.5, 0.1, 1.1):
            form = rule(fraction)  # type: ignore[arg-type]  # (typeshed says int)
            if 0 <= form < nplurals and _fractions_only(found[form]):
                found[form].append(fraction)
    return found


def _fractions_only(examples: list[int | float]) -> bool:
    """Whether a form's examples so far are fractions (or none), fewer than are shown."""
    return all(isinstance(n, float) for n in examples) and len(examples) < EXAMPLES_PER_FORM


def template_names(workspace: ReviewWorkspace, message: Message) -> list[str]:
    """Loader names of the renderable templates the entry comes from (its ``#:`` references,
    or the POT's where the catalog has none)."""
    root, templates = workspace.config.root, workspace.config.templates_path
    names = []
    for location, _line in workspace.locations(message):
        path = (root / location).resolve()
        try:
            name = path.relative_to(templates.resolve()).as_posix()
        except ValueError:
            continue
        suffix = path.suffix.lower()
        sample = path.with_name(path.stem + ".sample.json")
        renderable = (suffix in JINJA_SUFFIXES and sample.is_file()) or suffix in _ARTICLE_SUFFIXES
        if renderable and name not in names:
            names.append(name)
    return names


class PreviewRenderer(Renderer):
    """A renderer whose catalog for one locale is given (the catalog with unsaved text).

    Fuzzy entries are included: the reviewer sees the machine translation in context.
    """

    def __init__(self, workspace: ReviewWorkspace, locale: str, catalog: ChainCatalog) -> None:
        super().__init__(workspace.config, from_po=True, use_fuzzy=True)
        self._given = {locale: catalog}
        # Templates compiled once for every preview of the workspace (each keystroke's
        # preview made a renderer that compiled all the entry's templates again: ~0.7 s for
        # a greeting 20 messages use, while the server answered nothing else).
        self._shared_code = workspace.preview_code

    def _catalog(self, locale: str) -> ChainCatalog | None:
        if locale in self._given:
            return self._given[locale]
        return super()._catalog(locale)


def _translations(state: CatalogState) -> gettext.GNUTranslations:
    """The catalog compiled in memory, fuzzy entries included (cached per revision)."""
    cached = state.cache.get("translations")
    if cached is None:
        from ..compile import mo_bytes

        catalog = state.context.catalog
        assert catalog is not None  # the workspace always parses with Babel
        cached = gettext.GNUTranslations(io.BytesIO(mo_bytes(catalog, use_fuzzy=True)))
        state.cache["translations"] = cached
    return cached


def _with_text(
    base: gettext.GNUTranslations, message: Message, strings: Sequence[str]
) -> gettext.GNUTranslations:
    """A copy of ``base`` where the entry reads ``strings`` (empty forms fall back)."""
    copy = gettext.GNUTranslations.__new__(gettext.GNUTranslations)
    copy.__dict__.update(base.__dict__)
    table = dict(base._catalog)  # type: ignore[attr-defined]
    msgid, plural = message_ids(message)
    key = f"{message.context}\x04{msgid}" if message.context is not None else msgid
    if plural is None:
        table.pop(key, None)
        if strings[0]:
            table[key] = strings[0]
    else:
        for index in range(len(strings)):
            table.pop((key, index), None)
        if all(strings):
            for index, text in enumerate(strings):
                table[(key, index)] = text
    copy._catalog = table  # type: ignore[attr-defined]
    return copy


def preview(
    workspace: ReviewWorkspace, state: CatalogState, key: str, strings: Sequence[str]
) -> list[dict[str, Any]]:
    """Every message the entry appears in, rendered in the locale with ``strings``."""
    from ..showcase import sample_data

    message = workspace.message(state, key)
    config = workspace.config
    names = template_names(workspace, message)
    if not names:
        return []
    base = _translations(state)
    renderer = PreviewRenderer(
        workspace,
        state.locale,
        ChainCatalog(state.locale, state.path, _with_text(base, message, strings)),
    )
    # The same messages with the entry's text between markers, so the page can show where
    # the entry sits in each part (an empty form shows the source it falls back to).
    msgid, plural = message_ids(message)
    sources = [msgid] if plural is None else [msgid] + [plural] * (len(strings) - 1)
    marked = [f"{MARK_START}{text or source}{MARK_END}" for text, source in zip(
        strings, sources, strict=True
    )]
    marker = PreviewRenderer(
        workspace,
        state.locale,
        ChainCatalog(state.locale, state.path, _with_text(base, message, marked)),
    )
    out: list[dict[str, Any]] = []
    for name in names:
        data = sample_data(config, name)
        try:
            rendered = renderer.render(name, state.locale, data)
            highlighted = marker.render(name, state.locale, data).parts
        except ToolkitError as exc:
            out.append({"template": name, "error": str(exc)})
            continue
        out.append(
            {
                "template": name,
                "channels": rendered.channels,
                "parts": rendered.parts,
                "marked": {k: v for k, v in highlighted.items() if MARK_START in v},
                "sms": rendered.sms.__dict__ if rendered.sms else None,
                "warnings": list(rendered.warnings),
            }
        )
    return out


def budget(entry: Entry, rendered: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Channel budget: the SMS, subject and push parts of the rendered messages, and the
    entry's own text against its ``max-length``/``part:`` limits."""
    rows: list[dict[str, Any]] = []
    for message in rendered:
        parts = message.get("parts") or {}
        if "sms" in parts:
            info = channels.sms_info(parts["sms"])
            limit = channels.SMS_SINGLE[info.encoding]
            rows.append(
                {
                    "scope": message["template"],
                    "part": "sms",
                    "encoding": info.encoding,
                    "units": info.units,
                    "segments": info.segments,
                    "limit": limit if info.segments <= 1 else channels.SMS_CONCATENATED[
                        info.encoding
                    ] * info.segments,
                    "over": info.segments > 1,
                }
            )
        for part, limit in (
            ("subject", channels.SUBJECT_WARN),
            ("push_title", channels.PUSH_TITLE_MAX),
            ("push_body", channels.PUSH_BODY_MAX),
            ("preheader", channels.PREHEADER_MAX),
        ):
            if part in parts:
                length = len(parts[part])
                rows.append(
                    {
                        "scope": message["template"],
                        "part": part,
                        "units": length,
                        "limit": limit,
                        "over": length > limit,
                    }
                )
    own = length_limit(entry)
    for pair in entry.pairs():
        text = fixed_text(pair.translation)
        if own is not None:
            rows.append(
                {"scope": pair.label, "part": "max-length", "units": len(text), "limit": own,
                 "over": len(text) > own}
            )
        if "sms" in parts_of(entry):
            info = channels.sms_info(channels.normalize_sms(text))
            rows.append(
                {"scope": pair.label, "part": "sms", "encoding": info.encoding,
                 "units": info.units, "segments": info.segments,
                 "limit": channels.SMS_SINGLE[info.encoding], "over": info.segments > 1}
            )
    return rows


def neighbours(
    workspace: ReviewWorkspace, state: CatalogState, key: str, state_filter: str
) -> tuple[str | None, str | None, int, int]:
    """The previous and next entry of the queue ``state_filter`` around ``key`` (which may
    have left the queue, once approved), by catalog order; and where ``key`` stands in that
    queue: the number of queue entries before it, and the queue's length."""
    queue = workspace.queue(state.locale, state_filter)["entries"]
    position = {k: i for i, k in enumerate(state.order)}
    here = position[key]
    before = [e["id"] for e in queue if position[e["id"]] < here]
    after = [e["id"] for e in queue if position[e["id"]] > here]
    return (before[-1] if before else None), (after[0] if after else None), len(before), len(
        queue
    )


def entry_detail(
    workspace: ReviewWorkspace, locale: str, key: str, state_filter: str = "review"
) -> dict[str, Any]:
    """Everything the entry view shows, as saved on disk (``live`` adds the unsaved text);
    ``previous_id``/``next_id`` walk the queue ``state_filter``."""
    state = workspace.state(locale)
    message = workspace.message(state, key)
    previous_id, next_id, queue_position, queue_total = neighbours(
        workspace, state, key, state_filter
    )
    summary = workspace.summary(state, key)
    msgid, plural = message_ids(message)
    previous = None
    if message.previous_id:
        old = list(message.previous_id)
        previous = {
            "msgid": old[0],
            "msgid_plural": old[1] if len(old) > 1 else None,
            "diff": word_diff(old[0], msgid),
        }
    forms = plural_examples(state.plural_expr, state.nplurals) if plural is not None else [[]]
    position = state.order.index(key)
    extra: dict[str, Any] = {
        "source_segments": segments(msgid),
        "plural_segments": segments(plural) if plural is not None else None,
        "previous": previous,
        "auto_comments": list(message.auto_comments),
        "user_comments": list(message.user_comments),
        "locations": [f"{p}:{n}" if n else p for p, n in message.locations],
        "plural_examples": forms,
        "nplurals": state.nplurals,
        "templates": template_names(workspace, message),
        "position": position,
        "total": len(state.order),
        # Where the entry stands in the queue the reviewer walks (previous/next): "entry 4
        # of 257" in a queue of 40 read as the catalog's count.
        "queue": state_filter,
        "queue_position": queue_position,
        "queue_total": queue_total,
        "previous_id": previous_id,
        "next_id": next_id,
    }
    return dict(summary) | extra


def live(
    workspace: ReviewWorkspace, locale: str, key: str, strings: Sequence[str] | None
) -> dict[str, Any]:
    """Findings, channel budget and preview for the entry with ``strings`` (unsaved)."""
    state = workspace.state(locale)
    message = workspace.message(state, key)
    if strings is None:
        strings = list(forms_of(message))
    else:
        strings = workspace.validate_strings(state, key, list(strings))
    found = workspace.check_text(state, key, strings, fuzzy=False)
    rendered = preview(workspace, state, key, strings)
    entry = dataclasses.replace(
        Entry.from_message(message), strings=tuple(strings), form_count=len(strings)
    )
    return {
        "id": key,
        "locale": locale,
        "revision": state.revision,
        "msgstr": list(strings),
        "findings": [finding_dict(f) for f in found],
        "budget": budget(entry, rendered),
        "preview": rendered,
    }
